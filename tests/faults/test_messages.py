"""Whatever a person hands Breather, it answers in one clear line and changes nothing it
should not: settings, patterns, imports, dates, and databases that are not its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breather.monitor.base import WindowInfo
from breather.settings.writer import ConfigWriteError, update_config
from breather.store import open_store
from breather.store.journal import SpanJournal
from breather.tracking.spans import Span
from tests.faults.conftest import breather, no_traceback, run, stop, wait_for_line, wait_until


def config_check(data: Path, config: Path) -> str:
    result = run("config", "check", str(config), data=data)
    no_traceback(result.stdout + result.stderr)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize(
    "pattern",
    ["re:a{99999999999}", "re:" + "(" * 3000 + "a" + ")" * 3000, "re:(?P<>x)", "x" * 5000],
)
def test_a_pattern_that_cannot_compile_is_named_and_tracking_starts(
    data: Path, pattern: str
) -> None:
    config = data / "breather.toml"
    config.write_text(f"[privacy]\nexclude_titles = [{json.dumps(pattern)}]\n")
    said = config_check(data, config)
    assert f"{config}:2" in said
    proc = breather("track", "--demo", data=data)
    wait_for_line(proc, "tracking")
    code, said = stop(proc)
    assert code == 0, said
    no_traceback(said)


def test_toml_nested_too_deeply_is_a_problem_not_a_crash(data: Path) -> None:
    config = data / "breather.toml"
    config.write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert "nested too deeply" in config_check(data, config)


def test_a_fifo_as_the_config_is_refused_without_hanging(data: Path) -> None:
    config = data / "breather.toml"
    os.mkfifo(config)
    # Should `breather` block on the FIFO, a writer here lets it go, and the test fails.
    rescue = threading.Timer(20, lambda: os.close(os.open(config, os.O_WRONLY)))
    rescue.start()
    try:
        said = config_check(data, config)
    finally:
        rescue.cancel()
    assert "not a regular file" in said


def test_a_link_to_dev_zero_as_the_config_is_refused(data: Path) -> None:
    config = data / "breather.toml"
    config.symlink_to("/dev/zero")
    assert "not a regular file" in config_check(data, config)


def test_an_oversized_config_is_refused(data: Path) -> None:
    config = data / "breather.toml"
    config.write_text("# " + "x" * (2 << 20) + "\n")
    assert "too large" in config_check(data, config)


AW_EVENT = {"timestamp": "2026-11-20T09:00:00+00:00", "duration": 60.0, "data": {"app": "a"}}


def aw(events: list[object]) -> str:
    bucket = {"type": "currentwindow", "hostname": "h", "events": events}
    return json.dumps({"buckets": {"w": bucket}}, allow_nan=True)


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("huge.json", aw([{**AW_EVENT, "duration": 1e308}]), "longer than a year"),
        # NaN is not JSON: the parser refuses it, showing the text around it.
        ("nan.json", aw([{**AW_EVENT, "duration": float("nan")}]), '"duration": NaN'),
        ("year.json", aw([{**AW_EVENT, "timestamp": "9999-12-31T23:59:00+00:00"}]), "outside"),
        ("long.json", aw([{**AW_EVENT, "duration": 1e9}]), "longer than a year"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            "deep-inside.json",
            '{"buckets": {"w": {"data": ' + "[" * 100_000 + "]" * 100_000 + "}}}",
            "nested too deeply",
        ),
    ],
)
def test_an_import_beyond_the_limits_is_refused_by_name(
    data: Path, name: str, content: str, said: str
) -> None:
    source = data.parent / name
    source.write_text(content)
    result = run("import", "activitywatch", str(source), data=data)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert said in result.stderr
    assert "nothing was imported" in result.stderr


def test_a_jsonl_import_with_a_bom_works_and_bad_bytes_name_their_line(data: Path) -> None:
    record = {"start": "2026-11-20T09:00:00+00:00", "end": "2026-11-20T09:05:00+00:00"}
    good = data.parent / "bom.jsonl"
    good.write_bytes(b"\xef\xbb\xbf" + json.dumps({**record, "app": "code"}).encode() + b"\n")
    result = run("import", "jsonl", str(good), data=data)
    assert result.returncode == 0, result.stderr
    bad = data.parent / "latin1.jsonl"
    line = json.dumps({**record, "app": "caf\u00e9"}, ensure_ascii=False).encode("latin-1")
    bad.write_bytes(json.dumps({**record, "app": "x"}).encode() + b"\n" + line + b"\n")
    result = run("import", "jsonl", str(bad), data=data)
    no_traceback(result.stderr)
    assert f"{bad}:2: not UTF-8" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--day", "9999-12-31"],
        ["report", "--day", "0001-01-01"],
        ["report", "--week", "9999-12-31"],
        ["export", "--until", "9999-12-31"],
        ["forget", "--from", "9999-12-31"],
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_by_name(data: Path, argv: list[str]) -> None:
    result = run(*argv, data=data)
    no_traceback(result.stderr)
    assert result.returncode == 2
    assert "outside the days Breather counts" in result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_database_in_rollback_mode_is_refused_untouched(data: Path) -> None:
    assert run("report", data=data).returncode == 0
    path = data / "breather.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("UPDATE alembic_version SET version_num = '9999'")
    db.commit()
    db.close()
    before = digest(path)
    result = run("report", data=data)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert "newer version" in result.stderr
    assert digest(path) == before
    assert not (data / "breather.db-wal").exists()


def test_a_foreign_sqlite_database_is_not_migrated(tmp_path: Path, data: Path) -> None:
    places = tmp_path / "places.sqlite"
    db = sqlite3.connect(places)
    db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    db.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    db.commit()
    db.close()
    before = digest(places)
    result = run("--db", f"sqlite:///{places}", "report", data=data)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert "not a Breather database" in result.stderr and "moz_places" in result.stderr
    assert digest(places) == before


def test_the_settings_writer_never_saves_what_will_not_load(tmp_path: Path) -> None:
    config = tmp_path / "breather.toml"
    config.write_text("breaks = 5\n")
    with pytest.raises(ConfigWriteError, match="breaks should be a table"):
        update_config(config, {("breaks", "eyes", "every"): "20m"})
    assert config.read_text() == "breaks = 5\n"
    config.write_text("[tracking]\ninterval = 1.0\n")
    with pytest.raises(ConfigWriteError, match="nothing was changed"):
        update_config(config, {("tracking", "idle_after"): "forever"})
    assert config.read_text() == "[tracking]\ninterval = 1.0\n"


def test_the_open_span_is_kept_in_the_journal_when_the_database_is_out_of_reach(
    tmp_path: Path,
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'breather.db'}", device_uuid="me", device_name="me")
    journal = SpanJournal(tmp_path / "pending-spans.jsonl")
    writer = store.writer(journal=journal)
    # The database refuses every write from now on, as one out of reach would.
    store.db.run_alone(
        "CREATE TRIGGER out_of_reach BEFORE INSERT ON app BEGIN SELECT RAISE(ABORT, 'gone'); END"
    )
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    open_span = Span(start, start + timedelta(minutes=3), WindowInfo("code", "notes", "", ""))
    with pytest.raises(Exception, match="gone"):
        writer.flush(open_span, 0.0, force=True)  # a clean exit
    writer.close()
    store.close()
    assert journal.pending() == [open_span]


def test_a_report_right_after_a_crash_shows_what_the_journal_holds(data: Path) -> None:
    proc = breather("track", "--demo", data=data)
    wait_for_line(proc, "tracking")
    journal = data / "pending-spans.jsonl"
    # The first journal flush comes 9 s in; then the tracker dies.
    wait_until(lambda: journal.exists() and journal.stat().st_size > 0, 30, "the journal")
    proc.kill()
    proc.communicate(timeout=15)
    assert journal.stat().st_size, "the tracker never wrote its journal"
    result = run("report", "--json", data=data)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["active_seconds"] >= 8
