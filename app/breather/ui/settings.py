"""Settings: breaks, limits, quiet hours, intention prompts, tracking and privacy.

Everything is written back to `breather.toml` through tomlkit, so the person's comments and
layout stay; only keys whose value changed are touched. The file is checked again after
saving and any problem is shown, never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QValidator, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
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
from breather.runtime.background_sync import sync_url
from breather.settings.model import Settings, load_settings
from breather.settings.writer import ConfigWriteError, LimitEdit, update_config
from breather.ui import theme
from breather.ui.context import AppContext
from breather.ui.evidence import why_link
from breather.ui.widgets import Card

MAX_LIMITS = 6
NO_LIMIT = "(no limit)"
#: "1 h 30 min", "1h30", "90 min", "90": what people type into a minutes box.
_HOURS_MINUTES = re.compile(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:min|m)?)?\s*")


class MinutesBox(QSpinBox):
    """Minutes, shown as people say them ("45 min", "1 h", "1 h 30 min") and typed either way.

    It takes the mouse wheel only once it has the focus, so scrolling the page past it never
    changes a setting by accident."""

    def __init__(self, suffix: str = "") -> None:
        super().__init__()
        self._after = suffix
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def textFromValue(self, value: int) -> str:
        hours, minutes = divmod(value, 60)
        parts = ([f"{hours} h"] if hours else []) + ([f"{minutes} min"] if minutes else [])
        return " ".join(parts or ["0 min"]) + self._after

    def valueFromText(self, text: str) -> int:
        found = _HOURS_MINUTES.fullmatch(text.removesuffix(self._after))
        if not found or not any(found.groups()):
            return self.value()
        return int(found.group(1) or 0) * 60 + int(found.group(2) or 0)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        typed = text.removesuffix(self._after)
        found = _HOURS_MINUTES.fullmatch(typed)
        state = QValidator.State.Intermediate
        if not re.fullmatch(r"[\dhmin ]*", typed):
            state = QValidator.State.Invalid
        elif found is not None and any(found.groups()):
            state = QValidator.State.Acceptable
        return state, text, pos

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the page scrolls instead


class SecondsBox(QSpinBox):
    """Seconds; like MinutesBox, it takes the wheel only once it has the focus."""

    def __init__(self) -> None:
        super().__init__()
        self.setSuffix(" s")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


def _minutes(label: str, seconds: float, low: int, high: int, suffix: str = "") -> QSpinBox:
    box = MinutesBox(suffix)
    box.setRange(low, high)
    box.setValue(round(seconds / 60))
    box.setAccessibleName(label)
    return box


def _seconds(label: str, seconds: float, low: int, high: int) -> QSpinBox:
    box = SecondsBox()
    box.setRange(low, high)
    box.setValue(round(seconds))
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
    """One limit: what it applies to (a category or an app), minutes a day, and at weekends.

    Only what the person changes is written back: a hand-written "60m" stays "60m" while its
    value is unchanged, and keys the row does not show are never touched.
    """

    def __init__(self, categories: tuple[str, ...], limit: Limit | None) -> None:
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.addItem(NO_LIMIT)
        self.target.addItems(list(categories))
        self.target.setAccessibleName("Limit applies to (a category, or type an app name)")
        self.minutes = _limit_spin("Minutes on weekdays", " a day")
        self.weekend = _limit_spin("Minutes at weekends", " at weekends")
        self.weekend.setMinimum(0)
        self.weekend.setSpecialValueText("same at weekends")
        # Whose time counts, with sync: every device's (the default) or this one's.
        self.devices = QComboBox()
        self.devices.addItem("on all devices", "all")
        self.devices.addItem("on this device", "this")
        self.devices.setAccessibleName("Whose time counts")
        self.devices.setCurrentIndex(self.devices.findData(limit.devices if limit else "all"))
        self.original = limit
        # Which key the first box edits: "weekday" where the person wrote weekdays apart.
        self._days_key = "weekday" if limit is not None and limit.daily is None else "daily"
        if limit is not None:
            self.target.setCurrentText(limit.category or limit.app or "")
            self.minutes.setValue(round((limit.daily or limit.weekday or 1800) / 60))
            self.weekend.setValue(round(limit.weekend / 60) if limit.weekend else 0)
        else:
            self.minutes.setValue(30)
            self.weekend.setValue(0)

    def rebase(self, limit: Limit | None) -> None:
        """The row now stands for `limit` as saved (None: no limit)."""
        self.original = limit
        self._days_key = "weekday" if limit is not None and limit.daily is None else "daily"

    def edit(self, categories: tuple[str, ...]) -> LimitEdit | None:
        """What changed in this row, as an edit of the file; None when nothing did."""
        name = self.target.currentText().strip()
        original = self.original
        if not name or name == NO_LIMIT:
            return None if original is None else LimitEdit(original.key, None)
        target = "category" if name in categories else "app"
        after: dict[str, Any] = {}
        if original is None or original.label != name or original.key.split(":")[0] != target:
            after[target] = name
            if original is not None:
                after["app" if target == "category" else "category"] = None
        days = self.minutes.value() * 60
        if original is None or getattr(original, self._days_key) != days:
            after[self._days_key] = _duration_text(days)
        weekend = self.weekend.value() * 60 or None
        if (original.weekend if original is not None else None) != weekend:
            after["weekend"] = _duration_text(weekend) if weekend else None
        devices = str(self.devices.currentData())
        if (original.devices if original is not None else "all") != devices:
            after["devices"] = "this" if devices == "this" else None  # "all" is the default
        if not after:
            return None
        return LimitEdit(original.key if original is not None else None, after)


def _compact_form() -> QFormLayout:
    """A form whose fields keep their natural width, like the Breaks card's."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    return form


def _limit_spin(accessible: str, suffix: str) -> QSpinBox:
    spin = MinutesBox(suffix)
    spin.setRange(1, 24 * 60)
    spin.setAccessibleName(accessible)
    return spin


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
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        # Where the outcome of Save shows first: Alt+S from the top must not look like nothing.
        self.top_status = QLabel()
        self.top_status.setObjectName("muted")
        self.top_status.setAccessibleName("Save status")
        top.addWidget(self.top_status)
        layout.addLayout(top)
        self.where = QLabel()
        self.where.setObjectName("muted")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self._say_where()

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
        self.why: dict[str, QPushButton] = {}
        for check, every, length, key in (
            (self.eyes_on, self.eyes_every, self.eyes_for, "eyes"),
            (self.move_on, self.move_every, self.move_for, "movement"),
        ):
            row = QHBoxLayout()
            row.addWidget(QLabel("every"))
            row.addWidget(every)
            row.addWidget(QLabel("of screen time, for"))
            row.addWidget(length)
            self.why[key] = why_link(key)
            row.addWidget(self.why[key])
            row.addStretch(1)
            form.addRow(check, row)
        breaks.body.addLayout(form)
        layout.addWidget(breaks)

        limits = Card("Daily limits")
        note = QLabel("A gentle prompt when you reach it, with “15 more minutes” always there.")
        note.setObjectName("muted")
        note_row = QHBoxLayout()
        note_row.addWidget(note)
        self.why["social_limit"] = why_link("social_limit", text="Why 30 minutes for social media?")
        note_row.addWidget(self.why["social_limit"])
        note_row.addStretch(1)
        limits.body.addLayout(note_row)
        grid = QGridLayout()
        self.limit_rows: list[_LimitRow] = []
        existing = list(settings.limits)
        show_devices = bool(sync_url(settings)) or any(x.devices == "this" for x in existing)
        for index in range(max(MAX_LIMITS // 2, min(MAX_LIMITS, len(existing) + 1))):
            limit_row = _LimitRow(categories, existing[index] if index < len(existing) else None)
            grid.addWidget(limit_row.target, index, 0)
            grid.addWidget(limit_row.minutes, index, 1)
            grid.addWidget(limit_row.weekend, index, 2)
            grid.addWidget(limit_row.devices, index, 3)
            # Only with sync (or a limit written for this device) is there a choice to make.
            limit_row.devices.setVisible(show_devices)
            limit_row.target.setMinimumWidth(260)
            self.limit_rows.append(limit_row)
        grid.setColumnStretch(4, 1)  # keep the rows compact on a wide window
        limits.body.addLayout(grid)
        layout.addWidget(limits)

        quiet = Card("Quiet hours and intentions")
        downtime = settings.downtime
        self.downtime_on = QCheckBox("&Quiet hours from")
        self.downtime_on.setChecked(downtime.enabled)
        self.downtime_on.toggled.connect(self._quiet_hours_on)
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
        self.why["intention"] = why_link("intention", text="Why ask what I came for?")
        quiet.body.addWidget(self.why["intention"], 0, Qt.AlignmentFlag.AlignLeft)
        self._quiet_hours_on(self.downtime_on.isChecked())
        layout.addWidget(quiet)

        felt = Card("How it felt")
        checkin = settings.checkin
        self.checkin_on = QCheckBox("Ask me once a day how I &feel (one tap, always skippable)")
        self.checkin_on.setAccessibleName("Daily mood check-in")
        self.checkin_on.setChecked(checkin.ask)
        self.checkin_moment = QComboBox()
        self.checkin_moment.setAccessibleName("When to ask")
        self.checkin_moment.addItem("in the evening, at", "evening")
        self.checkin_moment.addItem("after a movement break I took", "after-movement")
        self.checkin_moment.setCurrentIndex(max(0, self.checkin_moment.findData(checkin.moment)))
        self.checkin_at = _time_edit("Evening check-in time", checkin.at, time(21, 0))
        self.checkin_moment.currentIndexChanged.connect(self._checkin_moment_changed)
        row = QHBoxLayout()
        row.addWidget(self.checkin_on)
        row.addWidget(self.checkin_moment)
        row.addWidget(self.checkin_at)
        row.addStretch(1)
        felt.body.addLayout(row)
        self.note_on = QCheckBox("Send me a few lines on my &week, on Sundays at")
        self.note_on.setAccessibleName("Weekly note")
        self.note_on.setChecked(settings.reflection.notify)
        self.note_at = _time_edit("Weekly note time", settings.reflection.at, time(19, 0))
        row = QHBoxLayout()
        row.addWidget(self.note_on)
        row.addWidget(self.note_at)
        row.addStretch(1)
        felt.body.addLayout(row)
        self._checkin_moment_changed()
        layout.addWidget(felt)

        tracking = Card("Tracking")
        form = _compact_form()
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
        form = _compact_form()
        self.exclude_apps = QLineEdit(", ".join(p.text for p in settings.privacy.exclude_apps))
        self.exclude_apps.setPlaceholderText("for example: keepassxc, signal")
        self.exclude_apps.setAccessibleName("Apps never recorded")
        self.exclude_apps.setMinimumWidth(360)
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
        self._watch_edits(page)

    def _say_where(self) -> None:
        path = self._context.paths.config_file
        if path.exists():
            self.where.setText(f"Saved in {path}, with your own notes kept.")
        else:
            self.where.setText(f"All defaults so far: the first save writes {path}.")

    def _checkin_moment_changed(self, *_args: object) -> None:
        self.checkin_at.setEnabled(self.checkin_moment.currentData() == "evening")

    def _quiet_hours_on(self, on: bool) -> None:
        for widget in (self.downtime_from, self.downtime_to, *self.downtime_categories.values()):
            widget.setEnabled(on)

    def _watch_edits(self, page: QWidget) -> None:
        """Say, at the top, when something is changed and not saved yet."""
        for box in page.findChildren(QAbstractSpinBox):
            box.editingFinished.connect(self._edited)
            if isinstance(box, QSpinBox):
                box.valueChanged.connect(self._edited)
            elif isinstance(box, QTimeEdit):
                box.timeChanged.connect(self._edited)
        for check in page.findChildren(QCheckBox):
            check.toggled.connect(self._edited)
        for line in page.findChildren(QLineEdit):
            line.textChanged.connect(self._edited)
        for combo in page.findChildren(QComboBox):
            combo.currentTextChanged.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        changed = self._values() != self._initial
        self.top_status.setText("Not saved yet (Alt+S saves)" if changed else "")
        if changed:
            self.status.setText("")

    def _report(self, text: str) -> None:
        self.status.setText(text)
        self.top_status.setText(text if len(text) <= 60 else text[:57] + "…")
        self.top_status.setToolTip(text)

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
            self._report(str(why))
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
            ("checkin", "ask"): self.checkin_on.isChecked(),
            ("checkin", "moment"): str(self.checkin_moment.currentData()),
            ("checkin", "at"): clock(self.checkin_at),
            ("reflection", "notify"): self.note_on.isChecked(),
            ("reflection", "at"): clock(self.note_at),
            ("tracking", "idle_after"): _duration_text(self.idle_after.value() * 60),
            ("tracking", "day_starts"): clock(self.day_starts),
            ("privacy", "exclude_apps"): [
                a.strip() for a in self.exclude_apps.text().split(",") if a.strip()
            ],
            ("privacy", "titles"): self.titles.isChecked(),
            ("privacy", "keep_days"): self.keep_days.value(),
            ("autostart",): self.autostart.isChecked(),
            ("limits",): [
                e for e in (r.edit(self._categories) for r in self.limit_rows) if e is not None
            ],
        }

    def _rebase(self, settings: Settings) -> dict[tuple[str, ...], Any]:
        """After a save, each limit row edits what the file now holds."""
        for row in self.limit_rows:
            name = row.target.currentText().strip()
            row.rebase(next((limit for limit in settings.limits if limit.label == name), None))
        return self._values()

    def save(self) -> bool:
        """Write what changed; True when the file is saved and reads back without problems."""
        values = self._values()
        changed = {k: v for k, v in values.items() if self._initial.get(k) != v}
        if not changed:
            self._report("Nothing to save: everything is as it was.")
            return True
        limit_edits = changed.pop(("limits",), [])
        if ("autostart",) in changed and not self._save_autostart(changed.pop(("autostart",))):
            return False
        if changed.get(("downtime", "categories")):
            # Turning quiet hours on needs the whole schedule in the file.
            for key in (("downtime", "from"), ("downtime", "to")):
                changed[key] = values[key]
        path = self._context.paths.config_file
        try:
            if changed or limit_edits:
                update_config(path, changed, limit_edits)
        except ConfigWriteError as why:
            self._report(str(why))
            return False
        settings, problems = load_settings(path)
        if problems:
            self._report("Saved, but please check: " + "; ".join(map(str, problems)))
            return False
        self._context.settings = settings
        self._initial = self._rebase(settings)
        self._report("Saved. Everything applies now.")
        self._say_where()
        self.saved.emit(settings)
        return True
