"""Choosing the desktop backend at run time, and explaining the choice for `breather doctor`.

A backend counts as working only once it has really read the desktop: binding a Wayland
global or owning a bus name is not enough (peers chose a backend that then saw nothing). On
a Wayland session the order is the compositor's own way (GNOME Shell's extension, wlroots'
window list, a KWin script); X11 through Xwayland sees only X11 apps and no idle, so it is
never taken for working there: `open_desktop` says why instead of tracking a part of the day
as if it were all of it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from breather.monitor.base import BackendUnavailable, IdleSource, SourceLost, WindowSource

if TYPE_CHECKING:
    from breather.monitor.macos import MacDesktop
    from breather.monitor.windows import WindowsDesktop

    NativeDesktop = WindowsDesktop | MacDesktop

Role = Literal["windows", "idle", "session", "other"]


@dataclass(frozen=True, slots=True)
class BackendReport:
    """Whether one backend works here, and in a sentence why (not). `role` says what it
    reads: `breather doctor` passes only when some windows and some idle backend work."""

    name: str
    works: bool
    detail: str
    role: Role = "other"


def session_kind(environ: dict[str, str] | None = None) -> str:
    """ "wayland", "x11" or the platform's own name, as far as the environment tells."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return sys.platform
    if env.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "x11" if env.get("DISPLAY") else "none"


def open_desktop(idle_thresholds: Sequence[float]) -> tuple[WindowSource, IdleSource]:
    """The best window and idle sources for this desktop; BackendUnavailable says why none.

    `idle_thresholds` are the idle times (seconds) the caller compares with (see
    `Settings.idle_thresholds`); desktops that announce idleness instead of answering "how
    long?" (Wayland, GNOME) are asked about exactly these.
    """
    kind = session_kind()
    if kind == "wayland":
        return _open_wayland(idle_thresholds)
    if kind == "x11":
        from breather.monitor.x11.desktop import open_x11

        desktop = open_x11()
        return desktop, desktop
    if kind == "none":
        raise BackendUnavailable("no desktop session here (neither WAYLAND_DISPLAY nor DISPLAY)")
    native = _native_opener(kind)
    if native is None:
        raise BackendUnavailable(
            f"Breather tracks Linux, Windows and macOS desktops; {kind} is not supported"
        )
    native_desktop = _first_read(native[1])
    return native_desktop, native_desktop


def _native_opener(kind: str) -> tuple[str, Callable[[], NativeDesktop]] | None:
    """The one backend of a platform that has exactly one way to see the desktop."""
    if kind == "win32":
        from breather.monitor.windows import open_windows

        return "windows", open_windows
    if kind == "darwin":
        from breather.monitor.macos import open_macos

        return "macos", open_macos
    return None


def gnome_session() -> bool:
    """A Wayland session whose compositor is GNOME Shell (by name, else on the bus)."""
    desktops = os.environ.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
    if "GNOME" in desktops:
        return True
    from breather.monitor.gnome import shell_on_bus

    return shell_on_bus()


def _window_openers() -> list[tuple[str, Callable[[], WindowSource]]]:
    """The Wayland window backends to try here, in order."""
    from breather.monitor.gnome import open_gnome_windows
    from breather.monitor.kde import open_kwin
    from breather.monitor.wayland.wlroots import open_wlroots

    if gnome_session():  # GNOME offers neither of the others: its extension or nothing
        return [("gnome windows", open_gnome_windows)]
    return [("wlroots windows", open_wlroots), ("kwin windows", open_kwin)]


_Source = TypeVar("_Source", bound=WindowSource)


def _first_read(opener: Callable[[], _Source]) -> _Source:
    """Open a window source and prove it with one real read."""
    source = opener()
    try:
        source.active_window()
    except SourceLost as lost:
        source.close()
        raise BackendUnavailable(str(lost)) from None
    return source


def _idle_openers(
    idle_thresholds: Sequence[float],
) -> list[tuple[str, Callable[[], IdleSource]]]:
    if gnome_session():
        from breather.monitor.gnome import open_mutter_idle

        return [("mutter idle", lambda: open_mutter_idle(idle_thresholds))]
    from breather.monitor.wayland.idle import WaylandIdle

    return [("wayland idle", lambda: WaylandIdle(idle_thresholds))]


def _open_wayland(idle_thresholds: Sequence[float]) -> tuple[WindowSource, IdleSource]:
    reasons: list[str] = []
    windows: WindowSource | None = None
    openers = _window_openers()
    for name, opener in openers:
        try:
            windows = _first_read(opener)
            break
        except BackendUnavailable as why:
            if len(openers) == 1:
                raise  # the one way this desktop offers: its own words say what to do
            reasons.append(f"{name}: {why}")
    if windows is None:
        raise BackendUnavailable(
            "no native Wayland window source works here ("
            + "; ".join(reasons)
            + "); X11 through Xwayland would see only X11 apps and no idle"
        )
    for name, idle_opener in _idle_openers(idle_thresholds):
        try:
            return windows, idle_opener()
        except BackendUnavailable as why:
            reasons.append(f"{name}: {why}")
    # Windows without idle still count the day; `doctor` says that time away cannot be told.
    return windows, UnknownIdle("; ".join(reasons))


class UnknownIdle:
    """Idle time where the desktop cannot tell: always 0.0 (the person counts as present)."""

    name = "no idle"

    def __init__(self, why: str) -> None:
        self.why = why

    def idle_seconds(self) -> float:
        return 0.0

    def close(self) -> None:
        pass


def diagnose(idle_thresholds: Sequence[float] = (180.0,)) -> list[BackendReport]:
    """One report per backend Breather knows for this session, tried for real."""
    kind = session_kind()
    detail = {
        "wayland": f"Wayland ({os.environ.get('XDG_CURRENT_DESKTOP') or 'desktop unnamed'})",
        "x11": f"X11 (display {os.environ.get('DISPLAY', '')})",
        "none": "no desktop session (neither WAYLAND_DISPLAY nor DISPLAY is set)",
    }.get(kind, kind)
    native = _native_opener(kind)
    if native is not None:
        detail = _platform_version(kind)
    reports = [
        BackendReport(
            "session", native is not None or kind in ("wayland", "x11"), detail, "session"
        )
    ]
    if native is not None:
        return [*reports, *_diagnose_native(*native), _DEMO]
    if kind == "wayland":
        reports += _diagnose_wayland(idle_thresholds)
    reports += _diagnose_x11(xwayland=kind == "wayland")
    reports.append(_DEMO)
    return reports


_DEMO = BackendReport("demo", True, "scripted windows for `breather track --demo`")


def _platform_version(kind: str) -> str:
    import platform

    if kind == "darwin":
        return f"macOS {platform.mac_ver()[0] or '(version unknown)'}"
    return f"Windows {platform.release()} ({platform.version()})"


def _diagnose_native(name: str, opener: Callable[[], NativeDesktop]) -> list[BackendReport]:
    """The platform's one backend, read for real: it gives both the windows and idle."""
    try:
        source = _first_read(opener)
    except BackendUnavailable as why:
        return [
            BackendReport(f"{name} windows", False, str(why), "windows"),
            BackendReport(f"{name} idle", False, f"needs the {name} window backend", "idle"),
        ]
    try:
        seconds = source.idle_seconds()
        reports = [
            BackendReport(f"{name} windows", True, _describe(source), "windows"),
            BackendReport(f"{name} idle", True, f"idle {seconds:.0f}s now, polled", "idle"),
        ]
        notice = getattr(source, "notice", None)
        if notice is not None or name == "macos":
            # Apps are tracked without titles: not a failure, but what to allow is said.
            reports.append(
                BackendReport(f"{name} titles", notice is None, notice or "Accessibility allowed")
            )
        return reports
    finally:
        source.close()


def _diagnose_wayland(idle_thresholds: Sequence[float]) -> list[BackendReport]:
    reports: list[BackendReport] = []
    for name, opener in _window_openers():
        try:
            source = _first_read(opener)
        except BackendUnavailable as why:
            reports.append(BackendReport(name, False, str(why), "windows"))
            continue
        try:
            reports.append(BackendReport(name, True, _describe(source), "windows"))
        finally:
            source.close()
    for name, idle_opener in _idle_openers(idle_thresholds):
        try:
            idle = idle_opener()
        except BackendUnavailable as why:
            reports.append(BackendReport(name, False, str(why), "idle"))
            continue
        try:
            reports.append(BackendReport(name, True, _describe(idle), "idle"))
        finally:
            idle.close()
    return reports


def _diagnose_x11(*, xwayland: bool) -> list[BackendReport]:
    label = "x11 via xwayland" if xwayland else "x11"
    try:
        from breather.monitor.x11.desktop import open_x11

        desktop = open_x11()
    except BackendUnavailable as why:
        if xwayland:
            return [BackendReport(label, False, str(why))]
        return [
            BackendReport(f"{label} windows", False, str(why), "windows"),
            BackendReport(f"{label} idle", False, "needs the X11 window backend", "idle"),
        ]
    try:
        if xwayland:
            # Seeing X11 apps only is not seeing the desktop: never counted as working.
            return [
                BackendReport(
                    label,
                    False,
                    "sees only X11 apps (none of the native Wayland windows) and no idle; "
                    "not used on a Wayland session",
                )
            ]
        problem = desktop.idle_problem
        return [
            BackendReport(f"{label} windows", True, desktop.describe(), "windows"),
            BackendReport(
                f"{label} idle",
                problem is None,
                problem or "MIT-SCREEN-SAVER extension: idle time is polled, input not hooked",
                "idle",
            ),
        ]
    finally:
        desktop.close()


def _describe(source: object) -> str:
    describe = getattr(source, "describe", None)
    return str(describe()) if callable(describe) else str(getattr(source, "name", "works"))


def chosen(reports: Sequence[BackendReport]) -> tuple[str | None, str | None]:
    """The windows and idle backends `open_desktop` takes here: the first that work."""
    windows = next((r.name for r in reports if r.role == "windows" and r.works), None)
    idle = next((r.name for r in reports if r.role == "idle" and r.works), None)
    return windows, idle
