"""Today: how much of the day was at the screen, where it went, and the day's shape."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from breather.settings.durations import format_duration
from breather.store.boundaries import break_counts
from breather.store.by_category import category_summary
from breather.store.queries import day_range, iter_spans, summarize
from breather.ui.boundaries import BoundariesCard, limit_uses
from breather.ui.context import AppContext
from breather.ui.widgets import BarList, BarRow, Card, DayTimeline, ScrollPage, TimelineBlock

TOP_APPS = 8


class TodayPage(ScrollPage):
    """Reads only aggregates and today's spans; refreshes when shown and on a slow timer."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Today", parent)
        self._context = context
        layout = self.column

        figures = QHBoxLayout()
        figures.setSpacing(14)
        self.active_value = self.figure(figures, "At the screen")
        self.away_value = self.figure(figures, "Away")
        self.switches_value = self.figure(figures, "Apps used")
        layout.addLayout(figures)

        timeline_card = Card("The shape of your day")
        self.timeline = DayTimeline(context.color)
        timeline_card.body.addWidget(self.timeline)
        layout.addWidget(timeline_card)

        categories_card = Card("By kind of activity")
        self.categories = BarList(empty_text="Nothing yet today.")
        self.categories.setAccessibleName("Time per category today")
        categories_card.body.addWidget(self.categories)
        layout.addWidget(categories_card)

        self.boundaries = BoundariesCard("Breaks and limits")
        layout.addWidget(self.boundaries)

        apps_card = Card("Where the time went")
        self.apps = BarList(empty_text="Nothing yet today. Breather is keeping count quietly.")
        self.apps.setAccessibleName("Time per app today")
        apps_card.body.addWidget(self.apps)
        layout.addWidget(apps_card)
        layout.addStretch(1)

    def refresh(self) -> None:
        context = self._context
        day = context.today()
        start, end = day_range(day, context.settings.tracking.day_starts)
        summary = summarize(context.db, start, end)
        self.subtitle.setText(f"{start:%A %d %B} · your day starts at {start:%H:%M}")
        self.active_value.setText(format_duration(summary.active_seconds))
        self.away_value.setText(format_duration(summary.away_seconds))
        self.switches_value.setText(str(len(summary.totals)))
        categorizer = context.categorizer
        self.apps.set_rows(
            [BarRow(t.key, t.seconds, context.app_color(t.key)) for t in summary.totals[:TOP_APPS]]
        )
        by_category = category_summary(context.db, start, end, categorizer)
        self.boundaries.show_boundaries(
            break_counts(context.db, start, end),
            limit_uses(
                context.settings.limits,
                [
                    (
                        day,
                        {t.key: t.seconds for t in summary.totals},
                        {t.key: t.seconds for t in by_category.totals},
                    )
                ],
            ),
        )
        self.categories.set_rows(
            [BarRow(t.key, t.seconds, context.color(t.key)) for t in by_category.totals]
        )
        blocks = [
            TimelineBlock(
                row.start.astimezone(),
                row.end.astimezone(),
                None
                if row.app is None
                else categorizer.category(row.app, row.title, row.process, row.exe),
            )
            for row in iter_spans(context.db, start, end)
        ]
        self.timeline.set_day(start, min(end, context.now()), blocks)
        self.apps.setFocusPolicy(Qt.FocusPolicy.TabFocus)
