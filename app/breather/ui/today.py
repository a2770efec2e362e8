"""Today: how much of the day was at the screen, where it went, and the day's shape."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

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
        legend = QLabel(
            "▨ away (no keyboard or mouse for a while) "
            "· each five minutes in the colour of the kind of activity that filled most of it "
            "(hover for all it held)"
        )
        legend.setObjectName("muted")
        legend.setWordWrap(True)  # never wider than the window
        timeline_card.body.addWidget(legend)
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
        self._all_apps = False
        self.more_apps = QPushButton()
        self.more_apps.setFlat(True)
        self.more_apps.clicked.connect(self._toggle_all_apps)
        apps_card.body.addWidget(self.more_apps, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(apps_card)
        layout.addStretch(1)

    def _toggle_all_apps(self) -> None:
        self._all_apps = not self._all_apps
        self.refresh()

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
        rows = context.app_rows(start, end)
        self.apps.set_rows(rows if self._all_apps else rows[:TOP_APPS])
        hidden = len(rows) - TOP_APPS
        self.more_apps.setVisible(hidden > 0)
        self.more_apps.setText(
            f"Show the other {hidden} app{'s' if hidden > 1 else ''}"
            if not self._all_apps
            else f"Show the top {TOP_APPS} only"
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
