"""The macOS backend against fake AppKit, Quartz and ApplicationServices modules: what Breather
records with and without the Accessibility permission (nothing here runs on a real Mac)."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from breather.clock import FakeClock
from breather.monitor.base import BackendUnavailable, Sample, WindowInfo
from breather.monitor.macos import (
    ACCESSIBILITY_HELP,
    K_AX_ERROR_API_DISABLED,
    TRUST_RECHECK_SECONDS,
    MacDesktop,
    open_macos,
)
from breather.runtime.recorder import Recorder
from breather.store import open_store, sqlite_url
from breather.tracking.spans import Span, Tracker

from .test_privacy import T0

ACTIVATED = "NSWorkspaceDidActivateApplicationNotification"


class FakeApp:
    def __init__(self, name: str, bundle: str | None, pid: int, exe: str) -> None:
        self.name, self.bundle, self.pid, self.exe = name, bundle, pid, exe

    def localizedName(self) -> str:
        return self.name

    def bundleIdentifier(self) -> str | None:
        return self.bundle

    def processIdentifier(self) -> int:
        return self.pid

    def executableURL(self) -> Any:
        return SimpleNamespace(path=lambda: self.exe)


class FakeCenter:
    def __init__(self) -> None:
        self.observers: dict[object, tuple[str, Any]] = {}

    def addObserverForName_object_queue_usingBlock_(
        self, name: str, sender: object, queue: object, block: Any
    ) -> object:
        token = object()
        self.observers[token] = (name, block)
        return token

    def removeObserver_(self, token: object) -> None:
        del self.observers[token]

    def post(self, name: str) -> None:
        for observed, block in list(self.observers.values()):
            if observed == name:
                block(SimpleNamespace(name=name))


class FakeWorkspace:
    def __init__(self) -> None:
        self.front: FakeApp | None = None
        self.center = FakeCenter()

    def frontmostApplication(self) -> FakeApp | None:
        return self.front

    def notificationCenter(self) -> FakeCenter:
        return self.center


class FakeRunLoop:
    """The main run loop: each turn may deliver what `on_turn` posts."""

    def __init__(self) -> None:
        self.turns = 0
        self.on_turn: Any = None
        self.has_sources = True

    def runMode_beforeDate_(self, mode: str, until: float) -> bool:
        self.turns += 1
        if self.on_turn is not None:
            self.on_turn()
        return self.has_sources


class FakeAppKit:
    NSWorkspaceDidActivateApplicationNotification = ACTIVATED
    NSDefaultRunLoopMode = "kCFRunLoopDefaultMode"

    def __init__(self) -> None:
        self.workspace = FakeWorkspace()
        self.loop = FakeRunLoop()
        self.NSWorkspace = SimpleNamespace(sharedWorkspace=lambda: self.workspace)
        self.NSRunLoop = SimpleNamespace(currentRunLoop=lambda: self.loop)
        self.NSDate = SimpleNamespace(dateWithTimeIntervalSinceNow_=lambda seconds: seconds)
        self.screens = [(1512.0, 982.0), (2560.0, 1440.0)]
        self.NSScreen = SimpleNamespace(
            screens=lambda: [
                SimpleNamespace(
                    frame=lambda w=w, h=h: SimpleNamespace(size=SimpleNamespace(width=w, height=h))
                )
                for w, h in self.screens
            ]
        )


class FakeQuartz:
    kCGEventSourceStateHIDSystemState = 1
    kCGAnyInputEventType = 0xFFFFFFFF
    kCGWindowListOptionOnScreenOnly = 1
    kCGWindowListExcludeDesktopElements = 16
    kCGNullWindowID = 0
    kCGWindowOwnerPID = "kCGWindowOwnerPID"
    kCGWindowLayer = "kCGWindowLayer"
    kCGWindowBounds = "kCGWindowBounds"

    def __init__(self) -> None:
        self.idle = 0.0
        #: On-screen windows, front to back: (owner pid, layer, width, height).
        self.windows: list[tuple[int, int, float, float]] = []

    def CGWindowListCopyWindowInfo(self, options: int, relative_to: int) -> list[dict[str, Any]]:
        assert options == 17 and relative_to == 0
        # What macOS gives without Screen Recording: no kCGWindowName.
        return [
            {
                self.kCGWindowOwnerPID: pid,
                self.kCGWindowLayer: layer,
                self.kCGWindowBounds: {"X": 0, "Y": 0, "Width": width, "Height": height},
            }
            for pid, layer, width, height in self.windows
        ]

    def CGEventSourceSecondsSinceLastEventType(self, state: int, kind: int) -> float:
        assert (state, kind) == (1, 0xFFFFFFFF)
        return self.idle


class FakeAccessibility:
    """ApplicationServices' AX calls: titles by pid, when the process is trusted."""

    kAXFocusedWindowAttribute = "AXFocusedWindow"
    kAXTitleAttribute = "AXTitle"

    def __init__(self) -> None:
        self.trusted = False
        self.titles: dict[int, str] = {}
        self.trust_asks = 0
        self.revoked = False

    def AXIsProcessTrusted(self) -> bool:
        self.trust_asks += 1
        return self.trusted

    def AXUIElementCreateApplication(self, pid: int) -> Any:
        return ("app", pid)

    def AXUIElementSetMessagingTimeout(self, element: Any, seconds: float) -> int:
        return 0

    def AXUIElementCopyAttributeValue(
        self, element: Any, attribute: str, out: None
    ) -> tuple[int, Any]:
        if self.revoked:
            return K_AX_ERROR_API_DISABLED, None
        _kind, pid = element
        if attribute == self.kAXFocusedWindowAttribute:
            return (0, ("window", pid)) if pid in self.titles else (-25212, None)
        return 0, self.titles[pid]


class FakeMac:
    def __init__(self) -> None:
        self.appkit = FakeAppKit()
        self.quartz = FakeQuartz()
        self.ax = FakeAccessibility()
        self.clock = FakeClock(T0)
        self.slept: list[float] = []

    def front(self, app: FakeApp | None) -> None:
        self.appkit.workspace.front = app

    def desktop(self, accessibility: bool = True) -> MacDesktop:
        def sleep(seconds: float) -> None:
            self.slept.append(seconds)
            self.clock.advance(seconds)

        return MacDesktop(
            self.appkit,
            self.quartz,
            self.ax if accessibility else None,
            monotonic=self.clock.monotonic,
            sleep=sleep,
        )


SAFARI = FakeApp(
    "Safari", "com.apple.Safari", 501, "/Applications/Safari.app/Contents/MacOS/Safari"
)
MAIL = FakeApp("Mail", "com.apple.mail", 502, "/System/Applications/Mail.app/Contents/MacOS/Mail")


@pytest.fixture
def mac() -> FakeMac:
    fake = FakeMac()
    fake.front(SAFARI)
    fake.ax.titles = {501: "Breather — Start Page", 502: "Inbox"}
    return fake


def test_without_accessibility_apps_are_tracked_without_titles(mac: FakeMac) -> None:
    desktop = mac.desktop()

    window = desktop.active_window()

    assert window == WindowInfo(
        app="com.apple.Safari",
        title="",
        process="Safari",
        exe="/Applications/Safari.app/Contents/MacOS/Safari",
    )
    assert desktop.notice == ACCESSIBILITY_HELP
    assert "System Settings > Privacy & Security > Accessibility" in ACCESSIBILITY_HELP
    assert "no titles" in desktop.describe()


def test_the_permission_message_never_asks_for_screen_recording() -> None:
    assert "Screen Recording is never needed" in ACCESSIBILITY_HELP


def test_with_accessibility_the_focused_window_title_is_read(mac: FakeMac) -> None:
    mac.ax.trusted = True
    desktop = mac.desktop()

    window = desktop.active_window()

    assert window is not None and window.title == "Breather — Start Page"
    assert desktop.notice is None


def test_allowing_accessibility_later_brings_titles_without_a_restart(mac: FakeMac) -> None:
    desktop = mac.desktop()
    assert desktop.active_window() == desktop.active_window()  # asked once, not every read
    assert mac.ax.trust_asks == 1

    mac.ax.trusted = True
    mac.clock.advance(TRUST_RECHECK_SECONDS)

    window = desktop.active_window()
    assert window is not None and window.title == "Breather — Start Page"


def test_a_permission_taken_back_leaves_titles_empty_and_says_so(mac: FakeMac) -> None:
    mac.ax.trusted = True
    desktop = mac.desktop()
    assert desktop.notice is None
    mac.ax.revoked = True
    mac.ax.trusted = False

    window = desktop.active_window()

    assert window is not None and window.title == ""
    assert desktop.notice == ACCESSIBILITY_HELP


def test_an_app_without_a_focused_window_has_an_empty_title(mac: FakeMac) -> None:
    mac.ax.trusted = True
    mac.front(FakeApp("Finder", "com.apple.finder", 99, "/System/Library/Finder"))

    window = mac.desktop().active_window()

    assert window is not None and (window.app, window.title) == ("com.apple.finder", "")


def test_no_front_app_is_no_window(mac: FakeMac) -> None:
    mac.front(None)

    assert mac.desktop().active_window() is None


def test_an_app_without_a_bundle_id_goes_by_its_name(mac: FakeMac) -> None:
    mac.front(FakeApp("python3", None, 77, "/usr/bin/python3"))

    window = mac.desktop().active_window()

    assert window is not None and window.app == "python3"


def test_without_application_services_the_notice_says_what_is_missing(mac: FakeMac) -> None:
    desktop = mac.desktop(accessibility=False)

    assert desktop.active_window() is not None
    assert desktop.notice is not None and "ApplicationServices" in desktop.notice


def test_idle_comes_from_the_hid_system_state(mac: FakeMac) -> None:
    mac.quartz.idle = 42.5

    assert mac.desktop().idle_seconds() == 42.5


def test_waiting_turns_the_run_loop_until_an_app_is_activated(mac: FakeMac) -> None:
    """`breather track` waits on the main thread: the run loop must turn there, or
    `frontmostApplication` would keep answering the app of the first read."""
    desktop = mac.desktop()
    loop = mac.appkit.loop

    def third_turn_delivers() -> None:
        mac.clock.advance(0.5)
        if loop.turns == 3:
            mac.front(MAIL)
            mac.appkit.workspace.center.post(ACTIVATED)

    loop.on_turn = third_turn_delivers

    assert desktop.wait_for_change(10.0)
    assert loop.turns == 3
    window = desktop.active_window()
    assert window is not None and window.app == "com.apple.mail"


def test_waiting_without_a_switch_times_out_still_turning(mac: FakeMac) -> None:
    desktop = mac.desktop()
    mac.appkit.loop.has_sources = False  # the loop returns at once: sleep the slice instead

    assert not desktop.wait_for_change(2.0)
    assert mac.appkit.loop.turns == 4
    assert sum(mac.slept) == pytest.approx(2.0)


def test_off_the_main_thread_waiting_hears_the_activation(mac: FakeMac) -> None:
    """In the app, Qt's loop turns the main run loop; the sampler thread only waits."""
    desktop = mac.desktop()
    answers: list[bool] = []
    sampler = threading.Thread(target=lambda: answers.append(desktop.wait_for_change(10.0)))
    sampler.start()
    mac.appkit.workspace.center.post(ACTIVATED)
    sampler.join(10.0)

    assert answers == [True]
    assert mac.appkit.loop.turns == 0


def test_closing_stops_observing_activations(mac: FakeMac) -> None:
    desktop = mac.desktop()
    desktop.close()
    desktop.close()

    assert mac.appkit.workspace.center.observers == {}


def test_the_backend_says_it_needs_macos_elsewhere() -> None:
    with pytest.raises(BackendUnavailable, match="needs macOS"):
        open_macos()


def test_every_case_reaches_the_tracker_as_a_sample(tmp_path: Path, mac: FakeMac) -> None:
    desktop = mac.desktop()
    mac.quartz.idle = 3.0
    moments: list[tuple[FakeApp | None, bool, tuple[str, str] | None]] = [
        (SAFARI, False, ("com.apple.Safari", "")),  # no permission yet: the app alone
        (None, False, None),  # nothing in front (the login window)
        (MAIL, True, ("com.apple.mail", "Inbox")),  # allowed: with the title
    ]
    store = open_store(sqlite_url(tmp_path / "b.db"), device_uuid="t", device_name="t")
    samples: list[Sample] = []

    def heard(sample: Sample, _closed: list[Span], _open: Span | None) -> None:
        samples.append(sample)

    recorder = Recorder(
        clock=mac.clock,
        windows=desktop,
        idle=desktop,
        tracker=Tracker(idle_after=180, max_gap=5),
        writer=store.writer(),
        interval=1.0,
        sleep=mac.clock.advance,
        on_sample=heard,
    )
    try:
        for app, allowed, _expected in moments:
            mac.front(app)
            mac.ax.trusted = allowed
            mac.clock.advance(TRUST_RECHECK_SECONDS)
            recorder.step()
        recorder.finish()
    finally:
        store.close()

    seen = [(s.window.app, s.window.title) if s.window else None for s in samples]
    assert seen == [expected for _app, _allowed, expected in moments]
    assert {s.idle for s in samples} == {3.0}


def test_doctor_says_how_to_allow_titles_and_tracking_still_works(
    mac: FakeMac, monkeypatch: pytest.MonkeyPatch
) -> None:
    from breather.monitor import macos, select

    monkeypatch.setattr(select, "session_kind", lambda environ=None: "darwin")
    monkeypatch.setattr(macos, "open_macos", mac.desktop)

    reports = {report.name: report for report in select.diagnose()}

    assert reports["session"].works and reports["session"].detail.startswith("macOS")
    assert reports["macos windows"].works and reports["macos idle"].works
    assert not reports["macos titles"].works
    assert reports["macos titles"].detail == ACCESSIBILITY_HELP
    assert select.chosen(list(reports.values())) == ("macos windows", "macos idle")
    assert mac.appkit.workspace.center.observers == {}  # doctor closed what it opened

    windows, idle = select.open_desktop(idle_thresholds=(180.0,))
    assert windows is idle and windows.name == "macos"
    windows.close()


def test_breathers_own_break_window_is_told_by_its_pid(mac: FakeMac) -> None:
    from breather.runtime.recorder import windows_of

    mac.front(FakeApp("Breather", "io.github.breather.Breather", 888, "/Applications/B"))
    own = windows_of(888, ("io.github.breather.Breather",))

    window = mac.desktop().active_window()

    assert window is not None and own(window)


def test_a_front_window_covering_a_screen_is_fullscreen(mac: FakeMac) -> None:
    desktop = mac.desktop()
    menu_bar = (0, 24, 1512.0, 24.0)
    mac.quartz.windows = [menu_bar, (501, 0, 1512.0, 944.0), (502, 0, 2560.0, 1440.0)]
    assert not desktop.fullscreen()  # Safari zoomed below the menu bar; Mail is behind

    mac.quartz.windows = [menu_bar, (501, 0, 2560.0, 1440.0), (502, 0, 800.0, 600.0)]
    assert desktop.fullscreen()  # Safari fullscreen on the second screen

    mac.front(None)
    assert not desktop.fullscreen()
