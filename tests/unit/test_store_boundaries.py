"""Boundary events: what the rules engine records is what reports count."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breather.rules import Outcome, Record
from breather.store import Store, open_store, sqlite_url
from breather.store.boundaries import BoundaryLog, break_counts, events, limit_outcomes
from breather.store.database import schema_head

# Every test that takes `store` runs through sqlite3 and through SQLAlchemy.
pytestmark = pytest.mark.both_drivers

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_break_outcomes_are_counted_in_their_period(store: Store) -> None:
    log = BoundaryLog(store.db, store.device_id)
    log.record(
        [
            Record(at(20), "eyes", Outcome.DUE),
            Record(at(20), "eyes", Outcome.POSTPONED),
            Record(at(23), "eyes", Outcome.TAKEN),
            Record(at(44), "movement", Outcome.DUE),
            Record(at(50), "movement", Outcome.SKIPPED),
            Record(at(70), "eyes", Outcome.NATURAL),
            Record(at(90), "eyes", Outcome.DUE),
            Record(at(91), "eyes", Outcome.IGNORED),
            Record(at(95), "limit", Outcome.REACHED, "category:Social media", "1800"),
            Record(at(96), "limit", Outcome.MORE, "category:Social media", "900"),
            Record(at(97), "intention", Outcome.ANSWERED, "Social media", "Reply to Sam"),
        ]
    )
    assert break_counts(store.db, T0, at(120)) == {
        "due": 3,
        "taken": 1,
        "natural": 1,
        "postponed": 1,
        "skipped": 1,
        "ignored": 1,
    }
    assert break_counts(store.db, at(60), at(120))["due"] == 1
    assert limit_outcomes(store.db, T0, at(120)) == {
        "category:Social media": {"reached": 1, "more": 1}
    }
    intention = events(store.db, T0, at(120), "intention")
    assert intention == [(at(97), "intention", Outcome.ANSWERED, "Social media", "Reply to Sam")]


SYNC_TABLES = (
    "sync_pending",
    "sync_sending",
    "sync_pulled",
    "sync_forget_pending",
    "sync_clock",
    "sync_hour",
    "sync_forgotten",
)


def test_a_database_from_before_boundaries_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "breather.db"
    first = open_store(sqlite_url(path), device_uuid="a", device_name="a")
    first.close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE boundary_event")
    for later in SYNC_TABLES:  # made by 0003, after boundaries
        db.execute(f"DROP TABLE {later}")
    db.execute("UPDATE alembic_version SET version_num = '0001'")
    db.execute("INSERT INTO span VALUES (1000, 1, 2000, NULL, NULL)")
    db.commit()
    db.close()

    again = open_store(sqlite_url(path), device_uuid="a", device_name="a")
    try:
        BoundaryLog(again.db, again.device_id).record([Record(at(1), "eyes", Outcome.DUE)])
        assert break_counts(again.db, T0, at(2))["due"] == 1
    finally:
        again.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (schema_head(),)
    assert db.execute("SELECT COUNT(*) FROM span").fetchone() == (1,)
    db.close()


def test_forgetting_a_range_forgets_its_breaks_and_answers(store: Store) -> None:
    from breather.store.maintenance import delete_everything, delete_range
    from breather.store.schema import to_ms

    log = BoundaryLog(store.db, store.device_id)
    log.record(
        [
            Record(at(10), "intention", Outcome.ANSWERED, "Social media", "something private"),
            Record(at(70), "eyes", Outcome.TAKEN),
        ]
    )
    delete_range(store.db, to_ms(at(0)), to_ms(at(60)))
    assert [e[1] for e in events(store.db, T0, at(120))] == ["eyes"]
    delete_everything(store.db)
    assert events(store.db, T0, at(120)) == []
