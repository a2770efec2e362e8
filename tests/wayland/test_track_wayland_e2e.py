"""`breather track` on real headless Wayland compositors (sway, KWin): native Wayland windows
and an Xwayland one, real focus changes, a retitle, and a real pause in input.

The person's day is a schedule; the report and the export must tell the same story within
2 seconds, with the titles exactly as the windows had them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import time

import pytest

from tests.wayland.compositors import Compositor, Window
from tests.wayland.session import STARTUP_TIMEOUT, UserProcess, wait_until

pytestmark = pytest.mark.wayland

IDLE_AFTER = 10  # seconds; the smallest the config allows, to keep the test short
INPUT_EVERY = 0.5
TRACKING = re.compile(r"tracking (\S+) every")


class Person:
    """Acts on the desktop and notes when each thing really happened (monotonic seconds)."""

    def __init__(self, desktop: Compositor) -> None:
        self.desktop = desktop
        self.marks: dict[str, float] = {}

    def focus(self, window: Window) -> None:
        self.desktop.focus(window)
        self.marks[f"focus {window.app}"] = time.monotonic()

    def retitle(self, window: Window, title: str) -> None:
        self.desktop.retitle(window, title)
        self.marks[f"retitle {window.app}"] = time.monotonic()

    def work(self, seconds: float) -> None:
        """Keep using the machine for `seconds`: the pointer moves twice a second."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.desktop.input()
            time.sleep(min(INPUT_EVERY, max(0.0, end - time.monotonic())))
        self.desktop.input()
        self.marks["last input"] = time.monotonic()

    def step_away(self, seconds: float, *, back_to: Window) -> None:
        """Leave the machine alone, then come back to `back_to` (focused before touching)."""
        time.sleep(seconds)  # nobody touches anything: this is the scenario, not a wait
        self.focus(back_to)
        self.desktop.input()
        self.marks["back"] = time.monotonic()


def breather(desktop: Compositor, *args: str) -> list[str]:
    data = desktop.session.data_dir
    return [desktop.session.python(), "-m", "breather", "--data-dir", str(data), *args]


def run(desktop: Compositor, *args: str) -> str:
    return desktop.session.run(breather(desktop, *args), env=desktop.env, timeout=60).stdout


def start_tracker(desktop: Compositor) -> UserProcess:
    """`breather track` with a short idle threshold; returns once it tracks."""
    config = desktop.session.data_dir / "breather.toml"
    config.write_text(
        f'[tracking]\ninterval = "1s"\nidle_after = "{IDLE_AFTER}s"\n', encoding="utf-8"
    )
    user = desktop.session.user
    os.chown(config, user.pw_uid, user.pw_gid)
    tracker = desktop.session.spawn("track", breather(desktop, "track"), env=desktop.env)
    wait_until(
        lambda: TRACKING.search(tracker.output()) or not tracker.running(),
        STARTUP_TIMEOUT,
        "breather track to start",
    )
    if not tracker.running():
        pytest.fail(f"breather track did not start: {tracker.output()}")
    return tracker


def test_a_day_on_wayland_is_reported_and_exported_as_it_happened(
    compositor: Compositor,
) -> None:
    desktop = compositor
    notes = desktop.open_qt("notes", "Grüße 🧘 — Notes")
    reader = desktop.open_qt("reader", "日本語のメモ — Reader")
    chat = desktop.open_xterm("Chat", "Emoji ☕ café 🎉 — Chat")
    desktop.wait_mapped()
    person = Person(desktop)
    person.focus(notes)
    tracker = start_tracker(desktop)
    backend = {"sway": "wayland-wlroots", "kwin": "kwin"}[desktop.name]
    found = TRACKING.search(tracker.output())
    assert found is not None and found.group(1) == backend, tracker.output()
    started = time.monotonic()
    person.work(4)
    person.focus(reader)
    person.work(3)
    person.retitle(reader, "שלום עולם — Reader")
    person.work(3)
    person.focus(chat)
    person.work(3)
    chat_until = person.marks["last input"]
    person.step_away(IDLE_AFTER + 3, back_to=notes)
    person.work(2)
    stopped = time.monotonic()  # the tracker ends its day when told to, not when it has exited
    tracker.signal(signal.SIGTERM)
    status = tracker.wait(timeout=15)
    assert status == 0, tracker.output()

    marks = person.marks
    expected = {
        notes.app: (marks[f"focus {reader.app}"] - started) + (stopped - marks["back"]),
        reader.app: marks[f"focus {chat.app}"] - marks[f"focus {reader.app}"],
        chat.app: chat_until - marks[f"focus {chat.app}"],
    }
    report = json.loads(run(desktop, "report", "--json"))
    totals = {entry["key"]: entry["seconds"] for entry in report["totals"]}
    away = marks["back"] - chat_until
    print(  # shown with -s or on failure: what happened against what was reported
        f"{desktop.name}: scheduled {_rounded(expected)}, away {away:.2f}; "
        f"reported {_rounded(totals)}, away {report['away_seconds']:.2f}"
    )
    assert set(totals) == set(expected), totals
    for app, seconds in expected.items():
        assert totals[app] == pytest.approx(seconds, abs=2.0), (app, totals, expected)
    assert report["away_seconds"] == pytest.approx(away, abs=2.0)

    by_title = json.loads(run(desktop, "report", "--json", "--by", "title"))
    titles = {(entry["app"], entry["key"]) for entry in by_title["totals"]}
    assert titles == {
        (notes.app, "Grüße 🧘 — Notes"),
        (reader.app, "日本語のメモ — Reader"),
        (reader.app, "שלום עולם — Reader"),
        (chat.app, "Emoji ☕ café 🎉 — Chat"),
    }

    rows = list(csv.DictReader(io.StringIO(run(desktop, "export", "--format", "csv"))))
    assert [row["app"] or "away" for row in rows] == [
        notes.app,
        reader.app,
        reader.app,
        chat.app,
        "away",
        notes.app,
    ]
    assert rows[2]["title"] == "שלום עולם — Reader"
    if desktop.name == "kwin":  # KWin reports the pid; wlroots' protocol has none
        assert {row["process"] for row in rows if row["app"] == chat.app} == {"xterm"}
    jsonl = run(desktop, "export", "--format", "jsonl").splitlines()
    assert [json.loads(line)["title"] for line in jsonl] == [row["title"] for row in rows]


def _rounded(seconds: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 2) for key, value in sorted(seconds.items())}
