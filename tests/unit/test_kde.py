"""KWin: Breather owns its bus name, loads its script into KWin, runs it where KWin 5 or 6
exports it, and follows the script's reports; it unloads the script when it stops.
No KWin: a fake bus answers with real jeepney messages and records what was asked."""

from __future__ import annotations

import os
import re
from collections import deque
from pathlib import Path
from typing import Any

import psutil
import pytest
from jeepney import (
    DBusAddress,
    MatchRule,
    new_error,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.low_level import HeaderFields, Message

from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.kde import (
    BUS_NAME,
    INTERFACE,
    METHOD,
    OBJECT_PATH,
    SCRIPT_PLUGIN,
    KWinWindows,
    focus_script,
    kwin_major_version,
    script_object_path,
)

KWIN_UNIQUE = ":1.7"
SUPPORT_5 = "KWin Support Information:\n==========\n\nVersion\n=======\nKWin version: 5.27.5\n"
SUPPORT_6 = "KWin version: 6.1.4\nQt Version: 6.7.2\n"


def report(caption: str, klass: str, pid: int = 0, *, sender: str = KWIN_UNIQUE) -> Message:
    """A call of the script, as KWin sends it (every value a string)."""
    address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
    body = (caption, klass, klass if caption else "", "", str(pid), "false")
    message = new_method_call(address, METHOD, "ssssss", body)
    message.header.fields[HeaderFields.sender] = sender
    return message


class Handle:
    def __init__(self, filters: list[Handle], rule: MatchRule, queue: deque[Message]) -> None:
        self.rule, self.queue, self._filters = rule, queue, filters
        filters.append(self)

    def close(self) -> None:
        self._filters.remove(self)


class FakeBus:
    """A jeepney blocking connection to a session bus with KWin on it."""

    def __init__(self, *, support: str = SUPPORT_5, first: Message | None = None) -> None:
        self.support = support
        self.calls: list[tuple[str, str, tuple[Any, ...]]] = []
        self.sent: list[Message] = []
        self.filters: list[Handle] = []
        self.incoming: deque[Message] = deque()
        self.first = first if first is not None else report("Grüße 🧘 — Notes", "notes")
        self.unknown_paths: set[str] = set()
        self.name_taken = False
        self.closed = False
        self.script_text = ""

    def filter(self, rule: MatchRule, *, queue: deque[Message]) -> Handle:
        return Handle(self.filters, rule, queue)

    def _deliver(self, message: Message) -> None:
        for handle in self.filters:
            if handle.rule.matches(message):
                handle.queue.append(message)

    def send_and_get_reply(self, message: Message, *, timeout: float | None = None) -> Message:
        fields = message.header.fields
        path, member = fields[HeaderFields.path], fields[HeaderFields.member]
        self.calls.append((path, member, tuple(message.body)))
        if member == "NameHasOwner":
            return new_method_return(message, "b", (True,))
        if member == "RequestName":
            return new_method_return(message, "u", (3 if self.name_taken else 1,))
        if member in ("AddMatch", "ReleaseName", "unloadScript"):
            return new_method_return(message, "b", (True,))
        if member == "GetNameOwner":
            return new_method_return(message, "s", (KWIN_UNIQUE,))
        if member == "loadScript":
            self.script_text = Path(message.body[0]).read_text(encoding="utf-8")
            return new_method_return(message, "i", (3,))
        if member == "supportInformation":
            return new_method_return(message, "s", (self.support,))
        if member == "run":
            if path in self.unknown_paths:
                return new_error(message, "org.freedesktop.DBus.Error.UnknownObject")
            # The script's first report comes while KWin answers run().
            self._deliver(self.first)
            return new_method_return(message)
        raise AssertionError(f"unexpected call {member}")

    def recv_messages(self, *, timeout: float | None = None) -> None:
        if not self.incoming:
            raise TimeoutError
        self._deliver(self.incoming.popleft())

    def send(self, message: Message) -> None:
        self.sent.append(message)

    def close(self) -> None:
        self.closed = True

    def members(self) -> list[str]:
        return [member for _, member, _ in self.calls]


@pytest.fixture
def runtime(tmp_path: Path) -> dict[str, str]:
    return {"XDG_RUNTIME_DIR": str(tmp_path)}


def opened(bus: FakeBus, environ: dict[str, str]) -> KWinWindows:
    return KWinWindows(bus, environ=environ, first_report_timeout=0.1)


def test_version_comes_from_the_session_else_from_kwin() -> None:
    assert kwin_major_version(SUPPORT_5) == 5
    assert kwin_major_version(SUPPORT_6) == 6
    assert kwin_major_version(SUPPORT_5, "6") == 6
    assert kwin_major_version("no version here") == 6


def test_scripts_are_exported_where_each_kwin_puts_them() -> None:
    assert script_object_path(3, 5) == "/3"
    assert script_object_path(3, 6) == "/Scripting/Script3"


def test_the_script_calls_breather_back_and_knows_both_kwin_apis() -> None:
    script = focus_script()
    assert not re.search(r'"@[A-Z]+@"', script)  # every placeholder filled in
    for name in (BUS_NAME, OBJECT_PATH, INTERFACE, METHOD):
        assert f'"{name}"' in script
    for api in ("windowActivated", "activeWindow", "clientActivated", "activeClient"):
        assert f"workspace.{api}" in script


def test_kwin_5_loads_and_runs_the_script_and_reports_the_window_in_front(
    runtime: dict[str, str],
) -> None:
    bus = FakeBus(first=report("Grüße 🧘 — Notes", "notes", os.getpid()))
    windows = opened(bus, runtime)
    assert bus.members() == [
        "NameHasOwner",
        "RequestName",
        "AddMatch",
        "GetNameOwner",
        "unloadScript",  # one left behind by a Breather that was killed
        "loadScript",
        "supportInformation",
        "run",
    ]
    assert ("/3", "run", ()) in bus.calls
    assert bus.calls[1][2] == (BUS_NAME, 4)  # not queued behind another Breather
    script_file, plugin = bus.calls[5][2]
    assert plugin == SCRIPT_PLUGIN
    assert Path(script_file).parent == Path(runtime["XDG_RUNTIME_DIR"])
    assert BUS_NAME in bus.script_text
    assert windows.major_version == 5
    me = psutil.Process()
    assert windows.active_window() == WindowInfo(
        app="notes", title="Grüße 🧘 — Notes", process=me.name(), exe=me.exe()
    )
    windows.close()


def test_inside_flatpak_the_script_goes_where_the_host_sees_it(runtime: dict[str, str]) -> None:
    shared = Path(runtime["XDG_RUNTIME_DIR"]) / "app" / "io.github.breather.Breather"
    shared.mkdir(parents=True)
    bus = FakeBus()
    windows = opened(bus, {**runtime, "FLATPAK_ID": "io.github.breather.Breather"})
    script_file = Path(bus.calls[5][2][0])
    assert script_file.parent == shared
    assert script_file.stat().st_mode & 0o077 == 0  # the same user only
    windows.close()
    assert not script_file.exists()


def test_kwin_6_runs_the_script_at_its_own_path(runtime: dict[str, str]) -> None:
    bus = FakeBus(support=SUPPORT_6)
    windows = opened(bus, runtime)
    assert ("/Scripting/Script3", "run", ()) in bus.calls
    assert windows.script_path == "/Scripting/Script3"
    windows.close()


def test_the_session_version_saves_asking_kwin(runtime: dict[str, str]) -> None:
    bus = FakeBus()
    windows = opened(bus, {**runtime, "KDE_SESSION_VERSION": "6"})
    assert "supportInformation" not in bus.members()
    assert windows.script_path == "/Scripting/Script3"
    windows.close()


def test_a_wrong_version_guess_tries_the_other_path(runtime: dict[str, str]) -> None:
    bus = FakeBus(support=SUPPORT_6)
    bus.unknown_paths.add("/Scripting/Script3")
    windows = opened(bus, runtime)
    assert windows.script_path == "/3"
    windows.close()


def test_reports_follow_focus_and_titles_and_wake_the_waiting_sampler(
    runtime: dict[str, str],
) -> None:
    bus = FakeBus()
    windows = opened(bus, runtime)
    windows.active_window()
    assert not windows.wait_for_change(0.0)
    bus.incoming.extend([report("", ""), report("Emoji ☕ café 🎉 — Chat", "chat")])
    assert windows.wait_for_change(0.0)
    info = windows.active_window()
    assert info is not None and (info.app, info.title) == ("chat", "Emoji ☕ café 🎉 — Chat")
    bus.incoming.append(report("שלום עולם — Chat", "chat"))
    assert windows.wait_for_change(0.0)
    assert windows.active_window() == WindowInfo(app="chat", title="שלום עולם — Chat")
    assert len(bus.sent) == 4  # every call of the script is answered
    windows.close()


def test_no_active_window_reads_as_none(runtime: dict[str, str]) -> None:
    bus = FakeBus()
    windows = opened(bus, runtime)
    bus.incoming.append(report("", ""))
    assert windows.active_window() is None
    windows.close()


def test_only_kwin_is_believed(runtime: dict[str, str]) -> None:
    bus = FakeBus()
    windows = opened(bus, runtime)
    bus.incoming.append(report("fake", "intruder", sender=":1.99"))
    info = windows.active_window()
    assert info is not None and info.app == "notes"
    windows.close()


def test_kwin_leaving_the_bus_is_source_lost(runtime: dict[str, str]) -> None:
    bus = FakeBus()
    windows = opened(bus, runtime)
    gone = new_signal(
        DBusAddress("/org/freedesktop/DBus", interface="org.freedesktop.DBus"),
        "NameOwnerChanged",
        "sss",
        ("org.kde.KWin", KWIN_UNIQUE, ""),
    )
    gone.header.fields[HeaderFields.sender] = "org.freedesktop.DBus"
    bus.incoming.append(gone)
    with pytest.raises(SourceLost, match="KWin"):
        windows.wait_for_change(0.0)
    windows.close()


def test_close_unloads_the_script_gives_up_the_name_and_removes_the_file(
    runtime: dict[str, str],
) -> None:
    bus = FakeBus()
    windows = opened(bus, runtime)
    script_file = Path(bus.calls[5][2][0])
    assert script_file.exists()
    windows.close()
    windows.close()
    assert bus.members()[-2:] == ["unloadScript", "ReleaseName"]
    assert bus.calls[-2][2] == (SCRIPT_PLUGIN,)
    assert not script_file.exists()
    assert bus.closed and not bus.filters


def test_a_taken_name_means_another_breather_follows_kwin(runtime: dict[str, str]) -> None:
    bus = FakeBus()
    bus.name_taken = True
    with pytest.raises(BackendUnavailable, match="another Breather"):
        opened(bus, runtime)
    assert bus.closed


def test_a_script_that_never_reports_is_unavailable(runtime: dict[str, str]) -> None:
    bus = FakeBus()
    bus._deliver = lambda message: None  # type: ignore[method-assign]
    with pytest.raises(BackendUnavailable, match="did not report"):
        opened(bus, runtime)
    assert bus.members()[-2:] == ["unloadScript", "ReleaseName"]
