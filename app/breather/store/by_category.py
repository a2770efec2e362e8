"""Time per category, worked out when reading so that a changed rule re-colours the past.

SQL does the summing; Python only names the category of each distinct key it returns. Apps
whose category does not depend on the title (everything but browsers and apps named by a title
rule) are read from the hourly rollup; only the others' spans are grouped by title, and those
titles are categorised once each (the categorizer remembers them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from breather.categories.catalogue import Categorizer
from breather.store.queries import (
    CLIPPED_MS,
    IN_RANGE,
    Summary,
    Total,
    app_ms,
    app_names,
    range_params,
)
from breather.store.schema import AWAY_APP_ID, HOUR_MS, to_ms
from breather.store.sql import Database, Session, in_list


@dataclass(frozen=True, slots=True)
class CategoryDay:
    """One period (usually one of the person's days) and its active seconds per category."""

    start: datetime
    end: datetime
    seconds: dict[str, float]
    away_seconds: float

    @property
    def active_seconds(self) -> float:
        return sum(self.seconds.values())


def category_ms(
    conn: Session,
    start_ms: int,
    end_ms: int,
    categorizer: Categorizer,
    devices: list[int] | None = None,
    *,
    apps: dict[int, tuple[str, str, str]] | None = None,
) -> tuple[dict[str, int], int]:
    """(milliseconds per category, away milliseconds) in [start_ms, end_ms), of every device
    (or of `devices`). `apps` keeps the names of app ids between calls in one read."""
    per_app = app_ms(conn, start_ms, end_ms, devices)
    away = per_app.pop(AWAY_APP_ID, 0)
    totals: dict[str, int] = {}
    apps = {} if apps is None else apps
    apps.update(app_names(conn, [app_id for app_id in per_app if app_id not in apps]))
    by_title: list[int] = []
    for app_id, ms in per_app.items():
        name, process, exe = apps.get(app_id, ("?", "", ""))
        fixed = categorizer.app_category(name, process, exe)
        if fixed is None:
            by_title.append(app_id)
        elif ms:
            totals[fixed] = totals.get(fixed, 0) + ms
    if by_title:
        ids, params = in_list("app", by_title)
        if devices is not None:
            only, device_params = in_list("device", devices or [-1])
            ids = f"{ids} AND span.device_id IN {only}"
            params.update(device_params)
        found = conn.rows(
            "SELECT grouped.app_id, COALESCE(title.text, ''), grouped.ms FROM ("
            f"  SELECT span.app_id, span.title_id, SUM({CLIPPED_MS}) AS ms FROM span"
            f"  WHERE {IN_RANGE} AND span.app_id IN {ids}"
            "   GROUP BY span.app_id, span.title_id"
            ") AS grouped LEFT JOIN title ON title.id = grouped.title_id",
            {**range_params(start_ms, end_ms), **params},
        )
        for app_id, text, ms in found:
            name, process, exe = apps[app_id]
            category = categorizer.category(name, text, process, exe)
            totals[category] = totals.get(category, 0) + int(ms or 0)
    return totals, away


def category_summary(
    db: Database,
    start: datetime,
    end: datetime,
    categorizer: Categorizer,
    *,
    device_ids: list[int] | None = None,
) -> Summary:
    """Like `summarize(..., by="app")`, with categories for keys (of `device_ids` only)."""
    with db.read() as conn:
        totals, away = category_ms(conn, to_ms(start), to_ms(end), categorizer, device_ids)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return Summary(
        start,
        end,
        "category",
        sum(totals.values()) / 1000,
        away / 1000,
        tuple(Total(name, ms / 1000) for name, ms in ranked if ms > 0),
    )


def category_days(
    db: Database,
    periods: Sequence[tuple[datetime, datetime]],
    categorizer: Categorizer,
    device_ids: list[int] | None = None,
) -> list[CategoryDay]:
    """Seconds per category for each period (e.g. the seven days of a week), in one go, of
    every device (or of `device_ids`)."""
    days: list[CategoryDay] = []
    apps: dict[int, tuple[str, str, str]] = {}
    with db.read() as conn:
        for start, end in periods:
            totals, away = category_ms(
                conn, to_ms(start), to_ms(end), categorizer, device_ids, apps=apps
            )
            seconds = {name: ms / 1000 for name, ms in totals.items() if ms > 0}
            days.append(CategoryDay(start, end, seconds, away / 1000))
    return days


def title_windows(
    db: Database, start: datetime, end: datetime, categorizer: Categorizer
) -> list[tuple[str, str, str, str]]:
    """Each distinct (app, title, process, exe) in [start, end) whose category depends on
    its title (browsers, apps named by a title rule): what a summary by category of that
    time has to name, for naming ahead of time."""
    lo, hi = to_ms(start), to_ms(end)
    with db.read() as conn:
        used = [
            int(app_id)
            for (app_id,) in conn.rows(
                "SELECT DISTINCT app_id FROM app_hour WHERE hour >= :first AND hour < :last",
                {"first": lo // HOUR_MS, "last": -(-hi // HOUR_MS)},
            )
        ]
        apps = app_names(conn, used)
        by_title = [
            app_id
            for app_id, (name, process, exe) in apps.items()
            if categorizer.app_category(name, process, exe) is None
        ]
        if not by_title:
            return []
        ids, params = in_list("app", by_title)
        found = conn.rows(
            "SELECT DISTINCT span.app_id, COALESCE(title.text, '') FROM span"
            " LEFT JOIN title ON title.id = span.title_id"
            f" WHERE {IN_RANGE} AND span.app_id IN {ids}",
            {**range_params(lo, hi), **params},
        )
    return [(apps[app_id][0], text, apps[app_id][1], apps[app_id][2]) for app_id, text in found]
