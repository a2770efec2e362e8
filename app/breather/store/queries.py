"""Read-only questions to the database. SQL does the summing; nothing here writes.

Ranges are half-open [start, end) in any time zone; the day boundary and the person's time zone
are applied by the caller choosing the range (`day_range`, `week_range`), never when writing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import Engine, case, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from breather.store.models import AWAY_APP_ID, HOUR_MS, App, AppHour, Device, SpanRow, Title
from breather.store.writer import to_ms

By = Literal["app", "title", "category"]

span_t = SpanRow.__table__  # type: ignore[attr-defined]
hour_t = AppHour.__table__  # type: ignore[attr-defined]
app_t = App.__table__  # type: ignore[attr-defined]
title_t = Title.__table__  # type: ignore[attr-defined]
device_t = Device.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Total:
    """Seconds for one key (an app name, or a title with its app)."""

    key: str
    seconds: float
    app: str | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    start: datetime
    end: datetime
    by: By
    active_seconds: float
    away_seconds: float
    totals: tuple[Total, ...]


@dataclass(frozen=True, slots=True)
class ExportRow:
    start: datetime
    end: datetime
    app: str | None
    title: str
    process: str
    exe: str
    device: str

    @property
    def away(self) -> bool:
        return self.app is None

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def local_midnight(day: date, day_start: time) -> datetime:
    """`day` at `day_start` in the system's local time zone (DST-aware), as an aware datetime."""
    return datetime.combine(day, day_start).astimezone()


def day_range(day: date, day_start: time) -> tuple[datetime, datetime]:
    """The person's day: from `day_start` on `day` to `day_start` on the next calendar day."""
    return local_midnight(day, day_start), local_midnight(day + timedelta(days=1), day_start)


def week_range(day: date, day_start: time) -> tuple[datetime, datetime]:
    """The Monday-to-Sunday week holding `day`, with the person's day boundary."""
    monday = day - timedelta(days=day.weekday())
    return local_midnight(monday, day_start), local_midnight(monday + timedelta(days=7), day_start)


def _clipped_ms(lo: int, hi: int) -> ColumnElement[int]:
    end = case((span_t.c.end_ms > hi, hi), else_=span_t.c.end_ms)
    start = case((span_t.c.start_ms < lo, lo), else_=span_t.c.start_ms)
    return func.sum(end - start)


def _in_range(lo: int, hi: int) -> tuple[ColumnElement[bool], ...]:
    # Stored pieces never cross a UTC hour, so nothing that overlaps [lo, hi) starts before
    # lo's hour: that bound lets the primary key do the range scan.
    return (
        span_t.c.start_ms >= (lo // HOUR_MS) * HOUR_MS,
        span_t.c.start_ms < hi,
        span_t.c.end_ms > lo,
    )


def _app_ms(conn: Connection, start_ms: int, end_ms: int) -> dict[int, int]:
    """Milliseconds per app id (AWAY_APP_ID for away) in [start_ms, end_ms)."""
    totals: dict[int, int] = {}

    def add_spans(lo: int, hi: int) -> None:
        if lo >= hi:
            return
        app_key = func.coalesce(span_t.c.app_id, AWAY_APP_ID)
        query = select(app_key, _clipped_ms(lo, hi)).where(*_in_range(lo, hi)).group_by(app_key)
        for app_id, ms in conn.execute(query):
            totals[app_id] = totals.get(app_id, 0) + int(ms or 0)

    first_hour = -(-start_ms // HOUR_MS)
    last_hour = end_ms // HOUR_MS
    if first_hour >= last_hour:
        add_spans(start_ms, end_ms)
        return totals
    query = (
        select(hour_t.c.app_id, func.sum(hour_t.c.ms))
        .where(hour_t.c.hour >= first_hour, hour_t.c.hour < last_hour)
        .group_by(hour_t.c.app_id)
    )
    for app_id, ms in conn.execute(query):
        totals[app_id] = totals.get(app_id, 0) + int(ms or 0)
    add_spans(start_ms, first_hour * HOUR_MS)
    add_spans(last_hour * HOUR_MS, end_ms)
    return totals


def summarize(engine: Engine, start: datetime, end: datetime, by: By = "app") -> Summary:
    """Active and away time in [start, end), and the active time per app or per title."""
    lo, hi = to_ms(start), to_ms(end)
    with engine.connect() as conn:
        per_app = _app_ms(conn, lo, hi)
        away_ms = per_app.pop(AWAY_APP_ID, 0)
        active_ms = sum(per_app.values())
        totals = _by_app_name(conn, per_app) if by == "app" else _by_title(conn, lo, hi)
    return Summary(start, end, by, active_ms / 1000, away_ms / 1000, totals)


def _by_app_name(conn: Connection, per_app: dict[int, int]) -> tuple[Total, ...]:
    if not per_app:
        return ()
    query = select(app_t.c.id, app_t.c.name).where(app_t.c.id.in_(list(per_app)))
    names: dict[int, str] = dict(conn.execute(query).all())
    by_name: dict[str, int] = {}
    for app_id, ms in per_app.items():
        name = names.get(app_id, "?")
        by_name[name] = by_name.get(name, 0) + ms
    ranked = sorted(by_name.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Total(name, ms / 1000) for name, ms in ranked if ms > 0)


def _by_title(conn: Connection, lo: int, hi: int) -> tuple[Total, ...]:
    title = func.coalesce(title_t.c.text, "")
    query = (
        select(app_t.c.name, title, _clipped_ms(lo, hi))
        .select_from(span_t.join(app_t, app_t.c.id == span_t.c.app_id))
        .outerjoin(title_t, title_t.c.id == span_t.c.title_id)
        .where(*_in_range(lo, hi))
        .group_by(app_t.c.name, title)
    )
    rows = [(app, text, int(ms or 0)) for app, text, ms in conn.execute(query)]
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    return tuple(Total(text, ms / 1000, app) for app, text, ms in rows if ms > 0)


def iter_spans(engine: Engine, start: datetime | None, end: datetime | None) -> Iterator[ExportRow]:
    """Every stored span overlapping [start, end), oldest first, with hour pieces joined again."""
    lo = to_ms(start) if start else 0
    hi = to_ms(end) if end else 2**62
    query = (
        select(
            span_t.c.start_ms,
            span_t.c.end_ms,
            app_t.c.name,
            func.coalesce(title_t.c.text, ""),
            func.coalesce(app_t.c.process, ""),
            func.coalesce(app_t.c.exe, ""),
            device_t.c.name,
            span_t.c.device_id,
        )
        .select_from(span_t.outerjoin(app_t, app_t.c.id == span_t.c.app_id))
        .outerjoin(title_t, title_t.c.id == span_t.c.title_id)
        .join(device_t, device_t.c.id == span_t.c.device_id)
        .where(*_in_range(lo, hi))
        .order_by(span_t.c.start_ms, span_t.c.device_id)
    )
    pending: ExportRow | None = None
    pending_device = -1
    with engine.connect() as conn:
        for start_ms, end_ms, app, text, process, exe, device, device_id in conn.execute(
            query
        ).yield_per(2000):
            start_at = datetime.fromtimestamp(start_ms / 1000, UTC)
            end_at = datetime.fromtimestamp(end_ms / 1000, UTC)
            if (
                pending is not None
                and pending.end == start_at
                and pending_device == device_id
                and (pending.app, pending.title, pending.process, pending.exe)
                == (app, text, process, exe)
            ):
                pending = replace(pending, end=end_at)
                continue
            if pending is not None:
                yield pending
            pending = ExportRow(start_at, end_at, app, text, process, exe, device)
            pending_device = device_id
    if pending is not None:
        yield pending
