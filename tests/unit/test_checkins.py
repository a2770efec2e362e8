"""Mood check-ins: stored once, read back per day, exported and imported unchanged, forgotten."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from breather.categories.catalogue import Categorizer
from breather.cli.main import main
from breather.data.export import write_export
from breather.data.importers import ImportFailed, ImportReport, import_devices, read_jsonl
from breather.monitor.base import WindowInfo
from breather.store import Store, open_store, sqlite_url
from breather.store.checkins import (
    BadCheckin,
    Checkin,
    CheckinLog,
    checkins,
    mood_by_day,
    new_checkin,
)
from breather.store.maintenance import apply_retention, delete_everything, delete_range
from breather.store.queries import day_range, iter_spans
from breather.store.schema import to_ms
from breather.tracking.spans import Span

# Every test that takes `store` runs through sqlite3 and through SQLAlchemy.
pytestmark = pytest.mark.both_drivers

MIDNIGHT = time(0, 0)
DAY = date(2026, 11, 23)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


def test_checkins_are_read_back_per_day_with_their_mean(store: Store) -> None:
    log = CheckinLog(store.db, store.device_id)
    log.record(new_checkin(local(DAY, 9), 2, "  tired  "))
    log.record(new_checkin(local(DAY, 21), 4))
    log.record(new_checkin(local(DAY + timedelta(days=2), 20), 5, "walked by the river"))

    days = [DAY + timedelta(days=offset) for offset in range(3)]
    by_day = mood_by_day(store.db, days, MIDNIGHT)
    assert [(d.day, d.checkins, d.average) for d in by_day] == [
        (DAY, 2, 3.0),
        (DAY + timedelta(days=1), 0, None),
        (DAY + timedelta(days=2), 1, 5.0),
    ]
    first = checkins(store.db, *day_range(DAY, MIDNIGHT))
    assert [(item.mood, item.note, item.device) for item in first] == [
        (2, "tired", "t"),
        (4, "", "t"),
    ]
    last = log.last()
    assert last is not None and last.note == "walked by the river"


def test_the_same_checkin_is_stored_once(store: Store) -> None:
    log = CheckinLog(store.db, store.device_id)
    checkin = new_checkin(local(DAY, 9), 3)
    log.record(checkin)
    log.record(checkin)
    assert len(checkins(store.db, None, None)) == 1
    assert len({new_checkin(local(DAY, 9), 3).uuid for _ in range(3)}) == 3


@pytest.mark.parametrize("mood", [0, 6, -1, 2.5, True, "3"])
def test_a_mood_off_the_scale_is_refused_saying_the_scale(store: Store, mood: object) -> None:
    with pytest.raises(BadCheckin, match="the mood must be"):
        CheckinLog(store.db, store.device_id).record(
            Checkin("00000000-0000-4000-8000-000000000001", local(DAY, 9), mood)  # type: ignore[arg-type]
        )
    assert checkins(store.db, None, None) == []


def test_forget_and_retention_take_checkins_with_the_time(store: Store) -> None:
    log = CheckinLog(store.db, store.device_id)
    for offset in range(5):
        log.record(new_checkin(local(DAY + timedelta(days=offset), 20), 3, f"day {offset}"))
    start, end = day_range(DAY + timedelta(days=1), MIDNIGHT)
    delete_range(store.db, to_ms(start), to_ms(end))
    assert [c.note for c in checkins(store.db, None, None)] == ["day 0", "day 2", "day 3", "day 4"]

    # Retention counts from the newest recorded time: a span on the last day anchors it.
    writer = store.writer()
    last = local(DAY + timedelta(days=4), 21)
    writer.record([Span(last, last + timedelta(minutes=5), WindowInfo("x", "y"))])
    writer.flush(None, 0.0)
    apply_retention(store.db, 2, now=last + timedelta(minutes=10))
    assert [c.note for c in checkins(store.db, None, None)] == ["day 3", "day 4"]

    delete_everything(store.db)
    assert checkins(store.db, None, None) == []


def fill(store: Store) -> None:
    writer = store.writer()
    start = local(DAY, 9)
    writer.record(
        [
            Span(start, start + timedelta(minutes=30), WindowInfo("firefox", "News")),
            Span(start + timedelta(minutes=30), start + timedelta(minutes=40), None),
        ]
    )
    writer.flush(None, 0.0)
    log = CheckinLog(store.db, store.device_id)
    log.record(new_checkin(local(DAY, 9, 41) + timedelta(milliseconds=123), 4, "café ☕"))
    log.record(new_checkin(local(DAY, 22), 1, 'a "hard" day\nof it'))


def export_jsonl(store: Store) -> str:
    out = io.StringIO()
    rows = iter_spans(store.db, None, None)
    write_export(rows, out, "jsonl", Categorizer(), checkins(store.db, None, None))
    return out.getvalue()


def test_checkins_round_trip_through_export_and_import_byte_for_byte(
    tmp_path: Path, store: Store
) -> None:
    fill(store)
    exported = export_jsonl(store)
    assert exported.count('"record": "checkin"') == 2
    path = tmp_path / "export.jsonl"
    path.write_bytes(exported.encode("utf-8"))

    fresh = open_store(sqlite_url(tmp_path / "fresh.db"), device_uuid="other", device_name="o")
    try:
        report = ImportReport()
        import_devices(fresh.db, read_jsonl(path, report), report)
        assert (report.imported, report.checkins) == (2, 2)
        assert export_jsonl(fresh).encode("utf-8") == exported.encode("utf-8")
        again = ImportReport()
        import_devices(fresh.db, read_jsonl(path, again), again)
        assert (again.checkins, again.skipped["check-ins already recorded"]) == (0, 2)
    finally:
        fresh.close()


def test_a_bad_checkin_record_is_named_and_nothing_is_imported(
    tmp_path: Path, store: Store
) -> None:
    good = {"record": "checkin", "id": "6b3a4a7e-0b9e-4c1e-9f44-2f1d7d0a0c11",
            "at": "2026-11-23T20:00:00+00:00", "mood": 3}  # fmt: skip
    path = tmp_path / "bad.jsonl"
    for bad, said in [
        ({**good, "mood": 9}, r"bad\.jsonl:2: the mood must be from 1 \(very low\) to 5"),
        ({**good, "id": "seven"}, r"bad\.jsonl:2: id must be a UUID"),
        ({k: v for k, v in good.items() if k != "at"}, r"bad\.jsonl:2: a check-in without at"),
    ]:
        path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(ImportFailed, match=said):
            read_jsonl(path, ImportReport())
    assert checkins(store.db, None, None) == []


def test_a_database_from_before_checkins_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    open_store(sqlite_url(path), device_uuid="a", device_name="a").close()
    with sqlite3.connect(path) as conn:  # back to the schema before check-ins (0002)
        of_0002 = {"device", "app", "title", "span", "app_hour", "boundary_event"}
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        for (table,) in tables:
            if table not in of_0002 | {"alembic_version"} and not table.startswith("sqlite_"):
                conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    reopened = open_store(sqlite_url(path), device_uuid="a", device_name="a")
    try:
        CheckinLog(reopened.db, reopened.device_id).record(new_checkin(local(DAY, 9), 5))
        assert len(checkins(reopened.db, None, None)) == 1
    finally:
        reopened.close()


# -- the command line ------------------------------------------------------------------------


def test_checkin_from_the_command_line_shows_in_the_report(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "checkin", "4", "--note", "a good walk"]) == 0
    assert "Noted: 4 (good)" in capsys.readouterr().out
    assert main([*data, "checkin", "2"]) == 0
    assert "Support" in capsys.readouterr().out  # offered in words, nothing opened

    assert main([*data, "report", "--json"]) == 0
    mood = json.loads(capsys.readouterr().out)["mood"]
    assert (mood["checkins"], mood["average"]) == (2, 3.0)
    assert [(d["checkins"], d["average"]) for d in mood["by_day"]] == [(2, 3.0)]

    assert main([*data, "report", "--week", "--json"]) == 0
    week = json.loads(capsys.readouterr().out)["mood"]
    assert len(week["by_day"]) == 7 and week["checkins"] == 2
    assert main([*data, "report"]) == 0
    assert "Mood: 2 check-ins, averaging 3.0 of 5" in capsys.readouterr().out


def test_an_empty_report_says_mood_has_no_average(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path), "report", "--json"]) == 0
    mood = json.loads(capsys.readouterr().out)["mood"]
    assert (mood["checkins"], mood["average"], mood["by_day"][0]["average"]) == (0, None, None)


@pytest.mark.parametrize("mood", ["0", "6", "three", "4.5", ""])
def test_a_mood_off_the_scale_is_one_clear_line(tmp_path: Path, capsys, mood: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(tmp_path), "checkin", mood])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "MOOD" in error or "mood must be" in error
    assert "Traceback" not in error


def test_forget_says_and_deletes_checkins_too(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "checkin", "3"]) == 0
    capsys.readouterr()
    assert main([*data, "forget", "--last", "1h"]) == 0
    assert "1 mood check-in" in capsys.readouterr().out
    assert main([*data, "forget", "--last", "1h", "--yes"]) == 0
    assert "1 mood check-in" in capsys.readouterr().out
    assert main([*data, "report", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mood"]["checkins"] == 0


def test_export_to_a_file_counts_checkins(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "checkin", "5"]) == 0
    target = tmp_path / "out.jsonl"
    assert main([*data, "export", "--format", "jsonl", "-o", str(target)]) == 0
    assert "0 spans and 1 mood check-in" in capsys.readouterr().err
    record = json.loads(target.read_text(encoding="utf-8"))
    assert (record["record"], record["mood"]) == ("checkin", 5)


def test_the_scale_in_the_help_is_the_stored_scale() -> None:
    from breather.cli.mood import SCALE
    from breather.store.checkins import MOOD_WORDS

    assert ", ".join(f"{mood} {word}" for mood, word in MOOD_WORDS.items()) == SCALE
