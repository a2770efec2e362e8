"""Sync through a real PostgreSQL server: two devices, each with its own SQLite database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breather.monitor.base import Sample, WindowInfo
from breather.rules.model import Outcome, Record
from breather.store import Store, open_store, sqlite_url
from breather.store.boundaries import BoundaryLog, break_counts
from breather.store.maintenance import delete_range
from breather.store.queries import device_times, summarize
from breather.store.schema import to_ms
from breather.sync import SyncFailed, sync_round
from breather.tracking.spans import Tracker

T0 = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
EDITOR = WindowInfo("code", "notes.md — Code", "code", "/usr/bin/code")
BROWSER = WindowInfo("firefox", "Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox")
GAME = WindowInfo("steam", "Steam", "steam", "/usr/bin/steam")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def device(tmp_path: Path, name: str) -> Store:
    return open_store(
        sqlite_url(tmp_path / f"{name}.db"), device_uuid=f"uuid-{name}", device_name=name
    )


def track(store: Store, first: int, last: int, window: WindowInfo) -> None:
    """Active use of `window` from `first` to `last` seconds after T0, as `track` records it."""
    tracker = Tracker(idle_after=180, max_gap=5)
    writer = store.writer(flush_every=9.0)
    for t in range(first, last + 1):
        sample = Sample(at(t), 1000.0 + t, window, 0.0)
        writer.record(tracker.feed(sample))
        if writer.due(1000.0 + t):
            writer.flush(tracker.open_span, 1000.0 + t)
    writer.record(tracker.close())
    writer.flush(None, 2000.0 + last)


def per_device(store: Store) -> dict[str, float]:
    return {d.name: d.active_seconds for d in device_times(store.db, T0, at(86400))}


def span_count(store: Store) -> int:
    return int(store.db.value("SELECT COUNT(*) FROM span"))


@pytest.fixture
def laptop(tmp_path: Path) -> Store:
    return device(tmp_path, "laptop")


@pytest.fixture
def desktop(tmp_path: Path) -> Store:
    return device(tmp_path, "desktop")


def test_each_device_sees_both_and_screen_time_is_the_union(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    track(laptop, 0, 3600, EDITOR)  # 08:30-09:30
    track(desktop, 1800, 5400, GAME)  # 09:00-10:00: half an hour on both at once
    for store in (laptop, desktop, laptop):
        sync_round(store, postgres_url)
    for store in (laptop, desktop):
        assert per_device(store) == {"laptop": 3600.0, "desktop": 3600.0}
        summary = summarize(store.db, T0, at(86400))
        assert summary.active_seconds == 5400.0  # 08:30-10:00, the overlap once
        assert {t.key: t.seconds for t in summary.totals} == {"code": 3600.0, "steam": 3600.0}
        only_laptop = summarize(store.db, T0, at(86400), device="laptop")
        assert only_laptop.active_seconds == 3600.0
        assert [t.key for t in only_laptop.totals] == ["code"]


def test_rounds_repeat_without_counting_twice_and_carry_later_changes(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    track(laptop, 0, 600, EDITOR)
    for _ in range(3):
        sync_round(laptop, postgres_url)
        sync_round(desktop, postgres_url)
    assert per_device(desktop) == {"laptop": 600.0}
    track(laptop, 700, 1300, BROWSER)  # the same hour, later
    again = sync_round(laptop, postgres_url)
    assert again.sent_hours == 1
    assert sync_round(laptop, postgres_url).sent_hours == 0  # nothing changed since
    sync_round(desktop, postgres_url)
    assert per_device(desktop) == {"laptop": 1200.0}
    assert span_count(desktop) == span_count(laptop)


def test_breaks_answered_on_each_device_reach_the_other(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    BoundaryLog(laptop.db, laptop.device_id).record([Record(at(60), "eyes", Outcome.TAKEN)])
    BoundaryLog(desktop.db, desktop.device_id).record([Record(at(90), "eyes", Outcome.SKIPPED)])
    for store in (laptop, desktop, laptop, desktop):
        sync_round(store, postgres_url)
    for store in (laptop, desktop):
        counts = break_counts(store.db, T0, at(3600))
        assert (counts["taken"], counts["skipped"]) == (1, 1)


def test_a_check_in_made_on_one_device_reaches_the_other_and_is_forgotten_with_it(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    from breather.store.checkins import CheckinLog, checkins, new_checkin

    made = new_checkin(at(600), 2, "tired")
    CheckinLog(laptop.db, laptop.device_id).record(made)
    for store in (laptop, desktop, desktop):  # the repeat must not add it twice
        sync_round(store, postgres_url)
    (arrived,) = checkins(desktop.db, None, None)
    assert (arrived.uuid, arrived.mood, arrived.note, arrived.device) == (
        made.uuid,
        2,
        "tired",
        "laptop",
    )
    delete_range(desktop.db, to_ms(T0), to_ms(at(3600)))
    for store in (desktop, laptop):
        sync_round(store, postgres_url)
    assert checkins(laptop.db, None, None) == []


def test_an_experiment_started_on_one_device_reaches_the_other_with_its_early_end(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    from breather.store.experiments import ExperimentLog, experiments, new_experiment

    started = new_experiment(at(600), "limit", "category:Social media", 1800.0, 14)
    ExperimentLog(laptop.db, laptop.device_id).start(started)
    for store in (laptop, desktop, desktop):  # the repeat must not add it twice
        sync_round(store, postgres_url)
    (arrived,) = experiments(desktop.db)
    assert (arrived.uuid, arrived.subject, arrived.ended, arrived.device) == (
        started.uuid,
        "category:Social media",
        None,
        "laptop",
    )
    ExperimentLog(laptop.db, laptop.device_id).end(started.uuid, at(1200))
    for store in (laptop, desktop):
        sync_round(store, postgres_url)
    assert experiments(desktop.db)[0].ended == at(1200)
    delete_range(desktop.db, to_ms(T0), to_ms(at(3600)))
    for store in (desktop, laptop):
        sync_round(store, postgres_url)
    assert experiments(laptop.db) == []


def test_forgetting_a_stretch_forgets_it_on_every_device(
    laptop: Store, desktop: Store, postgres_url: str, tmp_path: Path
) -> None:
    track(laptop, 0, 3600, EDITOR)
    track(desktop, 0, 3600, GAME)
    for store in (laptop, desktop, laptop):
        sync_round(store, postgres_url)
    delete_range(desktop.db, to_ms(at(0)), to_ms(at(1800)))  # `breather forget` on the desktop
    for store in (desktop, laptop, desktop):
        sync_round(store, postgres_url)
    for store in (laptop, desktop):
        assert per_device(store) == {"laptop": 1800.0, "desktop": 1800.0}
    # The laptop sends the forgotten stretch again (it was offline): the server keeps it out.
    with laptop.db.write() as conn:
        conn.run(
            "INSERT INTO sync_pending (device_id, hour)"
            " SELECT device_id, start_ms / 3600000 FROM span WHERE device_id = :d"
            " ON CONFLICT DO NOTHING",
            {"d": laptop.device_id},
        )
    sync_round(laptop, postgres_url)
    fresh = device(tmp_path, "new")
    sync_round(fresh, postgres_url)
    assert per_device(fresh) == {"laptop": 1800.0, "desktop": 1800.0}


def test_an_unreachable_server_fails_in_one_line_without_the_password(
    laptop: Store, tmp_path: Path
) -> None:
    track(laptop, 0, 600, EDITOR)
    url = f"postgresql+psycopg://me:s3cret@/breather?host={tmp_path / 'nothing-here'}"
    with pytest.raises(SyncFailed) as failed:
        sync_round(laptop, url)
    message = str(failed.value)
    assert "\n" not in message
    assert "s3cret" not in message
    assert "sync server" in message
    assert laptop.db.value("SELECT COUNT(*) FROM sync_pending") == 1  # kept for next round


def test_a_round_stopped_half_way_then_rerun_loses_nothing_and_doubles_nothing(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    track(laptop, 0, 6 * 3600, EDITOR)  # six hours and a bit: several batches of two
    track(desktop, 0, 5 * 3600, GAME)
    sync_round(desktop, postgres_url)

    class Stop(Exception):
        pass

    for stop_after in range(1, 6):
        calls = 0

        def progress(_what: str, stop_after: int = stop_after) -> None:
            nonlocal calls
            calls += 1
            if calls == stop_after:
                raise Stop

        with pytest.raises(Stop):
            sync_round(laptop, postgres_url, batch_hours=2, progress=progress)
    sync_round(laptop, postgres_url, batch_hours=2)
    sync_round(desktop, postgres_url, batch_hours=2)
    for store in (laptop, desktop):
        assert per_device(store) == {"laptop": 6 * 3600.0, "desktop": 5 * 3600.0}
    assert span_count(laptop) == span_count(desktop)


def test_a_daily_limit_counts_the_time_on_every_device(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    from dataclasses import replace
    from datetime import time

    from breather.data.report import boundary_figures
    from breather.rules.policy import Limit

    track(laptop, 0, 1200, BROWSER)  # 20 minutes of firefox on each computer
    track(desktop, 3600, 4800, BROWSER)
    for store in (laptop, desktop, laptop):
        sync_round(store, postgres_url)
    limit = Limit(app="firefox", daily=1800.0)
    for store in (laptop, desktop):
        day = T0.astimezone().date()  # the person's days are in the local time zone
        days = [day - timedelta(days=1), day, day + timedelta(days=1)]
        figures = boundary_figures(store.db, days, time(0, 0), [limit], categorizer=lambda: None)  # type: ignore[arg-type, return-value]
        (firefox,) = figures.limits
        assert firefox.used_seconds == 2400.0  # 20 minutes here and 20 there: over 30
        assert firefox.days_over >= 1
        here = replace(limit, devices="this")
        figures = boundary_figures(
            store.db, days, time(0, 0), [here], lambda: None, this_device=store.device_id
        )  # type: ignore[arg-type, return-value]
        assert figures.limits[0].used_seconds == 1200.0
        assert figures.limits[0].days_over == 0


def test_a_database_from_before_sync_sends_everything_it_holds(
    tmp_path: Path, postgres_url: str
) -> None:
    import sqlite3

    older = device(tmp_path, "laptop")
    track(older, 0, 7200, EDITOR)
    BoundaryLog(older.db, older.device_id).record([Record(at(60), "eyes", Outcome.TAKEN)])
    older.close()
    db = sqlite3.connect(tmp_path / "laptop.db")  # as the version before sync left it
    for table in (
        "sync_pending",
        "sync_sending",
        "sync_pulled",
        "sync_forget_pending",
        "sync_clock",
    ):
        db.execute(f"DROP TABLE {table}")
    db.execute("DROP TABLE sync_hour")
    db.execute("DROP TABLE sync_forgotten")
    db.execute("DROP TABLE experiment")  # added after sync
    db.execute("UPDATE alembic_version SET version_num = '0003'")
    db.commit()
    db.close()
    upgraded = device(tmp_path, "laptop")
    assert sync_round(upgraded, postgres_url).sent_hours == 3  # 08:30 to 10:30
    fresh = device(tmp_path, "desktop")
    sync_round(fresh, postgres_url)
    assert per_device(fresh) == {"laptop": 7200.0}
    assert break_counts(fresh.db, T0, at(3600))["taken"] == 1


def test_without_the_driver_the_round_says_what_to_install(
    laptop: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    with pytest.raises(SyncFailed, match=r"pip install 'breather\[postgresql\]'"):
        sync_round(laptop, "postgresql+psycopg://me@server/breather")


def test_a_change_made_while_a_round_sends_its_hour_goes_in_the_next_round(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    track(laptop, 0, 600, EDITOR)

    def meanwhile(what: str) -> None:
        if what.startswith("sent"):  # the server has the hour; tracking goes on in it
            track(laptop, 700, 1300, BROWSER)
            done.append(what)

    done: list[str] = []

    sync_round(laptop, postgres_url, progress=meanwhile)
    assert sync_round(laptop, postgres_url).sent_hours == 1
    sync_round(desktop, postgres_url)
    assert per_device(desktop) == {"laptop": 1200.0}


def test_retention_on_one_device_reaches_the_others_as_one_deletion(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    from breather.store.maintenance import apply_retention

    track(laptop, 0, 600, EDITOR)  # 23 November
    track(desktop, 0, 600, GAME)
    for store in (laptop, desktop, laptop):
        sync_round(store, postgres_url)
    month = 31 * 86400
    track(laptop, month, month + 60, EDITOR)  # a month later: the 23rd is past keeping
    for days_later in (31, 32, 33):  # three starts, each deleting what is 30 days old
        apply_retention(laptop.db, 30, now=T0 + timedelta(days=days_later))
    assert laptop.db.value("SELECT COUNT(*) FROM sync_forget_pending") == 1  # the widest
    assert sync_round(laptop, postgres_url).forgotten == 1
    sync_round(desktop, postgres_url)
    assert per_device(desktop) == {}


def test_a_server_that_does_not_answer_is_given_up_on_in_seconds() -> None:
    from breather.sync.round import with_connect_timeout

    assert with_connect_timeout("postgresql+psycopg://me@server/db") == (
        "postgresql+psycopg://me@server/db?connect_timeout=10"
    )
    assert with_connect_timeout("postgresql+psycopg://me@/db?host=/run/pg").endswith(
        "?host=/run/pg&connect_timeout=10"
    )
    assert with_connect_timeout("postgresql://me@h/db?connect_timeout=3").endswith("=3")


def test_a_device_away_during_a_forget_cannot_bring_the_stretch_back(
    laptop: Store, desktop: Store, postgres_url: str
) -> None:
    track(laptop, 0, 3600, EDITOR)
    track(desktop, 0, 3600, GAME)
    sync_round(desktop, postgres_url)

    def forget_meanwhile(what: str) -> None:
        # The laptop has read the server's deletions (none yet) and is about to send its
        # hour when the desktop forgets three stretches (overlapping and apart) and syncs.
        if what.startswith("received"):
            for lo, hi in ((0, 600), (300, 1200), (2400, 3000)):
                delete_range(desktop.db, to_ms(at(lo)), to_ms(at(hi)))
            sync_round(desktop, postgres_url)

    sync_round(laptop, postgres_url, progress=forget_meanwhile)
    for store in (laptop, desktop, laptop):
        sync_round(store, postgres_url)
    for store in (laptop, desktop):
        assert per_device(store) == {"laptop": 1800.0, "desktop": 1800.0}
