"""Small painted widgets shared by the pages: cards, a ranked bar list and a day timeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from breather.settings.durations import format_duration
from breather.ui import theme


def add_shortcut(
    parent: QWidget, keys: str | QKeySequence.StandardKey, slot: Callable[[], object]
) -> QShortcut:
    """A window-wide keyboard shortcut owned by `parent`."""
    # Connected through the signal: the (keys, parent, callable) constructor did not fire
    # under QTest here, and tests must be able to press every shortcut a person can.
    shortcut = QShortcut(QKeySequence(keys), parent)
    shortcut.activated.connect(slot)
    return shortcut


#: The key that opens someone to talk to, from every break and prompt.
HELP_KEYS = "Alt+H"


def help_link(parent: QWidget, window: QWidget, requested: Callable[[], object]) -> QPushButton:
    """ "Need to talk to someone?": a link-like button in `parent`, also pressed with Alt+H
    anywhere in `window`, that calls `requested`."""
    link = QPushButton("Need to talk to someone?", parent)
    link.setObjectName("link")
    link.setAutoDefault(True)
    link.setCursor(Qt.CursorShape.PointingHandCursor)
    link.setToolTip(f"Self-help and crisis lines ({HELP_KEYS})")
    link.setAccessibleName("Need to talk to someone? Open self-help and crisis lines")
    link.clicked.connect(requested)
    add_shortcut(window, HELP_KEYS, link.click)
    return link


class ScrollPage(QScrollArea):
    """A page of the main window: a heading and a muted subtitle (with room for buttons on
    the right, in `header_row`), then cards in `column`."""

    def __init__(self, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        page = QWidget()
        self.column = QVBoxLayout(page)
        self.column.setContentsMargins(28, 24, 28, 24)
        self.column.setSpacing(18)
        self.heading = QLabel(heading)
        self.heading.setFont(theme.heading_font(self.font(), 1.8))
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subtitle)
        self.header_row = QHBoxLayout()
        self.header_row.addLayout(titles, 1)
        self.column.addLayout(self.header_row)
        self.setWidget(page)

    def figure(self, row: QHBoxLayout, caption: str) -> QLabel:
        """Add a card with a caption and one big number to `row`; returns the number's label."""
        card = Card(caption)
        card.title.setObjectName("muted")
        card.title.setFont(self.font())
        value = QLabel("–")
        value.setFont(theme.heading_font(self.font(), 2.0))
        value.setAccessibleName(caption)
        card.body.addWidget(value)
        row.addWidget(card)
        return value


class Card(QFrame):
    """A rounded panel with a small title."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(18, 14, 18, 16)
        self.body.setSpacing(10)
        self.title = QLabel(title)
        self.title.setFont(theme.heading_font(self.font(), 1.1))
        self.body.addWidget(self.title)


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    seconds: float
    color: QColor
    note: str = ""
    #: The app's own icon, drawn instead of the colour dot where there is one.
    icon: QIcon | None = None


class BarList(QWidget):
    """Ranked rows: a colour dot, the name, a bar in proportion, the time."""

    ROW = 30

    def __init__(self, parent: QWidget | None = None, *, empty_text: str = "") -> None:
        super().__init__(parent)
        self._rows: list[BarRow] = []
        self._empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Ranked list")

    def set_rows(self, rows: Sequence[BarRow]) -> None:
        self._rows = list(rows)
        self.setAccessibleDescription(
            "; ".join(f"{r.label}: {format_duration(r.seconds)}" for r in self._rows)
            or self._empty_text
        )
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, max(1, len(self._rows)) * self.ROW + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        if self.hasFocus():  # where the keyboard is, as on every other control
            painter.setPen(self.palette().color(QPalette.ColorRole.Highlight))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        if not self._rows:
            painter.setPen(theme.muted(self))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft, self._empty_text)
            return
        top = max(r.seconds for r in self._rows) or 1.0
        width = self.width()
        name_w = min(220, int(width * 0.38))
        time_w = 74
        bar_x = name_w + 12
        bar_w = max(20, width - bar_x - time_w - 8)
        track = QColor(text_color)
        track.setAlphaF(0.08)
        metrics = painter.fontMetrics()
        for index, row in enumerate(self._rows):
            y = index * self.ROW
            mid = y + self.ROW / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(row.color)
            indent = 18
            if row.icon is not None:
                row.icon.paint(painter, QRect(0, int(mid - 9), 18, 18))
                indent = 24
            else:
                painter.drawEllipse(QRectF(0, mid - 5, 10, 10))
            painter.setPen(text_color)
            label = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, name_w - indent)
            painter.drawText(
                QRectF(indent, y, name_w - indent, self.ROW), Qt.AlignmentFlag.AlignVCenter, label
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(QRectF(bar_x, mid - 5, bar_w, 10), 5, 5)
            painter.setBrush(row.color)
            painter.drawRoundedRect(
                QRectF(bar_x, mid - 5, max(10.0, bar_w * row.seconds / top), 10), 5, 5
            )
            painter.setPen(text_color)
            painter.drawText(
                QRectF(width - time_w, y, time_w, self.ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                format_duration(row.seconds),
            )


@dataclass(frozen=True, slots=True)
class TimelineBlock:
    start: datetime
    end: datetime
    key: str | None  # None: away


#: The band shows the day in slots of this length, each in the colour of what filled most of
#: it: at a switch every minute or so, drawing every span made a barcode nobody could read.
TIMELINE_SLOT = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class TimelineSlot:
    """One slot of the band: what filled most of it (None: away), and all it held."""

    start: datetime
    end: datetime
    key: str | None
    seconds: dict[str | None, float]


def timeline_slots(
    blocks: Sequence[TimelineBlock], start: datetime, slot: timedelta = TIMELINE_SLOT
) -> list[TimelineSlot]:
    """The slots from `start` that something happened in, in order, each with its dominant
    key; a slot mostly away is away. Slots with nothing recorded are left out."""
    width = slot.total_seconds()
    filled: dict[int, dict[str | None, float]] = {}
    for block in blocks:
        lo = (block.start - start).total_seconds()
        hi = (block.end - start).total_seconds()
        index = int(lo // width)
        while index * width < hi:
            overlap = min(hi, (index + 1) * width) - max(lo, index * width)
            if overlap > 0:
                held = filled.setdefault(index, {})
                held[block.key] = held.get(block.key, 0.0) + overlap
            index += 1
    slots = []
    for index in sorted(filled):
        held = filled[index]
        active = {key: seconds for key, seconds in held.items() if key is not None}
        away = held.get(None, 0.0)
        top = max(active, key=lambda key: active[key]) if active else None
        key = top if active and sum(active.values()) >= away else None
        at = start + index * slot
        slots.append(TimelineSlot(at, at + slot, key, held))
    return slots


class DayTimeline(QWidget):
    """The day as a horizontal band of five-minute slots: each in the colour of what filled
    most of it, pale where away. Hovering a slot says what it held."""

    def __init__(self, color_of: Callable[[str], QColor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color_of = color_of
        self._slots: list[TimelineSlot] = []
        self._start = datetime.now().astimezone()
        self._end = self._start + timedelta(hours=1)
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Timeline of the day")
        self.setMouseTracking(True)

    @property
    def slots(self) -> list[TimelineSlot]:
        """The slots drawn now (for checks and tests)."""
        return self._slots

    def set_day(self, start: datetime, end: datetime, blocks: Sequence[TimelineBlock]) -> None:
        """Show [start, end), trimmed to whole hours around what happened."""
        if blocks:
            first = min(b.start for b in blocks)
            last = max(b.end for b in blocks)
            start = max(start, first.replace(minute=0, second=0, microsecond=0))
            end = min(end, last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
        self._start, self._end = start, max(end, start + timedelta(hours=1))
        self._slots = timeline_slots(blocks, self._start)
        active = sum((b.end - b.start).total_seconds() for b in blocks if b.key)
        self.setAccessibleDescription(
            f"{format_duration(active)} active between {self._start:%H:%M} and {self._end:%H:%M}"
        )
        self.update()

    def slot_details(self, slot: TimelineSlot) -> str:
        """What a slot held, as its tooltip says it: "13:05–13:10: Work 3m 10s, away 1m 50s"."""
        parts = [
            f"{key or 'away'} {format_duration(seconds)}"
            for key, seconds in sorted(slot.seconds.items(), key=lambda item: -item[1])
        ]
        return f"{slot.start:%H:%M}–{slot.end:%H:%M}: {', '.join(parts)}"

    def _band(self) -> QRectF:
        return QRectF(0, 6, self.width(), 30)

    def _x(self, moment: datetime, band: QRectF) -> float:
        total = (self._end - self._start).total_seconds()
        return band.width() * (moment - self._start).total_seconds() / total

    def sizeHint(self) -> QSize:
        return QSize(600, 64)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        band = self._band()
        x = event.position().x()
        under = next(
            (
                slot
                for slot in self._slots
                if self._x(slot.start, band) <= x < self._x(slot.end, band)
                and band.top() <= event.position().y() <= band.bottom()
            ),
            None,
        )
        if under is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self.slot_details(under), self)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        total = (self._end - self._start).total_seconds()
        band = self._band()
        base = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        base.setAlphaF(0.06)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(base)
        painter.drawRoundedRect(band, 8, 8)
        painter.setClipRect(band)
        for slot in self._slots:
            x0, x1 = self._x(slot.start, band), self._x(slot.end, band)
            # A hair wider than the slot: neighbouring slots meet without a seam.
            rect = QRectF(x0, band.top(), max(1.0, x1 - x0) + 0.5, band.height())
            if slot.key is None:
                # Away is hatched, not only pale: on a dark palette a pale grey is too close
                # to the grey of "Other".
                away = QColor(theme.AWAY)
                away.setAlphaF(0.35)
                painter.setBrush(away)
                painter.drawRect(rect)
                painter.setBrush(QBrush(theme.muted(self), Qt.BrushStyle.BDiagPattern))
                painter.drawRect(rect)
            else:
                painter.setBrush(self._color_of(slot.key))
                painter.drawRect(rect)
        painter.setClipping(False)
        painter.setPen(theme.muted(self))
        hours = int(total // 3600)
        step = 1 if hours <= 8 else 2 if hours <= 14 else 3
        tick = self._start
        while tick <= self._end:
            x = band.width() * (tick - self._start).total_seconds() / total
            label_rect = QRectF(x - 30, band.bottom() + 4, 60, 18)
            if label_rect.left() < 0:
                label_rect.moveLeft(0)
            if label_rect.right() > self.width():
                label_rect.moveRight(self.width())
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter, f"{tick:%H:%M}")
            tick += timedelta(hours=step)


#: Room under a week's limit bars for the day names.
LIMIT_STRIP_LABELS = 16
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class LimitStrip(QWidget):
    """Seven small bars, one a day, against a dashed line at the day's allowance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: list[tuple[float, float | None]] = []
        self.setMinimumHeight(44 + LIMIT_STRIP_LABELS)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_days(self, days: Sequence[tuple[float, float | None]]) -> None:
        """(seconds used, seconds allowed or None) for each day."""
        self._days = list(days)
        within = sum(1 for used, allowed in self._days if allowed and used <= allowed)
        limited = sum(1 for _, allowed in self._days if allowed)
        self.setAccessibleDescription(f"within the limit on {within} of {limited} days")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(280, 44 + LIMIT_STRIP_LABELS)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self._days:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = self.height() - 4 - LIMIT_STRIP_LABELS
        slot = self.width() / len(self._days)
        if len(self._days) == len(WEEKDAY_NAMES):  # a week: name the days under the bars
            painter.setPen(theme.muted(self))
            for index, name in enumerate(WEEKDAY_NAMES):
                cell = QRectF(index * slot, height + 2, slot, LIMIT_STRIP_LABELS)
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, name)
        line_y = height * (1 - 1 / 1.5)  # the allowance sits at two thirds of the height
        for index, (used, allowed) in enumerate(self._days):
            ratio = min(1.5, used / allowed) if allowed else 0.0
            bar = QRectF(index * slot + slot * 0.2, height * (1 - ratio / 1.5), slot * 0.6, 0)
            bar.setBottom(height)
            over = bool(allowed) and used > (allowed or 0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.OVER if over else theme.ACCENT))
            painter.drawRoundedRect(bar, 3, 3)
        pen = painter.pen()
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setColor(theme.muted(self))
        painter.setPen(pen)
        painter.drawLine(0, int(line_y), self.width(), int(line_y))
