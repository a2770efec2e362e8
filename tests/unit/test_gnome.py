"""GNOME on Wayland without GNOME: the extension's focused window, Mutter's idle watches, and
installing the extension, against a fake session bus and a temporary data home."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from breather.monitor import gnome
from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.processes import process_info
from breather.resources import resource
from tests.unit.fake_session_bus import Call, FakeSessionBus, Refuse

EXTENSION = (gnome.EXTENSION_PATH, gnome.EXTENSION_INTERFACE)
IDLE = (gnome.IDLE_PATH, gnome.IDLE_INTERFACE)


def focused(**fields: object) -> str:
    window = {
        "app_id": "org.gnome.TextEditor",
        "wm_class": "org.gnome.TextEditor",
        "title": "notes.txt",
        "pid": os.getpid(),
        "fullscreen": False,
        "client": "wayland",
    }
    return json.dumps({**window, **fields})


@pytest.fixture
def bus() -> Iterator[FakeSessionBus]:
    fake = FakeSessionBus()
    yield fake
    fake.close()


class Shell:
    """GNOME Shell with Breather's extension enabled, as far as the bus can tell."""

    def __init__(self, bus: FakeSessionBus, window: str) -> None:
        self.bus = bus
        self.window = window
        bus.handle(gnome.EXTENSION_INTERFACE, gnome.FOCUS_METHOD, lambda _: ("s", (self.window,)))
        bus.handle("org.freedesktop.DBus.Properties", "Get", lambda _: ("v", (("s", "47.2"),)))

    def focus(self, window: str) -> None:
        self.window = window
        self.bus.emit(*EXTENSION, gnome.FOCUS_SIGNAL, "s", (window,))


# -- the focused window --------------------------------------------------------------------


def test_the_focused_window_names_its_app_title_and_process(bus: FakeSessionBus) -> None:
    Shell(bus, focused(title="Grüße 🧘 — notes.txt"))
    windows = gnome.open_gnome_windows(bus.connect)
    me = WindowInfo("org.gnome.TextEditor", "Grüße 🧘 — notes.txt", *process_info(os.getpid()))
    assert windows.active_window() == me
    assert me.process  # this test's own process: psutil found it from the pid
    assert "GNOME Shell 47.2" in windows.describe()
    # Subscribed before asking, so no change between the answer and the first signal is lost.
    assert bus.members() == ["FocusedWindow", "Get"]
    assert any(gnome.FOCUS_SIGNAL in rule for rule in bus.matches)
    windows.close()


def test_a_focus_signal_wakes_the_waiter_and_is_the_new_window(bus: FakeSessionBus) -> None:
    shell = Shell(bus, focused())
    windows = gnome.open_gnome_windows(bus.connect)
    assert windows.active_window() is not None
    calls = len(bus.calls)
    assert windows.wait_for_change(0.05) is False
    shell.focus(focused(app_id="", wm_class="foot", title="~ — foot"))
    started = time.monotonic()
    assert windows.wait_for_change(5.0) is True
    assert time.monotonic() - started < 1.0
    window = windows.active_window()
    assert window is not None
    assert (window.app, window.title) == ("foot", "~ — foot")  # no .desktop: the Wayland app_id
    assert len(bus.calls) == calls  # the signal carried the window: no round trip
    windows.close()


def test_a_change_between_reads_counts_and_back_and_forth_does_not(bus: FakeSessionBus) -> None:
    shell = Shell(bus, focused())
    windows = gnome.open_gnome_windows(bus.connect)
    windows.active_window()
    shell.focus(focused(title="other"))
    shell.focus(focused())  # and back before anyone looked
    assert windows.wait_for_change(0.05) is False
    shell.focus(focused(title="retitled"))
    assert windows.wait_for_change(0.0) is True
    windows.close()


def test_nothing_focused_and_long_titles_and_fullscreen(bus: FakeSessionBus) -> None:
    shell = Shell(bus, "{}")
    windows = gnome.open_gnome_windows(bus.connect)
    assert windows.active_window() is None
    assert windows.fullscreen() is False
    shell.focus(focused(title="x" * 5000, fullscreen=True))
    window = windows.active_window()
    assert window is not None
    assert len(window.title) == gnome.TITLE_MAX_CHARS
    assert windows.fullscreen() is True
    windows.close()


def test_without_the_extension_the_person_is_told_what_to_run(bus: FakeSessionBus) -> None:
    # GNOME Shell is there (its own objects answer) but nothing exports Breather's object.
    with pytest.raises(BackendUnavailable, match="breather install-gnome-extension"):
        gnome.open_gnome_windows(bus.connect)


def test_without_gnome_shell_the_reason_says_so(bus: FakeSessionBus) -> None:
    def absent(_: Call) -> tuple[str | None, tuple[object, ...]]:
        raise Refuse("org.freedesktop.DBus.Error.ServiceUnknown")

    bus.handle(gnome.EXTENSION_INTERFACE, gnome.FOCUS_METHOD, absent)
    with pytest.raises(BackendUnavailable, match="GNOME Shell is not running"):
        gnome.open_gnome_windows(bus.connect)


def test_gnome_shell_quitting_or_the_bus_closing_ends_tracking(bus: FakeSessionBus) -> None:
    Shell(bus, focused())
    windows = gnome.open_gnome_windows(bus.connect)
    bus.name_lost(gnome.SHELL_BUS_NAME)
    with pytest.raises(SourceLost, match="GNOME Shell has quit"):
        windows.active_window()
    windows.close()

    other = FakeSessionBus()
    try:
        Shell(other, focused())
        windows = gnome.open_gnome_windows(other.connect)
        other.hang_up()
        with pytest.raises(SourceLost):
            windows.wait_for_change(1.0)
        windows.close()
    finally:
        other.close()


# -- idle ----------------------------------------------------------------------------------


class Mutter:
    """Mutter's IdleMonitor: numbered watches, and an idle time the test sets."""

    def __init__(self, bus: FakeSessionBus, idle_ms: int = 0) -> None:
        self.bus = bus
        self.idle_ms = idle_ms
        self.watches: dict[int, str] = {}
        self.removed: list[int] = []
        bus.handle(gnome.IDLE_INTERFACE, "GetIdletime", lambda _: ("t", (self.idle_ms,)))
        bus.handle(gnome.IDLE_INTERFACE, "AddIdleWatch", self._add("idle"))
        bus.handle(gnome.IDLE_INTERFACE, "AddUserActiveWatch", self._add("active"))
        bus.handle(gnome.IDLE_INTERFACE, "RemoveWatch", self._remove)

    def _add(self, kind: str):  # type: ignore[no-untyped-def]
        def add(call: Call) -> tuple[str, tuple[int]]:
            watch = len(self.watches) + 1
            self.watches[watch] = f"{kind} {call.body[0]}" if call.body else kind
            return "u", (watch,)

        return add

    def _remove(self, call: Call) -> tuple[None, tuple[()]]:
        self.removed.append(call.body[0])
        return None, ()

    def watch(self, kind: str) -> int:
        return next(n for n, what in self.watches.items() if what == kind)

    def fire(self, watch: int) -> None:
        self.bus.emit(*IDLE, "WatchFired", "u", (watch,))


def test_one_idle_watch_per_threshold_after_a_first_real_read(bus: FakeSessionBus) -> None:
    mutter = Mutter(bus)
    idle = gnome.open_mutter_idle([10, 2, 10, 0.2], bus.connect)
    assert bus.members() == ["GetIdletime", "AddIdleWatch", "AddIdleWatch", "AddIdleWatch"]
    # Below a second is typing rhythm, not a pause: it becomes the one-second minimum.
    assert sorted(mutter.watches.values()) == ["idle 1000", "idle 10000", "idle 2000"]
    assert idle.idle_seconds() == 0.0
    assert "input is not hooked" in idle.describe()
    idle.close()
    assert sorted(mutter.removed) == sorted(mutter.watches)


def test_a_pause_is_measured_when_noticed_and_input_ends_it(bus: FakeSessionBus) -> None:
    mutter = Mutter(bus)
    idle = gnome.open_mutter_idle([2, 10], bus.connect)
    mutter.idle_ms = 2600  # the sampler reads 0.6 s after the 2 s watch fired
    mutter.fire(mutter.watch("idle 2000"))
    assert idle.idle_seconds() == pytest.approx(2.6, abs=0.1)
    assert bus.members()[-2:] == ["AddUserActiveWatch", "GetIdletime"]
    mutter.fire(mutter.watch("idle 10000"))
    mutter.idle_ms = 10_050
    assert idle.idle_seconds() == pytest.approx(10.05, abs=0.1)
    assert bus.members().count("AddUserActiveWatch") == 1  # armed once per pause
    mutter.fire(mutter.watch("active"))
    mutter.idle_ms = 700  # the hand came back 0.7 s before the sampler looked
    assert idle.idle_seconds() == pytest.approx(0.7)
    assert idle.idle_seconds() == 0.0  # typing since, as far as anyone can tell
    idle.close()


def test_one_touch_then_away_again_is_still_a_pause(bus: FakeSessionBus) -> None:
    mutter = Mutter(bus)
    idle = gnome.open_mutter_idle([2], bus.connect)
    mutter.idle_ms = 2000
    mutter.fire(mutter.watch("idle 2000"))
    assert idle.idle_seconds() == pytest.approx(2.0, abs=0.1)
    mutter.fire(mutter.watch("active"))
    mutter.idle_ms = 3500  # a single touch, then nothing for 3.5 s
    assert idle.idle_seconds() == pytest.approx(3.5, abs=0.1)
    assert bus.members().count("AddUserActiveWatch") == 2  # re-armed for the next touch
    idle.close()


def test_input_just_after_a_watch_fired_is_not_missed(bus: FakeSessionBus) -> None:
    mutter = Mutter(bus)
    idle = gnome.open_mutter_idle([2], bus.connect)
    mutter.fire(mutter.watch("idle 2000"))
    mutter.idle_ms = 150  # the person moved before the watch was read, and before re-arming
    assert idle.idle_seconds() == 0.0
    idle.close()


def test_a_pause_under_way_at_start_counts(bus: FakeSessionBus) -> None:
    Mutter(bus, idle_ms=42_000)
    idle = gnome.open_mutter_idle([2, 10], bus.connect)
    assert idle.idle_seconds() == pytest.approx(42.0, abs=0.5)
    idle.close()


def test_no_idle_monitor_or_mutter_quitting(bus: FakeSessionBus) -> None:
    with pytest.raises(BackendUnavailable, match="IdleMonitor"):
        gnome.open_mutter_idle([2], bus.connect)

    other = FakeSessionBus()
    try:
        Mutter(other)
        idle = gnome.open_mutter_idle([2], other.connect)
        other.name_lost(gnome.IDLE_BUS_NAME)
        with pytest.raises(SourceLost):
            idle.idle_seconds()
        idle.close()
    finally:
        other.close()


# -- the extension's two flavours ----------------------------------------------------------


def _extension(flavour: str) -> str:
    return resource("gnome-shell-extension", flavour, "extension.js").read_text(encoding="utf-8")


def _metadata(flavour: str) -> dict[str, object]:
    text = resource("gnome-shell-extension", flavour, "metadata.json").read_text(encoding="utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def _shared_block(source: str) -> str:
    match = re.search(r"// BEGIN shared.*?// END shared", source, re.DOTALL)
    assert match is not None
    return match.group(0)


def test_both_flavours_export_the_same_interface_the_backend_calls() -> None:
    legacy, esm = _extension("legacy"), _extension("esm")
    assert _shared_block(legacy) == _shared_block(esm)
    xml = re.search(r"INTERFACE_XML = `(.*?)`", legacy, re.DOTALL)
    assert xml is not None
    interface = ET.fromstring(xml.group(1)).find("interface")
    assert interface is not None
    assert interface.get("name") == gnome.EXTENSION_INTERFACE
    method = interface.find(f"method[@name='{gnome.FOCUS_METHOD}']/arg")
    signal = interface.find(f"signal[@name='{gnome.FOCUS_SIGNAL}']/arg")
    assert method is not None and (method.get("type"), method.get("direction")) == ("s", "out")
    assert signal is not None and signal.get("type") == "s"
    assert f"'{gnome.EXTENSION_PATH}'" in legacy
    assert "function init()" in legacy and "import " not in legacy
    assert "export default class" in esm and "imports.gi" not in esm


def test_each_flavour_claims_the_releases_it_is_built_for() -> None:
    legacy, esm = _metadata("legacy"), _metadata("esm")
    assert legacy["uuid"] == esm["uuid"] == gnome.EXTENSION_UUID
    legacy_versions = [int(v) for v in legacy["shell-version"]]  # type: ignore[attr-defined]
    esm_versions = [int(v) for v in esm["shell-version"]]  # type: ignore[attr-defined]
    assert max(legacy_versions) < gnome.FIRST_ESM_MAJOR <= min(esm_versions)
    for version in legacy_versions + esm_versions:
        flavour = gnome.extension_flavour(str(version))
        assert flavour == ("esm" if version in esm_versions else "legacy")


@pytest.mark.parametrize(
    ("version", "flavour"),
    [("43.9", "legacy"), ("44", "legacy"), ("3.38.6", "legacy"), ("45.0", "esm"), ("46.rc", "esm"),
     ("50.alpha", "esm")],
)  # fmt: skip
def test_the_flavour_follows_the_gnome_release(version: str, flavour: str) -> None:
    assert gnome.extension_flavour(version) == flavour


def test_a_version_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="not a GNOME Shell version"):
        gnome.extension_flavour("unknown")


# -- installing ----------------------------------------------------------------------------


class Commands:
    """gnome-extensions and gsettings, recorded; `gnome_extensions` False: not installed."""

    def __init__(
        self,
        *,
        gnome_extensions: bool = True,
        enabled: Sequence[str] = (),
        user_extensions: bool = True,
    ) -> None:
        self.gnome_extensions = gnome_extensions
        self.enabled = list(enabled)
        self.user_extensions = user_extensions
        self.ran: list[list[str]] = []

    def __call__(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        argv = list(argv)
        self.ran.append(argv)
        out = ""
        if argv[0] == "gnome-extensions":
            if not self.gnome_extensions:
                raise FileNotFoundError(argv[0])
        elif argv[3] == "disable-user-extensions":
            out = "false" if self.user_extensions else "true"
        elif argv[1] == "get":
            out = (
                "[" + ", ".join(f"'{uuid}'" for uuid in self.enabled) + "]"
                if self.enabled
                else "@as []"
            )
        elif argv[1] == "set":
            self.enabled = json.loads(argv[4])
        return subprocess.CompletedProcess(argv, 0, out, "")


def test_install_writes_the_flavour_for_the_release_and_enables_it(tmp_path: Path) -> None:
    commands = Commands()
    said = gnome.install_extension(
        shell_version="46.2", environ={"XDG_DATA_HOME": str(tmp_path)}, run=commands
    )
    target = tmp_path / "gnome-shell" / "extensions" / gnome.EXTENSION_UUID
    assert sorted(p.name for p in target.iterdir()) == ["extension.js", "metadata.json"]
    assert (target / "extension.js").read_text(encoding="utf-8") == _extension("esm")
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    for item in target.iterdir():
        assert stat.S_IMODE(item.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "gnome-shell").stat().st_mode) == 0o700
    assert commands.ran[0] == ["gnome-extensions", "enable", gnome.EXTENSION_UUID]
    assert "log out and in once" in said
    assert "switched off" not in said
    assert str(target) in said


def test_without_gnome_extensions_the_setting_is_written(tmp_path: Path) -> None:
    commands = Commands(gnome_extensions=False, enabled=["other@example.org"])
    said = gnome.install_extension(
        shell_version="43.9", environ={"XDG_DATA_HOME": str(tmp_path)}, run=commands
    )
    target = tmp_path / "gnome-shell" / "extensions" / gnome.EXTENSION_UUID
    assert (target / "extension.js").read_text(encoding="utf-8") == _extension("legacy")
    assert commands.enabled == ["other@example.org", gnome.EXTENSION_UUID]
    assert "It is enabled" in said
    gnome.install_extension(
        shell_version="43.9", environ={"XDG_DATA_HOME": str(tmp_path)}, run=commands
    )
    assert commands.enabled == ["other@example.org", gnome.EXTENSION_UUID]  # not twice


def test_user_extensions_switched_off_are_pointed_out(tmp_path: Path) -> None:
    said = gnome.install_extension(
        shell_version="45",
        environ={"XDG_DATA_HOME": str(tmp_path)},
        run=Commands(user_extensions=False),
    )
    assert "User extensions are switched off" in said


def test_inside_flatpak_it_says_where_to_install_and_writes_nothing(tmp_path: Path) -> None:
    commands = Commands()
    environ = {"XDG_DATA_HOME": str(tmp_path), "FLATPAK_ID": "io.github.breather.Breather"}
    for remove in (False, True):
        with pytest.raises(gnome.ExtensionInstallError, match="outside Flatpak"):
            gnome.install_extension(remove, shell_version="46.2", environ=environ, run=commands)
    assert list(tmp_path.iterdir()) == []
    assert commands.ran == []


def test_remove_disables_and_deletes(tmp_path: Path) -> None:
    environ = {"XDG_DATA_HOME": str(tmp_path)}
    commands = Commands(gnome_extensions=False)
    gnome.install_extension(shell_version="44.1", environ=environ, run=commands)
    said = gnome.install_extension(remove=True, environ=environ, run=commands)
    assert not (tmp_path / "gnome-shell" / "extensions" / gnome.EXTENSION_UUID).exists()
    assert commands.enabled == []
    assert "Removed" in said


def test_install_never_writes_through_a_link(tmp_path: Path) -> None:
    environ = {"XDG_DATA_HOME": str(tmp_path / "data")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    extensions = tmp_path / "data" / "gnome-shell" / "extensions"
    extensions.mkdir(parents=True)
    (extensions / gnome.EXTENSION_UUID).symlink_to(elsewhere)
    with pytest.raises(gnome.ExtensionInstallError, match="in the way"):
        gnome.install_extension(shell_version="43", environ=environ, run=Commands())
    assert list(elsewhere.iterdir()) == []

    (extensions / gnome.EXTENSION_UUID).unlink()
    (extensions / gnome.EXTENSION_UUID).mkdir()
    secret = elsewhere / "secret"
    secret.write_text("keep", encoding="utf-8")
    (extensions / gnome.EXTENSION_UUID / "extension.js").symlink_to(secret)
    gnome.install_extension(shell_version="43", environ=environ, run=Commands())
    assert secret.read_text(encoding="utf-8") == "keep"
    assert not (extensions / gnome.EXTENSION_UUID / "extension.js").is_symlink()


def test_without_gnome_installing_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def nothing(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError(argv[0])

    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with pytest.raises(gnome.ExtensionInstallError, match="GNOME Shell was not found") as error:
        gnome.install_extension(environ={"XDG_DATA_HOME": str(tmp_path)}, run=nothing)
    assert "\n" not in str(error.value)


def test_the_command_prints_one_line_when_it_cannot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from breather.cli.main import main

    def refuse(remove: bool = False) -> str:
        raise gnome.ExtensionInstallError("GNOME Shell was not found")

    monkeypatch.setattr(gnome, "install_extension", refuse)
    assert main(["--data-dir", str(tmp_path), "install-gnome-extension"]) == 1
    assert capsys.readouterr().err == "breather: GNOME Shell was not found\n"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node, to parse JavaScript")
@pytest.mark.parametrize(("flavour", "suffix"), [("legacy", ".js"), ("esm", ".mjs")])
def test_each_flavour_is_valid_javascript(flavour: str, suffix: str, tmp_path: Path) -> None:
    # GNOME 45+ is not on this test machine: parsing is the check the ES module flavour gets.
    copy = tmp_path / f"extension{suffix}"
    copy.write_text(_extension(flavour), encoding="utf-8")
    result = subprocess.run(
        ["node", "--check", str(copy)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# -- choosing the backend ------------------------------------------------------------------


def test_gnome_on_wayland_is_tracked_through_gnome_and_told_the_thresholds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from breather.monitor import select

    class Shell:
        name = "gnome"

        def active_window(self) -> None:
            return None  # read for real once before it counts

        def close(self) -> None:
            pass

    shell = Shell()
    monkeypatch.setattr(gnome, "open_gnome_windows", lambda: shell)
    monkeypatch.setattr(gnome, "open_mutter_idle", tuple)
    monkeypatch.setattr(gnome, "shell_on_bus", lambda: True)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    assert select.open_desktop(idle_thresholds=[10, 2]) == (shell, (10, 2))
    monkeypatch.delenv("XDG_CURRENT_DESKTOP")  # not named: GNOME Shell on the bus tells
    assert select.open_desktop(idle_thresholds=[180]) == (shell, (180,))


def test_an_x11_session_with_gnome_named_stays_on_x11(monkeypatch: pytest.MonkeyPatch) -> None:
    from breather.monitor import select

    def not_here(*_: object) -> object:
        raise AssertionError("GNOME's backend must not be opened without a Wayland display")

    monkeypatch.setattr(gnome, "open_gnome_windows", not_here)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")  # leaked from a Wayland session
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    monkeypatch.setenv("DISPLAY", "")
    with pytest.raises(BackendUnavailable, match="neither WAYLAND_DISPLAY nor DISPLAY"):
        select.open_desktop(idle_thresholds=[180])
