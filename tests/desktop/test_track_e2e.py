"""`breather track` on a real desktop: real windows, real focus changes, real idle.

The person's day is a schedule of focus changes, a retitle and a pause; the report and the
export must tell the same story within 2 seconds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.desktop.harness import Desktop, Window

pytestmark = pytest.mark.desktop

IDLE_AFTER = 10  # seconds; the smallest the config allows, to keep the test short


class Person:
    """Acts on the desktop and notes when each thing really happened (monotonic seconds)."""

    def __init__(self, desktop: Desktop) -> None:
        self.desktop = desktop
        self.log: list[tuple[float, str]] = []

    def focus(self, window: Window) -> None:
        self.desktop.focus(window)
        self.log.append((time.monotonic(), f"focus {window.wm_class}"))

    def retitle(self, window: Window, title: str) -> None:
        self.desktop.retitle(window, title)
        self.log.append((time.monotonic(), f"retitle {window.wm_class}"))

    def work(self, seconds: float) -> None:
        """Keep using the machine for `seconds`: the pointer moves every half second."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.desktop.input()
            time.sleep(min(0.5, max(0.0, end - time.monotonic())))
        self.desktop.input()
        self.log.append((time.monotonic(), "last input"))

    def step_away(self, seconds: float, *, back_to: Window) -> None:
        """Leave the machine alone, then come back to `back_to` (focused before touching)."""
        time.sleep(seconds)  # nobody touches anything: this is the scenario, not a wait
        self.focus(back_to)
        self.desktop.input()
        self.log.append((time.monotonic(), "back"))


def breather(desktop: Desktop, data: Path, *args: str) -> subprocess.Popen[str]:
    env = {**desktop.process_env, "BREATHER_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "breather", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(desktop: Desktop, data: Path, *args: str) -> str:
    proc = breather(desktop, data, *args)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return out


@pytest.fixture
def start_tracker(
    desktop: Desktop, tmp_path: Path
) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    """Start `breather track` (when the scene is set) with a short idle threshold."""
    (tmp_path / "breather.toml").write_text(
        f'[tracking]\ninterval = "1s"\nidle_after = "{IDLE_AFTER}s"\n', encoding="utf-8"
    )
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        proc = breather(desktop, tmp_path, "track")
        started.append(proc)
        assert proc.stderr is not None
        line = proc.stderr.readline()
        if "tracking x11" not in line:
            proc.kill()
            _, rest = proc.communicate(timeout=15)
            pytest.fail(f"breather track did not start: {line}{rest}")
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=15)


def test_a_real_session_is_reported_and_exported_as_it_happened(
    desktop: Desktop, open_window, start_tracker, tmp_path: Path
) -> None:
    notes = open_window("Notes", "Grüße 🧘 — Notes")
    reader = open_window("Reader", "日本語のメモ — Reader", program="reader")
    chat = open_window("Chat", "Emoji ☕ café 🎉 — Chat", program="chat")
    person = Person(desktop)
    person.focus(notes)
    # The person is at the keyboard when tracking starts: opening three windows on a busy
    # machine can take longer than IDLE_AFTER, which would make the start look like a pause.
    desktop.input()
    tracker = start_tracker()
    started = time.monotonic()
    person.work(6)
    person.focus(reader)
    person.work(5)
    person.retitle(reader, "שלום עולם — Reader")
    person.work(4)
    person.focus(chat)
    person.work(4)
    chat_until = time.monotonic()
    person.step_away(IDLE_AFTER + 6, back_to=notes)
    back = time.monotonic()
    person.work(3)
    tracker.send_signal(signal.SIGTERM)
    _, err = tracker.communicate(timeout=15)
    stopped = time.monotonic()
    assert tracker.returncode == 0, err

    marks = {label: at for at, label in person.log}  # the latest of each (Notes twice)
    expected = {
        "Notes": (marks["focus Reader"] - started) + (stopped - marks["back"]),
        "Reader": marks["focus Chat"] - marks["focus Reader"],
        "Chat": chat_until - marks["focus Chat"],
    }
    report = json.loads(run(desktop, tmp_path, "report", "--json"))
    totals = {entry["key"]: entry["seconds"] for entry in report["totals"]}
    assert set(totals) == set(expected), totals
    for app, seconds in expected.items():
        assert totals[app] == pytest.approx(seconds, abs=2.0), (app, totals, expected)
    assert report["away_seconds"] == pytest.approx(back - chat_until, abs=2.0)

    by_title = json.loads(run(desktop, tmp_path, "report", "--json", "--by", "title"))
    titles = {(entry["app"], entry["key"]) for entry in by_title["totals"]}
    assert titles == {
        ("Notes", "Grüße 🧘 — Notes"),
        ("Reader", "日本語のメモ — Reader"),
        ("Reader", "שלום עולם — Reader"),
        ("Chat", "Emoji ☕ café 🎉 — Chat"),
    }

    rows = list(csv.DictReader(io.StringIO(run(desktop, tmp_path, "export", "--format", "csv"))))
    assert [row["app"] or "away" for row in rows] == [
        "Notes",
        "Reader",
        "Reader",
        "Chat",
        "away",
        "Notes",
    ]
    assert rows[2]["title"] == "שלום עולם — Reader"
    assert {row["process"] for row in rows if row["app"] == "Chat"} == {"chat"}
    jsonl = run(desktop, tmp_path, "export", "--format", "jsonl").splitlines()
    assert [json.loads(line)["title"] for line in jsonl] == [row["title"] for row in rows]


def test_kill_9_on_a_real_desktop_loses_at_most_ten_seconds(
    desktop: Desktop, open_window, start_tracker, tmp_path: Path
) -> None:
    window = open_window("Editor", "draft.txt — Editor")
    desktop.focus(window)
    tracker = start_tracker()
    began = time.monotonic()
    Person(desktop).work(18)
    os.kill(tracker.pid, signal.SIGKILL)
    tracker.wait(timeout=10)
    killed_at = time.time()
    ran = time.monotonic() - began
    db = sqlite3.connect(tmp_path / "breather.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()
    # The next start writes what the killed run kept in its journal, before tracking on.
    again = start_tracker()
    again.send_signal(signal.SIGTERM)
    again.communicate(timeout=15)
    db = sqlite3.connect(tmp_path / "breather.db")
    try:
        query = "SELECT SUM(end_ms - start_ms) FROM span WHERE end_ms <= ?"
        kept = db.execute(query, (int(killed_at * 1000),)).fetchone()[0] / 1000
    finally:
        db.close()
    assert ran - kept <= 10.0, f"ran {ran:.1f} s, kept {kept:.1f} s"
