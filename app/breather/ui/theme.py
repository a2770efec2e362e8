"""Colours and type that make Breather feel calm in light and dark desktops alike."""

from __future__ import annotations

import hashlib

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ACCENT = "#2a9d8f"  # a soft teal: present, never alarming
ACCENT_DARK = "#21867a"
AWAY = "#c9d1d3"
OVER = "#e5a27a"  # past a limit: a warm note, not an alarm

#: One colour per category, chosen to stay distinct for common colour-vision deficiencies.
CATEGORY_COLORS = {
    "Work": "#2a9d8f",
    "Learning": "#4c78a8",
    "Email": "#72b7b2",
    "Messaging": "#9ecae9",
    "Social media": "#e07a5f",
    "Video": "#b279a2",
    "Games": "#f2cc8f",
    "News": "#9d755d",
    "Shopping": "#ff9da6",
    "Music": "#81b29a",
    "Other": "#bab0ac",
}
_SPARE = ["#54a24b", "#eeca3b", "#f58518", "#4c78a8", "#b279a2", "#9d755d", "#72b7b2", "#e45756"]


def color_for(key: str) -> QColor:
    """A stable colour for a category or, failing that, any name."""
    known = CATEGORY_COLORS.get(key)
    if known:
        return QColor(known)
    digest = hashlib.blake2b(key.encode(), digest_size=2).digest()
    return QColor(_SPARE[int.from_bytes(digest, "big") % len(_SPARE)])


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def heading_font(base: QFont, scale: float = 1.6, bold: bool = True) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setBold(bold)
    return font


def muted(widget: QWidget) -> QColor:
    color = widget.palette().color(QPalette.ColorRole.WindowText)
    color.setAlphaF(0.62)
    return color


STYLE = f"""
QListWidget#nav {{
    border: none; padding: 12px 6px; font-size: 11pt; background: transparent; outline: 0;
}}
QListWidget#nav::item {{ padding: 9px 14px; border-radius: 8px; margin: 2px 4px; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QFrame#card {{
    border-radius: 12px; border: 1px solid palette(midlight); background: palette(base);
}}
QPushButton#primary {{
    background: {ACCENT}; color: white; border: none; border-radius: 8px; padding: 8px 18px;
    font-weight: 600;
}}
QPushButton#primary:hover {{ background: {ACCENT_DARK}; }}
QPushButton#primary:focus {{ outline: none; border: 2px solid palette(highlight); }}
QLabel#muted {{ color: palette(placeholder-text); }}
QProgressBar {{
    border: none; border-radius: 7px; background: palette(midlight); text-align: center;
    min-height: 20px; color: palette(text);
}}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 7px; }}
QProgressBar[over="true"]::chunk {{ background: {OVER}; }}
"""
