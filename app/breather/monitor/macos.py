"""The front app, its window title and idle time on macOS, through pyobjc.

- The front app: `NSWorkspace.frontmostApplication`, which needs no permission, and
  `NSWorkspaceDidActivateApplicationNotification` to wake the sampler on a switch. AppKit
  refreshes what `frontmostApplication` returns only when the main run loop turns, so on the
  main thread (`breather track`) `wait_for_change` turns it; in the app Qt's event loop does.
- The window title: only through the Accessibility API, and only once the person has allowed
  Breather in System Settings. Until then apps are tracked without titles, and `notice` (shown
  by the app and `breather doctor`) says how to allow it. Breather never reads window names
  through CGWindowList, which would need Screen Recording, and never polls System Events.
- Idle: `CGEventSourceSecondsSinceLastEventType` for any input on the HID system state.
- Fullscreen: the front app's front window against the screens' sizes, from CGWindowList's
  owners and bounds (no window names, so no Screen Recording). Focus (Do Not Disturb) has no
  public API and is not read.

pyobjc (Cocoa for AppKit, Quartz for idle, ApplicationServices for Accessibility) is imported
by `open_macos` only, so this module imports on every platform; tests pass fake modules.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from breather.monitor.base import BackendUnavailable, WindowInfo

log = logging.getLogger(__name__)

TITLE_MAX_CHARS = 1024
TRUST_RECHECK_SECONDS = 10.0
"""How often to ask again whether Accessibility has been allowed: each ask is a call into the
privacy daemon (tccd), which peers' users saw busy when it was asked all the time."""
AX_TIMEOUT_SECONDS = 1.0
"""How long an Accessibility read may wait for a hung app before the title is left empty."""
RUN_LOOP_SLICE = 0.5
K_AX_ERROR_SUCCESS = 0
K_AX_ERROR_API_DISABLED = -25211

ACCESSIBILITY_HELP = (
    "window titles need the Accessibility permission: open System Settings > Privacy & "
    "Security > Accessibility and turn on Breather (for `breather track`, the terminal it "
    "runs in); until then apps are tracked without titles. Screen Recording is never needed."
)


class MacDesktop:
    """The front app on macOS; both a WindowSource and an IdleSource.

    Make one with `open_macos`. `appkit`, `quartz` and `accessibility` are pyobjc's AppKit,
    Quartz and ApplicationServices modules (or fakes with the same names). `monotonic` times
    the re-check of the Accessibility permission.
    """

    name = "macos"

    def __init__(
        self,
        appkit: Any,
        quartz: Any,
        accessibility: Any | None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._appkit = appkit
        self._quartz = quartz
        self._ax = accessibility
        self._monotonic = monotonic
        self._sleep = sleep
        self._trusted = False
        self._trust_checked: float | None = None
        self._activated = threading.Event()
        self._workspace = appkit.NSWorkspace.sharedWorkspace()
        self._center = self._workspace.notificationCenter()
        self._observer = self._center.addObserverForName_object_queue_usingBlock_(
            appkit.NSWorkspaceDidActivateApplicationNotification,
            None,
            None,
            self._on_activation,
        )

    def describe(self) -> str:
        titles = "with titles (Accessibility allowed)" if self.titles_allowed() else "no titles"
        return f"NSWorkspace front app, {titles}"

    def titles_allowed(self) -> bool:
        """Whether Accessibility is allowed, asked again at most every 10 s."""
        now = self._monotonic()
        if self._ax is None:
            return False
        if self._trust_checked is None or now - self._trust_checked >= TRUST_RECHECK_SECONDS:
            self._trust_checked = now
            try:
                self._trusted = bool(self._ax.AXIsProcessTrusted())
            except Exception:
                log.debug("AXIsProcessTrusted failed", exc_info=True)
                self._trusted = False
        return self._trusted

    @property
    def notice(self) -> str | None:
        """What the person should do for full tracking, or None when nothing is missing."""
        if self._ax is None:
            return (
                "window titles need pyobjc-framework-ApplicationServices, which is missing; "
                "apps are tracked without titles"
            )
        return None if self.titles_allowed() else ACCESSIBILITY_HELP

    def active_window(self) -> WindowInfo | None:
        front = self._workspace.frontmostApplication()
        if front is None:
            return None
        name = str(front.localizedName() or "")
        bundle = str(front.bundleIdentifier() or "")
        pid = int(front.processIdentifier())
        url = front.executableURL()
        exe = str(url.path() or "") if url is not None else ""
        title = self._title(pid) if pid > 0 and self.titles_allowed() else ""
        # The bundle id, like a Wayland app id, does not change with the person's language.
        return WindowInfo(
            app=bundle or name or "unknown", title=title, process=name, exe=exe, pid=pid
        )

    def wait_for_change(self, timeout: float) -> bool:
        if threading.current_thread() is threading.main_thread():
            return self._turn_run_loop(timeout)
        # Another thread (the app's sampler): Qt's loop on the main thread delivers it.
        changed = self._activated.wait(timeout)
        self._activated.clear()
        return changed

    def idle_seconds(self) -> float:
        quartz = self._quartz
        seconds = quartz.CGEventSourceSecondsSinceLastEventType(
            quartz.kCGEventSourceStateHIDSystemState, quartz.kCGAnyInputEventType
        )
        return max(0.0, float(seconds))

    def fullscreen(self) -> bool:
        """Whether the front app's front window covers a whole screen (a film, a game, a
        presentation in its own Space).

        Reads only window owners, layers and bounds from CGWindowList, which macOS gives
        without Screen Recording (only window names need it, and they are not read).
        """
        front = self._workspace.frontmostApplication()
        if front is None:
            return False
        pid = int(front.processIdentifier())
        quartz = self._quartz
        windows = quartz.CGWindowListCopyWindowInfo(
            quartz.kCGWindowListOptionOnScreenOnly | quartz.kCGWindowListExcludeDesktopElements,
            quartz.kCGNullWindowID,
        )
        screens = {
            (round(frame.size.width), round(frame.size.height))
            for frame in (screen.frame() for screen in self._appkit.NSScreen.screens() or ())
        }
        for info in windows or ():  # front to back: the first of the app's is its front one
            if info.get(quartz.kCGWindowOwnerPID) != pid or info.get(quartz.kCGWindowLayer):
                continue
            bounds = info.get(quartz.kCGWindowBounds) or {}
            size = (round(bounds.get("Width", 0)), round(bounds.get("Height", 0)))
            return size in screens
        return False

    def close(self) -> None:
        if self._observer is not None:
            self._center.removeObserver_(self._observer)
            self._observer = None

    def _on_activation(self, _notification: object) -> None:
        self._activated.set()

    def _turn_run_loop(self, timeout: float) -> bool:
        """Turn the main run loop for up to `timeout` s, until an app is activated."""
        appkit = self._appkit
        loop = appkit.NSRunLoop.currentRunLoop()
        deadline = self._monotonic() + timeout
        while not self._activated.is_set():
            left = deadline - self._monotonic()
            if left <= 0:
                break
            step = min(left, RUN_LOOP_SLICE)
            until = appkit.NSDate.dateWithTimeIntervalSinceNow_(step)
            if not loop.runMode_beforeDate_(appkit.NSDefaultRunLoopMode, until):
                self._sleep(step)  # no input source on the loop yet: it returns at once
        changed = self._activated.is_set()
        self._activated.clear()
        return changed

    def _title(self, pid: int) -> str:
        ax = self._ax
        if ax is None:
            return ""
        try:
            element = ax.AXUIElementCreateApplication(pid)
            ax.AXUIElementSetMessagingTimeout(element, AX_TIMEOUT_SECONDS)
            error, window = ax.AXUIElementCopyAttributeValue(
                element, ax.kAXFocusedWindowAttribute, None
            )
            if error == K_AX_ERROR_API_DISABLED:
                self._trusted = False  # the permission was taken back: say so again
                return ""
            if error != K_AX_ERROR_SUCCESS or window is None:
                return ""  # no focused window (a menu-bar app) or it did not answer
            error, title = ax.AXUIElementCopyAttributeValue(window, ax.kAXTitleAttribute, None)
        except Exception:
            log.debug("reading a window title through Accessibility failed", exc_info=True)
            return ""
        if error != K_AX_ERROR_SUCCESS or title is None:
            return ""
        return str(title)[:TITLE_MAX_CHARS]


def open_macos() -> MacDesktop:
    """The front app and idle time on macOS; BackendUnavailable (saying why) elsewhere."""
    if sys.platform != "darwin":
        raise BackendUnavailable(f"the macOS backend needs macOS (this is {sys.platform})")
    try:
        import AppKit
        import Quartz
    except ImportError as exc:
        raise BackendUnavailable(
            f"pyobjc is not installed ({exc}); install pyobjc-framework-Cocoa and "
            "pyobjc-framework-Quartz to track the front app"
        ) from exc
    try:
        import ApplicationServices as accessibility
    except ImportError:
        accessibility = None  # apps are still tracked; `notice` says titles need it
    return MacDesktop(AppKit, Quartz, accessibility)
