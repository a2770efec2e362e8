"""The notification seam: what any way of telling the person something must offer.

Implementations: `freedesktop` (the session D-Bus, with actions), `tray` (the Qt tray balloon,
no actions: the desktop app's fallback) and `fake` (records everything, for tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol


class NotifierUnavailable(Exception):
    """Notifications cannot be shown this way here; the message says why."""


class Urgency(IntEnum):
    """The freedesktop urgency levels. Breather never uses "critical": nothing here is an alarm."""

    LOW = 0
    NORMAL = 1


#: The action a notification server invokes when the body itself is clicked.
DEFAULT_ACTION = "default"


@dataclass(frozen=True, slots=True)
class Notification:
    """One notification. `actions` are (key, label) pairs; `timeout_ms` -1 leaves it to the
    server, 0 keeps it until answered. `replaces` updates an earlier one in place."""

    summary: str
    body: str = ""
    actions: tuple[tuple[str, str], ...] = ()
    urgency: Urgency = Urgency.NORMAL
    timeout_ms: int = -1
    replaces: int = 0
    category: str = ""


#: (notification id, action key); called on the notifier's own thread.
ActionHandler = Callable[[int, str], None]
#: (notification id, reason: 1 expired, 2 dismissed, 3 closed by us, 4 other).
ClosedHandler = Callable[[int, int], None]


class Notifier(Protocol):
    """Shows notifications and reports what the person did with them."""

    name: str

    @property
    def supports_actions(self) -> bool:
        """Whether the person can answer through the notification's buttons."""
        ...

    def notify(self, notification: Notification) -> int:
        """Show (or replace) a notification; returns its id. Raises NotifierUnavailable."""
        ...

    def close(self, notification_id: int) -> None:
        """Take a notification away; one already gone is fine."""
        ...

    def listen(self, on_action: ActionHandler, on_closed: ClosedHandler | None = None) -> None:
        """Where to report invoked actions and closed notifications (from any thread)."""
        ...

    def do_not_disturb(self) -> bool:
        """Whether the person has asked the desktop for quiet (False when it cannot tell)."""
        ...

    def shutdown(self) -> None:
        """Stop listening and let go of the connection."""
        ...
