"""Breaks and limits beside the usage: what was kept, kindly counted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from breather.data.report import break_sentence
from breather.rules.policy import Limit
from breather.settings.durations import format_duration
from breather.ui.widgets import Card, LimitStrip


@dataclass(frozen=True, slots=True)
class LimitUse:
    """One limit over one or more days: (seconds used, seconds allowed or None) per day."""

    label: str
    days: tuple[tuple[float, float | None], ...]


def limit_uses(
    limits: Sequence[Limit],
    days: Sequence[tuple[date, Mapping[str, float], Mapping[str, float]]],
    *,
    until: date | None = None,
) -> list[LimitUse]:
    """For each limit, its use on each of `days`, given as (date, app seconds, category seconds).

    Days after `until` (today) have not happened: they get no allowance, so they are neither
    counted as kept nor drawn."""
    uses = []
    for limit in limits:
        per_day: list[tuple[float, float | None]] = []
        for day, apps, categories in days:
            if until is not None and day > until:
                per_day.append((0.0, None))
                continue
            if limit.app is not None:
                used = apps.get(limit.app, 0.0)
            else:
                used = categories.get(limit.category or "", 0.0)
            per_day.append((used, limit.allowance(day)))
        uses.append(LimitUse(limit.label, tuple(per_day)))
    return uses


class BoundariesCard(Card):
    """Break counts, then one row per limit: a bar for a day, a strip of days for a week."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.breaks = QLabel()
        self.breaks.setWordWrap(True)
        self.breaks.setAccessibleName("Breaks")
        self.body.addWidget(self.breaks)
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        self.body.addLayout(self._grid)
        self._rows: list[QWidget] = []

    def show_boundaries(self, breaks: Mapping[str, int], limits: Sequence[LimitUse]) -> None:
        self.breaks.setText(break_sentence(breaks) or "No breaks were due.")
        for widget in self._rows:
            self._grid.removeWidget(widget)
            widget.hide()  # gone now, not at the next turn of the event loop
            widget.deleteLater()
        self._rows = []
        if not limits:
            self._add(0, QLabel("No limits set. Settings has gentle ones, if you want them."), None)
            return
        for index, use in enumerate(limits):
            if len(use.days) == 1:
                used, allowed = use.days[0]
                bar = QProgressBar()
                bar.setRange(0, 100)
                bar.setValue(min(100, round(100 * used / allowed)) if allowed else 0)
                bar.setFormat(
                    f"{format_duration(used)} of {format_duration(allowed)}"
                    if allowed
                    else f"{format_duration(used)} (no limit today)"
                )
                bar.setAccessibleName(f"{use.label} limit: {bar.format()}")
                bar.setProperty("over", bool(allowed) and used > (allowed or 0))
                self._add(index, QLabel(use.label), bar)
            else:
                strip = LimitStrip()
                strip.set_days(use.days)
                strip.setAccessibleName(f"{use.label} limit this week")
                label = QLabel(f"{use.label}\n{strip.accessibleDescription()}")
                self._add(index, label, strip)

    def _add(self, row: int, label: QWidget, value: QWidget | None) -> None:
        self._grid.addWidget(label, row, 0)
        self._rows.append(label)
        if value is not None:
            self._grid.addWidget(value, row, 1)
            self._rows.append(value)
