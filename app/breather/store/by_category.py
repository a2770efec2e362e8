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

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from breather.categories import Categorizer
from breather.store.models import AWAY_APP_ID
from breather.store.queries import (
    Summary,
    Total,
    _app_ms,
    _clipped_ms,
    _in_range,
    app_t,
    span_t,
    title_t,
)
from breather.store.writer import to_ms


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
    conn: Connection, start_ms: int, end_ms: int, categorizer: Categorizer
) -> tuple[dict[str, int], int]:
    """(milliseconds per category, away milliseconds) in [start_ms, end_ms)."""
    per_app = _app_ms(conn, start_ms, end_ms)
    away = per_app.pop(AWAY_APP_ID, 0)
    totals: dict[str, int] = {}
    if not per_app:
        return totals, away
    apps = {
        app_id: (name, process, exe)
        for app_id, name, process, exe in conn.execute(
            select(app_t.c.id, app_t.c.name, app_t.c.process, app_t.c.exe).where(
                app_t.c.id.in_(list(per_app))
            )
        )
    }
    by_title: list[int] = []
    for app_id, ms in per_app.items():
        name, process, exe = apps.get(app_id, ("?", "", ""))
        fixed = categorizer.app_category(name, process, exe)
        if fixed is None:
            by_title.append(app_id)
        elif ms:
            totals[fixed] = totals.get(fixed, 0) + ms
    if by_title:
        grouped = (
            select(
                span_t.c.app_id,
                span_t.c.title_id,
                _clipped_ms(start_ms, end_ms).label("ms"),
            )
            .where(*_in_range(start_ms, end_ms), span_t.c.app_id.in_(by_title))
            .group_by(span_t.c.app_id, span_t.c.title_id)
            .subquery()
        )
        query = select(
            grouped.c.app_id, func.coalesce(title_t.c.text, ""), grouped.c.ms
        ).select_from(grouped.outerjoin(title_t, title_t.c.id == grouped.c.title_id))
        for app_id, text, ms in conn.execute(query):
            name, process, exe = apps[app_id]
            category = categorizer.category(name, text, process, exe)
            totals[category] = totals.get(category, 0) + int(ms or 0)
    return totals, away


def category_summary(
    engine: Engine, start: datetime, end: datetime, categorizer: Categorizer
) -> Summary:
    """Like `summarize(..., by="app")`, with categories for keys."""
    with engine.connect() as conn:
        totals, away = category_ms(conn, to_ms(start), to_ms(end), categorizer)
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
    engine: Engine, periods: Sequence[tuple[datetime, datetime]], categorizer: Categorizer
) -> list[CategoryDay]:
    """Seconds per category for each period (e.g. the seven days of a week), in one go."""
    days: list[CategoryDay] = []
    with engine.connect() as conn:
        for start, end in periods:
            totals, away = category_ms(conn, to_ms(start), to_ms(end), categorizer)
            seconds = {name: ms / 1000 for name, ms in totals.items() if ms > 0}
            days.append(CategoryDay(start, end, seconds, away / 1000))
    return days
