"""The weekly note as a notification on Sunday evening, with a button that opens the week."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from breather.clock import Clock
from breather.data.reflection import reflect
from breather.data.trends import week_trends
from breather.notify.base import (
    DEFAULT_ACTION,
    ActionHandler,
    ClosedHandler,
    Notification,
    Notifier,
    NotifierUnavailable,
    Urgency,
)
from breather.rules.checkin import ReflectionPolicy, next_reflection
from breather.ui.context import AppContext

OPEN_WEEK = "open-week"


class SharedNotifier:
    """One notifier that several listeners may listen to (the boundaries' notifications and
    the weekly note each hear their own actions; unknown ids are ignored by each)."""

    def __init__(self, inner: Notifier) -> None:
        self._inner = inner
        self._actions: list[ActionHandler] = []
        self._closed: list[ClosedHandler] = []
        self.name = inner.name
        inner.listen(self._action, self._closed_one)

    @property
    def supports_actions(self) -> bool:
        return self._inner.supports_actions

    def notify(self, notification: Notification) -> int:
        return self._inner.notify(notification)

    def close(self, notification_id: int) -> None:
        self._inner.close(notification_id)

    def listen(self, on_action: ActionHandler, on_closed: ClosedHandler | None = None) -> None:
        self._actions.append(on_action)
        if on_closed is not None:
            self._closed.append(on_closed)

    def do_not_disturb(self) -> bool:
        return self._inner.do_not_disturb()

    def shutdown(self) -> None:
        self._inner.shutdown()

    def _action(self, notification_id: int, key: str) -> None:
        for handler in list(self._actions):
            handler(notification_id, key)

    def _closed_one(self, notification_id: int, reason: int) -> None:
        for handler in list(self._closed):
            handler(notification_id, reason)


class WeeklyNote(QObject):
    """Sends the week's note on Sunday at the chosen time, when turned on.

    Signals:
        sent_note(): the note is on the desktop ("Open the week" may follow).
        open_week(): the person pressed "Open the week" (or the note itself).
    """

    sent_note = Signal()
    open_week = Signal()
    _acted = Signal(int, str)  # from the notifier's thread to this one

    def __init__(
        self,
        context: AppContext,
        notifier: SharedNotifier,
        clock: Clock,
        policy: ReflectionPolicy,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._notifier = notifier
        self._clock = clock
        self._policy = policy
        self.sent: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.send)
        self._acted.connect(self._on_action)
        notifier.listen(self._acted.emit)
        self._arm()

    def set_policy(self, policy: ReflectionPolicy) -> None:
        self._policy = policy
        self._arm()

    def note(self) -> str:
        """This week's note as it would be sent now."""
        context = self._context
        today = context.today()
        earlier, this = week_trends(
            context.db,
            today,
            context.settings.tracking.day_starts,
            context.categorizer,
            context.settings.limits,
            weeks=2,
        )
        return reflect(this, earlier).text()

    def send(self) -> int | None:
        """Send the note now (quietly skipped while the desktop asks for quiet)."""
        self._arm()
        if self._notifier.do_not_disturb():
            return None
        # The note itself opens the week too (the server's "default" action: its body).
        actions = (
            ((DEFAULT_ACTION, "Open the week"), (OPEN_WEEK, "Open the week"))
            if self._notifier.supports_actions
            else ()
        )
        try:
            self.sent = self._notifier.notify(
                Notification(
                    "Your week, in a few lines",
                    self.note(),
                    actions=actions,
                    urgency=Urgency.LOW,
                    category="presence",
                )
            )
        except NotifierUnavailable:
            return None
        self.sent_note.emit()
        return self.sent

    def close(self) -> None:
        self._timer.stop()

    def _on_action(self, notification_id: int, key: str) -> None:
        if notification_id == self.sent and key in (OPEN_WEEK, DEFAULT_ACTION):
            self.open_week.emit()
            # Its job is done: some servers (dunst) keep a note on screen after an action.
            self._notifier.close(notification_id)

    def _arm(self) -> None:
        self._timer.stop()
        if not self._policy.notify:
            return
        now = self._clock.now()
        wait = (next_reflection(self._policy, now + timedelta(seconds=1)) - now).total_seconds()
        self._timer.start(max(1000, round(wait * 1000)))
