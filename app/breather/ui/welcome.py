"""First run: what Breather does, what it never does, and the evidence-based defaults.

One screen, one button. Nothing here is required: closing it keeps the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from breather import APP_NAME
from breather.desktop.autostart import for_this_system
from breather.desktop.autostart.base import Autostart
from breather.desktop.entry import login_command
from breather.notify.presenter import spoken
from breather.settings.model import Settings, load_settings
from breather.settings.paths import WELCOMED_MARKER
from breather.settings.writer import LimitEdit, update_config
from breather.ui import theme


@dataclass(frozen=True, slots=True)
class WelcomeChoices:
    breaks: bool = True
    social_limit: bool = False
    #: A daily mood check-in: offered, never on unless ticked.
    checkin: bool = False
    #: Start at login; only ever on when the person ticked it and pressed Start.
    autostart: bool = False


class WelcomeDialog(QDialog):
    """Shows once; `choices()` tells what the person picked."""

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        """`settings` are those in force: the text says the cadences they give."""
        super().__init__(parent)
        settings = settings or Settings()
        breaks = settings.breaks
        away = spoken(settings.tracking.idle_after)
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)

        title = QLabel(f"Welcome to {APP_NAME}")
        title.setFont(theme.heading_font(self.font(), 1.7))
        layout.addWidget(title)
        intro = QLabel(
            "Breather quietly notices which app and window you are using and when you step "
            "away, so it can show you your day and remind you to rest."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        facts = QLabel(
            "<ul style='margin-left:-20px'>"
            "<li><b>What it keeps:</b> app names, window titles, and when you are away "
            f"(no keyboard or mouse for {away}).</li>"
            "<li><b>What it never keeps:</b> keystrokes, screenshots, "
            "or what you type or read.</li>"
            "<li><b>Where it goes:</b> nowhere. Everything stays on this computer; "
            "there is no account and nothing is sent.</li>"
            "</ul>"
        )
        facts.setWordWrap(True)
        facts.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(facts)

        eyes, movement = breaks.eyes, breaks.movement
        self.breaks = QCheckBox(
            f"&Remind me to rest my eyes ({spoken(eyes.duration)} every {spoken(eyes.every)})\n"
            f"and to get up and move ({spoken(movement.duration)} every "
            f"{spoken(movement.every)})"
        )
        self.breaks.setChecked(True)
        self.breaks.setAccessibleName("Break reminders")
        self.social_limit = QCheckBox("A gentle &30-minute daily limit for social media")
        self.social_limit.setAccessibleName("Social media limit")
        self.checkin = QCheckBox(
            "Ask me once a day how I &feel (one tap, always skippable), so I can see\n"
            "whether my boundaries help"
        )
        self.checkin.setChecked(False)
        self.checkin.setAccessibleName("Daily mood check-in")
        layout.addWidget(self.breaks)
        layout.addWidget(self.social_limit)
        layout.addWidget(self.checkin)
        self.autostart = QCheckBox(f"Start {APP_NAME} when I &log in")
        self.autostart.setChecked(False)  # opt-in: nothing starts at login unless asked
        self.autostart.setAccessibleName("Start at login")
        layout.addWidget(self.autostart)

        note = QLabel("You can change any of this later in Settings.")
        note.setObjectName("muted")
        layout.addWidget(note)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton(f"&Start {APP_NAME}")
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.accept)
        buttons.addWidget(self.start_button)
        layout.addLayout(buttons)

    def choices(self) -> WelcomeChoices:
        accepted = self.result() == QDialog.DialogCode.Accepted
        return WelcomeChoices(
            self.breaks.isChecked(),
            self.social_limit.isChecked(),
            checkin=self.checkin.isChecked(),
            autostart=accepted and self.autostart.isChecked(),
        )


def apply_welcome(
    choices: WelcomeChoices,
    config_file: Path,
    data_dir: Path,
    autostart: Autostart | None = None,
) -> None:
    """Write what differs from the defaults to the config, and remember the welcome was seen.

    Autostart is turned on last (with `autostart`, or this system's backend), so a failure
    there (AutostartError) costs neither the settings nor the welcome.
    """
    values: dict[tuple[str, ...], object] = {}
    limits: list[LimitEdit] = []
    if not choices.breaks:
        values[("breaks", "eyes", "enabled")] = False
        values[("breaks", "movement", "enabled")] = False
    if choices.checkin:
        values[("checkin", "ask")] = True
    written, _problems = load_settings(config_file)
    social = "Social media"
    if choices.social_limit and all(limit.category != social for limit in written.limits):
        limits.append(LimitEdit(None, {"category": social, "daily": "30m"}))
    if values or limits:
        update_config(config_file, values, limits)
    (data_dir / WELCOMED_MARKER).touch(mode=0o600)
    if choices.autostart:
        (autostart or for_this_system()).enable(login_command())
