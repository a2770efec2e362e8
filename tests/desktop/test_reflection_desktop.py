"""The weekly note in the real app: a real notification on Sunday evening, through a real
D-Bus session and dunst, whose "Open the week" action opens Breather's window.

The app's wall clock is moved to just before Sunday 19:00 (a preloaded shim; monotonic time
is untouched), so the note comes within seconds instead of on the next real Sunday.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.desktop.app_driver import ARTIFACTS, QUIET_BREAKS, App, named, seed_use
from tests.desktop.harness import Desktop, wait_until
from tests.desktop.test_boundaries_desktop import displayed, dunstctl, keep_busy_until
from tests.wallclock import ShimUnavailable, build_wall_shim

pytestmark = pytest.mark.desktop

#: How long after the app starts its clock reaches Sunday 19:00 (start-up takes ~2 s).
LEAD = 20


def _sunday_evening_offset(now: datetime) -> int:
    """Seconds to add to `now` for the clock to read LEAD seconds before a Sunday's 19:00."""
    sunday = now + timedelta(days=(6 - now.weekday()) % 7)
    target = sunday.replace(hour=19, minute=0, second=0, microsecond=0)
    if target - now < timedelta(seconds=LEAD + 60):
        target += timedelta(days=7)
    return round((target - now).total_seconds()) - LEAD


@pytest.fixture
def wall_shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        return build_wall_shim(tmp_path_factory.mktemp("shim"))
    except ShimUnavailable as why:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; CI is set, so this is a failure, not a skip", pytrace=False)
        pytest.skip(str(why))


@pytest.fixture
def app_on_sunday(desktop: Desktop, tmp_path: Path, wall_shim: Path) -> Iterator[Path]:
    """The app in the tray with the weekly note turned on, its clock just before Sunday 19:00."""
    config = QUIET_BREAKS + '\n[reflection]\nnotify = true\nat = "19:00"\n'
    seed_use(tmp_path, "firefox", "News", 3600)
    offset = _sunday_evening_offset(datetime.now().astimezone())
    wall_clock = {"LD_PRELOAD": str(wall_shim), "FAULT_WALL_OFFSET": str(offset)}
    app = App(desktop, tmp_path, config, env=wall_clock)
    try:
        yield tmp_path
    finally:
        err = app.stop()
        assert "Traceback" not in err, err


def test_the_weekly_note_comes_on_sunday_evening_and_opens_the_week(
    desktop: Desktop, app_on_sunday: Path
) -> None:
    del app_on_sunday
    dunstctl(desktop, "close-all")
    keep_busy_until(desktop, lambda: displayed(desktop) >= 1, LEAD + 40, "the weekly note")
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-weekly-note.png")
    assert named(desktop, "^Breather$") is None  # nothing opens by itself

    # "Open the week" from dunst's action menu, as a person would from its context menu.
    log = desktop.run_dir / "dmenu-input.log"
    log.unlink(missing_ok=True)
    (desktop.run_dir / "pick.txt").write_text("Open the week")
    dunstctl(desktop, "context")
    offered = wait_until(lambda: log.exists() and log.read_text(), 10, "dunst's action menu")
    assert "Open the week (Your week, in a few lines)" in offered
    window = wait_until(lambda: named(desktop, "^Breather$"), 15, "Breather's window")
    wait_until(lambda: desktop.active_window_id() == window, 10, "the window to come forward")
    wait_until(lambda: displayed(desktop) == 0, 10, "the note to go, its job done")
    time.sleep(1)  # for the picture only: the week's first paint follows the activation
    desktop.screenshot(ARTIFACTS / "desktop-weekly-note-opened.png")
