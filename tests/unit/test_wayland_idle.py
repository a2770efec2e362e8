"""Idle on Wayland asks the compositor for one notification per threshold that tracking and
breaks compare with, preferring ext-idle-notify, and turns them into polled idle seconds.
No compositor: a fake connection records what is asked and fires the notifications."""

from __future__ import annotations

import select
import threading
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from breather.monitor.base import BackendUnavailable, SourceLost
from breather.monitor.wayland import idle as wayland_idle
from breather.monitor.wayland.idle import WaylandIdle, idle_protocol


class Notification:
    def __init__(self, timeout_ms: int) -> None:
        self.timeout_ms = timeout_ms
        self.dispatcher: dict[str, Callable[[Any], None]] = {}


class Notifier:
    """ext_idle_notifier_v1 or org_kde_kwin_idle: records each notification asked for."""

    def __init__(self, interface: str) -> None:
        self.interface = interface
        self.notifications: list[Notification] = []

    def get_idle_notification(self, timeout_ms: int, seat: object) -> Notification:
        assert self.interface == "ext_idle_notifier_v1" and seat == "seat"
        return self._new(timeout_ms)

    def get_idle_timeout(self, seat: object, timeout_ms: int) -> Notification:
        assert self.interface == "org_kde_kwin_idle" and seat == "seat"
        return self._new(timeout_ms)

    def _new(self, timeout_ms: int) -> Notification:
        self.notifications.append(Notification(timeout_ms))
        return self.notifications[-1]


class FakeConnection:
    """Stands in for WaylandConnection; its listening thread sleeps until woken."""

    offers: tuple[str, ...] = ("wl_seat", "ext_idle_notifier_v1", "org_kde_kwin_idle")
    made: ClassVar[list[FakeConnection]] = []

    def __init__(self, display_name: str | None = None, *, keep_registry: bool = True) -> None:
        self.display_name = display_name or "wayland-test"
        self.globals = {name: (n, 1) for n, name in enumerate(self.offers)}
        self.keeps_registry = keep_registry
        self.notifier: Notifier | None = None
        self.lose = threading.Event()
        self.closed = False
        FakeConnection.made.append(self)

    def bind_seat(self) -> str:
        return "seat"

    def bind(self, interface: type[Any], max_version: int) -> Notifier:
        self.notifier = Notifier(interface.name)
        return self.notifier

    def done_binding(self) -> None:
        pass

    def roundtrip(self) -> None:
        pass

    def wait_for_events(self, timeout: float, *, wake_fd: int | None = None) -> bool:
        assert wake_fd is not None
        while not select.select([wake_fd], [], [], 0.01)[0]:
            if self.lose.is_set():
                raise SourceLost("the Wayland compositor at wayland-test closed the connection")
        return False

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def connection(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeConnection]:
    FakeConnection.made = []

    def use(*offers: str) -> FakeConnection:
        monkeypatch.setattr(FakeConnection, "offers", ("wl_seat", *offers))
        return FakeConnection

    monkeypatch.setattr(wayland_idle, "WaylandConnection", FakeConnection)
    return use  # type: ignore[return-value]


def test_one_notification_per_distinct_threshold_in_milliseconds(connection: Any) -> None:
    connection("ext_idle_notifier_v1")
    idle = WaylandIdle([180, 10, 10.0, 0.2])
    try:
        conn = FakeConnection.made[0]
        assert conn.notifier is not None
        asked = [note.timeout_ms for note in conn.notifier.notifications]
        assert asked == [1000, 10_000, 180_000]  # below a second is not worth a wake-up
        assert idle.thresholds == (1.0, 10.0, 180.0)
        assert not conn.keeps_registry  # see WaylandConnection: it would mislead pywayland
    finally:
        idle.close()


def test_ext_idle_notify_is_preferred_and_kde_idle_is_the_fallback(connection: Any) -> None:
    assert idle_protocol(["org_kde_kwin_idle", "ext_idle_notifier_v1"]) == "ext_idle_notifier_v1"
    assert idle_protocol(["wl_seat", "org_kde_kwin_idle"]) == "org_kde_kwin_idle"
    connection("org_kde_kwin_idle")
    idle = WaylandIdle([10])
    try:
        assert idle.protocol == "org_kde_kwin_idle"
        assert "org_kde_kwin_idle" in idle.describe()
    finally:
        idle.close()


def test_no_idle_protocol_is_unavailable_saying_which_were_looked_for(connection: Any) -> None:
    connection()
    with pytest.raises(BackendUnavailable, match="ext_idle_notifier_v1 nor org_kde_kwin_idle"):
        WaylandIdle([10])
    assert FakeConnection.made[0].closed


def test_notifications_become_idle_seconds_until_input_comes_back(connection: Any) -> None:
    connection("ext_idle_notifier_v1")
    idle = WaylandIdle([10, 180])
    try:
        notifier = FakeConnection.made[0].notifier
        assert notifier is not None
        ten, hundred_eighty = notifier.notifications
        assert idle.idle_seconds() == 0.0
        ten.dispatcher["idled"](ten)
        assert 10.0 <= idle.idle_seconds() < 11.0
        hundred_eighty.dispatcher["idled"](hundred_eighty)
        assert 180.0 <= idle.idle_seconds() < 181.0
        ten.dispatcher["resumed"](ten)
        assert idle.idle_seconds() == 0.0
    finally:
        idle.close()


def test_kde_idle_events_have_their_own_names(connection: Any) -> None:
    connection("org_kde_kwin_idle")
    idle = WaylandIdle([10])
    try:
        notifier = FakeConnection.made[0].notifier
        assert notifier is not None
        (note,) = notifier.notifications
        note.dispatcher["idle"](note)
        assert idle.idle_seconds() >= 10.0
        note.dispatcher["resumed"](note)
        assert idle.idle_seconds() == 0.0
    finally:
        idle.close()


def test_the_compositor_going_away_is_source_lost(connection: Any) -> None:
    connection("ext_idle_notifier_v1")
    idle = WaylandIdle([10])
    try:
        FakeConnection.made[0].lose.set()
        thread = idle._thread
        assert thread is not None
        thread.join(5)
        with pytest.raises(SourceLost):
            idle.idle_seconds()
    finally:
        idle.close()


def test_close_stops_the_listener_and_disconnects_once(connection: Any) -> None:
    connection("ext_idle_notifier_v1")
    before = threading.active_count()
    idle = WaylandIdle([10])
    assert threading.active_count() == before + 1
    idle.close()
    idle.close()
    assert threading.active_count() == before
    assert FakeConnection.made[0].closed


def test_without_a_wayland_display_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(BackendUnavailable, match="WAYLAND_DISPLAY is not set"):
        WaylandIdle([10])
