"""Run Breather's own backend choice in a test session and say what it sees, for tests.

Prints "opened <windows source> <idle source>" and "active <app>|<title>", then one line per
change ("change <app>|<title>") until the desktop goes away ("lost <why>") or stdin closes.
"""

from __future__ import annotations

import sys

from breather.monitor.base import SourceLost, WindowInfo
from breather.monitor.select import open_desktop


def show(window: WindowInfo | None) -> str:
    return "-" if window is None else f"{window.app}|{window.title}"


def main() -> int:
    windows, idle = open_desktop(idle_thresholds=(10.0,))
    print("opened", windows.name, idle.name, flush=True)
    print("active", show(windows.active_window()), flush=True)
    try:
        while True:
            if windows.wait_for_change(0.5):
                print("change", show(windows.active_window()), flush=True)
            idle.idle_seconds()
    except SourceLost as lost:
        print("lost", lost, flush=True)
    finally:
        windows.close()
        idle.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
