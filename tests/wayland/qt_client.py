"""A native Wayland test window (Qt, QT_QPA_PLATFORM=wayland) that retitles itself on request.

    QT_QPA_PLATFORM=wayland python qt_client.py APP_ID TITLE

The app id is the Wayland xdg_toplevel app_id (Qt's desktop file name). It prints "shown"
once the window is mapped. Each line on stdin retitles it: a JSON object {"title": "…"}, or
the new title as plain text. The window closes when stdin closes, so it never outlives the
test that started it.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel


def main(argv: list[str]) -> int:
    """Show the window until stdin closes."""
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    app_id, title = argv[1], argv[2]
    app = QApplication(argv[:1])
    QGuiApplication.setDesktopFileName(app_id)
    window = QLabel(app_id)
    window.setWindowTitle(title)
    window.resize(320, 200)
    window.show()

    def announce() -> None:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            print("shown", QGuiApplication.platformName(), flush=True)
        else:
            QTimer.singleShot(20, announce)

    def read_title() -> None:
        line = sys.stdin.buffer.readline().decode("utf-8")
        if not line:
            app.quit()
            return
        text = line.rstrip("\n")
        window.setWindowTitle(json.loads(text)["title"] if text.startswith("{") else text)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(read_title)
    QTimer.singleShot(0, announce)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
