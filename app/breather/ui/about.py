"""About Breather: the version (from the package metadata), what it promises, and the details a
bug report needs."""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from breather import APP_ID, APP_NAME, __version__
from breather.ui import theme

LICENSE = "GPL-3.0-or-later"


def version_details() -> str:
    """One line for bug reports: Breather, Python, Qt and the system."""
    return (
        f"{APP_NAME} {__version__} ({APP_ID}); Python {platform.python_version()}, "
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}, {platform.system()} "
        f"{platform.release()}{' (bundle)' if getattr(sys, 'frozen', False) else ''}"
    )


class AboutDialog(QDialog):
    def __init__(self, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)

        heading = QHBoxLayout()
        picture = QLabel()
        picture.setPixmap(icon.pixmap(64, 64))
        picture.setAccessibleName(f"{APP_NAME} icon")
        heading.addWidget(picture)
        names = QVBoxLayout()
        title = QLabel(APP_NAME)
        title.setFont(theme.heading_font(self.font(), 1.6))
        self.version = QLabel(f"Version {__version__}")
        self.version.setObjectName("muted")
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        names.addWidget(title)
        names.addWidget(self.version)
        heading.addLayout(names, 1)
        layout.addLayout(heading)

        about = QLabel(
            "A calm companion for mindful screen use: see where your time goes, rest your "
            "eyes, and keep the limits you chose.<br><br>"
            "<b>Everything stays on this computer.</b> No account, no cloud, no network."
        )
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(about)
        license_note = QLabel(f"Free software under the {LICENSE} licence.")
        license_note.setObjectName("muted")
        layout.addWidget(license_note)
        self.details = QLabel(version_details())
        self.details.setObjectName("muted")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)

        buttons = QHBoxLayout()
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setToolTip("Copy the version details, e.g. for a bug report")
        self.copy_button.clicked.connect(self.copy_details)
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.text())
