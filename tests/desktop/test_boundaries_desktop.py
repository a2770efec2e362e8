"""Break reminders on a real desktop: `breather track` notifies through dunst, the person
answers through dunst, and `breather report --json` counts what happened."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.desktop.harness import Desktop, Window, wait_until

pytestmark = pytest.mark.desktop

# Short cadences: an eye break every 20 s of activity, 5 s long, warned 10 s ahead.
CONFIG = """\
[tracking]
interval = "500ms"

[breaks.eyes]
every = "20s"
duration = "5s"

[breaks.movement]
enabled = false

[intention]
categories = []
"""


class Tracker:
    """`breather track` on the test desktop, its stderr collected as it comes."""

    def __init__(self, desk: Desktop, data: Path) -> None:
        config = data / "breather.toml"
        config.write_text(CONFIG)
        self.data = data
        self.env = {
            **desk.process_env,
            "BREATHER_DATA_DIR": str(data),
            "BREATHER_CONFIG": str(config),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "breather", "track"],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        wait_until(lambda: any("tracking x11" in line for line in self.lines), 20, "tracking")

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        code = self.proc.wait(timeout=20)
        self._reader.join(timeout=5)
        if self.proc.stderr is not None:
            self.proc.stderr.close()
        return code

    def report(self) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "breather", "report", "--json"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        result: dict[str, object] = json.loads(done.stdout)
        return result


@pytest.fixture
def tracker(desktop: Desktop, tmp_path: Path) -> Iterator[Callable[[], Tracker]]:
    started: list[Tracker] = []

    def start() -> Tracker:
        started.append(Tracker(desktop, tmp_path))
        return started[-1]

    dunstctl(desktop, "close-all")
    yield start
    for item in started:
        item.stop()
    (desktop.run_dir / "pick.txt").unlink(missing_ok=True)
    dunstctl(desktop, "close-all")


@pytest.fixture
def notes(desktop: Desktop, open_window: Callable[..., Window]) -> Window:
    window = open_window("Notes", "Shopping list")
    desktop.focus(window)
    return window


def dunstctl(desk: Desktop, *args: str) -> str:
    done = subprocess.run(
        ["dunstctl", *args],
        env=desk.process_env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout.strip()


def displayed(desk: Desktop) -> int:
    text = dunstctl(desk, "count", "displayed")
    return int(text) if text.isdigit() else 0


def keep_busy_until(
    desk: Desktop, condition: Callable[[], bool], timeout: float, what: str
) -> None:
    """Move the pointer every half second (real input, so never idle) until `condition`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        desk.input()
        time.sleep(0.5)


def test_a_break_notification_arrives_with_its_actions_and_postpone_is_recorded(
    desktop: Desktop, notes: Window, tracker: Callable[[], Tracker]
) -> None:
    del notes
    running = tracker()
    keep_busy_until(desktop, lambda: displayed(desktop) >= 1, 45, "the break notification")

    # Choose "Postpone" from dunst's action menu, as a person would from its context menu.
    log = desktop.run_dir / "dmenu-input.log"
    log.unlink(missing_ok=True)
    (desktop.run_dir / "pick.txt").write_text("Postpone")
    dunstctl(desktop, "context")  # dunst runs the menu script on its own time
    offered = wait_until(lambda: log.exists() and log.read_text(), 10, "dunst's action menu")
    assert "An eye break in 10 seconds" in offered
    assert "Start now" in offered
    assert "Postpone 20 seconds" in offered

    # The tracker applies the answer at its next sample and takes the notification away.
    keep_busy_until(desktop, lambda: displayed(desktop) == 0, 15, "the notification to close")
    assert running.stop() == 0, "".join(running.lines)
    assert "Traceback" not in "".join(running.lines)
    breaks = running.report()["breaks"]
    assert isinstance(breaks, dict)
    assert breaks["due"] == 1
    assert breaks["postponed"] == 1
    assert breaks["skipped"] == 0


def test_quitting_takes_breathers_notifications_off_the_screen(
    desktop: Desktop, notes: Window, tracker: Callable[[], Tracker]
) -> None:
    # A warning left behind would offer "Start now" and "Postpone" that answer nothing.
    del notes
    running = tracker()
    keep_busy_until(desktop, lambda: displayed(desktop) >= 1, 45, "the break notification")
    assert running.stop() == 0, "".join(running.lines)
    wait_until(lambda: displayed(desktop) == 0, 10, "the notification to be taken away")


def test_going_idle_through_a_break_counts_as_a_natural_break(
    desktop: Desktop, notes: Window, tracker: Callable[[], Tracker]
) -> None:
    del notes
    running = tracker()
    keep_busy_until(desktop, lambda: displayed(desktop) >= 1, 45, "the break warning")
    # Hands off: no input for longer than the 5 s break, before it was even due.
    wait_until(lambda: displayed(desktop) == 0, 15, "the warning to be taken away")
    time.sleep(1.0)
    assert running.stop() == 0, "".join(running.lines)
    breaks = running.report()["breaks"]
    assert isinstance(breaks, dict)
    assert breaks["natural"] == 1
    assert breaks["taken"] == 0
    assert breaks["postponed"] == 0


def test_doctor_names_the_notification_server(desktop: Desktop, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "breather", "doctor"],
        env={**desktop.process_env, "BREATHER_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = next(x for x in done.stdout.splitlines() if "notifications" in x)
    assert line.split()[:3] == ["ok", "notifications", "dunst"]
    assert "with buttons" in line
