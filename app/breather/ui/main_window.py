"""The main window: a quiet sidebar and one page at a time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from breather import APP_NAME
from breather.ui.widgets import add_shortcut


class MainWindow(QMainWindow):
    """Pages are added with `add_page`; each may have a `refresh()` called when shown."""

    def __init__(self, icon: QIcon, *, hide_on_close: bool) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icon)
        self.resize(1100, 760)
        self._hide_on_close = hide_on_close
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(190)
        self.nav.setAccessibleName("Sections")
        self.pages = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.status, 1)
        self.statusBar().setSizeGripEnabled(False)
        self.nav.currentRowChanged.connect(self._show_row)
        self._refreshers: list[Callable[[], None] | None] = []
        add_shortcut(self, QKeySequence.StandardKey.Close, self.close)

    def add_page(self, title: str, page: QWidget, shortcut: str) -> None:
        """Add a page reachable from the sidebar and with Ctrl+`shortcut`."""
        item = QListWidgetItem(title)
        item.setToolTip(f"{title} (Ctrl+{shortcut})")
        self.nav.addItem(item)
        self.pages.addWidget(page)
        refresh = getattr(page, "refresh", None)
        self._refreshers.append(refresh if callable(refresh) else None)
        row = self.nav.count() - 1
        add_shortcut(self, f"Ctrl+{shortcut}", lambda: self.show_page(row))

    def show_page(self, row: int) -> None:
        self.nav.setCurrentRow(row)

    def page_index(self, title: str) -> int:
        for row in range(self.nav.count()):
            if self.nav.item(row).text() == title:
                return row
        raise KeyError(title)

    def refresh_current(self) -> None:
        row = self.pages.currentIndex()
        if 0 <= row < len(self._refreshers):
            refresh = self._refreshers[row]
            if refresh is not None:
                refresh()

    def bring_to_front(self) -> None:
        """Show, un-minimise and raise the window (second launch, tray click)."""
        self.show()
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.raise_()
        self.activateWindow()

    def _show_row(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        self.refresh_current()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.nav.currentRow() < 0 and self.nav.count():
            self.nav.setCurrentRow(0)
        else:
            self.refresh_current()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._hide_on_close:
            # The tray keeps Breather running; closing the window only hides it.
            event.ignore()
            self.hide()
        else:
            super().closeEvent(event)
