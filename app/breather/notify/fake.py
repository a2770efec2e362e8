"""A notifier that shows nothing and remembers everything: for tests and for `--demo`."""

from __future__ import annotations

from dataclasses import dataclass, field

from breather.notify.base import ActionHandler, ClosedHandler, Notification, NotifierUnavailable


@dataclass
class Shown:
    id: int
    notification: Notification
    closed: bool = False


@dataclass
class RecordingNotifier:
    """Keeps every notification; `invoke` plays the person pressing a button."""

    name: str = "recording"
    supports_actions: bool = True
    quiet: bool = False
    broken: bool = False  # True: no server, every notify raises NotifierUnavailable
    shown: list[Shown] = field(default_factory=list)
    _next: int = 1
    _on_action: ActionHandler | None = None
    _on_closed: ClosedHandler | None = None

    def notify(self, notification: Notification) -> int:
        if self.broken:
            raise NotifierUnavailable("the recording notifier is set to fail")
        if notification.replaces:
            for item in self.shown:
                if item.id == notification.replaces and not item.closed:
                    item.notification = notification
                    return item.id
        shown = Shown(self._next, notification)
        self._next += 1
        self.shown.append(shown)
        return shown.id

    def close(self, notification_id: int) -> None:
        for item in self.shown:
            if item.id == notification_id:
                item.closed = True

    def listen(self, on_action: ActionHandler, on_closed: ClosedHandler | None = None) -> None:
        self._on_action = on_action
        self._on_closed = on_closed

    def do_not_disturb(self) -> bool:
        return self.quiet

    def shutdown(self) -> None:
        pass

    # -- for tests -------------------------------------------------------------------------

    @property
    def open(self) -> list[Notification]:
        return [item.notification for item in self.shown if not item.closed]

    def invoke(self, notification_id: int, key: str) -> None:
        """The person pressed the button `key` (servers then close the notification)."""
        assert self._on_action is not None, "nobody listens"
        self._on_action(notification_id, key)
        self.close(notification_id)
        if self._on_closed is not None:
            self._on_closed(notification_id, 2)
