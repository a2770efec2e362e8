"""The tray balloon as a notifier: the desktop app's fallback when no notification server runs.

A balloon has no buttons, so `supports_actions` is False: the app shows prompts that need an
answer as windows and uses this only to say things. Clicking the balloon counts as its
default action. Qt, so not part of the domain; everything else in `notify` is Qt-free.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon

from breather.notify.base import DEFAULT_ACTION, ActionHandler, ClosedHandler, Notification

#: How long a balloon stays when the notification asks to stay until answered.
STAY_MS = 15_000


class TrayNotifier:
    """Shows notifications as the tray icon's balloon (one at a time, like the tray does)."""

    name = "tray"
    supports_actions = False

    def __init__(self, icon: QSystemTrayIcon) -> None:
        self._icon = icon
        self._next = 1
        self._showing = 0
        self._on_action: ActionHandler | None = None
        self._on_closed: ClosedHandler | None = None
        icon.messageClicked.connect(self._clicked)

    def notify(self, notification: Notification) -> int:
        shown = notification.replaces or self._next
        if shown == self._next:
            self._next += 1
        timeout = STAY_MS if notification.timeout_ms <= 0 else notification.timeout_ms
        self._icon.showMessage(
            notification.summary,
            notification.body,
            QSystemTrayIcon.MessageIcon.NoIcon,
            timeout,
        )
        self._showing = shown
        return shown

    def close(self, notification_id: int) -> None:
        if notification_id == self._showing:
            # Qt has no call to take a balloon away; an empty message replaces it at once.
            self._icon.showMessage("", "", QSystemTrayIcon.MessageIcon.NoIcon, 1)
            self._showing = 0

    def listen(self, on_action: ActionHandler, on_closed: ClosedHandler | None = None) -> None:
        self._on_action = on_action
        self._on_closed = on_closed

    def do_not_disturb(self) -> bool:
        return False

    def shutdown(self) -> None:
        self._showing = 0

    def _clicked(self) -> None:
        if self._showing and self._on_action is not None:
            self._on_action(self._showing, DEFAULT_ACTION)
