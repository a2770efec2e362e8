"""Twelve weeks at a glance: screen time by category, breaks and limits kept, and mood.

Read from the rollups and a few small queries, sized for the Trends page: one pass over the
weeks' days by category (the same query the weekly review uses), break counts per week, and
the check-ins per day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from breather.categories.catalogue import Categorizer
from breather.rules.policy import Limit
from breather.store.boundaries import break_counts
from breather.store.by_category import category_days
from breather.store.checkins import mood_by_day
from breather.store.queries import app_ms, app_names, day_range
from breather.store.schema import AWAY_APP_ID, to_ms
from breather.store.sql import Database

#: How many weeks the Trends page shows.
TREND_WEEKS = 12


@dataclass(frozen=True, slots=True)
class WeekTrend:
    """One Monday-to-Sunday week of the trends."""

    monday: date
    #: active seconds per category over the week
    categories: dict[str, float] = field(default_factory=dict)
    #: breaks that came due, and those taken (asked or on one's own)
    breaks_due: int = 0
    breaks_taken: int = 0
    #: days a limit applied (counted once per limit and day), and of those, days within it
    limit_days: int = 0
    limit_days_within: int = 0
    checkins: int = 0
    mood: float | None = None
    #: days of the week already begun (the current week is partial)
    days: int = 7

    @property
    def active_seconds(self) -> float:
        return sum(self.categories.values())

    @property
    def break_adherence(self) -> float | None:
        """Breaks taken for each one that came due (None when none came due)."""
        return None if not self.breaks_due else min(1.0, self.breaks_taken / self.breaks_due)

    @property
    def limit_adherence(self) -> float | None:
        """The share of limit-days kept within the limit (None without limits)."""
        return None if not self.limit_days else self.limit_days_within / self.limit_days


def week_trends(
    db: Database,
    today: date,
    day_starts: time,
    categorizer: Categorizer,
    limits: Sequence[Limit] = (),
    *,
    weeks: int = TREND_WEEKS,
) -> list[WeekTrend]:
    """The `weeks` weeks ending with the one holding `today`, oldest first."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(days=7 * back) for back in range(weeks - 1, -1, -1)]
    days = [monday + timedelta(days=offset) for monday in mondays for offset in range(7)]
    days = [day for day in days if day <= today]
    periods = [day_range(day, day_starts) for day in days]
    by_category = {
        day: used.seconds
        for day, used in zip(days, category_days(db, periods, categorizer), strict=True)
    }
    by_app = _app_days(db, days, day_starts) if any(limit.app for limit in limits) else {}
    moods = {mood.day: mood for mood in mood_by_day(db, days, day_starts)}
    trends = []
    for monday in mondays:
        week_days = [day for day in days if monday <= day < monday + timedelta(days=7)]
        categories: dict[str, float] = {}
        limit_days = within = 0
        for day in week_days:
            for name, seconds in by_category[day].items():
                categories[name] = categories.get(name, 0.0) + seconds
            for limit in limits:
                allowance = limit.allowance(day)
                if allowance is None:
                    continue
                used = (
                    by_app.get(day, {}).get(limit.app, 0.0)
                    if limit.app is not None
                    else by_category[day].get(limit.category or "", 0.0)
                )
                limit_days += 1
                within += used <= allowance
        start = day_range(monday, day_starts)[0]
        end = day_range(monday + timedelta(days=6), day_starts)[1]
        counts = break_counts(db, start, end)
        rated = [moods[day] for day in week_days if moods[day].average is not None]
        checkins = sum(mood.checkins for mood in rated)
        total = sum((mood.average or 0.0) * mood.checkins for mood in rated)
        trends.append(
            WeekTrend(
                monday,
                categories,
                breaks_due=counts["due"],
                breaks_taken=counts["taken"] + counts["natural"],
                limit_days=limit_days,
                limit_days_within=within,
                checkins=checkins,
                mood=total / checkins if checkins else None,
                days=len(week_days),
            )
        )
    return trends


def _app_days(db: Database, days: Sequence[date], day_starts: time) -> dict[date, dict[str, float]]:
    """Active seconds per app name for each day (for limits on an app)."""
    found: dict[date, dict[str, float]] = {}
    with db.read() as conn:
        for day in days:
            start, end = day_range(day, day_starts)
            per_app = app_ms(conn, to_ms(start), to_ms(end))
            per_app.pop(AWAY_APP_ID, None)
            names = app_names(conn, list(per_app))
            seconds: dict[str, float] = {}
            for app_id, ms in per_app.items():
                name = names.get(app_id, ("?", "", ""))[0]
                seconds[name] = seconds.get(name, 0.0) + ms / 1000
            found[day] = seconds
    return found
