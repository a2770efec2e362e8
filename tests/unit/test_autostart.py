"""Autostart on, off and status: the XDG entry for real in a private XDG_CONFIG_HOME, Windows and
macOS with their system interfaces (winreg, launchctl) replaced at the boundary."""

from __future__ import annotations

import plistlib
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from breather import APP_ID
from breather.cli.main import main
from breather.desktop.autostart import for_this_system
from breather.desktop.autostart.base import AutostartError
from breather.desktop.autostart.macos import MacLaunchAgent
from breather.desktop.autostart.portal import PortalAutostart
from breather.desktop.autostart.windows import (
    APPROVED_KEY,
    RUN_KEY,
    WindowsRunKey,
    split_windows_command,
    windows_command,
)
from breather.desktop.autostart.xdg import XdgAutostart
from breather.desktop.entry import read_entry, split_exec

# --- Linux and other freedesktop desktops: real files -------------------------------------------


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    monkeypatch.delenv("FLATPAK_ID", raising=False)
    return config


def test_xdg_on_off_status_round_trip(xdg: Path, tmp_path: Path) -> None:
    backend = for_this_system(platform="linux")
    assert isinstance(backend, XdgAutostart)
    entry = xdg / "autostart" / f"{APP_ID}.desktop"
    assert backend.status().enabled is False
    program = tmp_path / "my venv" / "bin" / "breather"
    program.parent.mkdir(parents=True)
    program.touch(mode=0o755)
    state = backend.enable([str(program)])
    assert state.enabled and state.where == str(entry) and state.note == ""
    keys = read_entry(entry)
    assert split_exec(keys["Exec"]) == [str(program)]
    assert keys["X-GNOME-Autostart-enabled"] == "true" and "Hidden" not in keys
    assert backend.enable([str(program)]).enabled  # twice is the same as once
    assert backend.disable().enabled is False
    assert not entry.exists()
    assert backend.disable().enabled is False  # and off twice is fine


def test_xdg_status_sees_what_the_desktop_switched_off(xdg: Path) -> None:
    backend = XdgAutostart.from_environment()
    backend.enable(["/bin/sh"])
    text = backend.entry.read_text().replace(
        "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"
    )
    backend.entry.write_text(text)
    state = backend.status()
    assert not state.enabled and "startup settings" in state.note
    backend.entry.write_text(text.replace("[Desktop Entry]\n", "[Desktop Entry]\nHidden=true\n"))
    assert not backend.status().enabled


def test_xdg_status_notices_a_command_that_is_gone(xdg: Path, tmp_path: Path) -> None:
    backend = XdgAutostart.from_environment()
    state = backend.enable([str(tmp_path / "removed-venv" / "bin" / "breather")])
    assert state.enabled and "gone" in state.note


def test_xdg_off_hides_an_entry_installed_for_everyone(xdg: Path, tmp_path: Path) -> None:
    system = tmp_path / "etc-xdg" / "autostart" / f"{APP_ID}.desktop"
    system.parent.mkdir(parents=True)
    system.write_text("[Desktop Entry]\nType=Application\nName=Breather\nExec=/bin/sh\n")
    backend = XdgAutostart.from_environment()
    state = backend.status()
    assert state.enabled and "every user" in state.note
    assert backend.disable().enabled is False
    assert read_entry(backend.entry)["Hidden"] == "true"  # a user entry that hides it
    assert system.exists()  # the administrator's file is left alone


def test_breather_autostart_command(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["autostart", "status"]) == 0
    assert capsys.readouterr().out.startswith("Start at login: off")
    assert main(["autostart", "on"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Start at login: on: ")
    assert (xdg / "autostart" / f"{APP_ID}.desktop").exists()
    assert main(["autostart"]) == 0
    assert "on: " in capsys.readouterr().out
    assert main(["autostart", "off"]) == 0
    assert capsys.readouterr().out.startswith("Start at login: off")
    assert not (xdg / "autostart" / f"{APP_ID}.desktop").exists()


# --- Windows: winreg replaced by a dictionary ----------------------------------------------------


class FakeKey:
    def __init__(self, registry: FakeWinreg, path: str) -> None:
        self.registry, self.path = registry, path

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class FakeWinreg:
    """The part of `winreg` the Run key needs, over {key path: {value name: (data, type)}}."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_READ, KEY_SET_VALUE, REG_SZ, REG_BINARY = 1, 2, 1, 3

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, tuple[Any, int]]] = {}

    def OpenKey(self, root: str, path: str, reserved: int = 0, access: int = 1) -> FakeKey:
        if path not in self.keys:
            raise FileNotFoundError(path)
        return FakeKey(self, path)

    def CreateKeyEx(self, root: str, path: str, reserved: int = 0, access: int = 2) -> FakeKey:
        self.keys.setdefault(path, {})
        return FakeKey(self, path)

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:
        try:
            return self.keys[key.path][name]
        except KeyError:
            raise FileNotFoundError(name) from None

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, data: Any) -> None:
        self.keys[key.path][name] = (data, kind)

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        try:
            del self.keys[key.path][name]
        except KeyError:
            raise FileNotFoundError(name) from None


def test_windows_run_key_on_off_status() -> None:
    registry = FakeWinreg()
    backend = WindowsRunKey(registry)
    assert backend.status().enabled is False  # not even the Run key exists yet
    exe = r"C:\Users\Ada Lovelace\AppData\Local\Programs\Breather\breather.exe"
    state = backend.enable([exe])
    assert state.enabled and state.command == [exe]
    assert registry.keys[RUN_KEY]["Breather"] == (f'"{exe}"', registry.REG_SZ)
    assert backend.disable().enabled is False
    assert "Breather" not in registry.keys[RUN_KEY]
    assert backend.disable().enabled is False


def test_windows_respects_and_lifts_task_managers_off() -> None:
    registry = FakeWinreg()
    backend = WindowsRunKey(registry)
    backend.enable([r"C:\Breather\breather.exe"])
    # Task Manager > Startup > Disable writes 03 00 00 00 ... beside the Run key.
    registry.keys[APPROVED_KEY] = {"Breather": (b"\x03" + bytes(11), registry.REG_BINARY)}
    state = backend.status()
    assert not state.enabled and "Task Manager" in state.note
    assert backend.enable([r"C:\Breather\breather.exe"]).enabled  # asked here: on again
    assert "Breather" not in registry.keys[APPROVED_KEY]
    registry.keys[APPROVED_KEY]["Breather"] = (b"\x02" + bytes(11), registry.REG_BINARY)
    assert backend.status().enabled  # 02: enabled


def test_windows_registry_errors_are_explained() -> None:
    class Locked(FakeWinreg):
        def CreateKeyEx(self, *args: Any) -> FakeKey:
            raise PermissionError("access denied")

    with pytest.raises(AutostartError, match="cannot write"):
        WindowsRunKey(Locked()).enable([r"C:\b.exe"])


@pytest.mark.parametrize(
    "argv",
    [
        [r"C:\Program Files\Breather\breather.exe"],
        [r"C:\Python\pythonw.exe", "-m", "breather"],
        [r"C:\a b\pythonw.exe", "-m", "breather", "--data-dir", r"C:\My Data\x\\"],
    ],
)
def test_windows_command_lines_split_back(argv: list[str]) -> None:
    line = windows_command(argv)
    assert line.startswith('"')
    assert split_windows_command(line) == argv


# --- macOS: the LaunchAgent file for real, launchctl recorded -----------------------------------


class Launchctl:
    def __init__(self, disabled: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.disabled = disabled

    def __call__(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(argv))
        out = ""
        if argv[1] == "print-disabled":
            state = "disabled" if self.disabled else "enabled"
            listed = f'\t"com.apple.x" => enabled\n\t"{APP_ID}" => {state}\n'
            out = f"disabled services = {{\n{listed}}}\n"
        return subprocess.CompletedProcess(list(argv), 0, out, "")


def test_mac_launch_agent_on_off_status(tmp_path: Path) -> None:
    launchctl = Launchctl()
    backend = MacLaunchAgent(tmp_path / "LaunchAgents", uid=501, run=launchctl)
    assert backend.status().enabled is False
    app = "/Applications/Breather.app/Contents/MacOS/breather"
    state = backend.enable([app])
    plist = tmp_path / "LaunchAgents" / f"{APP_ID}.plist"
    agent = plistlib.loads(plist.read_bytes())
    assert agent["Label"] == APP_ID and agent["ProgramArguments"] == [app]
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] is False
    assert state.enabled and state.command == [app]
    # Only `enable` (clears a Login Items "off") and reads: never load, which would start it now.
    assert ["launchctl", "enable", f"gui/501/{APP_ID}"] in launchctl.calls
    assert not [c for c in launchctl.calls if c[1] in ("load", "bootstrap", "kickstart")]
    assert backend.disable().enabled is False
    assert not plist.exists()
    assert not [c for c in launchctl.calls if c[1] in ("bootout", "unload")]  # this very app


def test_mac_status_sees_login_items_off(tmp_path: Path) -> None:
    backend = MacLaunchAgent(tmp_path, uid=501, run=Launchctl(disabled=True))
    backend.plist.write_bytes(
        plistlib.dumps({"Label": APP_ID, "ProgramArguments": ["/x"], "RunAtLoad": True})
    )
    state = backend.status()
    assert not state.enabled and "Login Items" in state.note


def test_mac_without_launchctl_still_writes_the_agent(tmp_path: Path) -> None:
    def missing(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError("launchctl")

    backend = MacLaunchAgent(tmp_path, uid=501, run=missing)
    assert backend.enable(["/bin/sh"]).enabled


# --- Flatpak: the Background portal, replaced at its call -----------------------------------


def test_flatpak_asks_the_background_portal(tmp_path: Path) -> None:
    asked: list[tuple[bool, list[str]]] = []

    def portal(autostart: bool, commandline: Sequence[str], reason: str) -> bool:
        asked.append((autostart, list(commandline)))
        return autostart

    backend = for_this_system(
        platform="linux", env={"FLATPAK_ID": APP_ID, "XDG_CONFIG_HOME": str(tmp_path)}
    )
    assert isinstance(backend, PortalAutostart)
    backend.request = portal
    assert backend.status().enabled is False
    assert backend.enable(["/app/bin/breather"]).enabled
    assert backend.status().command == ["/app/bin/breather"]
    assert backend.disable().enabled is False
    assert asked == [(True, ["/app/bin/breather"]), (False, ["breather"])]


def test_flatpak_refusal_changes_nothing(tmp_path: Path) -> None:
    backend = PortalAutostart(tmp_path / "granted", request=lambda *args: False)
    with pytest.raises(AutostartError, match="did not allow"):
        backend.enable(["breather"])
    assert backend.status().enabled is False

    def no_bus(*args: object) -> bool:
        raise KeyError("DBUS_SESSION_BUS_ADDRESS")

    with pytest.raises(AutostartError, match="did not answer"):
        PortalAutostart(tmp_path / "granted", request=no_bus).enable(["breather"])
