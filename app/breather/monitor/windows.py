"""The active window and idle time on Windows, through user32, kernel32 and shell32 by ctypes.

No pywin32 and no WMI: the few calls Breather needs are plain Win32 functions, and psutil
(already a dependency) names a process when Windows will not open it for us.

- The window in front: `GetForegroundWindow`; 0 means none (a UAC prompt, the lock screen or
  another secure desktop is in front), which is recorded as "no window", never as an app.
- Its process: `QueryFullProcessImageNameW` on a handle opened with only
  `PROCESS_QUERY_LIMITED_INFORMATION`, the right Windows grants for most elevated processes
  too; psutil when even that is refused.
- Store ("UWP") apps: their frame belongs to `ApplicationFrameHost.exe`; the app itself owns a
  child window of that frame, so its process is taken from there.
- Wake-ups: `SetWinEventHook` for `EVENT_SYSTEM_FOREGROUND` and `EVENT_OBJECT_NAMECHANGE` on
  a thread of its own that pumps messages (out-of-context hooks are delivered through the
  hooking thread's message queue).
- Idle: `GetLastInputInfo` against `GetTickCount`, both 32-bit millisecond counters that wrap
  every 49.7 days, so they are subtracted modulo 2**32.
- Fullscreen: `SHQueryUserNotificationState`, which says when a fullscreen app, a Direct3D
  game or presentation mode is in front.

Nothing is loaded at import: `open_windows` loads the DLLs, so this module imports on every
platform. Every Win32 call goes through `Win32`, which tests build with fake DLL objects.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from collections.abc import Callable
from ctypes import wintypes
from typing import Any

from breather.monitor.base import BackendUnavailable, WindowInfo
from breather.monitor.processes import process_info

log = logging.getLogger(__name__)

TITLE_MAX_CHARS = 1024
"""Titles longer than this are cut: reports never need more."""

TICK_WRAP = 1 << 32
"""GetTickCount and LASTINPUTINFO.dwTime count milliseconds in 32 bits."""

PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
EVENT_SYSTEM_FOREGROUND = 0x0003
EVENT_OBJECT_NAMECHANGE = 0x800C
WINEVENT_OUTOFCONTEXT = 0x0000
WINEVENT_SKIPOWNPROCESS = 0x0002
OBJID_WINDOW = 0
WM_QUIT = 0x0012
_PATH_MAX = 32768  # the longest path QueryFullProcessImageNameW writes (\\?\ paths)

FRAME_HOST = "applicationframehost.exe"
"""The process that owns every Store app's frame window."""

# SHQueryUserNotificationState's answers (QUERY_USER_NOTIFICATION_STATE).
QUNS_NOT_PRESENT = 1
QUNS_BUSY = 2
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUNS_ACCEPTS_NOTIFICATIONS = 5
QUNS_QUIET_TIME = 6
QUNS_APP = 7
FULLSCREEN_STATES = frozenset({QUNS_BUSY, QUNS_RUNNING_D3D_FULL_SCREEN, QUNS_PRESENTATION_MODE})
"""States in which a break would interrupt a fullscreen app, a game or a presentation."""

OWNER_CACHE_LIMIT = 256
"""How many windows' owners are remembered before starting over."""

UNKNOWN_APP = "unknown"
"""The app of a window whose process neither Windows nor psutil would name."""


class LASTINPUTINFO(ctypes.Structure):
    # Fixed widths: UINT and DWORD are 32 bits on Windows (wintypes.DWORD is 64 elsewhere).
    _fields_ = [("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32)]


class MSG(ctypes.Structure):
    _fields_ = [
        ("hwnd", wintypes.HWND),
        ("message", wintypes.UINT),
        ("wParam", wintypes.WPARAM),
        ("lParam", wintypes.LPARAM),
        ("time", wintypes.DWORD),
        ("pt", wintypes.POINT),
    ]


# Windows' callbacks are stdcall; elsewhere (tests on Linux) the C convention stands in.
_FUNCTYPE: Any = getattr(ctypes, "WINFUNCTYPE", ctypes.CFUNCTYPE)
WNDENUMPROC: Any = _FUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)
WINEVENTPROC: Any = _FUNCTYPE(
    None,
    wintypes.HANDLE,
    wintypes.DWORD,
    wintypes.HWND,
    wintypes.LONG,
    wintypes.LONG,
    wintypes.DWORD,
    wintypes.DWORD,
)


def idle_milliseconds(now_tick: int, last_input_tick: int) -> int:
    """Milliseconds since the last input from two 32-bit tick counts, right across a wrap.

    A last input stamped slightly *after* now (SendInput may supply its own tick count) comes
    out near 2**32: anything in the upper half counts as "just now" (0).
    """
    elapsed = (now_tick - last_input_tick) % TICK_WRAP
    return 0 if elapsed >= TICK_WRAP // 2 else elapsed


class Win32:
    """The Win32 calls Breather makes, on `user32`, `kernel32` and `shell32` objects.

    On Windows these are `ctypes.WinDLL`s with their argument types declared (`load_win32`);
    tests pass fakes whose functions fill the ctypes objects they are given, as Windows would.
    """

    def __init__(self, user32: Any, kernel32: Any, shell32: Any | None = None) -> None:
        self.user32 = user32
        self.kernel32 = kernel32
        self.shell32 = shell32

    def foreground_window(self) -> int:
        """The window in front, 0 when none (a secure desktop: UAC, the lock screen)."""
        return int(self.user32.GetForegroundWindow() or 0)

    def window_pid(self, hwnd: int) -> int:
        pid = wintypes.DWORD(0)
        self.user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        return int(pid.value)

    def window_title(self, hwnd: int) -> str:
        length = int(self.user32.GetWindowTextLengthW(hwnd))
        if length <= 0:
            return ""
        size = min(length, TITLE_MAX_CHARS) + 1
        buffer = ctypes.create_unicode_buffer(size)
        self.user32.GetWindowTextW(hwnd, buffer, size)
        return buffer.value

    def child_windows(self, hwnd: int) -> list[int]:
        children: list[int] = []

        def collect(child: int, _param: int) -> bool:
            children.append(int(child or 0))
            return True

        self.user32.EnumChildWindows(hwnd, WNDENUMPROC(collect), 0)
        return children

    def image_path(self, pid: int) -> str:
        """The full path of `pid`'s executable, "" when Windows refuses even the limited right."""
        handle = self.kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return ""
        try:
            size = wintypes.DWORD(_PATH_MAX)
            buffer = ctypes.create_unicode_buffer(_PATH_MAX)
            if not self.kernel32.QueryFullProcessImageNameW(handle, 0, buffer, ctypes.byref(size)):
                return ""
            return buffer.value
        finally:
            self.kernel32.CloseHandle(handle)

    def tick_count(self) -> int:
        return int(self.kernel32.GetTickCount()) % TICK_WRAP

    def last_input_tick(self) -> int | None:
        info = LASTINPUTINFO()
        info.cbSize = ctypes.sizeof(LASTINPUTINFO)
        if not self.user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        return int(info.dwTime)

    def notification_state(self) -> int | None:
        """SHQueryUserNotificationState's answer; None when it fails or is missing."""
        if self.shell32 is None:
            return None
        state = ctypes.c_int(0)
        if self.shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
            return None
        return int(state.value)


def load_win32() -> Win32:
    """The real DLLs, argument types declared; BackendUnavailable off Windows."""
    if sys.platform != "win32":
        raise BackendUnavailable(f"the Windows backend needs Windows (this is {sys.platform})")
    user32 = ctypes.WinDLL("user32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    shell32 = ctypes.WinDLL("shell32", use_last_error=True)
    hwnd, dword = wintypes.HWND, wintypes.DWORD
    user32.GetForegroundWindow.restype = hwnd
    user32.GetForegroundWindow.argtypes = []
    user32.GetWindowThreadProcessId.restype = dword
    user32.GetWindowThreadProcessId.argtypes = [hwnd, ctypes.POINTER(dword)]
    user32.GetWindowTextLengthW.restype = ctypes.c_int
    user32.GetWindowTextLengthW.argtypes = [hwnd]
    user32.GetWindowTextW.restype = ctypes.c_int
    user32.GetWindowTextW.argtypes = [hwnd, wintypes.LPWSTR, ctypes.c_int]
    user32.EnumChildWindows.restype = wintypes.BOOL
    user32.EnumChildWindows.argtypes = [hwnd, WNDENUMPROC, wintypes.LPARAM]
    user32.GetLastInputInfo.restype = wintypes.BOOL
    user32.GetLastInputInfo.argtypes = [ctypes.POINTER(LASTINPUTINFO)]
    user32.SetWinEventHook.restype = wintypes.HANDLE
    user32.SetWinEventHook.argtypes = [
        dword,
        dword,
        wintypes.HMODULE,
        WINEVENTPROC,
        dword,
        dword,
        dword,
    ]
    user32.UnhookWinEvent.restype = wintypes.BOOL
    user32.UnhookWinEvent.argtypes = [wintypes.HANDLE]
    user32.GetMessageW.restype = wintypes.BOOL
    user32.GetMessageW.argtypes = [ctypes.POINTER(MSG), hwnd, wintypes.UINT, wintypes.UINT]
    user32.TranslateMessage.argtypes = [ctypes.POINTER(MSG)]
    user32.DispatchMessageW.argtypes = [ctypes.POINTER(MSG)]
    user32.PostThreadMessageW.restype = wintypes.BOOL
    user32.PostThreadMessageW.argtypes = [dword, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = [dword, wintypes.BOOL, dword]
    kernel32.QueryFullProcessImageNameW.restype = wintypes.BOOL
    kernel32.QueryFullProcessImageNameW.argtypes = [
        wintypes.HANDLE,
        dword,
        wintypes.LPWSTR,
        ctypes.POINTER(dword),
    ]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    kernel32.GetTickCount.restype = dword
    kernel32.GetTickCount.argtypes = []
    kernel32.GetCurrentThreadId.restype = dword
    shell32.SHQueryUserNotificationState.restype = ctypes.c_long
    shell32.SHQueryUserNotificationState.argtypes = [ctypes.POINTER(ctypes.c_int)]
    return Win32(user32, kernel32, shell32)


def _file_name(path: str) -> str:
    return path.replace("/", "\\").rsplit("\\", 1)[-1]


class ForegroundHook:
    """Wakes a waiting sampler when the window in front or its title changes.

    A thread of its own sets two out-of-context WinEvent hooks and pumps its message queue,
    which is how Windows delivers them. A title change of any window but the one in front is
    ignored (browsers retitle background tabs' windows all the time).
    """

    def __init__(self, win32: Win32) -> None:
        self._win32 = win32
        self._changed = threading.Event()
        self._ready = threading.Event()
        self._thread_id = 0
        self._problem = ""
        # Kept referenced: Windows calls it for as long as the hooks are set.
        self._callback = WINEVENTPROC(self._on_event)
        self._thread = threading.Thread(target=self._pump, name="breather-winevent", daemon=True)

    def start(self, timeout: float = 5.0) -> None:
        """Set the hooks; BackendUnavailable when Windows refuses them."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise BackendUnavailable("the window event hook did not start within 5 s")
        if self._problem:
            raise BackendUnavailable(self._problem)

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` s; True if the window in front or its title changed."""
        changed = self._changed.wait(timeout)
        self._changed.clear()
        return changed

    def close(self) -> None:
        if self._thread_id and self._thread.is_alive():
            self._win32.user32.PostThreadMessageW(self._thread_id, WM_QUIT, 0, 0)
            self._thread.join(timeout=5.0)

    def _on_event(
        self,
        _hook: int,
        event: int,
        hwnd: int,
        object_id: int,
        _child: int,
        _thread: int,
        _time: int,
    ) -> None:
        try:
            if event == EVENT_SYSTEM_FOREGROUND or (
                event == EVENT_OBJECT_NAMECHANGE
                and object_id == OBJID_WINDOW
                and int(hwnd or 0) == self._win32.foreground_window()
            ):
                self._changed.set()
        except Exception:  # an exception must never unwind into Windows' callback
            log.debug("window event handling failed", exc_info=True)

    def _pump(self) -> None:
        user32 = self._win32.user32
        self._thread_id = int(self._win32.kernel32.GetCurrentThreadId())
        hooks = []
        for event in (EVENT_SYSTEM_FOREGROUND, EVENT_OBJECT_NAMECHANGE):
            hook = user32.SetWinEventHook(
                event, event, None, self._callback, 0, 0, WINEVENT_OUTOFCONTEXT
            )
            if not hook:
                self._problem = "Windows refused the window event hook (SetWinEventHook)"
                break
            hooks.append(hook)
        self._ready.set()
        try:
            if self._problem:
                return
            message = MSG()
            # GetMessageW: >0 a message, 0 WM_QUIT (from close), -1 an error.
            while user32.GetMessageW(ctypes.byref(message), None, 0, 0) > 0:
                user32.TranslateMessage(ctypes.byref(message))
                user32.DispatchMessageW(ctypes.byref(message))
        finally:
            for hook in hooks:
                user32.UnhookWinEvent(hook)


class WindowsDesktop:
    """The window in front and idle time on Windows; both a WindowSource and an IdleSource.

    Make one with `open_windows`. `process_of` names a process Windows will not open for us
    (psutil by default). `hook` wakes `wait_for_change`; without one it just waits.
    """

    name = "windows"

    def __init__(
        self,
        win32: Win32,
        *,
        process_of: Callable[[int], tuple[str, str]] = process_info,
        hook: ForegroundHook | None = None,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self._win32 = win32
        self._process_of = process_of
        self._hook = hook
        self._sleep_event = threading.Event()
        self._sleep = sleep
        #: Who owns a window does not change while it exists: (hwnd, pid) -> (pid, name, exe),
        #: so a second's sample opens no process.
        self._owners: dict[tuple[int, int], tuple[int, str, str]] = {}

    def describe(self) -> str:
        woken = "woken by window events" if self._hook is not None else "polled"
        return f"user32 foreground window and GetLastInputInfo, {woken}"

    def active_window(self) -> WindowInfo | None:
        hwnd = self._win32.foreground_window()
        if not hwnd:
            return None  # a secure desktop (UAC, lock screen) is in front: no app is used
        title = self._win32.window_title(hwnd)
        pid = self._win32.window_pid(hwnd)
        key = (hwnd, pid)
        owner = self._owners.get(key)
        if owner is None:
            process, exe = self._process(pid)
            if process.lower() == FRAME_HOST:
                owner = self._store_app(hwnd, pid, (process, exe))
            else:
                owner = (pid, process, exe)
            # A Store frame still without its app (starting, suspended) is asked again.
            if owner[1].lower() != FRAME_HOST:
                if len(self._owners) >= OWNER_CACHE_LIMIT:
                    self._owners.clear()
                self._owners[key] = owner
        pid, process, exe = owner
        return WindowInfo(
            app=process or UNKNOWN_APP, title=title, process=process, exe=exe, pid=pid
        )

    def wait_for_change(self, timeout: float) -> bool:
        if self._hook is not None:
            return self._hook.wait(timeout)
        if self._sleep is not None:
            self._sleep(timeout)
        else:
            self._sleep_event.wait(timeout)
        return False

    def idle_seconds(self) -> float:
        last = self._win32.last_input_tick()
        if last is None:
            return 0.0
        return idle_milliseconds(self._win32.tick_count(), last) / 1000.0

    def fullscreen(self) -> bool:
        """A fullscreen app, a Direct3D game or presentation mode is in front."""
        return self._win32.notification_state() in FULLSCREEN_STATES

    def close(self) -> None:
        if self._hook is not None:
            self._hook.close()
            self._hook = None

    def _process(self, pid: int) -> tuple[str, str]:
        if pid <= 0:
            return "", ""
        path = self._win32.image_path(pid)
        if path:
            return _file_name(path), path
        # Refused even the limited right (a protected process): psutil still knows its name.
        return self._process_of(pid)

    def _store_app(self, frame: int, host_pid: int, host: tuple[str, str]) -> tuple[int, str, str]:
        """The Store app inside an ApplicationFrameHost frame: the child window's owner."""
        for child in self._win32.child_windows(frame):
            pid = self._win32.window_pid(child)
            if pid and pid != host_pid:
                process, exe = self._process(pid)
                if process:
                    return pid, process, exe
        # A suspended or closing Store app has no child yet: the frame is all there is.
        return host_pid, *host


def open_windows(win32: Win32 | None = None, *, hook: bool = True) -> WindowsDesktop:
    """Windows' foreground window and idle time; BackendUnavailable (saying why) elsewhere."""
    api = load_win32() if win32 is None else win32
    foreground = ForegroundHook(api) if hook else None
    if foreground is not None:
        try:
            foreground.start()
        except BackendUnavailable as why:
            # Polling still counts the day right, only a switch is seen a little later.
            log.warning("%s; polling instead", why)
            foreground.close()
            foreground = None
    return WindowsDesktop(api, hook=foreground)
