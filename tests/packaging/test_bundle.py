"""The PyInstaller onedir bundle: built from packaging/pyinstaller/breather.spec, then run.

The build takes ~35 s on two cores; every check here shares one build. The bundle must start
and quit cleanly with no Python installed beside it, stay within its size budget, find its
resources and migrations, and name its windows as the desktop file says (on a real X server).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from breather import APP_ID
from breather.desktop.entry import WINDOW_CLASS, read_entry, split_exec
from tests.packaging.conftest import (
    BUNDLE_BUDGET_MB,
    EXIT_AFTER_MS,
    PACKAGING,
    VERSION,
    headless_env,
    program,
    require,
    run,
    tree_size,
)

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory, python: str) -> Path:
    """dist/breather of a fresh build (in a temporary folder, never the checkout's dist/)."""
    require(
        "PyInstaller", importlib.util.find_spec("PyInstaller") is None, "pip install -e '.[test]'"
    )
    program("objdump", "binutils")  # PyInstaller reads shared libraries' dependencies with it
    out = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    run(
        [
            python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
            "--distpath", out / "dist", "--workpath", out / "build",
            PACKAGING / "pyinstaller" / "breather.spec",
        ],
        timeout=600,
    )  # fmt: skip
    print(f"PyInstaller build: {time.monotonic() - started:.0f} s")
    shutil.rmtree(out / "build")  # ~45 MB of intermediate files
    return out / "dist" / "breather"


@pytest.fixture(scope="session")
def executable(bundle: Path) -> Path:
    return bundle / "breather"


def test_the_bundle_fits_its_size_budget(bundle: Path) -> None:
    size_mb = tree_size(bundle) / 2**20
    print(f"bundle: {size_mb:.0f} MB")
    assert size_mb <= BUNDLE_BUDGET_MB, f"{size_mb:.0f} MB is over {BUNDLE_BUDGET_MB} MB"
    internal = bundle / "_internal"
    # What the slimming takes out stays out (each has come back by accident elsewhere).
    for unwanted in ("hypothesis", "mypy", "PySide6/Qt/plugins/platformthemes/libqgtk3.so"):
        assert not (internal / unwanted).exists(), unwanted
    assert not list(internal.glob("libgtk-3*"))


def test_the_bundle_says_its_version(executable: Path, tmp_path: Path) -> None:
    done = run([executable, "--version"], env=headless_env(tmp_path))
    assert done.stdout.strip() == f"breather {VERSION}"


def test_doctor_runs_from_the_bundle(executable: Path, tmp_path: Path) -> None:
    done = run([executable, "doctor"], env=headless_env(tmp_path), check=False)
    assert done.returncode == 1 and "DISPLAY is not set" in done.stdout, done.stdout
    assert "Traceback" not in done.stderr


def test_the_bundle_starts_offscreen_and_quits_cleanly(executable: Path, tmp_path: Path) -> None:
    env = {**headless_env(tmp_path), "BREATHER_TEST_EXIT_AFTER_MS": EXIT_AFTER_MS}
    started = time.monotonic()
    done = run([executable], env=env, timeout=60)
    print(f"start to clean exit: {time.monotonic() - started:.1f} s")
    # Every page built (charts, catalogues), the SVG icon drawn, the About box's version read.
    assert f"pages built, icon drawn, Version {VERSION}" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "data" / "breather.db").exists()  # the migrations ran from the bundle


def test_autostart_and_menu_entry_start_the_bundle(executable: Path, tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    run([executable, "autostart", "on"], env=env)
    entry = tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    assert split_exec(read_entry(entry)["Exec"]) == [str(executable), "--tray"]
    run([executable, "autostart", "off"], env=env)
    assert not entry.exists()
    # A tarball of the bundle has no menu entry either; its icons are drawn with the bundled QtSvg.
    run([executable, "install-desktop-entry"], env=env)
    launcher = tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    assert split_exec(read_entry(launcher)["Exec"]) == [str(executable)]
    png = tmp_path / "share" / "icons" / "hicolor" / "128x128" / "apps" / f"{APP_ID}.png"
    assert png.read_bytes().startswith(b"\x89PNG")


def test_on_x11_the_window_class_is_the_desktop_files(executable: Path, tmp_path: Path) -> None:
    """On a real X server: WM_CLASS is what StartupWMClass says, and tracking works."""
    from tests.desktop.harness import Desktop, missing_tools

    missing = missing_tools(("Xvfb", "dbus-daemon", "xdotool", "xprop"))
    require(", ".join(missing), bool(missing), "Debian packages xvfb dbus xdotool x11-utils")
    expected = read_entry(PACKAGING / "linux" / f"{APP_ID}.desktop")["StartupWMClass"]
    assert expected == WINDOW_CLASS
    # jwm: the X11 backend needs an EWMH window manager. A first run opens the window.
    with Desktop(notifications=False) as desktop:
        env = {**desktop.process_env, **headless_env(tmp_path), **desktop.env}
        doctor = run([executable, "doctor"], env=env)
        assert "ok  x11 windows" in doctor.stdout, doctor.stdout
        app = subprocess.Popen(
            [executable],
            env={**env, "BREATHER_TEST_EXIT_AFTER_MS": "4000"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            found: list[str] = []
            deadline = time.monotonic() + 20
            while not found and time.monotonic() < deadline and app.poll() is None:
                search = ["xdotool", "search", "--onlyvisible", "--name", "^Breather$"]
                found = run(search, env=env, check=False).stdout.split()
                time.sleep(0.1)
            assert found, "Breather's window did not appear"
            # The class is the instance's basename and the application name.
            wm_class = run(["xprop", "-id", found[0], "WM_CLASS"], env=env).stdout
            assert wm_class.strip() == f'WM_CLASS(STRING) = "breather", "{expected}"'
            out, err = app.communicate(timeout=30)
        finally:
            if app.poll() is None:
                app.kill()
            app.communicate()  # closes the pipes, also when an assertion failed above
        assert app.returncode == 0, out + err
        assert "Traceback" not in err, err
