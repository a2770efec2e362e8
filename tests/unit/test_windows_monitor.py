"""The Windows backend against fake user32/kernel32/shell32: what Breather records for each
case Windows presents (nothing here runs on real Windows)."""

from __future__ import annotations

import ctypes
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from breather.clock import FakeClock
from breather.monitor.base import BackendUnavailable, Sample, WindowInfo
from breather.monitor.windows import (
    EVENT_OBJECT_NAMECHANGE,
    EVENT_SYSTEM_FOREGROUND,
    OBJID_WINDOW,
    PROCESS_QUERY_LIMITED_INFORMATION,
    QUNS_ACCEPTS_NOTIFICATIONS,
    QUNS_PRESENTATION_MODE,
    QUNS_RUNNING_D3D_FULL_SCREEN,
    TICK_WRAP,
    UNKNOWN_APP,
    WM_QUIT,
    ForegroundHook,
    Win32,
    WindowsDesktop,
    idle_milliseconds,
    open_windows,
)
from breather.runtime.recorder import Recorder
from breather.store import open_store, sqlite_url
from breather.tracking.spans import Span, Tracker

from .test_privacy import T0


def _target(argument: Any) -> Any:
    """What a byref() argument points at, as the real DLL would write through it."""
    return getattr(argument, "_obj", argument)


class FakeUser32:
    """user32 as a desktop of windows: hwnd -> (pid, title, children)."""

    def __init__(self) -> None:
        self.foreground = 0
        self.windows: dict[int, tuple[int, str, list[int]]] = {}
        self.last_input = 0
        self.hooks: list[tuple[int, Any]] = []
        self.refuse_hooks = False
        self.messages: queue.Queue[int] = queue.Queue()
        self.unhooked: list[int] = []

    def GetForegroundWindow(self) -> int:
        return self.foreground

    def GetWindowThreadProcessId(self, hwnd: int, pid: Any) -> int:
        _target(pid).value = self.windows.get(hwnd, (0, "", []))[0]
        return 1

    def GetWindowTextLengthW(self, hwnd: int) -> int:
        return len(self.windows.get(hwnd, (0, "", []))[1])

    def GetWindowTextW(self, hwnd: int, buffer: Any, size: int) -> int:
        text = self.windows[hwnd][1][: size - 1]
        buffer.value = text
        return len(text)

    def EnumChildWindows(self, hwnd: int, callback: Any, param: int) -> int:
        for child in self.windows.get(hwnd, (0, "", []))[2]:
            if not callback(child, param):
                break
        return 1

    def GetLastInputInfo(self, info: Any) -> int:
        structure = _target(info)
        assert structure.cbSize == 8
        structure.dwTime = self.last_input
        return 1

    def SetWinEventHook(self, low: int, high: int, module: Any, proc: Any, *rest: int) -> int:
        if self.refuse_hooks:
            return 0
        self.hooks.append((low, proc))
        return len(self.hooks)

    def UnhookWinEvent(self, hook: int) -> int:
        self.unhooked.append(hook)
        return 1

    def GetMessageW(self, message: Any, hwnd: Any, low: int, high: int) -> int:
        kind = self.messages.get()
        return 0 if kind == WM_QUIT else 1

    def TranslateMessage(self, message: Any) -> int:
        return 0

    def DispatchMessageW(self, message: Any) -> int:
        return 0

    def PostThreadMessageW(self, thread: int, kind: int, wparam: int, lparam: int) -> int:
        self.messages.put(kind)
        return 1

    def fire(self, event: int, hwnd: int, object_id: int = OBJID_WINDOW) -> None:
        """Windows calling the hooks (on the hooking thread in truth; fine for the test)."""
        for low, proc in self.hooks:
            if low == event:
                proc(1, event, hwnd, object_id, 0, 0, 0)


class FakeKernel32:
    """kernel32 with processes: pid -> image path; `elevated` pids refuse OpenProcess."""

    def __init__(self) -> None:
        self.images: dict[int, str] = {}
        self.elevated: set[int] = set()
        self.tick = 0
        self.opened: list[tuple[int, int]] = []
        self.closed: list[int] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        self.opened.append((access, pid))
        if pid in self.elevated or pid not in self.images:
            return 0  # ERROR_ACCESS_DENIED
        return 1000 + pid

    def QueryFullProcessImageNameW(self, handle: int, flags: int, buffer: Any, size: Any) -> int:
        path = self.images[handle - 1000]
        buffer.value = path
        _target(size).value = len(path)
        return 1

    def CloseHandle(self, handle: int) -> int:
        self.closed.append(handle)
        return 1

    def GetTickCount(self) -> int:
        return self.tick

    def GetCurrentThreadId(self) -> int:
        return 4242


class FakeShell32:
    def __init__(self) -> None:
        self.state = QUNS_ACCEPTS_NOTIFICATIONS

    def SHQueryUserNotificationState(self, state: Any) -> int:
        _target(state).value = self.state
        return 0


class FakeWindows:
    def __init__(self) -> None:
        self.user32 = FakeUser32()
        self.kernel32 = FakeKernel32()
        self.shell32 = FakeShell32()
        self.psutil_names: dict[int, tuple[str, str]] = {}
        self.win32 = Win32(self.user32, self.kernel32, self.shell32)

    def window(self, hwnd: int, pid: int, title: str, children: list[int] | None = None) -> None:
        self.user32.windows[hwnd] = (pid, title, children or [])

    def desktop(self, hook: ForegroundHook | None = None) -> WindowsDesktop:
        return WindowsDesktop(
            self.win32, process_of=lambda pid: self.psutil_names.get(pid, ("", "")), hook=hook
        )


@pytest.fixture
def fake() -> FakeWindows:
    windows = FakeWindows()
    windows.kernel32.images[10] = "C:\\Program Files\\Mozilla Firefox\\firefox.exe"
    windows.window(100, 10, "Breather — Mozilla Firefox")
    windows.user32.foreground = 100
    return windows


def test_the_window_in_front_is_its_process_and_title(fake: FakeWindows) -> None:
    window = fake.desktop().active_window()

    assert window == WindowInfo(
        app="firefox.exe",
        title="Breather — Mozilla Firefox",
        process="firefox.exe",
        exe="C:\\Program Files\\Mozilla Firefox\\firefox.exe",
    )
    assert window is not None and window.pid == 10
    # Only the limited right is asked for, and the handle is given back.
    assert fake.kernel32.opened == [(PROCESS_QUERY_LIMITED_INFORMATION, 10)]
    assert fake.kernel32.closed == [1010]


def test_no_foreground_window_is_no_window(fake: FakeWindows) -> None:
    """UAC, the lock screen and other secure desktops leave GetForegroundWindow at 0."""
    fake.user32.foreground = 0

    assert fake.desktop().active_window() is None
    assert fake.kernel32.opened == []


def test_a_store_app_is_named_by_its_child_window_not_the_frame_host(fake: FakeWindows) -> None:
    fake.kernel32.images[20] = "C:\\Windows\\System32\\ApplicationFrameHost.exe"
    fake.kernel32.images[30] = "C:\\Program Files\\WindowsApps\\Calculator\\CalculatorApp.exe"
    fake.window(200, 20, "Calculator", children=[201, 202])
    fake.window(201, 20, "")  # the frame's own chrome: the host again
    fake.window(202, 30, "")
    fake.user32.foreground = 200

    window = fake.desktop().active_window()

    assert window is not None
    assert (window.app, window.title, window.pid) == ("CalculatorApp.exe", "Calculator", 30)


def test_a_suspended_store_app_leaves_the_frame_host(fake: FakeWindows) -> None:
    fake.kernel32.images[20] = "C:\\Windows\\System32\\ApplicationFrameHost.exe"
    fake.window(200, 20, "Settings", children=[])
    fake.user32.foreground = 200

    window = fake.desktop().active_window()

    assert window is not None and window.app == "ApplicationFrameHost.exe"


def test_an_elevated_process_refused_to_us_is_named_by_psutil(fake: FakeWindows) -> None:
    fake.kernel32.images[40] = "C:\\Windows\\regedit.exe"
    fake.kernel32.elevated.add(40)
    fake.psutil_names[40] = ("regedit.exe", "")
    fake.window(400, 40, "Registry Editor")
    fake.user32.foreground = 400

    window = fake.desktop().active_window()

    assert window is not None
    assert (window.app, window.process, window.exe, window.title) == (
        "regedit.exe",
        "regedit.exe",
        "",
        "Registry Editor",
    )


def test_a_process_nobody_can_name_is_unknown_with_its_title(fake: FakeWindows) -> None:
    fake.window(500, 50, "Secret tool")
    fake.user32.foreground = 500

    window = fake.desktop().active_window()

    assert window is not None and (window.app, window.title) == (UNKNOWN_APP, "Secret tool")


def test_long_titles_are_cut(fake: FakeWindows) -> None:
    fake.window(100, 10, "x" * 5000)

    window = fake.desktop().active_window()

    assert window is not None and len(window.title) == 1024


@pytest.mark.parametrize(
    ("now", "last", "seconds"),
    [
        (10_000, 4_000, 6.0),
        (5_000, TICK_WRAP - 1_000, 6.0),  # GetTickCount wrapped past 0 after 49.7 days
        (1_000, 1_050, 0.0),  # an input stamped a little ahead (SendInput) is "now"
        ((3 * TICK_WRAP + 7_000) % TICK_WRAP, (3 * TICK_WRAP + 1_000) % TICK_WRAP, 6.0),
    ],
)
def test_idle_time_is_right_across_the_tick_wrap(
    fake: FakeWindows, now: int, last: int, seconds: float
) -> None:
    fake.kernel32.tick = now
    fake.user32.last_input = last

    assert fake.desktop().idle_seconds() == seconds
    assert idle_milliseconds(now, last) == seconds * 1000


def test_fullscreen_apps_games_and_presentations_hold_breaks(fake: FakeWindows) -> None:
    desktop = fake.desktop()
    assert not desktop.fullscreen()
    for state in (QUNS_RUNNING_D3D_FULL_SCREEN, QUNS_PRESENTATION_MODE):
        fake.shell32.state = state
        assert desktop.fullscreen()


@pytest.fixture
def hooked(fake: FakeWindows) -> Iterator[tuple[FakeWindows, WindowsDesktop]]:
    desktop = open_windows(fake.win32)
    yield fake, desktop
    desktop.close()


def test_the_hook_thread_sets_both_hooks_and_quits_its_message_loop(fake: FakeWindows) -> None:
    desktop = open_windows(fake.win32)
    assert [event for event, _ in fake.user32.hooks] == [
        EVENT_SYSTEM_FOREGROUND,
        EVENT_OBJECT_NAMECHANGE,
    ]
    threads = {thread.name for thread in threading.enumerate()}
    assert "breather-winevent" in threads

    desktop.close()

    assert sorted(fake.user32.unhooked) == [1, 2]
    assert "breather-winevent" not in {thread.name for thread in threading.enumerate()}


def test_a_switch_wakes_the_sampler(hooked: tuple[FakeWindows, WindowsDesktop]) -> None:
    fake, desktop = hooked
    fake.window(300, 10, "Other")
    fake.user32.foreground = 300
    fake.user32.fire(EVENT_SYSTEM_FOREGROUND, 300)

    assert desktop.wait_for_change(5.0)
    assert not desktop.wait_for_change(0.0)  # one wake-up per change


def test_a_title_change_of_the_window_in_front_wakes_the_sampler(
    hooked: tuple[FakeWindows, WindowsDesktop],
) -> None:
    fake, desktop = hooked
    fake.window(100, 10, "Inbox (3) — Mozilla Firefox")
    fake.user32.fire(EVENT_OBJECT_NAMECHANGE, 100)

    assert desktop.wait_for_change(5.0)
    window = desktop.active_window()
    assert window is not None and window.title == "Inbox (3) — Mozilla Firefox"


def test_title_changes_elsewhere_do_not_wake_the_sampler(
    hooked: tuple[FakeWindows, WindowsDesktop],
) -> None:
    fake, desktop = hooked
    fake.window(300, 10, "A background tab")
    fake.user32.fire(EVENT_OBJECT_NAMECHANGE, 300)  # not the window in front
    fake.user32.fire(EVENT_OBJECT_NAMECHANGE, 100, object_id=-4)  # a control, not the window

    assert not desktop.wait_for_change(0.0)


def test_refused_hooks_fall_back_to_polling(fake: FakeWindows) -> None:
    fake.user32.refuse_hooks = True

    desktop = open_windows(fake.win32)
    try:
        assert "polled" in desktop.describe()
        assert desktop.active_window() is not None
    finally:
        desktop.close()


def test_the_backend_says_it_needs_windows_elsewhere() -> None:
    with pytest.raises(BackendUnavailable, match="needs Windows"):
        open_windows()


def test_every_case_reaches_the_tracker_as_a_sample(tmp_path: Path, fake: FakeWindows) -> None:
    """The recorder over the fake desktop: what each moment becomes in a `Sample`."""
    fake.kernel32.images[20] = "C:\\Windows\\System32\\ApplicationFrameHost.exe"
    fake.kernel32.images[30] = "C:\\Program Files\\WindowsApps\\Mail\\HxOutlook.exe"
    fake.window(200, 20, "Inbox - Mail", children=[202])
    fake.window(202, 30, "")
    fake.kernel32.elevated.add(40)
    fake.psutil_names[40] = ("Taskmgr.exe", "")
    fake.window(400, 40, "Task Manager")
    fake.kernel32.tick = 5_000
    fake.user32.last_input = TICK_WRAP - 2_000  # 7 s ago, before the counter wrapped

    moments = [(100, "firefox.exe", "Breather — Mozilla Firefox"), (0, None, None)]
    moments += [(200, "HxOutlook.exe", "Inbox - Mail"), (400, "Taskmgr.exe", "Task Manager")]
    clock = FakeClock(T0)
    desktop = fake.desktop()
    store = open_store(sqlite_url(tmp_path / "b.db"), device_uuid="t", device_name="t")
    samples: list[Sample] = []

    def heard(sample: Sample, _closed: list[Span], _open: Span | None) -> None:
        samples.append(sample)

    recorder = Recorder(
        clock=clock,
        windows=desktop,
        idle=desktop,
        tracker=Tracker(idle_after=180, max_gap=5),
        writer=store.writer(),
        interval=1.0,
        sleep=clock.advance,
        on_sample=heard,
    )
    try:
        for hwnd, _app, _title in moments:
            fake.user32.foreground = hwnd
            recorder.step()
            clock.advance(1)
        recorder.finish()
    finally:
        store.close()

    seen = [
        (s.window.app, s.window.title) if s.window is not None else (None, None) for s in samples
    ]
    assert seen == [(app, title) for _hwnd, app, title in moments]
    assert {s.idle for s in samples} == {7.0}
    assert not any(s.own_window for s in samples)


def test_the_module_loads_no_dll_at_import() -> None:
    """Importing is safe everywhere: the DLLs are loaded by `open_windows` only."""
    import breather.monitor.windows as module

    assert not any(isinstance(value, ctypes.CDLL) for value in vars(module).values())


def test_doctor_reads_the_windows_backend_for_real(
    fake: FakeWindows, monkeypatch: pytest.MonkeyPatch
) -> None:
    from breather.monitor import select, windows

    monkeypatch.setattr(select, "session_kind", lambda environ=None: "win32")
    monkeypatch.setattr(windows, "open_windows", fake.desktop)

    reports = {report.name: report for report in select.diagnose()}

    assert reports["session"].works and reports["session"].detail.startswith("Windows")
    assert reports["windows windows"].works and reports["windows idle"].works
    assert "windows titles" not in reports
    source, idle = select.open_desktop(idle_thresholds=(180.0,))
    assert source is idle and source.name == "windows"
    source.close()


def test_doctor_says_why_when_the_backend_cannot_open(monkeypatch: pytest.MonkeyPatch) -> None:
    from breather.monitor import select

    monkeypatch.setattr(select, "session_kind", lambda environ=None: "win32")

    reports = {report.name: report for report in select.diagnose()}

    assert not reports["windows windows"].works
    assert "needs Windows" in reports["windows windows"].detail
    assert select.chosen(list(reports.values())) == (None, None)
    with pytest.raises(BackendUnavailable, match="needs Windows"):
        select.open_desktop(idle_thresholds=(180.0,))


def test_breathers_own_break_window_is_told_by_its_pid(fake: FakeWindows) -> None:
    """The break window in front is neither app use nor away: the sample says so."""
    from breather.runtime.recorder import windows_of

    own_pid = 4343
    fake.kernel32.images[own_pid] = "C:\\Users\\a\\AppData\\Local\\Programs\\Breather\\breather.exe"
    fake.window(700, own_pid, "Time for a break")
    fake.user32.foreground = 700
    own = windows_of(own_pid, ("breather",))

    window = fake.desktop().active_window()

    assert window is not None and own(window)
    fake.user32.foreground = 100
    other = fake.desktop().active_window()
    assert other is not None and not own(other)


def test_a_window_seen_again_opens_no_process(fake: FakeWindows) -> None:
    """Sampling every second must not open the process behind the same window every second."""
    fake.kernel32.images[20] = "C:\\Windows\\System32\\ApplicationFrameHost.exe"
    fake.kernel32.images[30] = "C:\\Program Files\\WindowsApps\\Calculator\\CalculatorApp.exe"
    fake.window(200, 20, "Calculator", children=[202])
    fake.window(202, 30, "")
    desktop = fake.desktop()

    for hwnd in (100, 200, 100, 200, 100):
        fake.user32.foreground = hwnd
        desktop.active_window()

    assert fake.kernel32.opened == [
        (PROCESS_QUERY_LIMITED_INFORMATION, pid) for pid in (10, 20, 30)
    ]
    fake.window(100, 11, "Firefox, restarted")  # the same handle now of another process
    fake.kernel32.images[11] = "C:\\Program Files\\Mozilla Firefox\\firefox.exe"
    fake.user32.foreground = 100
    window = desktop.active_window()
    assert window is not None and window.pid == 11
