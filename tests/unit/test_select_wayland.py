"""On a Wayland session Breather reads windows natively: wlroots' window list first, then
KWin; each counts only once it has read the desktop, and idle comes from the compositor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from breather.monitor import kde, select
from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.wayland import idle as wayland_idle
from breather.monitor.wayland import wlroots


class Windows:
    def __init__(self, name: str, *, lost: bool = False) -> None:
        self.name = name
        self.lost = lost
        self.closed = False

    def active_window(self) -> WindowInfo | None:
        if self.lost:
            raise SourceLost(f"{self.name} went away at the first read")
        return WindowInfo(app="notes", title="Notes")

    def close(self) -> None:
        self.closed = True


class Idle:
    asked: Sequence[float] = ()

    def __init__(self, idle_thresholds: Sequence[float]) -> None:
        Idle.asked = tuple(idle_thresholds)
        self.name = "wayland idle"


def unavailable(why: str) -> Callable[..., Any]:
    def opener(*args: object, **kwargs: object) -> Any:
        raise BackendUnavailable(why)

    return opener


@pytest.fixture
def wayland(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setattr(wayland_idle, "WaylandIdle", Idle)
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "sway")
    monkeypatch.setattr("breather.monitor.gnome.shell_on_bus", lambda *args, **kwargs: False)
    return monkeypatch


def test_wlroots_comes_first(wayland: pytest.MonkeyPatch) -> None:
    wayland.setattr(wlroots, "open_wlroots", lambda: Windows("wayland-wlroots"))
    wayland.setattr(kde, "open_kwin", unavailable("should not be asked"))
    windows, idle = select.open_desktop(idle_thresholds=(10.0,))
    assert windows.name == "wayland-wlroots"
    assert isinstance(idle, Idle) and Idle.asked == (10.0,)


def test_kwin_when_the_compositor_has_no_wlroots_window_list(
    wayland: pytest.MonkeyPatch,
) -> None:
    wayland.setattr(wlroots, "open_wlroots", unavailable("no zwlr_foreign_toplevel_manager_v1"))
    wayland.setattr(kde, "open_kwin", lambda: Windows("kwin"))
    windows, _ = select.open_desktop(idle_thresholds=(180.0,))
    assert windows.name == "kwin"
    assert Idle.asked == (180.0,)  # the default idle_after


def test_a_backend_that_fails_its_first_read_is_closed_and_skipped(
    wayland: pytest.MonkeyPatch,
) -> None:
    broken = Windows("wayland-wlroots", lost=True)
    wayland.setattr(wlroots, "open_wlroots", lambda: broken)
    wayland.setattr(kde, "open_kwin", lambda: Windows("kwin"))
    windows, _ = select.open_desktop(idle_thresholds=(180.0,))
    assert windows.name == "kwin"
    assert broken.closed


def test_no_native_backend_says_why_each_failed(wayland: pytest.MonkeyPatch) -> None:
    wayland.setattr(wlroots, "open_wlroots", unavailable("no wlroots window list"))
    wayland.setattr(kde, "open_kwin", unavailable("KWin is not running"))
    with pytest.raises(
        BackendUnavailable,
        match="wlroots windows: no wlroots window list; kwin windows: KWin is not running",
    ):
        select.open_desktop(idle_thresholds=(180.0,))


def test_without_idle_notifications_idle_reads_as_zero(wayland: pytest.MonkeyPatch) -> None:
    wayland.setattr(wlroots, "open_wlroots", lambda: Windows("wayland-wlroots"))
    wayland.setattr(wayland_idle, "WaylandIdle", unavailable("no idle protocol"))
    _, idle = select.open_desktop(idle_thresholds=(180.0,))
    assert idle.idle_seconds() == 0.0


def test_xwayland_alone_is_not_taken_for_seeing_the_desktop(
    wayland: pytest.MonkeyPatch,
) -> None:
    from breather.monitor.x11 import desktop as x11

    wayland.setenv("DISPLAY", ":0")
    wayland.setattr(wlroots, "open_wlroots", unavailable("no wlroots window list"))
    wayland.setattr(kde, "open_kwin", unavailable("KWin is not running"))
    xwayland = Windows("x11")
    wayland.setattr(x11, "open_x11", lambda: xwayland)
    with pytest.raises(BackendUnavailable, match="Xwayland would see only X11 apps"):
        select.open_desktop(idle_thresholds=(180.0,))
