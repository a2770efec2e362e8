""" "Why this default?": a small window with what a default rests on, its sources and when the
entry was last checked. Sources open in the browser only when clicked."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from breather.support.evidence import Evidence, load_evidence
from breather.ui import theme


class EvidenceDialog(QDialog):
    """One default's evidence; `ask` shows it (tests replace it)."""

    def __init__(self, evidence: Evidence, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Why this default?")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        self.heading = QLabel(evidence.title)
        self.heading.setWordWrap(True)
        self.heading.setFont(theme.heading_font(self.font(), 1.2))
        self.summary = QLabel(evidence.summary)
        self.summary.setWordWrap(True)
        items = "".join(
            f"<li><a href='{escape(source.url, quote=True)}'>{escape(source.title)}</a></li>"
            for source in evidence.sources
        )
        self.sources = QLabel(f"<b>Sources</b><ul style='margin-left:-20px'>{items}</ul>")
        self.sources.setTextFormat(Qt.TextFormat.RichText)
        self.sources.setWordWrap(True)
        self.sources.setOpenExternalLinks(True)  # only ever on a click
        self.reviewed = QLabel(f"Reviewed {evidence.reviewed:%d %B %Y}. Change it in Settings.")
        self.reviewed.setObjectName("muted")
        close = QPushButton("&Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        for widget in (self.heading, self.summary, self.sources, self.reviewed):
            layout.addWidget(widget)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    @classmethod
    def ask(cls, key: str, parent: QWidget | None = None) -> EvidenceDialog:
        dialog = cls(load_evidence()[key], parent)
        dialog.open()
        return dialog


def why_link(
    key: str, parent: QWidget | None = None, text: str = "Why this default?"
) -> QPushButton:
    """A link-like button that shows the evidence for the default `key`; an `&` in `text`
    marks its Alt key, as on any button."""
    link = QPushButton(text, parent)
    link.setObjectName("link")
    link.setFlat(True)
    link.setAutoDefault(False)  # Enter in a prompt keeps meaning its own first answer
    link.setCursor(Qt.CursorShape.PointingHandCursor)
    link.setAccessibleName(f"{text.replace('&', '')} Show the evidence and its sources")
    # A transparent border keeps the link's size when the focus frame shows: someone moving
    # with Tab must see where they are, as on every other button.
    link.setStyleSheet(
        "QPushButton { text-decoration: underline; border: 2px solid transparent;"
        f" border-radius: 4px; padding: 0 2px; color: {theme.ACCENT_DARK}; }}"
        " QPushButton:focus { border-color: palette(highlight); }"
    )
    link.clicked.connect(lambda: EvidenceDialog.ask(key, link.window()))
    return link
