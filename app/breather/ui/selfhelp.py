"""Support: who to contact right now, then gentle guides, all from the offline catalogue.

Order follows safe-messaging practice: the emergency number first, then the region's crisis
lines, then international directories, then information, mindfulness, breaks and screen
habits. Nothing is fetched and nothing opens by itself: a link opens in the browser only when
its button is pressed. Choosing a region emits `region_changed` so the app can remember it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QLocale, QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from breather.support.catalogue import (
    GUIDE_SECTIONS,
    INTERNATIONAL,
    Catalogue,
    Channel,
    Contact,
    Entry,
    Region,
    Section,
    contact_lines,
    region_for_locale,
)
from breather.ui import theme
from breather.ui.widgets import Card

OpenUrl = Callable[[QUrl], object]

COLUMN_WIDTH = 880
TWO_COLUMNS_FROM = 700

SECTION_TITLES = {
    Section.INFORMATION: "Information and support",
    Section.MINDFULNESS: "Pause and ground yourself",
    Section.BREAKS: "Kind breaks",
    Section.DIGITAL_WELLBEING: "Healthier screen habits",
}

INTRO = (
    "If things feel hard right now, you do not have to face it alone. The people below are "
    "trained to listen, and reaching out is a good first step."
)

LOCALE_HINT = (
    "Chosen from your system's language settings. If you are somewhere else, "
    "pick that country instead."
)
CHOSEN_HINT = "Your choice: Breather remembers it. Travelling? Pick where you are now."

STYLE = """
QFrame#emergency {{
    border: none; border-left: 5px solid {accent}; border-radius: 10px;
    background: rgba(42, 157, 143, 0.13);
}}
QLabel#contact {{ font-weight: 600; }}
QLabel#secondary {{ color: {secondary}; }}
QLabel#tag {{ border: 1px solid {edge}; border-radius: 9px; padding: 1px 9px; }}
QPushButton#link, QPushButton#copy {{
    border: 1px solid {edge}; border-radius: 8px; padding: 6px 14px; background: transparent;
}}
QPushButton#copy {{ padding: 3px 10px; }}
QPushButton#link:hover, QPushButton#copy:hover {{ background: rgba(42, 157, 143, 0.16); }}
QPushButton#link:focus, QPushButton#copy:focus {{ border: 2px solid palette(highlight); }}
"""
SECONDARY_MIX = 0.4
"""How far secondary text moves from the text colour toward the background, at most."""
MIN_CONTRAST = 4.6
"""WCAG AA asks 4.5:1 for small text; secondary text keeps a little more than that."""


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    red, green, blue = channel(color.red()), channel(color.green()), channel(color.blue())
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    def one(x: int, y: int) -> int:
        return round(x + (y - x) * amount)

    return QColor(one(a.red(), b.red()), one(a.green(), b.green()), one(a.blue(), b.blue()))


def secondary_color(palette: QPalette) -> QColor:
    """Text that steps back from the body text but stays legible on window and cards alike."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    backgrounds = (window, palette.color(QPalette.ColorRole.Base))
    amount = SECONDARY_MIX
    while amount > 0:
        color = _mix(text, window, amount)
        if min(contrast(color, bg) for bg in backgrounds) >= MIN_CONTRAST:
            return color
        amount = round(amount - 0.05, 2)
    return text


def page_style(palette: QPalette) -> str:
    """The page's style for `palette`: text colours are derived from it, never fixed."""
    window = palette.color(QPalette.ColorRole.Window)
    secondary = secondary_color(palette)
    dark = window.lightness() < 128
    # On light backgrounds the darker teal keeps control edges at 3:1 or better.
    edge = theme.ACCENT if dark else theme.ACCENT_DARK
    return STYLE.format(accent=theme.ACCENT, edge=edge, secondary=secondary.name())


def system_region(catalogue: Catalogue) -> str:
    """The region the system locale suggests; only a starting point, people can change it."""
    return region_for_locale(QLocale.system().name(), catalogue.regions)


def _label(text: str, *, wrap: bool = True, muted: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if muted:
        label.setObjectName("secondary")
    if scale != 1.0:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


class SelfHelpPage(QScrollArea):
    """Calm, legible support page for one region at a time; built only from its arguments."""

    region_changed = Signal(str)

    def __init__(
        self,
        catalogue: Catalogue,
        region: str | None = None,
        *,
        open_url: OpenUrl | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._open_url: OpenUrl = open_url or QDesktopServices.openUrl
        self._region = ""
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Support")
        self._restyle()

        page = QWidget()
        outer = QHBoxLayout(page)
        outer.setContentsMargins(28, 24, 28, 28)
        column = QWidget()
        column.setMaximumWidth(COLUMN_WIDTH)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        outer.addStretch(1)
        outer.addWidget(column, 100)
        outer.addStretch(1)
        self._column = QVBoxLayout(column)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(16)

        heading = _label("Support", wrap=False)
        heading.setFont(theme.heading_font(self.font(), 1.8))
        heading.setAccessibleName("Support")
        self._column.addWidget(heading)

        self.emergency_banner = QFrame()
        self.emergency_banner.setObjectName("emergency")
        self.emergency_banner.setAccessibleName("Emergency")
        banner = QHBoxLayout(self.emergency_banner)
        banner.setContentsMargins(20, 16, 16, 16)
        banner.setSpacing(14)
        self.emergency_label = _label("")
        self.emergency_label.setFont(theme.heading_font(self.font(), 1.45))
        self.emergency_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._emergency_number = ""
        self.emergency_copy = self._copy_button("", lambda: self._copy(self._emergency_number))
        banner.addWidget(self.emergency_label, 1)
        banner.addWidget(self.emergency_copy, 0, Qt.AlignmentFlag.AlignVCenter)
        self._column.addWidget(self.emergency_banner)

        chooser = QHBoxLayout()
        chooser.setSpacing(10)
        prompt = QLabel("&Country or region:")
        self.region_box = QComboBox()
        self.region_box.setAccessibleName("Region")
        self.region_box.setAccessibleDescription(
            "The country whose emergency number and helplines are shown"
        )
        prompt.setBuddy(self.region_box)
        for code in catalogue.region_codes():
            self.region_box.addItem(catalogue.region(code).name, code)
        self.region_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        chooser.addWidget(prompt)
        chooser.addWidget(self.region_box)
        chooser.addStretch(1)
        self.region_hint = _label(CHOSEN_HINT if region is not None else LOCALE_HINT, muted=True)
        chooser_block = QVBoxLayout()
        chooser_block.setSpacing(4)
        chooser_block.addLayout(chooser)
        chooser_block.addWidget(self.region_hint)
        self._column.addLayout(chooser_block)

        self._content: QWidget | None = None
        self.crisis_cards: list[Card] = []
        self.directory_cards: list[Card] = []
        self.setWidget(page)
        self.region_box.currentIndexChanged.connect(self._region_chosen)
        self.show_region(region if region is not None else system_region(catalogue))

    # --- public ---------------------------------------------------------------------------------

    @property
    def region(self) -> str:
        return self._region

    def show_region(self, code: str) -> None:
        """Show the help for `code`; a region the catalogue lacks shows the directories."""
        region = self._catalogue.region(code)
        with QSignalBlocker(self.region_box):
            self.region_box.setCurrentIndex(self.region_box.findData(region.code))
        if region.code == self._region and self._content is not None:
            return
        self._region = region.code
        self._rebuild(region)

    # --- building -------------------------------------------------------------------------------

    def _region_chosen(self, index: int) -> None:
        code = self.region_box.itemData(index)
        if isinstance(code, str) and code != self._region:
            self.region_hint.setText(CHOSEN_HINT)
            self.show_region(code)
            self.region_changed.emit(code)

    def _rebuild(self, region: Region) -> None:
        if self._content is not None:
            self._column.removeWidget(self._content)
            self._content.hide()
            self._content.deleteLater()
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(14)

        self._show_emergency(region)

        directories = self._catalogue.region(INTERNATIONAL).directories
        self.crisis_cards = []
        if region.crisis:
            self._section(layout, "Talk to someone now")
            layout.addWidget(_label(INTRO))
            for line in region.crisis:
                card = self._card(line)
                self.crisis_cards.append(card)
                layout.addWidget(card)
            self._section(layout, "Somewhere else? Helplines worldwide")
        else:
            self._section(layout, "Find a helpline")
            layout.addWidget(
                _label(
                    "Breather has no checked helplines for this country yet. These directories "
                    "list free, confidential helplines around the world."
                )
            )
        self.directory_cards = [self._card(entry) for entry in directories]
        layout.addWidget(_CardGrid(self.directory_cards))

        for section in GUIDE_SECTIONS:
            entries = self._catalogue.guides_for(section, region.code)
            if entries:
                self._section(layout, SECTION_TITLES[section])
                layout.addWidget(_CardGrid([self._card(entry) for entry in entries]))

        footer = _label(
            "Breather is not a crisis or treatment service. These details were checked on "
            f"{_day(self._catalogue.reviewed)}; services can change. Nothing on this page is "
            "sent anywhere, and links open in your browser only when you choose them.",
            muted=True,
        )
        layout.addSpacing(6)
        layout.addWidget(footer)
        layout.addStretch(1)
        self._column.addWidget(content)
        content.show()  # now, not on the next event loop turn: callers may grab or query at once
        self._content = content

    def _show_emergency(self, region: Region) -> None:
        number = region.emergency_number or ""
        if number:
            text = f"If you are in immediate danger, call {number}."
        else:
            text = "If you are in immediate danger, contact your local emergency services."
        self._emergency_number = number
        self.emergency_label.setText(text)
        self.emergency_banner.setAccessibleDescription(text)
        self.emergency_copy.setVisible(bool(number))
        self.emergency_copy.setAccessibleName(f"Copy {number}")
        self.emergency_copy.setToolTip(f"Copy {number} to the clipboard")

    def _section(self, layout: QVBoxLayout, title: str) -> None:
        label = _label(title, wrap=False)
        label.setFont(theme.heading_font(self.font(), 1.25))
        layout.addSpacing(6)
        layout.addWidget(label)

    def _card(self, entry: Entry) -> Card:
        card = Card(entry.name)
        card.title.setWordWrap(True)
        if entry.section is Section.CRISIS:
            card.title.setFont(theme.heading_font(self.font(), 1.3))
        card.setAccessibleName(entry.name)
        body = card.body
        if entry.audience:
            tag = _label(f"For {entry.audience.lower()}", wrap=False, scale=0.92)
            tag.setObjectName("tag")
            body.addWidget(tag, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(_label(entry.summary))
        for text, contact in contact_lines(entry.contacts):
            body.addLayout(self._contact_row(text, contact))
        if entry.hours:
            body.addWidget(_label(entry.hours))
        for index, step in enumerate(entry.steps, start=1):
            body.addWidget(_label(f"{index}.  {step}"))
        for note in entry.notes:
            body.addWidget(_label(note))
        if entry.evidence:
            body.addWidget(_label("What the evidence says", muted=True, scale=0.92))
            body.addWidget(_label(entry.evidence))
        links = [("Open chat", c.url) for c in entry.contacts if c.url]
        if entry.url:
            links.append(("Open website", entry.url))
        body.addStretch(1)
        if links:
            body.addLayout(self._link_row(entry, links))
        body.addWidget(_label(f"Last checked {_day(entry.reviewed)}", muted=True, scale=0.9))
        card.setAccessibleDescription(self._describe(entry))
        return card

    def _contact_row(self, text: str, contact: Contact) -> QLayout:
        column = QVBoxLayout()
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(12)
        label = _label(text, wrap=False, scale=1.4)
        label.setObjectName("contact")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(label)
        if contact.channel is not Channel.CHAT:  # a chat opens with its button below
            copy = self._copy_button(contact.value, functools.partial(self._copy, contact.value))
            row.addWidget(copy, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(1)
        column.addLayout(row)
        if contact.note:
            column.addWidget(_label(contact.note))
        return column

    @staticmethod
    def _copy_button(value: str, copy: Callable[[], None]) -> QPushButton:
        button = QPushButton("Copy")
        button.setObjectName("copy")
        button.setAccessibleName(f"Copy {value}")
        button.setToolTip(f"Copy {value} to the clipboard")
        button.clicked.connect(copy)
        return button

    def _link_row(self, entry: Entry, links: Iterable[tuple[str, str]]) -> QLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        for text, url in links:
            button = QPushButton(text)
            button.setObjectName("link")
            button.setAccessibleName(f"{text} for {entry.name} in your browser")
            button.setToolTip(f"{url}\nOpens in your browser; needs internet")
            button.setProperty("url", url)
            button.clicked.connect(functools.partial(self._open, url))
            row.addWidget(button)
        row.addWidget(_label("Needs internet", wrap=False, muted=True, scale=0.92))
        row.addStretch(1)
        return row

    @staticmethod
    def _describe(entry: Entry) -> str:
        lines = [text for text, _contact in contact_lines(entry.contacts)]
        parts = [entry.summary, *lines, entry.hours, *entry.notes]
        return ". ".join(p.rstrip(".") for p in parts if p)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()

    def _restyle(self) -> None:
        style = page_style(self.palette())
        if style != self.styleSheet():
            self.setStyleSheet(style)

    # --- actions --------------------------------------------------------------------------------

    def _open(self, url: str) -> None:
        self._open_url(QUrl(url))

    @staticmethod
    def _copy(value: str) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(value)


class _CardGrid(QWidget):
    """Cards in two columns when there is room for them, otherwise one."""

    def __init__(self, cards: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards = list(cards)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(14)
        self._columns = 0
        # Holds the empty second column open when there is a single card, so a lone card is
        # exactly as wide as the cards in the grids around it.
        # (A spacer item would not do: grids skip the spacing next to an empty item.)
        self._filler = QWidget(self)
        self._filler.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._filler.hide()
        self._place(2)

    @property
    def columns(self) -> int:
        return self._columns

    def _place(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for card in self._cards:
            self._grid.removeWidget(card)
        self._grid.removeWidget(self._filler)
        self._filler.hide()
        for index, card in enumerate(self._cards):
            self._grid.addWidget(card, index // columns, index % columns)
        if len(self._cards) < columns:
            self._grid.addWidget(self._filler, 0, columns - 1)
            self._filler.show()
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(2 if event.size().width() >= TWO_COLUMNS_FROM else 1)
        super().resizeEvent(event)
