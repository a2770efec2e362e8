"""Trends: the last twelve weeks, so a change shows as a change and not as one odd day.

Screen time per day (on average, each week) stacked by category, then per week the breaks
taken for those that came due, the days within the person's limits, and the mood; last, the
person's experiments.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from breather.data.trends import TREND_WEEKS, WeekTrend, week_trends
from breather.settings.durations import format_duration
from breather.ui.charts import stack_bars, still_plot
from breather.ui.context import AppContext
from breather.ui.experiments import ExperimentCard
from breather.ui.widgets import Card, ScrollPage


class TrendsPage(ScrollPage):
    """The last twelve weeks; `trends` holds what is on screen (for tests and checks)."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        device_id: int | None = None,
        on_experiments_changed: Callable[[], None] = lambda: None,
    ) -> None:
        """With `device_id` (this device's, to start experiments as), the page ends with the
        Experiments card; `on_experiments_changed` follows a start or an end."""
        super().__init__("Trends", parent)
        self._context = context
        self.trends: list[WeekTrend] = []
        self.subtitle.setText(f"The last {TREND_WEEKS} weeks, this one included.")
        self.time_card = Card("Screen time per day, on average each week")
        self.legend = QHBoxLayout()
        self.legend.setSpacing(14)
        self.time_card.body.addLayout(self.legend)
        self.empty = QLabel("Nothing tracked in these weeks yet.")
        self.empty.setObjectName("muted")
        self.time_card.body.addWidget(self.empty)
        self.table_card = Card("Week by week")
        self.table = QGridLayout()
        self.table.setHorizontalSpacing(10)
        self.table.setVerticalSpacing(6)
        self.table_card.body.addLayout(self.table)
        self.note = QLabel(
            "Breaks: taken (when asked or on your own) for each that came due. Limits: the "
            "days each limit was kept. Mood: the mean of the week's check-ins. A dash: "
            "nothing to count that week."
        )
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.table_card.body.addWidget(self.note)
        self.column.addWidget(self.time_card)
        self.column.addWidget(self.table_card)
        self.experiments: ExperimentCard | None = None
        if device_id is not None:
            self.experiments = ExperimentCard(context, device_id, on_experiments_changed)
            self.column.addWidget(self.experiments)
        self.column.addStretch(1)
        self._plot: object | None = None
        self.cells: dict[tuple[str, int], QLabel] = {}

    def refresh(self) -> None:
        context = self._context
        settings = context.settings
        self.trends = week_trends(
            context.db,
            context.today(),
            settings.tracking.day_starts,
            context.categorizer,
            settings.limits,
        )
        self._draw_chart()
        self._fill_table()
        if self.experiments is not None:
            self.experiments.refresh()

    def _draw_chart(self) -> None:
        import numpy as np
        import pyqtgraph as pg

        if self._plot is None:
            self._foreground = self.palette().color(QPalette.ColorRole.WindowText)
            chart = still_plot(
                self, height=260, name="Screen time per day by category, for each week"
            )
            self.time_card.body.addWidget(chart)
            chart.show()  # in the first paint (see _fill_table)
            self._plot = chart
        assert isinstance(self._plot, pg.PlotWidget)
        plot = self._plot.getPlotItem()
        plot.clear()
        weeks = self.trends
        totals: dict[str, float] = {}
        for week in weeks:
            for name, seconds in week.categories.items():
                totals[name] = totals.get(name, 0.0) + seconds
        keys = [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
        per_day = [
            {name: seconds / max(week.days, 1) / 3600 for name, seconds in week.categories.items()}
            for week in weeks
        ]
        base = stack_bars(
            plot,
            len(weeks),
            (
                (self._context.color(key), np.array([day.get(key, 0.0) for day in per_day]))
                for key in keys
            ),
        )
        self.stack_tops = [float(value) for value in base]
        top = float(max(base, default=0.0))
        ceiling = max(1, int(np.ceil(top * 1.15)))
        step = 1 if ceiling <= 6 else 2
        plot.getAxis("left").setTicks(
            [[(h, f"{h} h" if h else "0") for h in range(0, ceiling + 1, step)]]
        )
        plot.getAxis("bottom").setTicks(
            [[(i, f"{week.monday:%d %b}") for i, week in enumerate(weeks) if i % 2 == 0]]
        )
        plot.setYRange(0, ceiling, padding=0.02)
        plot.setXRange(-0.6, len(weeks) - 0.4, padding=0)
        empty = top <= 0
        self.empty.setVisible(empty)
        self._plot.setVisible(not empty)
        self._set_legend(keys[:6])

    def _set_legend(self, keys: list[str]) -> None:
        while self.legend.count():
            item = self.legend.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.hide()  # gone now, not at the next turn of the event loop
                widget.deleteLater()
        for key in keys:
            colour = self._context.color(key).name()
            swatch = QLabel(f"<span style='color:{colour}'>●</span> {key}")
            self.legend.addWidget(swatch)
            swatch.show()  # in this layout pass and paint (see _fill_table)
        self.legend.addStretch(1)

    def _fill_table(self) -> None:
        while self.table.count():
            item = self.table.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.cells = {}
        rows: tuple[tuple[str, Callable[[WeekTrend], str]], ...] = (
            ("Week of", _monday),
            ("Per day", _per_day),
            ("Breaks", lambda week: _percent(week.break_adherence)),
            ("Limits kept", _kept),
            ("Mood", _mood),
        )
        for row, (title, text) in enumerate(rows):
            heading = QLabel(title)
            heading.setObjectName("muted")
            self.table.addWidget(heading, row, 0)
            # A layout shows what is added to a page on screen only at the next turn of the
            # event loop: the page would be painted without it, laid out again and painted
            # again. Shown now, it is in the first paint.
            heading.show()
            for column, week in enumerate(self.trends, start=1):
                cell = QLabel(text(week))
                cell.setAlignment(Qt.AlignmentFlag.AlignRight)
                if row == 0:
                    cell.setObjectName("muted")
                self.table.addWidget(cell, row, column)
                cell.show()
                self.cells[(title, column - 1)] = cell


def _monday(week: WeekTrend) -> str:
    return f"{week.monday:%d %b}"


def _per_day(week: WeekTrend) -> str:
    return format_duration(week.active_seconds / max(week.days, 1))


def _mood(week: WeekTrend) -> str:
    return "–" if week.mood is None else f"{week.mood:.1f}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _kept(week: WeekTrend) -> str:
    if not week.limit_days:
        return "–"
    return f"{week.limit_days_within}/{week.limit_days}"
