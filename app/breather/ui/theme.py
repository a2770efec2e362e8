"""Colours and type that make Breather feel calm in light and dark desktops alike."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget

ACCENT = "#2a9d8f"  # a soft teal: present, never alarming
ACCENT_DARK = "#21867a"
AWAY = "#c9d1d3"
OVER = "#e5a27a"  # past a limit: a warm note, not an alarm


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
    border-radius: 12px; border: 1px solid palette(mid); background: palette(base);
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
QFrame#banner {{
    border-radius: 10px; border: 1px solid {OVER}; background: palette(base); margin: 10px;
}}
QListWidget#nav::item:focus {{ border: 2px solid palette(highlight); }}
QProgressBar[over="true"]::chunk {{ background: {OVER}; }}
"""
