"""Driving the desktop app on the test desktop as a person would, and reading what it stored.

Shared by the real-desktop tests: starting the app (in the tray or from the menu), finding its
windows with xdotool, keeping the person busy while waiting, and a little use seeded before a
start.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from breather.monitor.base import WindowInfo
from breather.store import open_store, sqlite_url
from breather.tracking.spans import Span
from tests.desktop.harness import Desktop, wait_until

ARTIFACTS = Path(__file__).parents[1] / "artifacts"

QUIET_BREAKS = """\
[tracking]
interval = "500ms"

[breaks.eyes]
enabled = false

[breaks.movement]
enabled = false
"""


def xdotool(desktop: Desktop, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=desktop.process_env, capture_output=True, text=True, check=False
    )
    return done.stdout


def prompt_windows(desktop: Desktop) -> list[int]:
    """Breather's visible windows other than its tray icon (the app runs in the tray)."""
    found = xdotool(desktop, "search", "--onlyvisible", "--class", "breather").split()
    windows = []
    for window in map(int, found):
        if window_size(desktop, window)[0] > 200:
            windows.append(window)
    return windows


def named(desktop: Desktop, title: str) -> int | None:
    """A visible window whose title holds `title`, None if there is none."""
    found = xdotool(desktop, "search", "--onlyvisible", "--name", title).split()
    return int(found[0]) if found else None


def window_size(desktop: Desktop, window: int) -> tuple[int, int]:
    """A window's width and height, (0, 0) when it is gone."""
    shell = xdotool(desktop, "getwindowgeometry", "--shell", str(window))
    values = dict(line.split("=", 1) for line in shell.split())
    return int(values.get("WIDTH", "0")), int(values.get("HEIGHT", "0"))


def records(data: Path, kind: str) -> list[tuple[str, str]]:
    """The (outcome, detail) rows stored for `kind` prompts, oldest first."""
    conn = sqlite3.connect(data / "breather.db")
    try:
        rows = conn.execute(
            "SELECT outcome, detail FROM boundary_event WHERE kind = ? ORDER BY at_ms, id",
            (kind,),
        ).fetchall()
    finally:
        conn.close()
    return [(str(outcome), str(detail)) for outcome, detail in rows]


class App:
    """The desktop app, with its own data folder and settings: in the tray as at login, or
    with `tray=False` as launched from the menu (its window opens). `env` adds to its
    environment."""

    def __init__(
        self,
        desktop: Desktop,
        data: Path,
        config: str,
        *,
        tray: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        (data / "welcomed").touch()  # not a first run
        (data / "breather.toml").write_text(config)
        self.desktop = desktop
        self.data = data
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "breather", *(["--tray"] if tray else [])],
            env={
                **desktop.process_env,
                "BREATHER_DATA_DIR": str(data),
                "BREATHER_CONFIG": str(data / "breather.toml"),
                **(env or {}),
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self) -> None:
        """Until the tray icon shows: the app is up and tracking."""

        def icon() -> bool:
            found = xdotool(self.desktop, "search", "--class", "breather").split()
            return any(
                window_size(self.desktop, int(window))[0] in range(1, 65) for window in found
            )

        wait_until(icon, 30, "Breather's tray icon")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        _out, err = self.proc.communicate(timeout=20)
        return err


def hold_with_input(desktop: Desktop, prompt: int, seconds: float) -> None:
    """Keep the person's input going for `seconds`, checking all along that the prompt stays."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        desktop.input()
        assert prompt_windows(desktop) == [prompt], "the prompt went away before any answer"
        time.sleep(0.25)


def wait_for_window(
    desktop: Desktop, wanted: Callable[[int], bool], timeout: float, what: str
) -> int:
    """Keep the person busy (so the time counts) until one of Breather's windows is `wanted`."""
    deadline = time.monotonic() + timeout
    while True:
        windows = [window for window in prompt_windows(desktop) if wanted(window)]
        if windows:
            return windows[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        desktop.input()
        time.sleep(0.25)


def wait_for_prompt(desktop: Desktop, timeout: float, what: str) -> int:
    return wait_for_window(desktop, lambda _window: True, timeout, what)


def seed_use(data: Path, app: str, title: str, seconds: float) -> None:
    """`seconds` of use of `app` earlier today, as if tracked before this start."""
    store = open_store(sqlite_url(data / "breather.db"), device_uuid="d", device_name="desk")
    try:
        end = datetime.now(UTC) - timedelta(seconds=5)
        window = WindowInfo(app, title, app, f"/usr/bin/{app}")
        writer = store.writer()
        writer.record([Span(end - timedelta(seconds=seconds), end, window)])
        writer.flush(None, 0.0)
    finally:
        store.close()
