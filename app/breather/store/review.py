"""The questions the Today page and the weekly review ask, answered from the rollups.

Everything here is read-only and sized for drawing: a week is seven day summaries and one
hour-by-weekday grid, whatever the size of the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from breather.categories.catalogue import Categorizer
from breather.store.by_category import category_days
from breather.store.queries import Summary, day_range, summarize
from breather.store.schema import AWAY_APP_ID, HOUR_MS, to_ms
from breather.store.sql import Database, in_list


@dataclass(frozen=True, slots=True)
class DayUsage:
    """One of the person's days (from their day start to the next)."""

    day: date
    summary: Summary

    @property
    def active_seconds(self) -> float:
        return self.summary.active_seconds

    def app_seconds(self) -> dict[str, float]:
        return {total.key: total.seconds for total in self.summary.totals}


@dataclass(frozen=True, slots=True)
class WeekUsage:
    """A Monday-to-Sunday week: its days, the week total per app and the activity grid."""

    monday: date
    days: tuple[DayUsage, ...]
    total: Summary
    #: seconds of active time per [weekday 0=Monday][local hour 0-23]
    grid: tuple[tuple[float, ...], ...]
    #: seconds per category, for each day
    categories: tuple[dict[str, float], ...]

    def category_totals(self) -> list[tuple[str, float]]:
        """The week's seconds per category, biggest first."""
        totals: dict[str, float] = {}
        for day in self.categories:
            for name, seconds in day.items():
                totals[name] = totals.get(name, 0.0) + seconds
        return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_usage(
    db: Database,
    any_day: date,
    day_start: time,
    categorizer: Categorizer,
    device_ids: list[int] | None = None,
) -> WeekUsage:
    """Usage of the week holding `any_day`, with the person's day boundary, on every device
    (or on `device_ids`)."""
    monday = monday_of(any_day)
    days = tuple(
        DayUsage(day, summarize(db, *day_range(day, day_start), device_ids=device_ids))
        for day in (monday + timedelta(days=offset) for offset in range(7))
    )
    start = days[0].summary.start
    end = days[-1].summary.end
    periods = [(day.summary.start, day.summary.end) for day in days]
    found = category_days(db, periods, categorizer, device_ids)
    categories = tuple(day.seconds for day in found)
    return WeekUsage(
        monday,
        days,
        summarize(db, start, end, device_ids=device_ids),
        activity_grid(db, start, end, device_ids),
        categories,
    )


def devices(db: Database) -> list[tuple[int, str]]:
    """Every device in the database: (id, name), by name (for choosing whose week to see)."""
    return [(int(i), str(n)) for i, n in db.rows("SELECT id, name FROM device ORDER BY name, id")]


def activity_grid(
    db: Database, start: datetime, end: datetime, device_ids: list[int] | None = None
) -> tuple[tuple[float, ...], ...]:
    """Active seconds by local weekday and hour of day over [start, end), from the rollup
    (the devices' time added up, hour by hour)."""
    grid = [[0.0] * 24 for _ in range(7)]
    only, params = "", dict[str, int]()
    if device_ids is not None:
        marks, params = in_list("device", device_ids or [-1])
        only = f" AND device_id IN {marks}"
    found = db.rows(
        "SELECT hour, SUM(ms) FROM app_hour"
        f" WHERE hour >= :first AND hour < :last AND app_id != :away{only} GROUP BY hour",
        {
            "first": to_ms(start) // HOUR_MS,
            "last": -(-to_ms(end) // HOUR_MS),
            "away": AWAY_APP_ID,
            **params,
        },
    )
    for hour, ms in found:
        local = datetime.fromtimestamp(hour * 3600, UTC).astimezone()
        grid[local.weekday()][local.hour] += (ms or 0) / 1000
    return tuple(tuple(row) for row in grid)
