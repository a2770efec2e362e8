"""On a machine without Qt's desktop libraries, Breather names the packages instead of letting
Qt abort; `doctor` says the same."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from breather.cli.main import main
from breather.ui import platform_check


@pytest.fixture
def plugin_missing_a_library(tmp_path: Path) -> Path:
    """A shared library like Qt's plugin, linked against one that is then taken away."""
    if shutil.which("gcc") is None or shutil.which("ldd") is None:
        pytest.skip("needs gcc and ldd to build a library with a missing dependency")
    source = tmp_path / "x.c"
    source.write_text("int breather_probe(void) { return 1; }\n")
    gone = tmp_path / "libbreather-absent.so.1"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-Wl,-soname,libbreather-absent.so.1", "-o", gone, source],
        check=True,
    )
    plugin = tmp_path / "libqxcb.so"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", plugin, source, "-Wl,--no-as-needed", str(gone)],
        check=True,
    )
    gone.unlink()
    return plugin


def test_every_missing_library_is_named(plugin_missing_a_library: Path) -> None:
    assert platform_check.missing_libraries(plugin_missing_a_library) == ["libbreather-absent.so.1"]


def test_the_advice_gives_the_package_for_each_family() -> None:
    advice = platform_check.install_advice("xcb", ["libxcb-cursor.so.0", "libxcb-icccm.so.4"])
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in advice
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in advice
    assert "sudo pacman -S xcb-util-cursor xcb-util-wm" in advice


def test_the_plugin_qt_will_use_is_the_one_checked() -> None:
    assert platform_check.chosen_platform({"DISPLAY": ":0"}) == "xcb"
    wayland = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}
    assert platform_check.chosen_platform(wayland) == "wayland"
    assert platform_check.chosen_platform({"QT_QPA_PLATFORM": "offscreen"}) == "offscreen"


def test_the_app_and_doctor_say_what_to_install_instead_of_aborting(
    plugin_missing_a_library: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(platform_check, "plugin_path", lambda _platform: plugin_missing_a_library)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert platform_check.platform_problem() is not None  # else Qt would start, and abort
    assert main(["--data-dir", str(tmp_path), "--tray"]) == 1
    err = capsys.readouterr().err
    assert "libbreather-absent.so.1" in err and "Traceback" not in err
    assert main(["--data-dir", str(tmp_path), "doctor"]) == 1
    assert "no  app window" in capsys.readouterr().out


@pytest.mark.parametrize(("system", "plugin"), [("win32", "windows"), ("darwin", "cocoa")])
def test_windows_and_macos_use_qts_own_plugin_and_need_nothing_installed(
    monkeypatch: pytest.MonkeyPatch, system: str, plugin: str
) -> None:
    monkeypatch.setattr(platform_check.sys, "platform", system)

    assert platform_check.chosen_platform({"DISPLAY": ":0"}) == plugin
    assert platform_check.platform_problem({"DISPLAY": ":0"}) is None
