"""The database: what the writer stores must be what the summaries read back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breather.monitor.base import Sample, WindowInfo
from breather.store import DatabaseUnusable, Store, open_store, sqlite_url
from breather.store.journal import SpanJournal
from breather.store.queries import day_range, iter_spans, summarize, week_range
from breather.store.schema import to_ms
from breather.store.sql import Database, SqliteDatabase, StoreError, open_database
from breather.store.writer import SpanWriter
from breather.tracking.spans import Span, Tracker

# Every test that takes `store` runs through sqlite3, SQLAlchemy and on PostgreSQL.
pytestmark = pytest.mark.both_drivers

T0 = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
EDITOR = WindowInfo("code", "notes.md — Code", "code", "/usr/bin/code")
BROWSER = WindowInfo("firefox", "Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def track(store: Store, samples: list[tuple[float, WindowInfo | None, float]]) -> None:
    """Run samples through the tracker and writer exactly as `breather track` does."""
    tracker = Tracker(idle_after=180, max_gap=5)
    writer = store.writer(flush_every=9.0)
    mono = 0.0
    for seconds, window, idle in samples:
        mono = 1000.0 + seconds
        sample = Sample(at(seconds), mono, window, idle)
        writer.record(tracker.feed(sample))
        if writer.due(mono):
            writer.flush(tracker.open_span, mono)
    writer.record(tracker.close())
    writer.flush(None, mono + 1)


def rollup_matches_spans(store: Store) -> None:
    with store.db.read() as conn:
        span_sums = conn.rows(
            "SELECT start_ms / 3600000, COALESCE(app_id, 0), SUM(end_ms - start_ms) "
            "FROM span GROUP BY 1, 2"
        )
        from_spans = {(hour, app): ms for hour, app, ms in span_sums}
        rollup_rows = conn.rows("SELECT hour, app_id, ms FROM app_hour WHERE ms != 0")
        rollup = {(hour, app): ms for hour, app, ms in rollup_rows}
    assert rollup == from_spans


def test_totals_per_app_across_hours_and_idle(store: Store) -> None:
    # 08:30 to 10:30: editor and browser alternate every 10 min, then input stops at 6000 s.
    samples = [
        (float(t), EDITOR if (t // 600) % 2 == 0 else BROWSER, 0.0 if t < 6000 else float(t - 6000))
        for t in range(7200)
    ]
    track(store, samples)
    summary = summarize(store.db, T0, at(7200))
    assert {t.key: t.seconds for t in summary.totals} == {"code": 3000.0, "firefox": 3000.0}
    assert summary.active_seconds == 6000.0
    assert summary.away_seconds == 1199.0
    rollup_matches_spans(store)


def test_a_range_inside_one_hour_and_ragged_edges_are_exact(store: Store) -> None:
    track(store, [(float(t), EDITOR, 0.0) for t in range(0, 5401)])  # 08:30 to 10:00
    assert summarize(store.db, at(600), at(1200)).active_seconds == 600.0
    # 08:45 to 09:50 crosses one full hour with partial hours on both sides.
    assert summarize(store.db, at(900), at(4800)).active_seconds == 3900.0


def test_the_windows_to_name_ahead_are_those_whose_title_decides(store: Store) -> None:
    from breather.categories.catalogue import Categorizer
    from breather.store.by_category import category_days, title_windows

    video = WindowInfo("firefox", "Cats - YouTube — Mozilla Firefox", "firefox", "/usr/bin/firefox")
    track(
        store,
        [(s, BROWSER, 0) for s in range(0, 600)]
        + [(s, EDITOR, 0) for s in range(600, 1200)]
        + [(s, video, 0) for s in range(1200, 1500)]
        + [(s, BROWSER, 0) for s in range(1500, 1801)],
    )
    categorizer = Categorizer()
    hour = at(0).replace(minute=0)
    found = title_windows(store.db, hour, hour + timedelta(hours=2), categorizer)
    assert sorted(found) == [
        ("firefox", "Cats - YouTube — Mozilla Firefox", "firefox", "/usr/bin/firefox"),
        ("firefox", "Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox"),
    ]  # each once; the editor's category needs no title
    assert title_windows(store.db, hour - timedelta(hours=3), hour, categorizer) == []
    # Named ahead or not, the totals per period are the same (two periods, one read).
    halves = [(at(0), at(900)), (at(900), at(1800))]
    days = category_days(store.db, halves, Categorizer())
    assert [day.seconds for day in days] == [
        {"Social media": 600.0, "Work": 300.0},
        {"Work": 300.0, "Video": 300.0, "Social media": 300.0},
    ]


def test_titles_are_stored_once(store: Store) -> None:
    samples = [(float(t), EDITOR if (t // 20) % 2 == 0 else BROWSER, 0.0) for t in range(600)]
    track(store, samples)
    assert store.db.value("SELECT COUNT(*) FROM title") == 2
    assert store.db.value("SELECT COUNT(*) FROM app") == 2
    by_title = summarize(store.db, T0, at(600), "title")
    assert {(t.app, t.key) for t in by_title.totals} == {
        ("code", EDITOR.title),
        ("firefox", BROWSER.title),
    }


def test_an_import_of_many_titles_stores_each_once_and_finds_those_already_there(
    store: Store,
) -> None:
    # Tracked first: the editor's title is already stored, and its id must be reused.
    track(store, [(float(t), EDITOR, 0.0) for t in range(30)])
    pages = [f"page {n % 150} — Mozilla Firefox" for n in range(400)] + [EDITOR.title] * 10
    spans = [
        Span(at(100 + 10 * i), at(105 + 10 * i), WindowInfo("firefox", title, "firefox", ""))
        for i, title in enumerate(pages)
    ]
    with store.db.write() as conn:
        SpanWriter(store.db, store.device_id).write_in(conn, spans)
    assert store.db.value("SELECT COUNT(*) FROM title") == 151
    by_title = summarize(store.db, at(100), at(100 + 10 * len(pages)), "title")
    seconds = {(t.app, t.key): t.seconds for t in by_title.totals}
    assert seconds[("firefox", "page 7 — Mozilla Firefox")] == 15.0  # 7, 157 and 307
    assert seconds[("firefox", EDITOR.title)] == 50.0
    rollup_matches_spans(store)


def test_rows_of_values_bind_by_name_whatever_the_order(store: Store) -> None:
    sql = "INSERT INTO app (name, process, exe) VALUES (:name, :process, :exe)"
    rows = ((f"/usr/bin/app{n}", f"app{n}", f"App {n}") for n in range(7000))  # an iterator
    with store.db.write() as conn:
        conn.run_rows(sql, ("exe", "process", "name"), rows)
    assert store.db.rows("SELECT name, process, exe FROM app ORDER BY id LIMIT 1") == [
        ("App 0", "app0", "/usr/bin/app0")
    ]
    assert store.db.value("SELECT COUNT(*) FROM app") == 7000
    with pytest.raises(StoreError), store.db.write() as conn:
        conn.run_rows(sql, ("name", "process"), [("App", "app")])


@pytest.mark.parametrize("stored_before", [3, 2000])
def test_an_import_in_bulk_reuses_stored_titles_and_marks_its_hours_for_sync(
    store: Store, stored_before: int
) -> None:
    # A few titles stored, or many more than the import brings: they are found either way.
    stored = [f"page {n} — Mozilla Firefox" for n in range(stored_before)]
    with store.db.write() as conn:
        SpanWriter(store.db, store.device_id).write_in(
            conn,
            [
                Span(at(i), at(i + 1), WindowInfo("firefox", title, "firefox", ""))
                for i, title in enumerate(stored)
            ],
        )
    window_of = {
        n: WindowInfo("firefox", f"page {n} — Mozilla Firefox", "firefox", "") for n in (0, 1, 5000)
    }
    start = to_ms(at(10_000))
    pieces = [
        (start, start + 60_000, window_of[0]),  # stored already
        (start + 60_000, start + 120_000, window_of[5000]),  # new
        (start + 120_000, start + 130_000, None),  # away
        (start + 130_000, start + 3_700_000, window_of[1]),  # stored already; crosses an hour
        (start + 3_700_000, start + 3_710_000, WindowInfo("kitty", "", "kitty", "")),
    ]
    with store.db.write() as conn:
        SpanWriter(store.db, store.device_id).write_pieces_in(conn, pieces)

    assert store.db.value("SELECT COUNT(*) FROM title") == stored_before + 1
    spans = [(r.start, r.end, r.app, r.title) for r in iter_spans(store.db, at(10_000), at(20_000))]
    assert spans == [
        (at(10_000), at(10_060), "firefox", "page 0 — Mozilla Firefox"),
        (at(10_060), at(10_120), "firefox", "page 5000 — Mozilla Firefox"),
        (at(10_120), at(10_130), None, ""),
        (at(10_130), at(13_700), "firefox", "page 1 — Mozilla Firefox"),
        (at(13_700), at(13_710), "kitty", ""),
    ]
    rollup_matches_spans(store)
    hours = {int(h) for (h,) in store.db.rows("SELECT hour FROM sync_pending")}
    assert {start // 3_600_000, (start + 3_700_000) // 3_600_000} <= hours


def test_export_joins_hour_pieces_back(store: Store) -> None:
    track(store, [(float(t), EDITOR, 0.0) for t in range(0, 7201)])  # crosses two hours
    rows = list(iter_spans(store.db, None, None))
    assert [(r.app, r.start, r.end) for r in rows] == [("code", at(0), at(7200))]


def test_day_and_week_ranges_follow_the_local_zone_and_day_start(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    import time as time_module

    time_module.tzset()
    try:
        start, end = day_range(datetime(2026, 11, 23).date(), datetime(2026, 1, 1, 4).time())
        assert start.isoformat() == "2026-11-23T04:00:00+01:00"
        assert end - start == timedelta(days=1)
        # The day clocks go back has 25 hours.
        start, end = day_range(datetime(2026, 10, 25).date(), datetime(2026, 1, 1, 0).time())
        assert end - start == timedelta(hours=25)
        week_start, week_end = week_range(datetime(2026, 11, 26).date(), start.time())
        assert week_start.date().isoformat() == "2026-11-23"
        assert week_end.date().isoformat() == "2026-11-30"
    finally:
        monkeypatch.undo()
        time_module.tzset()


def test_files_are_owner_only(tmp_path: Path) -> None:
    store = open_store(sqlite_url(tmp_path / "d" / "b.db"), device_uuid="x", device_name="x")
    track(store, [(float(t), EDITOR, 0.0) for t in range(30)])
    for name in ("b.db", "b.db-wal"):
        path = tmp_path / "d" / name
        if path.exists():
            assert path.stat().st_mode & 0o077 == 0, name
    store.close()


def test_a_damaged_database_is_kept_aside_never_overwritten(tmp_path: Path) -> None:
    db = tmp_path / "breather.db"
    garbage = b"this is not a database, but it is someone's file\n" * 100
    db.write_bytes(garbage)
    store = open_store(sqlite_url(db), device_uuid="x", device_name="x")
    store.close()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("breather.db.damaged-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == garbage
    assert str(kept[0]) in store.notices[0]
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_second_device_is_kept_apart_and_summed(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "shared.db")
    laptop = open_store(url, device_uuid="laptop", device_name="laptop")
    desktop = open_store(url, device_uuid="desktop", device_name="desktop")
    track(laptop, [(float(t), EDITOR, 0.0) for t in range(0, 61)])
    track(desktop, [(float(t), BROWSER, 0.0) for t in range(0, 31)])
    summary = summarize(laptop.db, T0, at(3600))
    assert {t.key: t.seconds for t in summary.totals} == {"code": 60.0, "firefox": 30.0}
    assert {r.device for r in iter_spans(laptop.db, None, None)} == {"laptop", "desktop"}
    laptop.close()
    desktop.close()


def test_the_schema_head_read_from_file_names_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from breather.store.database import MIGRATIONS, schema_head

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert schema_head() == ScriptDirectory.from_config(config).get_current_head()


def test_migrations_match_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from breather.store.models import SQLModel

    engine = store.db.sqlalchemy_engine()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_a_failed_flush_loses_nothing(store: Store, tmp_path: Path) -> None:
    # Another writer holds the lock, and this writer waits no more than 50 ms for it.
    blocker: Any
    if isinstance(store.db, SqliteDatabase):
        impatient: Database = SqliteDatabase(tmp_path / "breather.db", busy_timeout=0.05)
        blocker = sqlite3.connect(tmp_path / "breather.db")
        blocker.execute("BEGIN IMMEDIATE")
    elif store.db.backend == "sqlite":
        impatient = open_database(f"{store.url}?timeout=0.05")
        blocker = sqlite3.connect(tmp_path / "breather.db")
        blocker.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        impatient = open_database(f"{store.url}&options=-c%20lock_timeout%3D50")
        blocker = psycopg.connect(store.url.replace("postgresql+psycopg", "postgresql"))
        blocker.execute("LOCK TABLE span IN ACCESS EXCLUSIVE MODE")
    writer = SpanWriter(impatient, store.device_id)
    tracker = Tracker(idle_after=180, max_gap=5)
    for t in range(21):
        writer.record(tracker.feed(Sample(at(t), 1000.0 + t, EDITOR if t < 10 else BROWSER, 0)))
    with pytest.raises(StoreError, match="lock"):  # the flush fails
        writer.flush(tracker.open_span, 1021.0)
    blocker.rollback()
    blocker.close()
    writer.flush(tracker.open_span, 1030.0)
    summary = summarize(store.db, T0, at(60))
    assert {t.key: t.seconds for t in summary.totals} == {"code": 10.0, "firefox": 10.0}
    rollup_matches_spans(store)
    impatient.close()


# -- the rollup always equals the spans it summarises ---------------------------------------

stream = st.lists(
    st.tuples(
        st.floats(0.01, 3.0),
        st.sampled_from([EDITOR, BROWSER]),
        st.one_of(st.just(0.0), st.floats(0.0, 1200.0)),
        st.booleans(),  # flush after this sample?
    ),
    min_size=1,
    max_size=150,
)


@settings(max_examples=60, deadline=None)
@given(stream, st.floats(0, 3599))
def test_the_hourly_rollup_always_equals_the_spans(samples, offset) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(sqlite_url(Path(tmp) / "b.db"), device_uuid="p", device_name="p")
        # Steps of minutes (with a matching max_gap) let spans cross hour boundaries.
        tracker = Tracker(idle_after=60, max_gap=500)
        writer = store.writer(flush_every=1e9)
        wall, mono = T0 + timedelta(seconds=offset), 1000.0
        for step, window, idle, flush in samples:
            wall += timedelta(seconds=step * 100)
            mono += step * 100
            writer.record(tracker.feed(Sample(wall, mono, window, idle)))
            if flush:
                writer.flush(tracker.open_span, mono)
                rollup_matches_spans(store)
        writer.record(tracker.close())
        writer.flush(None, mono)
        rollup_matches_spans(store)
        store.close()


# -- the journal between commits ------------------------------------------------------------


def journaled_run(store: Store, journal_path: Path, seconds: int) -> tuple[SpanWriter, Tracker]:
    """Track `seconds` of alternating windows with a journal, and stop without finishing."""
    tracker = Tracker(idle_after=180, max_gap=5)
    writer = store.writer(journal=SpanJournal(journal_path))
    for t in range(seconds):
        window = EDITOR if (t // 40) % 2 == 0 else BROWSER
        writer.record(tracker.feed(Sample(at(t), 1000.0 + t, window, 0.0)))
        if writer.due(1000.0 + t):
            writer.flush(tracker.open_span, 1000.0 + t)
    return writer, tracker  # as if the process were killed here: no final flush


def stored_seconds(store: Store) -> float:
    return summarize(store.db, T0, at(3600)).active_seconds


def test_between_commits_spans_go_to_the_journal_only(store: Store, tmp_path: Path) -> None:
    journal = tmp_path / "pending.jsonl"
    writer, tracker = journaled_run(store, journal, 200)
    assert stored_seconds(store) == 0.0  # only the first flush reached the database
    assert journal.stat().st_mode & 0o077 == 0
    assert sum(s.seconds for s in SpanJournal(journal).pending()) == pytest.approx(198, abs=9)
    writer.record(tracker.close())
    writer.flush(None, 2000.0, force=True)
    assert journal.stat().st_size == 0
    assert stored_seconds(store) > 190


def test_a_crashed_run_is_replayed_by_the_next_writer(store: Store, tmp_path: Path) -> None:
    journal = tmp_path / "pending.jsonl"
    journaled_run(store, journal, 200)[0].close()
    store.writer(journal=SpanJournal(journal))  # the next start
    assert stored_seconds(store) == pytest.approx(198, abs=9)
    assert journal.stat().st_size == 0
    rollup_matches_spans(store)


def test_replay_never_counts_twice_what_the_database_already_has(
    store: Store, tmp_path: Path
) -> None:
    journal = tmp_path / "pending.jsonl"
    writer, tracker = journaled_run(store, journal, 200)
    writer.record(tracker.close())
    writer.flush(None, 2000.0)  # a journal flush: now the journal holds everything
    pending = SpanJournal(journal).pending()
    writer.flush(None, 2001.0, force=True)  # in the database, journal emptied...
    SpanJournal(journal).append(pending)  # ...but as if the crash came before emptying it
    before = stored_seconds(store)
    store.writer(journal=SpanJournal(journal))
    assert stored_seconds(store) == before
    rollup_matches_spans(store)


def test_a_torn_last_line_is_skipped(store: Store, tmp_path: Path) -> None:
    journal = tmp_path / "pending.jsonl"
    journaled_run(store, journal, 100)[0].close()
    with journal.open("ab") as out:
        out.write(b'{"start": 17, "end"')  # the process died mid-write
    store.writer(journal=SpanJournal(journal))
    assert stored_seconds(store) == pytest.approx(98, abs=9)


# -- what the always-running app loads -------------------------------------------------------

APP_PATH = """
import sys
from datetime import UTC, datetime, timedelta

from breather.categories.catalogue import Categorizer
from breather.monitor.base import WindowInfo
from breather.rules import Outcome, Record
from breather.store import open_store
from breather.store.boundaries import BoundaryLog, break_counts
from breather.store.by_category import category_summary
from breather.store.maintenance import apply_retention
from breather.store.queries import iter_spans, summarize
from breather.store.review import week_usage
from breather.tracking.spans import Span

store = open_store(sys.argv[1], device_uuid="test", device_name="t")
t0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
window = WindowInfo("code", "notes.md", "code", "/usr/bin/code")
writer = store.writer()
writer.record([Span(t0, t0 + timedelta(minutes=5), window)])
writer.flush(None, 0.0, force=True)
BoundaryLog(store.db, store.device_id).record([Record(t0, "eyes", Outcome.TAKEN)])
day = (t0, t0 + timedelta(days=1))
assert summarize(store.db, *day).active_seconds == 300
assert category_summary(store.db, *day, Categorizer()).active_seconds == 300
assert break_counts(store.db, *day)["taken"] == 1
assert week_usage(store.db, t0.date(), t0.time(), Categorizer()).total.active_seconds == 300
assert len(list(iter_spans(store.db, None, None))) == 1
later = t0 + timedelta(days=400)  # retention counts back from the newest stored time too
writer.record([Span(later, later + timedelta(minutes=5), window)])
writer.flush(None, 1.0, force=True)
apply_retention(store.db, 365, later + timedelta(minutes=5))
assert summarize(store.db, *day).active_seconds == 0
store.close()
heavy = ("sqlalchemy", "sqlmodel", "pydantic", "alembic")
print(" ".join(name for name in heavy if name in sys.modules) or "none")
"""


def test_recording_reviewing_and_retention_never_load_the_sql_toolkit(tmp_path: Path) -> None:
    # SQLAlchemy, SQLModel and pydantic are ~60 MB of the tray app's 80 MB budget: only a
    # migration (here, by the first open) or a non-SQLite database may bring them in.
    url = sqlite_url(tmp_path / "breather.db")
    open_store(url, device_uuid="test", device_name="t").close()
    done = subprocess.run(
        [sys.executable, "-c", APP_PATH, url], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["none"]


FIRST_START = """
import sys

from breather.store import open_store

store = open_store(sys.argv[1], device_uuid="test", device_name="t", migrate_apart=True)
tables = {row[0] for row in store.db.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
store.close()
heavy = ("sqlalchemy", "sqlmodel", "pydantic", "alembic")
print(" ".join(name for name in heavy if name in sys.modules) or "none")
print(" ".join(sorted(tables & {"span", "app_hour", "boundary_event", "alembic_version"})))
"""


@pytest.mark.parametrize("snapshot", ["current", "stale"])
def test_a_long_running_process_migrates_in_a_child_and_keeps_its_memory(
    tmp_path: Path, snapshot: str
) -> None:
    # The first start creates the schema from the snapshot of the newest revision, or, when
    # the snapshot is behind the migrations, through them: the app and `breather track` have
    # that done by a child process, so the ~60 MB never enter them either way.
    url = sqlite_url(tmp_path / "breather.db")
    code = FIRST_START
    if snapshot == "stale":
        code = (
            "from pathlib import Path\n"
            "import breather.store.snapshot as snapshot\n"
            f"snapshot.SNAPSHOT = Path({str(tmp_path / 'missing.sql')!r})\n" + code
        )
    done = subprocess.run(
        [sys.executable, "-c", code, url], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded, tables = done.stdout.splitlines()
    assert loaded == "none"
    assert tables == "alembic_version app_hour boundary_event span"
    assert (tmp_path / "breather.db").stat().st_mode & 0o777 == 0o600


def test_the_schema_snapshot_is_what_the_migrations_make(tmp_path: Path) -> None:
    from breather.store.database import schema_head
    from breather.store.snapshot import SNAPSHOT, write_snapshot

    fresh = tmp_path / "head.sql"
    assert write_snapshot(fresh) == schema_head()
    assert SNAPSHOT.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "the schema snapshot is behind the migrations: run `python -m breather.store.snapshot`"
    )


def test_a_new_database_made_from_the_snapshot_is_the_migrated_one(tmp_path: Path) -> None:
    from breather.store.snapshot import SNAPSHOT, schema_script

    path = tmp_path / "breather.db"
    open_store(sqlite_url(path), device_uuid="u", device_name="n").close()
    made = sqlite3.connect(path)
    made.execute("DELETE FROM device")  # the one row the opening adds for this device
    assert schema_script(made) == SNAPSHOT.read_text(encoding="utf-8")
    assert made.execute("PRAGMA page_size").fetchone() == (1024,)
    made.close()


def test_a_migration_that_fails_in_the_child_says_why(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    url = sqlite_url(path)
    open_store(url, device_uuid="t", device_name="t").close()
    half_done = sqlite3.connect(path)  # at 0001 by its record, yet 0002's table is there
    half_done.execute("UPDATE alembic_version SET version_num = '0001'")
    half_done.commit()
    half_done.close()
    with pytest.raises(DatabaseUnusable, match=r"the migration failed: .*boundary_event"):
        open_store(url, device_uuid="t", device_name="t", migrate_apart=True)


def test_a_database_from_a_newer_breather_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    newer = sqlite3.connect(path)
    newer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    newer.execute("INSERT INTO alembic_version VALUES ('9999')")
    newer.commit()
    newer.close()
    with pytest.raises(DatabaseUnusable, match=r"newer version of Breather .*9999.*Update"):
        open_store(sqlite_url(path), device_uuid="t", device_name="t", migrate_apart=True)
    untouched = sqlite3.connect(path)
    assert untouched.execute("SELECT * FROM alembic_version").fetchall() == [("9999",)]
    assert untouched.execute("SELECT COUNT(*) FROM sqlite_master").fetchone() == (1,)
    untouched.close()


@given(st.text())
def test_title_digests_stay_what_earlier_versions_stored(title: str) -> None:
    import hashlib

    from breather.store.writer import title_digest

    stored_before = hashlib.blake2b(title.encode(), digest_size=8).digest()
    assert title_digest(title) == int.from_bytes(stored_before, "big", signed=True)


def test_the_migrating_child_gets_the_url_on_its_input_not_its_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any local user can read a process's command line; a database URL can hold a password.
    from breather.store import database, snapshot

    calls: list[tuple[list[str], str]] = []

    class Recorded(subprocess.Popen[str]):
        def communicate(
            self, input: str | None = None, timeout: float | None = None
        ) -> tuple[str, str]:
            assert isinstance(self.args, list)
            calls.append((self.args, str(input)))
            return super().communicate(input, timeout)

    monkeypatch.setattr(database.subprocess, "Popen", Recorded)
    monkeypatch.setattr(snapshot, "SNAPSHOT", tmp_path / "missing.sql")  # so it migrates
    url = sqlite_url(tmp_path / "breather.db")
    open_store(url, device_uuid="t", device_name="t", migrate_apart=True).close()
    ((argv, given),) = calls
    assert given == url
    assert not any(str(tmp_path) in arg for arg in argv)
