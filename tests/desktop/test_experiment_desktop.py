"""A personal experiment started, cancelled and ended early in the real app, on a real window
manager, from the keyboard alone: Ctrl+3 for Trends, the buttons' Alt keys, Tab and Enter."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.app_driver import ARTIFACTS, QUIET_BREAKS, App, named, xdotool
from tests.desktop.harness import Desktop, wait_until

pytestmark = pytest.mark.desktop


def stored_experiments(data: Path) -> list[tuple[str, str, float, int, bool]]:
    """(kind, subject, value seconds, days, ended early) of each stored experiment."""
    conn = sqlite3.connect(data / "breather.db")
    try:
        rows = conn.execute(
            "SELECT kind, subject, value, days, ended_ms IS NOT NULL FROM experiment ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return [(str(k), str(s), float(v), int(d), bool(e)) for k, s, v, d, e in rows]


@pytest.fixture
def app_window(desktop: Desktop, tmp_path: Path) -> Iterator[int]:
    """The app launched from the menu (its window opens), tracking into `tmp_path`."""
    app = App(desktop, tmp_path, QUIET_BREAKS, tray=False)
    try:
        window = wait_until(lambda: named(desktop, "^Breather$"), 30, "the main window")
        wait_until(lambda: desktop.active_window_id() == window, 10, "the window to have focus")
        yield window
    finally:
        err = app.stop()
        assert "Traceback" not in err, err


def test_an_experiment_is_started_cancelled_and_ended_early_from_the_keyboard(
    desktop: Desktop, app_window: int, tmp_path: Path
) -> None:
    xdotool(desktop, "key", "ctrl+3")  # Trends
    xdotool(desktop, "key", "alt+s")  # Start an experiment…
    dialog = wait_until(
        lambda: named(desktop, "^Start an experiment$"), 15, "the experiment dialog"
    )
    wait_until(lambda: desktop.active_window_id() == dialog, 10, "the dialog to have focus")
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-experiment-dialog.png")

    # What keeps its suggestion (Social media); How much becomes 20 minutes, for 7 days.
    xdotool(desktop, "key", "Tab", "ctrl+a")
    xdotool(desktop, "type", "20m")
    xdotool(desktop, "key", "Tab", "ctrl+a")
    xdotool(desktop, "type", "7")
    xdotool(desktop, "key", "Return")
    wait_until(lambda: named(desktop, "^Start an experiment$") is None, 10, "it to close")
    wait_until(lambda: stored_experiments(tmp_path), 10, "the experiment stored")
    assert stored_experiments(tmp_path) == [("limit", "category:Social media", 1200.0, 7, False)]
    wait_until(lambda: desktop.active_window_id() == app_window, 10, "focus back in Breather")
    desktop.screenshot(ARTIFACTS / "desktop-experiment-running.png")

    # End early (Alt+E) ends it, and Start is there again.
    xdotool(desktop, "key", "alt+e")
    wait_until(lambda: stored_experiments(tmp_path)[0][4], 10, "the experiment ended early")

    # Start again, then think better of it: Escape leaves nothing behind.
    xdotool(desktop, "key", "alt+s")
    dialog = wait_until(lambda: named(desktop, "^Start an experiment$"), 15, "the dialog again")
    wait_until(lambda: desktop.active_window_id() == dialog, 10, "the dialog to have focus")
    xdotool(desktop, "key", "Escape")
    wait_until(lambda: named(desktop, "^Start an experiment$") is None, 10, "it to close")
    assert stored_experiments(tmp_path) == [("limit", "category:Social media", 1200.0, 7, True)]
