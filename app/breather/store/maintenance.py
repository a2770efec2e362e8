"""Deleting data: a time range, everything, or what is older than the person keeps it.

Everything here keeps `app_hour` equal to the spans (the hours a deletion touches are summed
again from what is left), removes titles and apps no span needs any more (their text must not
linger), and deletes with SQLite's `secure_delete` so the bytes are overwritten, then moves the
write-ahead log back into the database file and empties it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from breather.store.changes import mark_forgotten
from breather.store.queries import CLIPPED_MS, IN_RANGE, range_params
from breather.store.schema import AWAY_APP_ID, HOUR_MS
from breather.store.sql import Database, Session, StoreError

#: Beyond any stored time: "until the end".
END_OF_TIME = 2**62


@dataclass(frozen=True, slots=True)
class Deleted:
    """What a deletion removed."""

    spans: int  # stored pieces removed or cut
    seconds: float  # time removed (app and away)
    held_back: str | None = None  # why retention deleted nothing: the clock is in doubt

    def __bool__(self) -> bool:
        return self.spans > 0


def measure(db: Database, start_ms: int, end_ms: int) -> Deleted:
    """What `delete_range(start_ms, end_ms)` would remove, without removing it."""
    with db.read() as conn:
        return _measure(conn, start_ms, end_ms)


def _measure(conn: Session, lo: int, hi: int) -> Deleted:
    count, ms = conn.rows(
        f"SELECT COUNT(*), COALESCE(SUM({CLIPPED_MS}), 0) FROM span WHERE {IN_RANGE}",
        range_params(lo, hi),
    )[0]
    return Deleted(int(count), int(ms) / 1000)


def delete_range(db: Database, start_ms: int, end_ms: int, *, everywhere: bool = True) -> Deleted:
    """Delete all recorded time in [start_ms, end_ms), on every device, cutting pieces at the
    edges; the rollup and titles and apps no longer used follow. Device rows stay.

    `everywhere`: the next sync round deletes it on the server and every other device too
    (False for a deletion that came from the server)."""
    if start_ms >= end_ms:
        return Deleted(0, 0.0)
    with db.write() as conn:
        _secure(db, conn)
        if everywhere:
            mark_forgotten(conn, start_ms, end_ms)
        removed = _measure(conn, start_ms, end_ms)
        if removed:
            _cut(conn, start_ms, end_ms)
            _rebuild_hours(conn, start_ms, end_ms)
            _drop_orphans(conn)
        # Breaks and prompt answers (intentions are the person's own words) go with the time.
        events_removed = conn.run(
            "DELETE FROM boundary_event WHERE at_ms >= :lo AND at_ms < :hi",
            {"lo": start_ms, "hi": end_ms},
        )
        # So do mood check-ins and their notes.
        events_removed += conn.run(
            "DELETE FROM checkin WHERE at_ms >= :lo AND at_ms < :hi",
            {"lo": start_ms, "hi": end_ms},
        )
        # And personal experiments started in it (they say what the person was trying).
        events_removed += conn.run(
            "DELETE FROM experiment WHERE started_ms >= :lo AND started_ms < :hi",
            {"lo": start_ms, "hi": end_ms},
        )
    if removed or events_removed:
        _checkpoint(db)
    return removed


def delete_everything(db: Database) -> Deleted:
    """Delete every span, the rollup, every title and app, every boundary answer, mood
    check-in and experiment: as if nothing had been recorded."""
    with db.write() as conn:
        _secure(db, conn)
        mark_forgotten(conn, 0, END_OF_TIME)
        removed = _measure(conn, 0, END_OF_TIME)
        for table in ("span", "app_hour", "boundary_event", "checkin", "experiment"):
            conn.run(f"DELETE FROM {table}")
        _drop_orphans(conn)
    _checkpoint(db, vacuum=True)
    return removed


#: How far the newest stored time may lie after the clock's now before the clock is doubted
#: (another device's clock a little ahead is not a reason to keep data forever).
CLOCK_SLACK = timedelta(minutes=10)


def retention_cutoff(keep_days: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=keep_days)


def apply_retention(db: Database, keep_days: int, now: datetime | None = None) -> Deleted:
    """Delete what ended more than `keep_days` days ago (0 keeps everything), on a clock there
    is no reason to doubt.

    Deleting years at once must never follow from a wrong clock, so: when the newest stored
    time lies after `now` (the clock went back, or ran ahead before), nothing is deleted and
    `held_back` says why; and the days are counted back from the newest stored time when the
    clock is later than it (a clock that jumped ahead since the last run, or a long absence),
    so no one start deletes the newest `keep_days` of history.
    """
    if keep_days <= 0:
        return Deleted(0, 0.0)
    now = now or datetime.now(UTC)
    newest_ms = db.value("SELECT end_ms FROM span ORDER BY start_ms DESC LIMIT 1")
    if newest_ms is None:
        return Deleted(0, 0.0)
    newest = datetime.fromtimestamp(int(newest_ms) / 1000, UTC)
    if newest > now + CLOCK_SLACK:
        return Deleted(
            0,
            0.0,
            held_back=(
                f"the newest recorded time ({newest.isoformat(timespec='seconds')}) is after "
                f"the clock's time ({now.isoformat(timespec='seconds')}); old data is deleted "
                "once the clock and the history agree"
            ),
        )
    cutoff = round(retention_cutoff(keep_days, min(now, newest)).timestamp() * 1000)
    return delete_range(db, 0, cutoff)


def _secure(db: Database, conn: Session) -> None:
    if db.backend == "sqlite":
        conn.rows("PRAGMA secure_delete = ON")


def _checkpoint(db: Database, *, vacuum: bool = False) -> None:
    """Fold the write-ahead log into the database and empty it, so deleted pages are gone
    from it too; best effort (a reader in another process may hold it for now)."""
    if db.backend != "sqlite":
        return
    with contextlib.suppress(StoreError):
        db.run_alone("PRAGMA wal_checkpoint(TRUNCATE)")
        if vacuum:
            db.run_alone("VACUUM")
            db.run_alone("PRAGMA wal_checkpoint(TRUNCATE)")


def _cut(conn: Session, lo: int, hi: int) -> None:
    """Remove [lo, hi) from the span table, keeping the parts of edge pieces outside it."""
    edges = conn.rows(
        "SELECT start_ms, device_id, end_ms, app_id, title_id FROM span"
        f" WHERE {IN_RANGE} AND (span.start_ms < :lo OR span.end_ms > :hi)",
        range_params(lo, hi),
    )
    conn.run(
        "DELETE FROM span WHERE start_ms >= :lo AND start_ms < :hi AND end_ms <= :hi",
        {"lo": max(lo, 0), "hi": hi},
    )
    for start, device, end, app_id, title_id in edges:
        key = {"start": start, "device": device}
        if start < lo:
            conn.run(
                "UPDATE span SET end_ms = :lo WHERE start_ms = :start AND device_id = :device",
                {**key, "lo": lo},
            )
        else:
            conn.run("DELETE FROM span WHERE start_ms = :start AND device_id = :device", key)
        if end > hi:
            conn.run(
                "INSERT INTO span (start_ms, device_id, end_ms, app_id, title_id)"
                " VALUES (:hi, :device, :end, :app, :title)",
                {"hi": hi, "device": device, "end": end, "app": app_id, "title": title_id},
            )


def _rebuild_hours(conn: Session, lo: int, hi: int) -> None:
    """Make `app_hour` equal to the spans again for every hour touching [lo, hi)."""
    first_hour = max(lo, 0) // HOUR_MS
    last_hour = -(-min(hi, END_OF_TIME) // HOUR_MS)  # exclusive
    bounds = {
        "first": first_hour,
        "last": last_hour,
        "lo": first_hour * HOUR_MS,
        "hi": min(last_hour * HOUR_MS, END_OF_TIME),
    }
    conn.run("DELETE FROM app_hour WHERE hour >= :first AND hour < :last", bounds)
    conn.run(
        "INSERT INTO app_hour (hour, device_id, app_id, ms)"
        f" SELECT start_ms / {HOUR_MS} AS hour, device_id, COALESCE(app_id, {AWAY_APP_ID}) AS app,"
        "  SUM(end_ms - start_ms) FROM span"
        " WHERE start_ms >= :lo AND start_ms < :hi"
        f" GROUP BY start_ms / {HOUR_MS}, device_id, COALESCE(app_id, {AWAY_APP_ID})",
        bounds,
    )


def _drop_orphans(conn: Session) -> None:
    conn.run(
        "DELETE FROM title WHERE id NOT IN"
        " (SELECT DISTINCT title_id FROM span WHERE title_id IS NOT NULL)"
    )
    conn.run(
        "DELETE FROM app WHERE id NOT IN"
        " (SELECT DISTINCT app_id FROM span WHERE app_id IS NOT NULL)"
        " AND id NOT IN (SELECT DISTINCT app_id FROM app_hour)"
    )
