"""The weekly review: the week's shape by day and hour, against last week, in plain numbers.

pyqtgraph (and numpy) cost ~50 MB, so they are imported the first time the page is shown,
never at start-up: a Breather that sits in the tray stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from breather.data.mood_review import mood_history
from breather.data.reflection import reflect
from breather.data.trends import week_trends
from breather.settings.durations import format_duration
from breather.store.boundaries import break_counts
from breather.store.checkins import mood_by_day
from breather.store.queries import summarize
from breather.store.review import WeekUsage, devices, monday_of, week_usage
from breather.ui import theme
from breather.ui.boundaries import BoundariesCard, limit_uses
from breather.ui.charts import stack_bars, still_plot
from breather.ui.context import AppContext
from breather.ui.mood import MoodCard
from breather.ui.widgets import (
    WEEKDAY_NAMES,
    BarList,
    Card,
    ScrollPage,
    add_shortcut,
)

WEEKDAYS = WEEKDAY_NAMES


#: How long after `show_week` the mood observations are worked out when the page was not
#: painted by then (they follow its first paint at once otherwise).
OBSERVE_UNPAINTED_MS = 250


class WeekPage(ScrollPage):
    """Signals:
    week_shown(date): the Monday of the week now on screen (after each draw).
    observed(date): that week's observations and note are on the page too.
    """

    week_shown = Signal(date)
    observed = Signal(date)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("This week", parent)
        self._context = context
        self._monday = monday_of(context.today())
        self._usage: WeekUsage | None = None
        self._charts: _Charts | None = None
        self.observations_pending = False
        self._observe_after_paint: date | None = None
        page = self.widget()
        assert page is not None
        page.installEventFilter(self)  # the page's own area: painted whenever it is
        self._layout = self.column
        header = self.header_row
        self.previous_button = QPushButton("‹ &Previous")
        self.previous_button.setAccessibleName("Previous week")
        self.next_button = QPushButton("&Next ›")
        self.next_button.setAccessibleName("Next week")
        self.save_button = QPushButton("&Save as PNG…")
        # Whose week: all devices, or one (shown once sync brought another device's time).
        self.device_picker = QComboBox()
        self.device_picker.setAccessibleName("Devices")
        self.device_picker.setVisible(False)
        header.addWidget(self.device_picker, 0, Qt.AlignmentFlag.AlignTop)
        for button in (self.previous_button, self.next_button, self.save_button):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.device_picker.activated.connect(lambda _index: self.refresh())
        self.previous_button.clicked.connect(lambda: self.show_week(self._monday - timedelta(7)))
        self.next_button.clicked.connect(lambda: self.show_week(self._monday + timedelta(7)))
        self.save_button.clicked.connect(self._save_clicked)
        add_shortcut(self, "Alt+Left", self.previous_button.click)
        add_shortcut(self, "Alt+Right", self.next_button.click)

        figures = QHBoxLayout()
        figures.setSpacing(14)
        self.total_value = self.figure(figures, "At the screen")
        self.average_value = self.figure(figures, "Per day, on average")
        self.change_value = self.figure(figures, "Against last week")
        self._layout.addLayout(figures)

        self.days_card = Card("Each day")
        self.legend = QHBoxLayout()
        self.legend.setSpacing(14)
        self.days_card.body.addLayout(self.legend)
        self.days_empty = QLabel(
            "Nothing tracked this week yet: each day's bar fills in as it goes."
        )
        self.days_empty.setObjectName("muted")
        self.days_card.body.addWidget(self.days_empty)
        self.hours_card = Card("When you were at the screen")
        self.heat_note = QLabel()
        self.heat_note.setObjectName("muted")
        self.heat_note.setWordWrap(True)
        self.boundaries = BoundariesCard("Breaks and limits this week")
        apps_card = Card("Most used this week")
        self.apps = BarList(empty_text="Nothing tracked this week.")
        self.apps.setAccessibleName("Time per app this week")
        apps_card.body.addWidget(self.apps)
        self.mood = MoodCard()
        self.reflection_card = Card("The week in a few lines")
        self.reflection = QLabel()
        self.reflection.setWordWrap(True)
        self.reflection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reflection_card.body.addWidget(self.reflection)
        self._layout.addWidget(self.reflection_card)
        self._layout.addWidget(self.days_card)
        self._layout.addWidget(self.mood)
        self._layout.addWidget(self.boundaries)
        self._layout.addWidget(self.hours_card)
        self._layout.addWidget(apps_card)
        self._layout.addStretch(1)

    @property
    def usage(self) -> WeekUsage | None:
        """What is on screen now (for tests and for saving)."""
        return self._usage

    def refresh(self) -> None:
        self.show_week(self._monday)

    @property
    def chosen_devices(self) -> list[int] | None:
        """The devices whose week is shown: None for all of them."""
        data = self.device_picker.currentData()
        return None if data is None else [int(data)]

    def _update_devices(self) -> None:
        known = devices(self._context.db)
        chosen = self.device_picker.currentData()
        self.device_picker.clear()
        self.device_picker.addItem("All devices", None)
        for device_id, name in known:
            self.device_picker.addItem(name or "(unnamed)", device_id)
        found = self.device_picker.findData(chosen) if chosen is not None else 0
        self.device_picker.setCurrentIndex(max(found, 0))
        self.device_picker.setVisible(len(known) > 1)

    def show_week(self, monday: date) -> None:
        context = self._context
        self._monday = monday_of(monday)
        starts = context.settings.tracking.day_starts
        self._update_devices()
        only = self.chosen_devices
        usage = week_usage(context.db, self._monday, starts, context.categorizer, only)
        previous = summarize(
            context.db,
            *_same_days_last_week(usage, context.today(), context.now()),
            device_ids=only,
        )
        self._usage = usage
        this_monday = monday_of(context.today())
        self.heading.setText(
            "This week" if self._monday == this_monday else f"Week of {self._monday:%d %B}"
        )
        sunday = self._monday + timedelta(6)
        self.subtitle.setText(f"{self._monday:%A %d %B} – {sunday:%A %d %B %Y}")
        self.next_button.setEnabled(self._monday < this_monday)

        total = usage.total.active_seconds
        elapsed_days = sum(1 for d in usage.days if d.day <= context.today()) or 1
        self.total_value.setText(format_duration(total))
        self.average_value.setText(format_duration(total / elapsed_days))
        self.change_value.setText(_change_text(total, previous.active_seconds))
        self.apps.set_rows(
            context.app_rows(usage.total.start, usage.total.end, limit=8, device_ids=only)
        )
        self.boundaries.show_boundaries(
            break_counts(context.db, usage.total.start, usage.total.end),
            limit_uses(
                context.settings.limits,
                [
                    (day.day, day.app_seconds(), categories)
                    for day, categories in zip(usage.days, usage.categories, strict=True)
                ],
                until=context.today(),
            ),
        )
        days = [day.day for day in usage.days]
        self.mood.show_week(usage, mood_by_day(context.db, days, starts))
        # Twelve weeks of days by category take longer than the week itself: the page is
        # painted first, and what the days say follows right after that paint (a timer alone
        # could run first: a window shown just now is painted only once the desktop exposes
        # it). The timer stays as a backstop for a page that is not painted.
        self.observations_pending = True
        self._observe_after_paint = self._monday
        # Until then, say so: never the previous week's note under this week's figures.
        self._set_reflection("Putting the week into a few lines…", muted=True)
        QTimer.singleShot(
            OBSERVE_UNPAINTED_MS, self, lambda shown=self._monday: self._observe(shown)
        )
        if self._charts is None:
            self._charts = _Charts(self)
            self.days_card.body.addWidget(self._charts.bars)
            self.hours_card.body.addWidget(self._charts.heatmap)
            self.hours_card.body.addWidget(self.heat_note)
            # A layout shows what is added to a page on screen only at the next turn of the
            # event loop, after a first paint without it; shown now, it is in that paint.
            self._charts.heatmap.show()
            self.heat_note.show()
        keys = self._charts.draw(usage, self._context.color)
        self._set_legend(keys)
        empty = total <= 0  # a Monday morning: say so rather than draw empty axes
        self.days_empty.setText(
            "Nothing tracked this week yet: each day's bar fills in as it goes."
            if self._monday >= this_monday
            else "Nothing was tracked this week."
        )
        self.days_empty.setVisible(empty)
        self._charts.bars.setVisible(not empty)
        self.hours_card.setVisible(not empty)
        self.heat_note.setText(self._charts.heat_scale())
        self.week_shown.emit(self._monday)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The page's first paint after `show_week` starts what the last weeks say."""
        if event.type() == QEvent.Type.Paint and self._observe_after_paint is not None:
            shown, self._observe_after_paint = self._observe_after_paint, None
            QTimer.singleShot(0, self, lambda: self._observe(shown))  # once the paint is done
        return super().eventFilter(watched, event)

    def _observe(self, monday: date) -> None:
        if monday != self._monday or not self.observations_pending:
            return  # another week is on screen now (it asked for its own), or done already
        context = self._context
        last_day = min(monday + timedelta(days=6), context.today())
        history = mood_history(
            context.db, last_day, context.settings.tracking.day_starts, context.categorizer
        )
        self.mood.show_observations(history)
        earlier, this = week_trends(
            context.db,
            last_day,
            context.settings.tracking.day_starts,
            context.categorizer,
            context.settings.limits,
            weeks=2,
        )
        note = reflect(this, earlier)
        so_far = " (so far)" if last_day < monday + timedelta(days=6) else ""
        self.reflection_card.title.setText(f"The week in a few lines{so_far}")
        self._set_reflection(note.text(), muted=False)
        self.observations_pending = False
        self.observed.emit(monday)

    def _set_reflection(self, text: str, *, muted: bool) -> None:
        self.reflection.setText(text)
        self.reflection.setObjectName("muted" if muted else "")
        self.reflection.style().unpolish(self.reflection)  # the style sheet looks again
        self.reflection.style().polish(self.reflection)

    def _set_legend(self, keys: list[str]) -> None:
        while self.legend.count():
            item = self.legend.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.hide()  # gone now, not at the next turn of the event loop
                widget.deleteLater()
        for key in keys:
            swatch = QLabel(f"<span style='color:{self._context.color(key).name()}'>●</span> {key}")
            self.legend.addWidget(swatch)
            swatch.show()
        self.legend.addStretch(1)

    def drawn_hours(self) -> list[float]:
        """The height of each day's stacked bar as drawn, in hours (for checks and tests)."""
        return self._charts.stack_tops() if self._charts else []

    def save_png(self, path: Path) -> bool:
        """Save the week as it looks now, without the page's own buttons; True on success."""
        page = self.widget()
        if page is None:
            return False
        buttons = [self.previous_button, self.next_button, self.save_button]
        shown = [button.isVisible() for button in buttons]
        for button in buttons:
            button.hide()
        try:
            return page.grab().save(str(path), "PNG")
        finally:
            for button, visible in zip(buttons, shown, strict=True):
                button.setVisible(visible)

    @classmethod
    def ask_save_path(cls, parent: QWidget, suggested: str) -> Path | None:
        """Ask where to save; tests replace this."""
        name, _ = QFileDialog.getSaveFileName(
            parent, "Save the week as a picture", suggested, "PNG images (*.png)"
        )
        return Path(name) if name else None

    def _save_clicked(self) -> None:
        target = self.ask_save_path(self, str(Path.home() / f"breather-week-{self._monday}.png"))
        if target is None:
            return
        sunday = self._monday + timedelta(6)
        week = f"{self._monday:%A %d %B} – {sunday:%A %d %B %Y}"
        if self.save_png(target):
            self.subtitle.setText(f"{week} · saved as {target}")
        else:
            self.subtitle.setText(f"{week} · could not save {target}: is the folder writable?")


def _same_days_last_week(usage: WeekUsage, today: date, now: datetime) -> tuple[datetime, datetime]:
    """Last week up to the same weekday and time, so a week in progress is compared fairly."""
    start = usage.days[0].summary.start - timedelta(days=7)
    end = usage.days[-1].summary.end - timedelta(days=7)
    if usage.monday <= today <= usage.days[-1].day:
        end = min(end, now - timedelta(days=7))
    return start, end


def _change_text(this_week: float, last_week: float) -> str:
    if last_week <= 0:
        return "nothing tracked"  # a bare dash read as a glitch
    delta = this_week - last_week
    sign = "+" if delta >= 0 else "−"
    percent = f"{abs(delta) / last_week:.0%}"
    return f"{sign}{format_duration(abs(delta))} ({sign}{percent})"  # one minus sign, both times


class _Charts:
    """The two pyqtgraph plots, built on first use."""

    def __init__(self, owner: QWidget) -> None:
        import pyqtgraph as pg

        self._pg = pg
        self._tops: list[float] = []
        palette = owner.palette()
        background = palette.color(QPalette.ColorRole.Base)
        foreground = palette.color(QPalette.ColorRole.WindowText)
        self._foreground = foreground
        self._usage: WeekUsage | None = None
        self.bars = still_plot(owner, height=240, name="Active time per day, stacked by category")
        self.bars.getPlotItem().getAxis("bottom").setTicks([list(enumerate(WEEKDAYS))])
        # Hovering a day says what its bar is made of (values a chart alone cannot give).
        self._hover = pg.SignalProxy(
            self.bars.scene().sigMouseMoved, rateLimit=20, slot=self._hovered
        )

        self.heatmap = pg.PlotWidget(background=background, enableMenu=False)
        self.heatmap.setFixedHeight(190)
        self.heatmap.setAccessibleName("Active time by hour of day and weekday")
        self.heatmap.setMouseEnabled(x=False, y=False)
        self.heatmap.hideButtons()
        heat = self.heatmap.getPlotItem()
        heat.invertY(True)
        heat.getAxis("left").setTicks([[(i + 0.5, d) for i, d in enumerate(WEEKDAYS)]])
        heat.getAxis("bottom").setTicks([[(h + 0.5, f"{h:02d}") for h in range(0, 24, 3)]])
        for axis in ("left", "bottom"):
            heat.getAxis(axis).setTextPen(foreground)
            heat.getAxis(axis).setPen(QColor(0, 0, 0, 0))
            heat.getAxis(axis).setStyle(tickLength=0)  # labels only: no stray tick dashes
        self._image = pg.ImageItem(axisOrder="row-major")
        heat.addItem(self._image)
        accent = QColor(theme.ACCENT)
        # The faintest hour with any use still shows, in light and dark palettes alike.
        faintest = QColor(
            round(0.75 * background.red() + 0.25 * accent.red()),
            round(0.75 * background.green() + 0.25 * accent.green()),
            round(0.75 * background.blue() + 0.25 * accent.blue()),
        )
        rgb = [(c.red(), c.green(), c.blue()) for c in (background, faintest, accent)]
        self._image.setLookupTable(pg.ColorMap([0.0, 0.01, 1.0], rgb).getLookupTable(nPts=101))
        heat.setXRange(0, 24, padding=0.01)
        heat.setYRange(0, 7, padding=0.02)

    def stack_tops(self) -> list[float]:
        return list(self._tops)

    def day_details(self, index: int) -> str:
        """What a day's bar holds, as the hover tip says it."""
        if self._usage is None or not 0 <= index < len(self._usage.days):
            return ""
        day = self._usage.days[index]
        parts = sorted(self._usage.categories[index].items(), key=lambda item: -item[1])
        lines = [f"{day.day:%A %d %B}: {format_duration(day.summary.active_seconds)}"]
        lines += [f"  {name}: {format_duration(seconds)}" for name, seconds in parts if seconds]
        return "\n".join(lines)

    def _hovered(self, event: tuple[object, ...]) -> None:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QCursor
        from PySide6.QtWidgets import QToolTip

        position = event[0]
        assert isinstance(position, QPointF)
        view = self.bars.getPlotItem().vb
        if not view.sceneBoundingRect().contains(position):
            QToolTip.hideText()
            return
        index = round(view.mapSceneToView(position).x())
        text = self.day_details(index)
        if text:
            QToolTip.showText(QCursor.pos(), text, self.bars)
        else:
            QToolTip.hideText()

    def heat_scale(self) -> str:
        """What the darkest square of the hour map means."""
        if self._usage is None:
            return ""
        darkest = max((max(row) for row in self._usage.grid), default=0.0)
        if darkest <= 0:
            return ""
        return (
            "Each square is one hour of one day; the darker, the longer at the screen. "
            f"The darkest: {format_duration(darkest)} in an hour."
        )

    def draw(self, usage: WeekUsage, color_of: Callable[[str], QColor]) -> list[str]:
        """Draw the week stacked by category; returns the categories drawn, biggest first."""
        import numpy as np

        pg = self._pg
        plot = self.bars.getPlotItem()
        plot.clear()
        keys = [name for name, seconds in usage.category_totals() if seconds > 0]
        self._usage = usage
        totals = [day.active_seconds for day in usage.days]
        top_hours = max(totals, default=0.0) / 3600
        step = 1 if top_hours <= 6 else 2 if top_hours <= 12 else 4
        # The next whole step above the tallest bar, with room for its total (the range
        # below adds 8 %): a day of 8 h 25 m gets a 10 h axis, not 12 h of empty grid.
        ceiling = max(1, int(np.ceil(top_hours * 1.05 / step)) * step)
        faint = QColor(self._foreground)
        faint.setAlpha(35)
        for hours in range(0, ceiling + 1, step):
            line = pg.InfiniteLine(pos=hours, angle=0, pen=pg.mkPen(faint, width=1))
            line.setZValue(-10)  # beneath the bars, not drawn over them
            plot.addItem(line)
        plot.getAxis("left").setTicks(
            [[(h, f"{h} h" if h else "0") for h in range(0, ceiling + 1, step)]]
        )
        base = stack_bars(
            plot,
            7,
            (
                (color_of(key), np.array([day.get(key, 0.0) / 3600 for day in usage.categories]))
                for key in keys
            ),
        )
        self._tops = [float(value) for value in base]
        for index, seconds in enumerate(totals):
            if seconds > 0:  # each day's total, written on its bar
                label = pg.TextItem(
                    format_duration(seconds), color=self._foreground, anchor=(0.5, 1)
                )
                label.setPos(index, base[index])
                plot.addItem(label)
        plot.setYRange(0, ceiling * 1.08, padding=0)
        plot.setXRange(-0.6, 6.6, padding=0)
        grid = np.array(usage.grid, dtype=float) / 3600
        self._image.setImage(grid, levels=(0, max(1e-9, float(grid.max()) or 1.0)))
        self._image.setRect(0, 0, 24, 7)  # after setImage: the rect maps the image's pixels
        return keys
