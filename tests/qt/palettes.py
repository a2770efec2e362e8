"""A dark desktop theme, as one sets Qt's palette before Breather starts, for the dark
screenshots and the checks that nothing bright shows in a dark room."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Text: "#e8e8e8",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e8e8e8",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.Mid: "#5a5a5a",
    QPalette.ColorRole.Midlight: "#444444",
    QPalette.ColorRole.Highlight: "#2a9d8f",
}


@contextmanager
def dark_desktop() -> Iterator[None]:
    """The application's palette dark inside the block, as it was after it."""
    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    before = qt_app.palette()
    dark = QPalette()
    for role, colour in DARK.items():
        dark.setColor(role, QColor(colour))
    qt_app.setPalette(dark)
    try:
        yield
    finally:
        qt_app.setPalette(before)
