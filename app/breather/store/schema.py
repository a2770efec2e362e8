"""What the stored numbers mean, for code that reads and writes them without the table classes.

The tables themselves are declared in `breather.store.models` (for migrations) and created
by the migrations; the runtime speaks plain SQL to them (see `breather.store.sql`).
"""

from __future__ import annotations

from datetime import datetime

#: `app_hour.app_id` for time away from the machine (span rows use NULL for it).
AWAY_APP_ID = 0

#: Milliseconds in an hour: span rows never cross a UTC hour, and `app_hour.hour` counts them.
HOUR_MS = 3_600_000


def to_ms(moment: datetime) -> int:
    """An aware datetime as the integer milliseconds since the epoch that the tables store."""
    return round(moment.timestamp() * 1000)
