"""The main window: a quiet sidebar and one page at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QHideEvent,
    QIcon,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from breather import APP_NAME
from breather.ui.binding import forget_module_sources
from breather.ui.widgets import add_shortcut

if TYPE_CHECKING:
    from breather.settings.live import LoadedSettings
    from breather.settings.model import ConfigProblem
    from breather.ui.about import AboutDialog

#: Problems listed in the settings banner; the rest are counted (`breather config check`).
BANNER_PROBLEMS = 4


class MainWindow(QMainWindow):
    """Pages are added with `add_page` as factories and built the first time they are shown.

    A Breather that lives in the tray never builds a page it does not show: that keeps the
    idle process small. Each page may have a `refresh()`, called whenever it is shown.
    """

    #: Closing the window only hid it: Breather goes on in the tray.
    hidden_to_tray = Signal()
    #: The window was shown (after the page on screen was refreshed), or hidden.
    shown = Signal()
    hidden = Signal()

    def __init__(self, icon: QIcon, *, hide_on_close: bool) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icon)
        self.resize(1100, 700)
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
        self.banner = SettingsBanner()
        self.tracking_banner = TrackingBanner()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.tracking_banner)
        right.addWidget(self.banner)
        right.addWidget(self.pages, 1)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.status, 1)
        self.about_button = QPushButton(f"About {APP_NAME}")
        self.about_button.setFlat(True)
        self.about_button.setToolTip("Version, licence and details for bug reports (F1)")
        self.about_button.clicked.connect(self.show_about)
        self.statusBar().addPermanentWidget(self.about_button)
        self.statusBar().setSizeGripEnabled(False)
        self.nav.currentRowChanged.connect(self._show_row)
        self._factories: list[Callable[[], QWidget]] = []
        self._built: dict[int, QWidget] = {}
        add_shortcut(self, QKeySequence.StandardKey.Close, self.close)
        add_shortcut(self, QKeySequence.StandardKey.HelpContents, self.show_about)

    def show_settings_problems(self, loaded: LoadedSettings) -> None:
        """Show what is wrong with the settings file above every page, or nothing."""
        self.banner.show_problems(loaded)

    def add_page(self, title: str, factory: Callable[[], QWidget], shortcut: str) -> None:
        """Add a page reachable from the sidebar and with Ctrl+`shortcut`."""
        item = QListWidgetItem(title)
        item.setToolTip(f"{title} (Ctrl+{shortcut})")
        self.nav.addItem(item)
        self.pages.addWidget(QWidget())  # a placeholder until the page is first shown
        self._factories.append(factory)
        row = self.nav.count() - 1
        add_shortcut(self, f"Ctrl+{shortcut}", lambda: self.show_page(row))

    def show_page(self, row: int) -> None:
        self.nav.setCurrentRow(row)

    def page_index(self, title: str) -> int:
        for row in range(self.nav.count()):
            if self.nav.item(row).text() == title:
                return row
        raise KeyError(title)

    def page(self, title: str) -> QWidget:
        """The page called `title`, built now if it never was."""
        return self._page_at(self.page_index(title))

    def _page_at(self, row: int) -> QWidget:
        built = self._built.get(row)
        if built is None:
            built = self._factories[row]()
            placeholder = self.pages.widget(row)
            self.pages.insertWidget(row, built)
            if placeholder is not None:
                self.pages.removeWidget(placeholder)
                placeholder.deleteLater()
            self._built[row] = built
            forget_module_sources()  # the page's modules were imported just now
        return built

    def refresh_current(self) -> None:
        row = self.pages.currentIndex()
        if 0 <= row < len(self._factories):
            refresh = getattr(self._page_at(row), "refresh", None)
            if callable(refresh):
                refresh()

    def show_about(self) -> AboutDialog:
        """The About box: version, licence and the details a bug report needs."""
        from breather.ui.about import AboutDialog

        dialog = AboutDialog(self.windowIcon(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def bring_to_front(self) -> None:
        """Show, un-minimise and raise the window (second launch, tray click)."""
        self.show()
        self.setWindowState(
            (self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
        self.raise_()
        self.activateWindow()

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self._page_at(row)
        self.pages.setCurrentIndex(row)
        if self.isVisible():  # a hidden window draws its page once shown (showEvent)
            self.refresh_current()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.nav.currentRow() < 0 and self.nav.count():
            self.nav.setCurrentRow(0)
        else:
            self.refresh_current()
        self.shown.emit()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.hidden.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._hide_on_close:
            # The tray keeps Breather running; closing the window only hides it.
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
        else:
            super().closeEvent(event)


class TrackingBanner(QFrame):
    """Why tracking cannot see this desktop, and the one thing that fixes it when there is one.

    Signals:
        fix_requested(): the person pressed the fix (on GNOME: install Breather's extension).
    """

    fix_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix = QPushButton()
        self.fix.clicked.connect(self.fix_requested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.fix, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName("Tracking problem")
        self.hide()

    def show_problem(self, text: str, fix: str = "") -> None:
        """Show `text` (empty: hide the banner), with a button labelled `fix` if given."""
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.fix.setText(fix)
        self.fix.setVisible(bool(fix))
        self.setVisible(bool(text))


class SettingsBanner(QFrame):
    """What is wrong with the settings file, where, and what Breather does meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_file = QPushButton("&Open the settings file")
        self.open_file.setToolTip("Opens it in your text editor; Breather reads it again on save")
        self.open_file.clicked.connect(self._open)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_file, 0, Qt.AlignmentFlag.AlignTop)
        self._file = ""
        self.hide()

    def show_problems(self, loaded: LoadedSettings) -> None:
        problems = loaded.problems
        if not problems:
            self.hide()
            return
        self._file = str(problems[0].file)
        count = len(problems)
        lines = [
            f"Your settings file has {count} problem{'s' if count > 1 else ''}; "
            + (
                "Breather records nothing until it is fixed."
                if loaded.records_nothing
                else "until it is fixed, those settings are on their defaults."
            )
        ]
        lines += [f"• {_located(problem)}" for problem in problems[:BANNER_PROBLEMS]]
        if count > BANNER_PROBLEMS:
            lines.append(f"… and {count - BANNER_PROBLEMS} more: `breather config check` lists all")
        if not loaded.records_nothing:
            lines += [f"{note[0].upper()}{note[1:]}." for note in loaded.notes]
        self.text.setText("\n".join(lines))
        self.setAccessibleName("Problems in the settings file")
        self.setAccessibleDescription(self.text.text())
        self.show()

    def _open(self) -> None:
        if self._file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self._file))


def _located(problem: ConfigProblem) -> str:
    """A problem as `config check` says it, with the file's name alone: 'breather.toml:3: …'."""
    return str(replace(problem, file=Path(problem.file.name)))
