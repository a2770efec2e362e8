"""Bringing history in and taking it out: all or nothing, private as tracking, nothing left.

Real ActivityWatch-shaped exports into real SQLite files through the `breather` command.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.faults.conftest import breather, no_traceback, run

START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


def aw_export(path: Path, hosts: dict[str, list[tuple[str, str]]]) -> Path:
    """An ActivityWatch export: for each host, one window event a minute with (app, title),
    all of them not-afk."""
    buckets = {}
    for host, windows in hosts.items():
        events = [
            {
                "timestamp": (START + timedelta(minutes=i)).isoformat(),
                "duration": 60.0,
                "data": {"app": app, "title": title},
            }
            for i, (app, title) in enumerate(windows)
        ]
        buckets[f"aw-watcher-window_{host}"] = {
            "type": "currentwindow",
            "hostname": host,
            "events": events,
        }
        buckets[f"aw-watcher-afk_{host}"] = {
            "type": "afkstatus",
            "hostname": host,
            "events": [
                {
                    "timestamp": START.isoformat(),
                    "duration": 60.0 * len(windows),
                    "data": {"status": "not-afk"},
                }
            ],
        }
    # A lone surrogate is legal JSON text; json.dumps writes it as the escape \ud800.
    path.write_text(json.dumps({"buckets": buckets}))
    return path


def table(data: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(f"file:{data / 'breather.db'}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_an_import_that_fails_half_way_leaves_nothing_behind(data: Path) -> None:
    assert run("report", data=data).returncode == 0  # a database, with this device in it
    devices_before = table(data, "SELECT id, name FROM device")
    db = sqlite3.connect(data / "breather.db")
    # The second host's first span fails to write, as an I/O error or a full disk would.
    db.execute(
        "CREATE TRIGGER fail BEFORE INSERT ON span"
        " WHEN (SELECT name FROM device WHERE id = NEW.device_id) = 'second'"
        " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
    )
    db.commit()
    db.close()
    export = aw_export(
        data.parent / "aw.json",
        {"first": [("code", "notes")] * 30, "second": [("firefox", "news")] * 30},
    )
    result = run("import", "activitywatch", str(export), data=data)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert "nothing was imported" in result.stderr
    assert table(data, "SELECT COUNT(*) FROM span") == [(0,)]
    assert table(data, "SELECT id, name FROM device") == devices_before
    assert table(data, "SELECT COUNT(*) FROM title") == [(0,)]


def test_a_lone_surrogate_in_a_title_is_stored_as_a_replacement_character(data: Path) -> None:
    export = aw_export(
        data.parent / "aw.json",
        {"first": [("code", "notes")] * 3, "second": [("firefox", "broken \ud800 title")] * 3},
    )
    result = run("import", "activitywatch", str(export), data=data)
    no_traceback(result.stderr)
    assert result.returncode == 0, result.stderr
    broken, notes = sorted(text for (text,) in table(data, "SELECT text FROM title"))
    assert notes == "notes"
    # The streaming JSON parser puts "?" where the surrogate was; U+FFFD is the fallback.
    assert broken in ("broken ? title", "broken \ufffd title")


def test_imported_titles_are_cut_like_tracked_ones(data: Path) -> None:
    export = aw_export(data.parent / "aw.json", {"first": [("code", "x" * 5000)]})
    assert run("import", "activitywatch", str(export), data=data).returncode == 0
    assert table(data, "SELECT length(text) FROM title") == [(1024,)]


def test_activitywatch_import_obeys_the_privacy_settings(data: Path) -> None:
    (data / "breather.toml").write_text(
        '[privacy]\nexclude_apps = ["Slack"]\nexclude_titles = ["*bank*"]\n'
    )
    windows = [
        ("Slack", "#general"),
        ("firefox", "My bank — Mozilla Firefox"),
        ("firefox", "Secret — Mozilla Firefox Private Browsing"),
        ("code", "notes.md"),
    ]
    export = aw_export(data.parent / "aw.json", {"first": windows * 5})
    result = run("import", "activitywatch", str(export), data=data)
    assert result.returncode == 0, result.stderr
    assert table(data, "SELECT name FROM app WHERE name = 'Slack'") == []
    assert [text for (text,) in table(data, "SELECT text FROM title")] == ["notes.md"]
    firefox = table(
        data,
        "SELECT SUM(end_ms - start_ms) FROM span JOIN app ON app.id = span.app_id"
        " WHERE app.name = 'firefox'",
    )
    assert firefox == [(2 * 5 * 60_000,)]  # the time is kept, without the titles

    (data / "breather.toml").write_text("[privacy]\ntitles = false\n")
    other = aw_export(data.parent / "aw2.json", {"second": [("code", "plans.md")] * 3})
    assert run("import", "activitywatch", str(other), data=data).returncode == 0
    assert [text for (text,) in table(data, "SELECT text FROM title")] == ["notes.md"]


def test_forget_all_also_deletes_the_damaged_copies_set_aside(data: Path) -> None:
    export = aw_export(data.parent / "aw.json", {"first": [("code", "diary entry")] * 3})
    assert run("import", "activitywatch", str(export), data=data).returncode == 0
    damaged = data / "breather.db"
    damaged.write_bytes(damaged.read_bytes()[:4096] + b"\0" * 100)  # a torn file
    said = run("report", data=data).stderr
    copies = list(data.glob("breather.db.damaged-*"))
    assert copies, said
    asked = run("forget", "--all", data=data)
    assert str(copies[0]) in asked.stdout
    done = run("forget", "--all", "--yes", data=data)
    assert done.returncode == 0, done.stderr
    assert list(data.glob("breather.db.damaged-*")) == []
    assert "Nothing is recorded." not in done.stdout
    for leftover in data.iterdir():
        if leftover.is_file():
            assert b"diary entry" not in leftover.read_bytes(), leftover


def test_an_import_killed_at_any_moment_is_all_or_nothing(data: Path) -> None:
    from bench.import_bench import build

    export = data.parent / "two-months.json"
    build(export, 60)
    assert run("report", data=data).returncode == 0
    devices_before = table(data, "SELECT COUNT(*) FROM device")[0][0]
    outcomes = set()
    for moment in (0.6, 1.0, 1.4, 1.8):
        proc = breather("import", "activitywatch", str(export), data=data)
        time.sleep(moment)  # the power goes at some point of the import
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        spans_now = table(data, "SELECT COUNT(*) FROM span")[0][0]
        devices_now = table(data, "SELECT COUNT(*) FROM device")[0][0]
        if spans_now == 0:
            assert devices_now == devices_before  # nothing, not even the device row
            outcomes.add("nothing")
        else:
            outcomes.add("all")
            break
    print(f"killed imports left: {sorted(outcomes)}")
    db = sqlite3.connect(data / "breather.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    if "all" in outcomes:
        # Whole: importing the same file again adds nothing.
        again = run("import", "activitywatch", str(export), data=data)
        assert "Imported 0 spans" in again.stdout, again.stdout
