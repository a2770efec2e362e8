"""The desktop app on a real X11 desktop with a tray: launch, tray menu, second launch, quit."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from breather.store import open_store, sqlite_url
from tests.desktop.app_driver import ARTIFACTS, xdotool
from tests.desktop.harness import Desktop, wait_until

pytestmark = pytest.mark.desktop


def breather_windows(desktop: Desktop, *, visible: bool = True) -> list[int]:
    args = ["search"] + (["--onlyvisible"] if visible else []) + ["--class", "breather"]
    return [int(w) for w in xdotool(desktop, *args).split()]


def geometry(desktop: Desktop, window: int) -> tuple[int, int, int, int]:
    values = dict(
        line.split("=", 1)
        for line in xdotool(desktop, "getwindowgeometry", "--shell", str(window)).split()
    )
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def tray_icon(desktop: Desktop) -> tuple[int, int]:
    """The centre of Breather's icon in jwm's tray (a small window at the bottom edge)."""
    for window in breather_windows(desktop, visible=False):
        x, y, width, height = geometry(desktop, window)
        if width <= 64 and height <= 64 and y > 700:
            return x + width // 2, y + height // 2
    raise LookupError("no Breather icon in the tray")


def main_window(desktop: Desktop) -> int | None:
    found = xdotool(desktop, "search", "--onlyvisible", "--name", "^Breather$").split()
    return int(found[0]) if found else None


def launch(desktop: Desktop, data: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "breather", *args],
        env={**desktop.process_env, "BREATHER_DATA_DIR": str(data)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def running_app(desktop: Desktop, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    (tmp_path / "welcomed").touch()  # not a first run
    app = launch(desktop, tmp_path, "--tray")  # as the login session starts it
    try:
        wait_until(lambda: _has_icon(desktop), 20, "Breather's tray icon")
        yield app
    finally:
        if app.poll() is None:
            app.kill()
        app.communicate(timeout=15)


def _has_icon(desktop: Desktop) -> bool:
    try:
        tray_icon(desktop)
    except LookupError:
        return False
    return True


def test_tray_menu_opens_the_window_and_a_second_launch_raises_it(
    desktop: Desktop, open_window, running_app: subprocess.Popen[str], tmp_path: Path
) -> None:
    assert main_window(desktop) is None  # it starts quietly in the tray
    x, y = tray_icon(desktop)
    xdotool(desktop, "mousemove", "--sync", str(x), str(y), "click", "3")
    wait_until(lambda: len(breather_windows(desktop)) >= 2, 10, "the tray menu to open")
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-tray-menu.png")
    xdotool(desktop, "key", "Down", "Return")  # the first entry: Open Breather
    window = wait_until(lambda: main_window(desktop), 10, "the main window to open")

    other = open_window("Other", "Something else entirely")
    desktop.focus(other)
    assert desktop.active_window_id() != window
    second = launch(desktop, tmp_path)
    _, err = second.communicate(timeout=30)
    assert second.returncode == 0
    assert "already running" in err
    wait_until(lambda: desktop.active_window_id() == window, 10, "Breather to come forward")
    assert running_app.poll() is None  # the first one, still the only tracker
    desktop.screenshot(ARTIFACTS / "desktop-raised.png")

    x, y = tray_icon(desktop)
    xdotool(desktop, "mousemove", "--sync", str(x), str(y), "click", "3")
    wait_until(lambda: len(breather_windows(desktop)) >= 2, 10, "the tray menu to open")
    xdotool(desktop, "key", "Up", "Return")  # the last entry: Quit Breather
    assert running_app.wait(timeout=20) == 0


def test_a_launch_from_the_menu_opens_the_window(desktop: Desktop, tmp_path: Path) -> None:
    (tmp_path / "welcomed").touch()
    app = launch(desktop, tmp_path)
    try:
        wait_until(lambda: main_window(desktop), 20, "the main window to open")
    finally:
        app.terminate()
        app.communicate(timeout=15)
    assert app.returncode == 0


@pytest.mark.parametrize("database", ["new", "up to date"])
def test_in_the_tray_the_app_leaves_the_sql_toolkit_and_the_charts_unloaded(
    desktop: Desktop, tmp_path: Path, database: str
) -> None:
    # What keeps the tray app within its memory budget: SQLAlchemy and pydantic (~60 MB) load
    # only in the child process that migrates a database (a new one comes from the schema
    # snapshot), numpy and pyqtgraph (~50 MB) only once the window is open, OpenSSL's
    # libcrypto never.
    (tmp_path / "welcomed").touch()
    if database == "up to date":  # as on every start after the first
        open_store(sqlite_url(tmp_path / "breather.db"), device_uuid="x", device_name="x").close()
    app = launch(desktop, tmp_path, "--tray")
    try:
        wait_until(lambda: _has_icon(desktop), 20, "Breather's tray icon")
        maps = Path(f"/proc/{app.pid}/maps").read_text()
        assert "/PySide6/" in maps  # the check sees the app's libraries
        heavy = ("/sqlalchemy/", "/pydantic_core/", "/numpy/", "/libcrypto.")
        assert [name for name in heavy if name in maps] == []
    finally:
        app.terminate()
        app.communicate(timeout=15)
    assert app.returncode == 0
    stored = sqlite3.connect(tmp_path / "breather.db")
    tables = {name for (name,) in stored.execute("SELECT name FROM sqlite_master")}
    stored.close()
    assert "span" in tables


def test_a_damaged_database_is_kept_aside_and_the_person_is_told(
    desktop: Desktop, tmp_path: Path
) -> None:
    (tmp_path / "welcomed").touch()
    (tmp_path / "breather.db").write_bytes(b"not a database, just bytes" * 100)
    app = launch(desktop, tmp_path, "--tray")
    try:
        wait_until(lambda: _has_icon(desktop), 20, "Breather's tray icon")
        # In the tray alone, the only window is the message saying where the old file went.
        box = wait_until(lambda: main_window(desktop), 10, "the message about the database")
        desktop.screenshot(ARTIFACTS / "desktop-damaged-database.png")
        assert geometry(desktop, box)[2] > 200
    finally:
        app.terminate()
        _out, err = app.communicate(timeout=15)
    assert app.returncode == 0
    kept = [p.name for p in tmp_path.glob("breather.db.damaged-*") if not p.name.endswith("-wal")]
    assert len(kept) == 1
    assert f"kept, untouched, as {tmp_path / kept[0]}" in err
    assert (tmp_path / kept[0]).read_bytes().startswith(b"not a database")
