"""A tiny native Wayland client for GNOME tests: one Qt window with a chosen app id and title.

    QT_QPA_PLATFORM=wayland python qt_client.py APP_ID TITLE

The app id is the Wayland xdg_toplevel app_id (Qt's desktop file name). Each line read on
stdin becomes the new title; the window closes when stdin closes, so it never outlives the
test that started it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSocketNotifier
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel


def main(argv: list[str]) -> int:
    """Show the window until stdin closes."""
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    app = QApplication(argv[:1])
    QGuiApplication.setDesktopFileName(argv[1])
    window = QLabel(argv[1])
    window.setWindowTitle(argv[2])
    window.resize(320, 200)
    window.show()

    def read_title() -> None:
        line = sys.stdin.buffer.readline()
        if not line:
            app.quit()
            return
        window.setWindowTitle(line.decode("utf-8").rstrip("\n"))

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(read_title)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
