"""The days behind the mood observations: a few months of check-ins beside screen time.

Only days with a check-in are summed by category (the observations use no other), so a
person who checks in rarely costs next to nothing, and one who always does costs a few
months of day summaries from the hourly rollup.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from breather.categories.catalogue import Categorizer
from breather.data.observations import DayRecord
from breather.store.by_category import category_days
from breather.store.checkins import mood_by_day
from breather.store.queries import day_range
from breather.store.sql import Database

#: How far back observations look: long enough for enough days, short enough to be "now".
HISTORY_WEEKS = 12


def mood_history(
    db: Database,
    last_day: date,
    day_starts: time,
    categorizer: Categorizer,
    *,
    weeks: int = HISTORY_WEEKS,
) -> list[DayRecord]:
    """One record per day with a check-in, over the `weeks` weeks ending with `last_day`."""
    days = [last_day - timedelta(days=offset) for offset in range(weeks * 7 - 1, -1, -1)]
    rated = [day for day in mood_by_day(db, days, day_starts) if day.average is not None]
    periods = [day_range(day.day, day_starts) for day in rated]
    usage = category_days(db, periods, categorizer)
    return [
        DayRecord(day.day, day.average, sum(used.seconds.values()), dict(used.seconds))
        for day, used in zip(rated, usage, strict=True)
    ]
