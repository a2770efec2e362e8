"""Read-only questions to the database. SQL does the summing; nothing here writes.

Ranges are half-open [start, end) in any time zone; the day boundary and the person's time zone
are applied by the caller choosing the range (`day_range`, `week_range`), never when writing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from breather.store.schema import AWAY_APP_ID, HOUR_MS, to_ms
from breather.store.sql import Database, Session, in_list

By = Literal["app", "title", "category"]

#: SQL for a span piece's milliseconds inside [:lo, :hi), and the condition that it overlaps.
#: Stored pieces never cross a UTC hour, so nothing that overlaps [lo, hi) starts before lo's
#: hour: the `:lo_hour` bound (see `range_params`) lets the primary key do the range scan.
CLIPPED_MS = (
    "(CASE WHEN span.end_ms > :hi THEN :hi ELSE span.end_ms END"
    " - CASE WHEN span.start_ms < :lo THEN :lo ELSE span.start_ms END)"
)
IN_RANGE = "span.start_ms >= :lo_hour AND span.start_ms < :hi AND span.end_ms > :lo"


def range_params(lo: int, hi: int) -> dict[str, int]:
    """The parameters CLIPPED_MS and IN_RANGE need for [lo, hi) in milliseconds."""
    return {"lo": lo, "hi": hi, "lo_hour": (max(lo, 0) // HOUR_MS) * HOUR_MS}


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


def app_ms(
    conn: Session, start_ms: int, end_ms: int, devices: list[int] | None = None
) -> dict[int, int]:
    """Milliseconds per app id (AWAY_APP_ID for away) in [start_ms, end_ms), added up over
    every device (or the `devices` given)."""
    totals: dict[int, int] = {}
    only, only_params = _devices_clause(devices)

    def add_spans(lo: int, hi: int) -> None:
        if lo >= hi:
            return
        for app_id, ms in conn.rows(
            f"SELECT COALESCE(span.app_id, {AWAY_APP_ID}) AS app_key, SUM({CLIPPED_MS})"
            f" FROM span WHERE {IN_RANGE}{only.format(table='span')} GROUP BY app_key",
            {**range_params(lo, hi), **only_params},
        ):
            totals[app_id] = totals.get(app_id, 0) + int(ms or 0)

    # Whole hours come from the rollup; only the ragged ends are summed from the spans.
    first_hour = -(-start_ms // HOUR_MS)
    last_hour = end_ms // HOUR_MS
    if first_hour >= last_hour:
        add_spans(start_ms, end_ms)
        return totals
    for app_id, ms in conn.rows(
        "SELECT app_id, SUM(ms) FROM app_hour WHERE hour >= :first AND hour < :last"
        f"{only.format(table='app_hour')} GROUP BY app_id",
        {"first": first_hour, "last": last_hour, **only_params},
    ):
        totals[app_id] = totals.get(app_id, 0) + int(ms or 0)
    add_spans(start_ms, first_hour * HOUR_MS)
    add_spans(last_hour * HOUR_MS, end_ms)
    return totals


def summarize(
    db: Database,
    start: datetime,
    end: datetime,
    by: By = "app",
    device: str | None = None,
    *,
    device_ids: list[int] | None = None,
) -> Summary:
    """Active and away time in [start, end), and the active time per app or per title, of
    every device (or the one named `device`, or those with `device_ids`).

    Per-app time adds each device's time with the app; active time counts a moment once
    when several devices were in use at it (the union of their active spans)."""
    lo, hi = to_ms(start), to_ms(end)
    with db.read() as conn:
        devices = named_devices(conn, device) if device_ids is None else device_ids
        per_app = app_ms(conn, lo, hi, devices)
        away_ms = per_app.pop(AWAY_APP_ID, 0)
        active_ms = (
            union_active_ms(conn, lo, hi, devices)
            if several_devices(conn, lo, hi, devices)
            else sum(per_app.values())
        )
        totals = _by_app_name(conn, per_app) if by == "app" else _by_title(conn, lo, hi, devices)
    return Summary(start, end, by, active_ms / 1000, away_ms / 1000, totals)


def _devices_clause(devices: list[int] | None) -> tuple[str, dict[str, int]]:
    """` AND {table}.device_id IN (...)` for `devices` (str.format the table), or nothing."""
    if devices is None:
        return "", {}
    marks, params = in_list("device", devices or [-1])
    return f" AND {{table}}.device_id IN {marks}", params


def named_devices(conn: Session, name: str | None) -> list[int] | None:
    """The ids of the devices called `name` (none may be); None for every device."""
    if name is None:
        return None
    return [int(i) for (i,) in conn.rows("SELECT id FROM device WHERE name = :n", {"n": name})]


@dataclass(frozen=True, slots=True)
class DeviceTime:
    """One device's active time in a period."""

    name: str
    active_seconds: float


def device_times(
    db: Database, start: datetime, end: datetime, device: str | None = None
) -> tuple[DeviceTime, ...]:
    """Active time per device with any in [start, end) (devices of one name together)."""
    lo, hi = to_ms(start), to_ms(end)
    with db.read() as conn:
        only, only_params = _devices_clause(named_devices(conn, device))
        found = conn.rows(
            f"SELECT device.name, SUM({CLIPPED_MS}) FROM span"
            " JOIN device ON device.id = span.device_id"
            f" WHERE {IN_RANGE} AND span.app_id IS NOT NULL{only.format(table='span')}"
            " GROUP BY device.name",
            {**range_params(lo, hi), **only_params},
        )
    ranked = sorted(((str(n), int(ms or 0)) for n, ms in found), key=lambda t: (-t[1], t[0]))
    return tuple(DeviceTime(name, ms / 1000) for name, ms in ranked if ms > 0)


def other_devices(db: Database, device_id: int) -> list[int]:
    """Every device in the database but `device_id`."""
    return [int(i) for (i,) in db.rows("SELECT id FROM device WHERE id <> :d", {"d": device_id})]


def several_devices(conn: Session, lo: int, hi: int, devices: list[int] | None) -> bool:
    """Whether more than one device (of `devices`) was in use in [lo, hi). With one, its
    spans never overlap, so the rollup's sum is the union, and is cheap."""
    if devices is not None and len(devices) <= 1:
        return False
    if devices is None and int(conn.value("SELECT COUNT(*) FROM device") or 0) <= 1:
        return False
    only, only_params = _devices_clause(devices)
    active = conn.value(
        f"SELECT COUNT(DISTINCT span.device_id) FROM span WHERE {IN_RANGE}"
        f" AND span.app_id IS NOT NULL{only.format(table='span')}",
        {**range_params(lo, hi), **only_params},
    )
    return int(active or 0) > 1


def union_active_ms(conn: Session, lo: int, hi: int, devices: list[int] | None = None) -> int:
    """Milliseconds in [lo, hi) at which at least one device (of `devices`) was in use."""
    only, only_params = _devices_clause(devices)
    if not several_devices(conn, lo, hi, devices):
        return sum(ms for app, ms in app_ms(conn, lo, hi, devices).items() if app != AWAY_APP_ID)
    total = 0
    covered_to = lo
    for start_at, end_at in conn.stream(
        "SELECT CASE WHEN span.start_ms < :lo THEN :lo ELSE span.start_ms END,"
        " CASE WHEN span.end_ms > :hi THEN :hi ELSE span.end_ms END"
        f" FROM span WHERE {IN_RANGE} AND span.app_id IS NOT NULL{only.format(table='span')}"
        " ORDER BY span.start_ms",
        {**range_params(lo, hi), **only_params},
    ):
        start, end = max(int(start_at), covered_to), int(end_at)
        if end > start:
            total += end - start
            covered_to = end
    return total


def app_names(conn: Session, app_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """(name, process, exe) of each app id."""
    if not app_ids:
        return {}
    ids, params = in_list("app", app_ids)
    return {
        app_id: (name, process, exe)
        for app_id, name, process, exe in conn.rows(
            f"SELECT id, name, process, exe FROM app WHERE id IN {ids}", params
        )
    }


def _by_app_name(conn: Session, per_app: dict[int, int]) -> tuple[Total, ...]:
    names = app_names(conn, list(per_app))
    by_name: dict[str, int] = {}
    for app_id, ms in per_app.items():
        name = names.get(app_id, ("?", "", ""))[0]
        by_name[name] = by_name.get(name, 0) + ms
    ranked = sorted(by_name.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Total(name, ms / 1000) for name, ms in ranked if ms > 0)


def _by_title(
    conn: Session, lo: int, hi: int, devices: list[int] | None = None
) -> tuple[Total, ...]:
    only, only_params = _devices_clause(devices)
    found = conn.rows(
        f"SELECT app.name, COALESCE(title.text, '') AS title_text, SUM({CLIPPED_MS})"
        " FROM span"
        " JOIN app ON app.id = span.app_id"
        " LEFT JOIN title ON title.id = span.title_id"
        f" WHERE {IN_RANGE}{only.format(table='span')} GROUP BY app.name, title_text",
        {**range_params(lo, hi), **only_params},
    )
    rows = [(app, text, int(ms or 0)) for app, text, ms in found]
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    return tuple(Total(text, ms / 1000, app) for app, text, ms in rows if ms > 0)


def iter_spans(db: Database, start: datetime | None, end: datetime | None) -> Iterator[ExportRow]:
    """Every stored span overlapping [start, end), oldest first, with hour pieces joined again."""
    lo = to_ms(start) if start else 0
    hi = to_ms(end) if end else 2**62
    query = (
        "SELECT span.start_ms, span.end_ms, app.name, COALESCE(title.text, ''),"
        " COALESCE(app.process, ''), COALESCE(app.exe, ''), device.name, span.device_id"
        " FROM span LEFT JOIN app ON app.id = span.app_id"
        " LEFT JOIN title ON title.id = span.title_id"
        " JOIN device ON device.id = span.device_id"
        f" WHERE {IN_RANGE} ORDER BY span.start_ms, span.device_id"
    )
    pending: ExportRow | None = None
    pending_device = -1
    with db.read() as conn:
        for start_ms, end_ms, app, text, process, exe, device, device_id in conn.stream(
            query, range_params(lo, hi)
        ):
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
