"""One notifier in front of another: desktop notifications, and the tray balloon when there
is no notification server (or it goes away)."""

from __future__ import annotations

import threading
from dataclasses import replace

from breather.notify.base import (
    ActionHandler,
    ClosedHandler,
    Notification,
    Notifier,
    NotifierUnavailable,
)


class FallbackNotifier:
    """Shows through `primary` while it works and through `fallback` otherwise.

    Ids are its own, so an update or a close always reaches whichever notifier showed it.
    """

    name = "fallback"

    def __init__(self, primary: Notifier, fallback: Notifier) -> None:
        self._notifiers = (primary, fallback)
        self._lock = threading.Lock()
        self._next = 1
        self._shown: dict[int, tuple[int, int]] = {}  # our id -> (which notifier, its id)
        self._ours: dict[tuple[int, int], int] = {}
        self._on_action: ActionHandler | None = None
        self._on_closed: ClosedHandler | None = None
        for index, notifier in enumerate(self._notifiers):
            notifier.listen(*self._listeners(index))

    @property
    def supports_actions(self) -> bool:
        return self._notifiers[0].supports_actions

    def notify(self, notification: Notification) -> int:
        with self._lock:
            earlier = self._shown.get(notification.replaces)
        for index, notifier in enumerate(self._notifiers):
            replaces = earlier[1] if earlier is not None and earlier[0] == index else 0
            if earlier is not None and earlier[0] != index:
                self._notifiers[earlier[0]].close(earlier[1])
            try:
                shown = notifier.notify(replace(notification, replaces=replaces))
            except NotifierUnavailable:
                if index == len(self._notifiers) - 1:
                    raise
                continue
            with self._lock:
                ours = notification.replaces if earlier is not None else self._next
                if earlier is None:
                    self._next += 1
                else:
                    self._ours.pop(earlier, None)
                self._shown[ours] = (index, shown)
                self._ours[(index, shown)] = ours
            return ours
        raise NotifierUnavailable("no way to show notifications")

    def close(self, notification_id: int) -> None:
        with self._lock:
            found = self._shown.pop(notification_id, None)
            if found is not None:
                self._ours.pop(found, None)
        if found is not None:
            self._notifiers[found[0]].close(found[1])

    def listen(self, on_action: ActionHandler, on_closed: ClosedHandler | None = None) -> None:
        self._on_action, self._on_closed = on_action, on_closed

    def do_not_disturb(self) -> bool:
        return any(notifier.do_not_disturb() for notifier in self._notifiers)

    def shutdown(self) -> None:
        for notifier in self._notifiers:
            notifier.shutdown()

    def _listeners(self, index: int) -> tuple[ActionHandler, ClosedHandler]:
        def on_action(notification_id: int, key: str) -> None:
            self._action(index, notification_id, key)

        def on_closed(notification_id: int, reason: int) -> None:
            self._closed(index, notification_id, reason)

        return on_action, on_closed

    def _action(self, index: int, notification_id: int, key: str) -> None:
        with self._lock:
            ours = self._ours.get((index, notification_id))
        if ours is not None and self._on_action is not None:
            self._on_action(ours, key)

    def _closed(self, index: int, notification_id: int, reason: int) -> None:
        with self._lock:
            ours = self._ours.pop((index, notification_id), None)
            if ours is not None:
                self._shown.pop(ours, None)
        if ours is not None and self._on_closed is not None:
            self._on_closed(ours, reason)
