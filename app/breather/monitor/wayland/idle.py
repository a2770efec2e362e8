"""Idle time on Wayland from the compositor's idle notifications (an IdleSource).

ext-idle-notify-v1 (wlroots ≥ 0.16, KWin ≥ 5.27, and others) where the compositor offers it,
else KDE's org_kde_kwin_idle (KWin, and sway 1.7 / wlroots 0.15, which have nothing newer).
Both only say "no input for at least T" and "input again", once per notification asked for,
so one notification is registered per threshold the caller compares idle time with, and
`IdleFromEvents` turns them into polled idle seconds, exact at each threshold.

A small thread sleeps on the connection's socket and wakes only for these notifications (two
per pause and threshold, whatever the person types), so each is timed when it arrives.
ext-idle-notify v1 notifications wait while an app inhibits idle (a video playing): that
time counts as present, as a person watching a film is.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
from collections.abc import Sequence
from typing import Any

from breather.monitor.base import BackendUnavailable, SourceLost
from breather.monitor.idle_events import IdleFromEvents
from breather.monitor.wayland.connection import WaylandConnection

EXT_IDLE_NOTIFIER = "ext_idle_notifier_v1"
KDE_IDLE = "org_kde_kwin_idle"
_STOP_TIMEOUT = 2.0


def idle_protocol(globals_offered: Sequence[str]) -> str | None:
    """The idle protocol to use among the compositor's globals, best first; None if neither."""
    for interface in (EXT_IDLE_NOTIFIER, KDE_IDLE):
        if interface in globals_offered:
            return interface
    return None


class WaylandIdle:
    """Idle seconds from a Wayland compositor's idle notifications.

    `idle_thresholds` are the idle times (seconds) the caller compares with, such as
    `idle_after` and a break's rest time; `idle_seconds()` is exact at each of them, 0.0
    below the smallest. Raises BackendUnavailable, saying why, when there is no Wayland
    display, pywayland is missing, or the compositor offers no idle protocol or no seat.
    `display_name` defaults to $WAYLAND_DISPLAY.
    """

    name = "wayland idle"

    def __init__(
        self, idle_thresholds: Sequence[float], *, display_name: str | None = None
    ) -> None:
        self._idle = IdleFromEvents(idle_thresholds)
        self._conn = WaylandConnection(display_name, keep_registry=False)
        self._notifications: list[Any] = []
        self._lost: SourceLost | None = None
        self._wake_read, self._wake_write = os.pipe()
        self._thread: threading.Thread | None = None
        try:
            self.protocol = self._register()
            self._conn.roundtrip()  # the compositor accepted every notification
        except SourceLost as exc:
            self._close_connection()
            raise BackendUnavailable(str(exc)) from exc
        except BaseException:
            self._close_connection()
            raise
        self._thread = threading.Thread(
            target=self._listen, name="breather-wayland-idle", daemon=True
        )
        self._thread.start()

    @property
    def thresholds(self) -> tuple[float, ...]:
        """The idle times notified, in seconds, ascending."""
        return self._idle.thresholds

    def describe(self) -> str:
        """One line for diagnostics: compositor, protocol and the thresholds asked for."""
        asked = ", ".join(f"{t:g} s" for t in self.thresholds)
        return (
            f"Wayland compositor at {self._conn.display_name}: idle from {self.protocol} "
            f"(notified at {asked}; input is not hooked)"
        )

    def idle_seconds(self) -> float:
        """Seconds without input, exact at each threshold; SourceLost once the compositor left."""
        if self._lost is not None:
            raise self._lost
        return self._idle.idle_seconds()

    def close(self) -> None:
        """Stop listening and disconnect. Safe to call twice."""
        if self._thread is not None:
            with contextlib.suppress(OSError):
                os.write(self._wake_write, b"x")
            self._thread.join(_STOP_TIMEOUT)
            self._thread = None
        self._close_connection()

    # -- internals -------------------------------------------------------------------------

    def _register(self) -> str:
        from breather.monitor.wayland.protocols.ext_idle_notify_v1 import ExtIdleNotifierV1
        from breather.monitor.wayland.protocols.idle import OrgKdeKwinIdle

        conn = self._conn
        protocol = idle_protocol(list(conn.globals))
        if protocol is None:
            raise BackendUnavailable(
                f"the Wayland compositor at {conn.display_name} offers neither "
                f"{EXT_IDLE_NOTIFIER} nor {KDE_IDLE}, so idle time cannot be known"
            )
        seat = conn.bind_seat()
        if protocol == EXT_IDLE_NOTIFIER:
            notifier = conn.bind(ExtIdleNotifierV1, 1)
            for threshold in self.thresholds:
                note = notifier.get_idle_notification(_milliseconds(threshold), seat)
                note.dispatcher["idled"] = self._on_idle(threshold)
                note.dispatcher["resumed"] = self._on_resumed
                self._notifications.append(note)
        else:
            kde_idle = conn.bind(OrgKdeKwinIdle, 1)
            for threshold in self.thresholds:
                note = kde_idle.get_idle_timeout(seat, _milliseconds(threshold))
                note.dispatcher["idle"] = self._on_idle(threshold)
                note.dispatcher["resumed"] = self._on_resumed
                self._notifications.append(note)
        conn.done_binding()
        return protocol

    def _on_idle(self, threshold: float) -> Any:
        def idled(_notification: Any) -> None:
            self._idle.idled(threshold)

        return idled

    def _on_resumed(self, _notification: Any) -> None:
        self._idle.resumed()

    def _listen(self) -> None:
        while True:
            try:
                self._conn.wait_for_events(3600.0, wake_fd=self._wake_read)
            except SourceLost as lost:
                self._lost = lost
                return
            if _readable(self._wake_read):
                return

    def _close_connection(self) -> None:
        self._notifications.clear()
        self._conn.close()
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_read = self._wake_write = -1


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _readable(fd: int) -> bool:
    return bool(select.select([fd], [], [], 0)[0])
