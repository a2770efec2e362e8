"""The mood check-in in the real app, on a real window manager, answered from the keyboard."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.desktop.app_driver import (
    ARTIFACTS,
    QUIET_BREAKS,
    App,
    prompt_windows,
    wait_for_prompt,
    xdotool,
)
from tests.desktop.harness import Desktop, Window, wait_until

pytestmark = pytest.mark.desktop


def moods(data: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(data / "breather.db")
    try:
        return [(int(m), str(n)) for m, n in conn.execute("SELECT mood, note FROM checkin")]
    finally:
        conn.close()


def test_the_check_in_is_answered_with_one_key(
    desktop: Desktop, open_window: Callable[..., Window], start_app: Callable[[str], App]
) -> None:
    notes = open_window("Notes", "Shopping list")
    desktop.focus(notes)
    # The chosen time passed a minute ago and nothing was asked today: it asks shortly.
    at = (datetime.now() - timedelta(minutes=1)).strftime("%H:%M")
    app = start_app(QUIET_BREAKS + f'\n[checkin]\nask = true\nmoment = "evening"\nat = "{at}"\n')
    app.wait_ready()

    prompt = wait_for_prompt(desktop, 40, "the check-in")
    assert desktop.active_window_id() == prompt  # keys go to it, no click needed
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-checkin.png")
    xdotool(desktop, "key", "4")
    wait_until(lambda: not prompt_windows(desktop), 10, "the check-in to close")
    wait_until(lambda: moods(app.data) == [(4, "")], 10, "the check-in stored")
