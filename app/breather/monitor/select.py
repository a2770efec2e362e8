"""Choosing the desktop backend at run time, and explaining the choice for `breather doctor`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from breather.monitor.base import BackendUnavailable, IdleSource, SourceLost, WindowSource


@dataclass(frozen=True, slots=True)
class BackendReport:
    """Whether one backend works here, and in a sentence why (not)."""

    name: str
    works: bool
    detail: str


def open_desktop(idle_thresholds: Sequence[float]) -> tuple[WindowSource, IdleSource]:
    """The best window and idle sources for this desktop; BackendUnavailable says why none.

    `idle_thresholds` are the idle times (seconds) the caller compares with (see
    `Settings.idle_thresholds`); desktops that announce idleness instead of answering "how
    long?" (Wayland) are asked about exactly these.
    """
    if os.environ.get("WAYLAND_DISPLAY"):
        try:
            return _open_wayland(idle_thresholds)
        except BackendUnavailable:
            if not os.environ.get("DISPLAY"):
                raise
            # No native backend for this compositor yet (GNOME): X11 apps under Xwayland
            # are still seen, as before.
    if sys.platform.startswith("linux") or "DISPLAY" in os.environ:
        from breather.monitor.x11.desktop import open_x11

        desktop = open_x11()
        return desktop, desktop
    raise BackendUnavailable(
        f"Breather tracks X11 desktops so far; {sys.platform} is not supported yet"
    )


class _UnknownIdle:
    """Idle time where the desktop cannot tell: always 0.0 (the person counts as present)."""

    name = "no idle"

    def __init__(self, why: str) -> None:
        self.why = why

    def idle_seconds(self) -> float:
        return 0.0

    def close(self) -> None:
        pass


def _open_wayland(idle_thresholds: Sequence[float]) -> tuple[WindowSource, IdleSource]:
    """Windows from wlroots' toplevel list, else KWin; idle from the compositor's notifications.

    A window backend counts only once it has really read the desktop (binding a global or
    owning a bus name is not enough): the first that does is used.
    """
    from breather.monitor.kde import open_kwin
    from breather.monitor.wayland.idle import WaylandIdle
    from breather.monitor.wayland.wlroots import open_wlroots

    reasons: list[str] = []
    windows: WindowSource | None = None
    for opener in (open_wlroots, open_kwin):
        try:
            candidate = opener()
        except BackendUnavailable as why:
            reasons.append(str(why))
            continue
        try:
            candidate.active_window()
        except SourceLost as lost:
            candidate.close()
            reasons.append(str(lost))
            continue
        windows = candidate
        break
    if windows is None:
        raise BackendUnavailable("; ".join(reasons))
    idle: IdleSource
    try:
        idle = WaylandIdle(idle_thresholds)
    except BackendUnavailable as why:
        idle = _UnknownIdle(str(why))
    return windows, idle


def diagnose() -> list[BackendReport]:
    """One report per backend Breather knows, tried for real."""
    reports: list[BackendReport] = []
    try:
        from breather.monitor.x11.desktop import open_x11

        desktop = open_x11()
    except BackendUnavailable as why:
        reports.append(BackendReport("x11 windows", False, str(why)))
        reports.append(BackendReport("x11 idle", False, "needs the X11 window backend"))
    else:
        try:
            reports.append(BackendReport("x11 windows", True, desktop.describe()))
            problem = desktop.idle_problem
            reports.append(
                BackendReport(
                    "x11 idle",
                    problem is None,
                    problem or "MIT-SCREEN-SAVER extension: idle time is polled, input not hooked",
                )
            )
        finally:
            desktop.close()
    if os.environ.get("WAYLAND_DISPLAY"):
        reports.append(
            BackendReport(
                "wayland",
                False,
                "native Wayland tracking is not supported yet; X11 apps under XWayland are seen",
            )
        )
    reports.append(BackendReport("demo", True, "scripted windows for `breather track --demo`"))
    return reports
