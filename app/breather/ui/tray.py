"""The tray icon: today's time at a glance and the few things people do from there."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

PAUSE_CHOICES = (("For 30 minutes", 30), ("For 1 hour", 60), ("Until tomorrow", None))


class Tray(QObject):
    """Signals:
    open_requested(): show the main window.
    pause_requested(object): pause tracking for the given minutes (int) or until tomorrow (None).
    resume_requested(): resume tracking now.
    break_requested(str): take a break now, of this kind ("eyes" or "movement").
    self_help_requested(): show the self-help page.
    checkin_requested(): ask how the person feels, now.
    quit_requested(): quit Breather.
    """

    open_requested = Signal()
    pause_requested = Signal(object)
    resume_requested = Signal()
    break_requested = Signal(str)
    self_help_requested = Signal()
    checkin_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon, self)
        self.menu = QMenu()
        self.menu.setAccessibleName("Breather")
        self.open_action = self._add("&Open Breather", self.open_requested.emit)
        self.menu.addSeparator()
        self.pause_menu = self.menu.addMenu("&Pause tracking")
        self.pause_actions: list[QAction] = []
        for label, minutes in PAUSE_CHOICES:
            action = self.pause_menu.addAction(label)
            action.triggered.connect(lambda _=False, m=minutes: self.pause_requested.emit(m))
            self.pause_actions.append(action)
        self.resume_action = self._add("&Resume tracking", self.resume_requested.emit)
        self.resume_action.setVisible(False)
        self.break_menu = self.menu.addMenu("Take a &break now")
        self.break_action = self.break_menu.menuAction()
        self.break_actions: dict[str, QAction] = {}
        for kind, label in (("eyes", "Rest my &eyes"), ("movement", "Get up and &move")):
            action = self.break_menu.addAction(label)
            action.triggered.connect(lambda _=False, k=kind: self.break_requested.emit(k))
            self.break_actions[kind] = action
        self.checkin_action = self._add("How am I &feeling?", self.checkin_requested.emit)
        self.menu.addSeparator()
        self.help_action = self._add("&Self-help and crisis lines", self.self_help_requested.emit)
        self.menu.addSeparator()
        self.quit_action = self._add("&Quit Breather", self.quit_requested.emit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.setToolTip("Breather")

    def _add(self, label: str, slot: object) -> QAction:
        action = self.menu.addAction(label)
        action.triggered.connect(slot)
        return action

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_break_lengths(self, eyes: str, movement: str) -> None:
        """Say in the menu how long each break lasts, as the settings have it."""
        self.break_actions["eyes"].setText(f"Rest my &eyes ({eyes})")
        self.break_actions["movement"].setText(f"Get up and &move ({movement})")

    def set_status(self, text: str, paused_until: datetime | None) -> None:
        """Tooltip text, and whether the menu offers pausing or resuming."""
        self.icon.setToolTip(text)
        paused = paused_until is not None
        self.pause_menu.menuAction().setVisible(not paused)
        self.resume_action.setVisible(paused)
        if paused_until is not None and paused_until.year < datetime.max.year:
            self.resume_action.setText(f"&Resume tracking (paused until {paused_until:%H:%M})")
        else:
            self.resume_action.setText("&Resume tracking")

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()
