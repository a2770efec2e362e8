"""How the week felt: each day's mood beside its screen time, and what the person's own
days say, in plain words with the days behind each statement and how sure it is."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from breather.data.observations import MIN_DAYS_PER_SIDE, DayRecord, Observation, observations
from breather.settings.durations import format_duration
from breather.store.checkins import MOOD_WORDS, DayMood
from breather.store.review import WeekUsage
from breather.ui import theme
from breather.ui.widgets import WEEKDAY_NAMES, Card

#: From very low to very good: warm to the calm accent, never a red alarm.
MOOD_COLOURS = {1: "#c98a6b", 2: "#d9b27c", 3: "#b9c4a0", 4: "#7fbfa9", 5: theme.ACCENT}
#: How many observations the week shows at most: a few honest lines, not a report.
SHOWN = 2


class MoodCard(Card):
    """A row of seven days (mood and screen time) and the observations under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("How it felt", parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(2)
        self.day_labels: list[QLabel] = []
        self.mood_labels: list[QLabel] = []
        self.time_labels: list[QLabel] = []
        for column, name in enumerate(WEEKDAY_NAMES):
            day = QLabel(name)
            day.setObjectName("muted")
            mood = QLabel()
            mood.setTextFormat(Qt.TextFormat.RichText)
            used = QLabel()
            used.setObjectName("muted")
            for row, label in enumerate((day, mood, used)):
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.grid.addWidget(label, row, column)
            self.day_labels.append(day)
            self.mood_labels.append(mood)
            self.time_labels.append(used)
        self.body.addLayout(self.grid)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.said: list[QLabel] = []
        for _ in range(SHOWN):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.body.addWidget(label)
            self.said.append(label)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.body.addWidget(self.note)

    def show_week(self, usage: WeekUsage, moods: Sequence[DayMood]) -> None:
        """Fill in the week's seven days; the observations follow (`show_observations`)."""
        for index, (day, mood) in enumerate(zip(usage.days, moods, strict=True)):
            self.mood_labels[index].setText(_mood_cell(mood))
            self.mood_labels[index].setAccessibleName(_mood_words(mood))
            active = day.active_seconds
            self.time_labels[index].setText(format_duration(active) if active > 0 else "–")
        rated = [mood.average for mood in moods if mood.average is not None]
        checkins = sum(mood.checkins for mood in moods)
        if rated:
            average = sum(rated) / len(rated)
            plural = "s" if checkins != 1 else ""
            self.summary.setText(
                f"{checkins} check-in{plural} on {len(rated)} of 7 days, averaging "
                f"{average:.1f} ({MOOD_WORDS[round(average)]})."
            )
        else:
            self.summary.setText(
                "No check-ins this week. They are optional: turn on a daily one with "
                "[checkin] ask = true in the settings, or run `breather checkin 4`."
            )
        for label in self.said:
            label.setVisible(False)
        self.note.setText("Looking at your last 12 weeks…")

    def show_observations(self, history: Sequence[DayRecord]) -> list[Observation]:
        """Say what `history` (days with a check-in) shows; returns what was said."""
        found = observations(history)
        for label, item in zip(self.said, [*found[:SHOWN], None, None], strict=False):
            label.setText(item.sentence() if item is not None else "")
            label.setVisible(item is not None)
        needed = 2 * MIN_DAYS_PER_SIDE
        if found:
            self.note.setText(
                f"From your last {len(history)} days with a check-in. Patterns in your own "
                "days, not causes: many things move mood and screen time together."
            )
        elif len(history) < needed:
            self.note.setText(
                f"With check-ins on {needed} days or more ({len(history)} so far in the last "
                "12 weeks), this is where Breather will say what goes with your better and "
                "harder days."
            )
        else:
            self.note.setText(
                f"Across your last {len(history)} days with a check-in, no difference in mood "
                "stands out between days with more and less screen time."
            )
        return found


def _mood_cell(mood: DayMood) -> str:
    if mood.average is None:
        return "<span style='font-size:15pt; color:#9aa5a8'>○</span><br>–"
    colour = QColor(MOOD_COLOURS[round(mood.average)]).name()
    return f"<span style='font-size:15pt; color:{colour}'>●</span><br><b>{mood.average:.1f}</b>"


def _mood_words(mood: DayMood) -> str:
    if mood.average is None:
        return f"{mood.day:%A}: no check-in"
    word = MOOD_WORDS[round(mood.average)]
    return f"{mood.day:%A}: mood {mood.average:.1f} of 5, {word}"
