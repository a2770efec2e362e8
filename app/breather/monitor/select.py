"""Choosing the desktop backend at run time, and explaining the choice for `breather doctor`."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from breather.monitor.base import BackendUnavailable, IdleSource, WindowSource


@dataclass(frozen=True, slots=True)
class BackendReport:
    """Whether one backend works here, and in a sentence why (not)."""

    name: str
    works: bool
    detail: str


def open_desktop() -> tuple[WindowSource, IdleSource]:
    """The best window and idle sources for this desktop; BackendUnavailable says why none."""
    if sys.platform.startswith("linux") or "DISPLAY" in os.environ:
        from breather.monitor.x11.desktop import open_x11

        desktop = open_x11()
        return desktop, desktop
    raise BackendUnavailable(
        f"Breather tracks X11 desktops so far; {sys.platform} is not supported yet"
    )


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
