"""Choosing the desktop backend at run time, and explaining the choice for `breather doctor`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from breather.monitor.base import BackendUnavailable, IdleSource, WindowSource


@dataclass(frozen=True, slots=True)
class BackendReport:
    """Whether one backend works here, and in a sentence why (not)."""

    name: str
    works: bool
    detail: str


#: Idle thresholds when the caller names none: the typing pause and the default `idle_after`.
FALLBACK_IDLE_THRESHOLDS = (2.0, 180.0)


def open_desktop(
    idle_thresholds: Sequence[float] | None = None,
) -> tuple[WindowSource, IdleSource]:
    """The best window and idle sources for this desktop; BackendUnavailable says why none.

    `idle_thresholds` (seconds) are the idle times the caller compares with; desktops that
    announce idleness instead of reporting it (GNOME on Wayland) are exact at these.
    """
    if sys.platform.startswith("linux") and _gnome_on_wayland():
        return _open_gnome(idle_thresholds or FALLBACK_IDLE_THRESHOLDS)
    if sys.platform.startswith("linux") or "DISPLAY" in os.environ:
        from breather.monitor.x11 import open_x11

        desktop = open_x11()
        return desktop, desktop
    raise BackendUnavailable(
        f"Breather tracks X11 desktops so far; {sys.platform} is not supported yet"
    )


def _gnome_on_wayland() -> bool:
    """A Wayland session whose compositor is GNOME Shell (by name, else on the bus).

    WAYLAND_DISPLAY decides, as it does for every Wayland client; XDG_SESSION_TYPE can say
    "wayland" in a process that has no Wayland display (a nested X11 desktop, a service).
    """
    if not os.environ.get("WAYLAND_DISPLAY"):
        return False
    desktops = os.environ.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
    if "GNOME" in desktops:
        return True
    from breather.monitor.gnome import shell_on_bus

    return shell_on_bus()


def _open_gnome(idle_thresholds: Sequence[float]) -> tuple[WindowSource, IdleSource]:
    """The GNOME Shell extension's windows and Mutter's idle, each proven by a first read."""
    from breather.monitor.gnome import open_gnome_windows, open_mutter_idle

    windows = open_gnome_windows()
    try:
        idle = open_mutter_idle(idle_thresholds)
    except BaseException:
        windows.close()
        raise
    return windows, idle


def diagnose() -> list[BackendReport]:
    """One report per backend Breather knows, tried for real."""
    reports: list[BackendReport] = []
    try:
        from breather.monitor.x11 import open_x11

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
