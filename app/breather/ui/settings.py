"""Settings: breaks, limits, quiet hours, intention prompts, tracking and privacy.

Everything is written back to `breather.toml` through tomlkit, so the person's comments and
layout stay; only keys whose value changed are touched. The file is checked again after
saving and any problem is shown, never hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from breather import APP_NAME
from breather.desktop.autostart import for_this_system
from breather.desktop.autostart.base import Autostart, AutostartError
from breather.desktop.entry import login_command
from breather.rules.policy import Limit
from breather.settings.model import Settings, load_settings
from breather.settings.writer import ConfigWriteError, update_config
from breather.ui import theme
from breather.ui.context import AppContext
from breather.ui.widgets import Card

MAX_LIMITS = 6


def _minutes(label: str, seconds: float, low: int, high: int, suffix: str = " min") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(round(seconds / 60))
    box.setSuffix(suffix)
    box.setAccessibleName(label)
    return box


def _seconds(label: str, seconds: float, low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(round(seconds))
    box.setSuffix(" s")
    box.setAccessibleName(label)
    return box


def _time_edit(label: str, value: time | None, default: time) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    chosen = value or default
    edit.setTime(QTime(chosen.hour, chosen.minute))
    edit.setAccessibleName(label)
    return edit


def _duration_text(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text + (f"{secs}s" if secs or not text else "")


class _LimitRow:
    """One limit: what it applies to (a category or an app) and minutes a day."""

    def __init__(self, categories: tuple[str, ...], limit: Limit | None) -> None:
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.addItem("(no limit)")
        self.target.addItems(list(categories))
        self.target.setAccessibleName("Limit applies to (a category, or type an app name)")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setSuffix(" min a day")
        self.minutes.setAccessibleName("Minutes a day")
        self.original = limit
        if limit is not None:
            self.target.setCurrentText(limit.category or limit.app or "")
            self.minutes.setValue(round((limit.daily or limit.weekday or 1800) / 60))
        else:
            self.minutes.setValue(30)

    def entry(self, categories: tuple[str, ...]) -> dict[str, Any] | None:
        name = self.target.currentText().strip()
        if not name or name == "(no limit)":
            return None
        entry: dict[str, Any] = {"category": name} if name in categories else {"app": name}
        original = self.original
        if original is not None and original.daily is None and original.key.endswith(name):
            # Weekday/weekend values were written by hand: keep them as they are.
            for key in ("weekday", "weekend"):
                value = getattr(original, key)
                if value is not None:
                    entry[key] = _duration_text(value)
            return entry
        entry["daily"] = _duration_text(self.minutes.value() * 60)
        return entry


class SettingsPage(QScrollArea):
    """Signals:
    saved(object): the settings as read back from the file after saving.
    """

    saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        categories: tuple[str, ...],
        parent: QWidget | None = None,
        *,
        on_saved: Callable[[Settings], None] | None = None,
        autostart: Autostart | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._categories = categories
        self._autostart = autostart or for_this_system()
        if on_saved is not None:
            self.saved.connect(on_saved)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(18)
        heading = QLabel("Settings")
        heading.setFont(theme.heading_font(self.font(), 1.8))
        layout.addWidget(heading)
        where = QLabel(f"Saved in {context.paths.config_file}, with your own notes kept.")
        where.setObjectName("muted")
        where.setWordWrap(True)
        layout.addWidget(where)

        settings = context.settings
        breaks = Card("Breaks")
        form = QFormLayout()
        self.eyes_on = QCheckBox("&Rest my eyes")
        self.eyes_on.setChecked(settings.breaks.eyes.enabled)
        self.eyes_every = _minutes("Eye break every", settings.breaks.eyes.every, 5, 240)
        self.eyes_for = _seconds("Eye break length", settings.breaks.eyes.duration, 5, 600)
        self.move_on = QCheckBox("&Get up and move")
        self.move_on.setChecked(settings.breaks.movement.enabled)
        self.move_every = _minutes("Movement break every", settings.breaks.movement.every, 10, 480)
        self.move_for = _minutes("Movement break length", settings.breaks.movement.duration, 1, 60)
        for check, every, length in (
            (self.eyes_on, self.eyes_every, self.eyes_for),
            (self.move_on, self.move_every, self.move_for),
        ):
            row = QHBoxLayout()
            row.addWidget(QLabel("every"))
            row.addWidget(every)
            row.addWidget(QLabel("of screen time, for"))
            row.addWidget(length)
            row.addStretch(1)
            form.addRow(check, row)
        breaks.body.addLayout(form)
        layout.addWidget(breaks)

        limits = Card("Daily limits")
        note = QLabel("A gentle prompt when you reach it, with “15 more minutes” always there.")
        note.setObjectName("muted")
        limits.body.addWidget(note)
        grid = QGridLayout()
        self.limit_rows: list[_LimitRow] = []
        existing = list(settings.limits)
        for index in range(max(MAX_LIMITS // 2, min(MAX_LIMITS, len(existing) + 1))):
            limit_row = _LimitRow(categories, existing[index] if index < len(existing) else None)
            grid.addWidget(limit_row.target, index, 0)
            grid.addWidget(limit_row.minutes, index, 1)
            limit_row.target.setMinimumWidth(260)
            self.limit_rows.append(limit_row)
        grid.setColumnStretch(2, 1)  # keep the rows compact on a wide window
        limits.body.addLayout(grid)
        layout.addWidget(limits)

        quiet = Card("Quiet hours and intentions")
        downtime = settings.downtime
        self.downtime_on = QCheckBox("&Quiet hours from")
        self.downtime_on.setChecked(downtime.enabled)
        self.downtime_from = _time_edit("Quiet hours start", downtime.start, time(22, 0))
        self.downtime_to = _time_edit("Quiet hours end", downtime.end, time(7, 0))
        row = QHBoxLayout()
        row.addWidget(self.downtime_on)
        row.addWidget(self.downtime_from)
        row.addWidget(QLabel("to"))
        row.addWidget(self.downtime_to)
        row.addStretch(1)
        quiet.body.addLayout(row)
        self.downtime_categories = self._category_checks(
            quiet,
            "Ask before opening, during quiet hours:",
            downtime.categories or ("Social media", "Video"),
        )
        self.intention_categories = self._category_checks(
            quiet, "Ask what I came for when I switch to:", settings.intention.categories
        )
        layout.addWidget(quiet)

        tracking = Card("Tracking")
        form = QFormLayout()
        self.idle_after = _minutes("Away after", settings.tracking.idle_after, 1, 60)
        self.day_starts = _time_edit("My day starts at", settings.tracking.day_starts, time(4, 0))
        form.addRow("Count me as away after", self.idle_after)
        form.addRow("My day starts at", self.day_starts)
        # Not in breather.toml: the autostart entry itself (which the desktop can also switch).
        self.autostart = QCheckBox(f"Start {APP_NAME} when I &log in")
        self.autostart.setAccessibleName("Start at login")
        self.autostart.setChecked(self._read_autostart())
        form.addRow("", self.autostart)
        tracking.body.addLayout(form)
        layout.addWidget(tracking)

        privacy = Card("Privacy")
        form = QFormLayout()
        self.exclude_apps = QLineEdit(", ".join(p.text for p in settings.privacy.exclude_apps))
        self.exclude_apps.setPlaceholderText("for example: keepassxc, signal")
        self.exclude_apps.setAccessibleName("Apps never recorded")
        self.titles = QCheckBox("Record &window titles (they make categories precise)")
        self.titles.setChecked(settings.privacy.titles)
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 3650)
        self.keep_days.setSpecialValueText("for ever")
        self.keep_days.setSuffix(" days")
        self.keep_days.setValue(settings.privacy.keep_days)
        self.keep_days.setAccessibleName("Keep data for")
        form.addRow("Never record these apps", self.exclude_apps)
        form.addRow("", self.titles)
        form.addRow("Keep data for", self.keep_days)
        privacy.body.addLayout(form)
        layout.addWidget(privacy)

        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setWidget(page)
        self._initial = self._values()

    def _read_autostart(self) -> bool:
        try:
            state = self._autostart.status()
        except AutostartError as why:
            self.autostart.setEnabled(False)
            self.autostart.setToolTip(str(why))
            return False
        self.autostart.setToolTip(state.note)
        return state.enabled

    def _save_autostart(self, on: bool) -> bool:
        try:
            state = self._autostart.enable(login_command()) if on else self._autostart.disable()
        except AutostartError as why:
            self.status.setText(str(why))
            return False
        self.autostart.setToolTip(state.note)
        return True

    def _category_checks(
        self, card: Card, caption: str, chosen: tuple[str, ...]
    ) -> dict[str, QCheckBox]:
        card.body.addWidget(QLabel(caption))
        grid = QGridLayout()
        checks: dict[str, QCheckBox] = {}
        for index, name in enumerate(c for c in self._categories if c not in ("Work", "Other")):
            check = QCheckBox(name)
            check.setChecked(name in chosen)
            check.setAccessibleName(f"{caption} {name}")
            grid.addWidget(check, index // 4, index % 4)
            checks[name] = check
        card.body.addLayout(grid)
        return checks

    def _values(self) -> dict[tuple[str, ...], Any]:
        """What the form says, as config keys and TOML values."""

        def clock(edit: QTimeEdit) -> str:
            return edit.time().toString("HH:mm")

        return {
            ("breaks", "eyes", "enabled"): self.eyes_on.isChecked(),
            ("breaks", "eyes", "every"): _duration_text(self.eyes_every.value() * 60),
            ("breaks", "eyes", "duration"): _duration_text(self.eyes_for.value()),
            ("breaks", "movement", "enabled"): self.move_on.isChecked(),
            ("breaks", "movement", "every"): _duration_text(self.move_every.value() * 60),
            ("breaks", "movement", "duration"): _duration_text(self.move_for.value() * 60),
            ("downtime", "from"): clock(self.downtime_from),
            ("downtime", "to"): clock(self.downtime_to),
            # Quiet hours are off when they ask about nothing; the times stay written.
            ("downtime", "categories"): [
                n for n, c in self.downtime_categories.items() if c.isChecked()
            ]
            if self.downtime_on.isChecked()
            else [],
            ("intention", "categories"): [
                n for n, c in self.intention_categories.items() if c.isChecked()
            ],
            ("tracking", "idle_after"): _duration_text(self.idle_after.value() * 60),
            ("tracking", "day_starts"): clock(self.day_starts),
            ("privacy", "exclude_apps"): [
                a.strip() for a in self.exclude_apps.text().split(",") if a.strip()
            ],
            ("privacy", "titles"): self.titles.isChecked(),
            ("privacy", "keep_days"): self.keep_days.value(),
            ("autostart",): self.autostart.isChecked(),
            ("limits",): [
                e for e in (r.entry(self._categories) for r in self.limit_rows) if e is not None
            ],
        }

    def save(self) -> bool:
        """Write what changed; True when the file is saved and reads back without problems."""
        values = self._values()
        changed = {k: v for k, v in values.items() if self._initial.get(k) != v}
        if not changed:
            self.status.setText("Nothing to save: everything is as it was.")
            return True
        tables: dict[str, list[dict[str, Any]]] = {}
        if ("limits",) in changed:
            tables["limits"] = changed.pop(("limits",))
        if ("autostart",) in changed and not self._save_autostart(changed.pop(("autostart",))):
            return False
        if changed.get(("downtime", "categories")):
            # Turning quiet hours on needs the whole schedule in the file.
            for key in (("downtime", "from"), ("downtime", "to")):
                changed[key] = values[key]
        path = self._context.paths.config_file
        try:
            if changed or tables:
                update_config(path, changed, tables)
        except ConfigWriteError as why:
            self.status.setText(str(why))
            return False
        settings, problems = load_settings(path)
        if problems:
            self.status.setText("Saved, but please check: " + "; ".join(map(str, problems)))
            return False
        self._context.settings = settings
        self._initial = values
        self.status.setText("Saved. Everything applies now.")
        self.saved.emit(settings)
        return True
