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

from sqlalchemy import Engine, and_, case, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from breather.store.models import (
    AWAY_APP_ID,
    HOUR_MS,
    App,
    AppHour,
    BoundaryEvent,
    SpanRow,
    Title,
)

span_t = SpanRow.__table__  # type: ignore[attr-defined]
hour_t = AppHour.__table__  # type: ignore[attr-defined]
app_t = App.__table__  # type: ignore[attr-defined]
title_t = Title.__table__  # type: ignore[attr-defined]
event_t = BoundaryEvent.__table__  # type: ignore[attr-defined]

#: Beyond any stored time: "until the end".
END_OF_TIME = 2**62


@dataclass(frozen=True, slots=True)
class Deleted:
    """What a deletion removed."""

    spans: int  # stored pieces removed or cut
    seconds: float  # time removed (app and away)

    def __bool__(self) -> bool:
        return self.spans > 0


def measure(engine: Engine, start_ms: int, end_ms: int) -> Deleted:
    """What `delete_range(start_ms, end_ms)` would remove, without removing it."""
    with engine.connect() as conn:
        return _measure(conn, start_ms, end_ms)


def _measure(conn: Connection, lo: int, hi: int) -> Deleted:
    clipped_end = case((span_t.c.end_ms > hi, hi), else_=span_t.c.end_ms)
    clipped_start = case((span_t.c.start_ms < lo, lo), else_=span_t.c.start_ms)
    count, ms = conn.execute(
        select(func.count(), func.coalesce(func.sum(clipped_end - clipped_start), 0)).where(
            *_overlapping(lo, hi)
        )
    ).one()
    return Deleted(int(count), int(ms) / 1000)


def _overlapping(lo: int, hi: int) -> tuple[ColumnElement[bool], ...]:
    # Pieces never cross an hour, so none that overlaps [lo, hi) starts before lo's hour.
    return (
        span_t.c.start_ms >= (max(lo, 0) // HOUR_MS) * HOUR_MS,
        span_t.c.start_ms < hi,
        span_t.c.end_ms > lo,
    )


def delete_range(engine: Engine, start_ms: int, end_ms: int) -> Deleted:
    """Delete all recorded time in [start_ms, end_ms), on every device, cutting pieces at the
    edges; the rollup and titles and apps no longer used follow. Device rows stay."""
    if start_ms >= end_ms:
        return Deleted(0, 0.0)
    with engine.begin() as conn:
        _secure(conn)
        removed = _measure(conn, start_ms, end_ms)
        if removed:
            _cut(conn, start_ms, end_ms)
            _rebuild_hours(conn, start_ms, end_ms)
            _drop_orphans(conn)
        # Breaks and prompt answers (intentions are the person's own words) go with the time.
        in_range = (event_t.c.at_ms >= start_ms, event_t.c.at_ms < end_ms)
        events_removed = conn.execute(delete(event_t).where(*in_range)).rowcount
    if removed or events_removed:
        _checkpoint(engine)
    return removed


def delete_everything(engine: Engine) -> Deleted:
    """Delete every span, the rollup, every title and app: as if nothing had been recorded."""
    with engine.begin() as conn:
        _secure(conn)
        removed = _measure(conn, 0, END_OF_TIME)
        conn.execute(delete(span_t))
        conn.execute(delete(hour_t))
        conn.execute(delete(event_t))
        _drop_orphans(conn)
    _checkpoint(engine, vacuum=True)
    return removed


def retention_cutoff(keep_days: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=keep_days)


def apply_retention(engine: Engine, keep_days: int, now: datetime | None = None) -> Deleted:
    """Delete what ended more than `keep_days` days ago (0 keeps everything)."""
    if keep_days <= 0:
        return Deleted(0, 0.0)
    cutoff = round(retention_cutoff(keep_days, now).timestamp() * 1000)
    return delete_range(engine, 0, cutoff)


def _secure(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")


def _checkpoint(engine: Engine, *, vacuum: bool = False) -> None:
    """Fold the write-ahead log into the database and empty it, so deleted pages are gone
    from it too; best effort (a reader in another process may hold it for now)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn, contextlib.suppress(Exception):
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        if vacuum:
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _cut(conn: Connection, lo: int, hi: int) -> None:
    """Remove [lo, hi) from the span table, keeping the parts of edge pieces outside it."""
    edges = conn.execute(
        select(
            span_t.c.start_ms,
            span_t.c.device_id,
            span_t.c.end_ms,
            span_t.c.app_id,
            span_t.c.title_id,
        ).where(*_overlapping(lo, hi), or_(span_t.c.start_ms < lo, span_t.c.end_ms > hi))
    ).all()
    conn.execute(
        delete(span_t).where(
            span_t.c.start_ms >= max(lo, 0), span_t.c.start_ms < hi, span_t.c.end_ms <= hi
        )
    )
    for start, device, end, app_id, title_id in edges:
        key = and_(span_t.c.start_ms == start, span_t.c.device_id == device)
        if start < lo:
            conn.execute(update(span_t).where(key).values(end_ms=lo))
        else:
            conn.execute(delete(span_t).where(key))
        if end > hi:
            conn.execute(
                insert(span_t).values(
                    start_ms=hi, device_id=device, end_ms=end, app_id=app_id, title_id=title_id
                )
            )


def rebuild_hours(conn: Connection, start_ms: int, end_ms: int) -> None:
    """Make `app_hour` equal to the spans again for every hour touching [start_ms, end_ms)."""
    _rebuild_hours(conn, start_ms, end_ms)


def _rebuild_hours(conn: Connection, lo: int, hi: int) -> None:
    first_hour = max(lo, 0) // HOUR_MS
    last_hour = -(-min(hi, END_OF_TIME) // HOUR_MS)  # exclusive
    conn.execute(delete(hour_t).where(hour_t.c.hour >= first_hour, hour_t.c.hour < last_hour))
    hour = span_t.c.start_ms // HOUR_MS
    app = func.coalesce(span_t.c.app_id, AWAY_APP_ID)
    summed = (
        select(hour, span_t.c.device_id, app, func.sum(span_t.c.end_ms - span_t.c.start_ms))
        .where(
            span_t.c.start_ms >= first_hour * HOUR_MS,
            span_t.c.start_ms < min(last_hour * HOUR_MS, END_OF_TIME),
        )
        .group_by(hour, span_t.c.device_id, app)
    )
    conn.execute(
        insert(hour_t).from_select(["hour", "device_id", "app_id", "ms"], summed),
    )


def _drop_orphans(conn: Connection) -> None:
    used_titles = select(span_t.c.title_id).where(span_t.c.title_id.is_not(None)).distinct()
    conn.execute(delete(title_t).where(title_t.c.id.not_in(used_titles)))
    used_apps = select(span_t.c.app_id).where(span_t.c.app_id.is_not(None)).distinct()
    rolled_apps = select(hour_t.c.app_id).distinct()
    conn.execute(delete(app_t).where(app_t.c.id.not_in(used_apps), app_t.c.id.not_in(rolled_apps)))


def vacuum(engine: Engine) -> None:
    """Rewrite the database file without free pages (after a large deletion)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("VACUUM"))
