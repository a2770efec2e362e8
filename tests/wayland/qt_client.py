"""A native Wayland test window (Qt, QT_QPA_PLATFORM=wayland) that retitles itself on request.

Usage: qt_client.py APP_ID TITLE. The app id is Qt's desktop file name. Prints "shown" once
the window is mapped; each line on stdin, a JSON object {"title": "…"}, retitles it.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app_id, title = sys.argv[1], sys.argv[2]
    app = QApplication(sys.argv[:1])
    QGuiApplication.setDesktopFileName(app_id)
    window = QLabel(app_id)
    window.setWindowTitle(title)
    window.resize(320, 200)
    window.show()

    def announce() -> None:
        if window.windowHandle() is not None and window.windowHandle().isExposed():
            print("shown", QGuiApplication.platformName(), flush=True)
        else:
            QTimer.singleShot(20, announce)

    def command() -> None:
        line = sys.stdin.readline()
        if not line:
            app.quit()
            return
        request = json.loads(line)
        if "title" in request:
            window.setWindowTitle(request["title"])

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    QTimer.singleShot(0, announce)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
