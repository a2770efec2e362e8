"""What a sync round must send: the hours of a device's records that changed, and deletions.

Every writer of a device's records marks the hours it wrote (`mark_hours`) in the same
transaction as the records, so nothing written is ever missed; `breather.sync` takes the
marked hours (unmarking them) before it reads them, so a change made while a round sends
marks its hour again, and sends them whole. An hour already marked is left as it is: no page
is written for it, so a tracker's commits every few minutes cost no more than before.
A deletion that must reach every device (`forget`, retention) is kept with `mark_forgotten`.
A new kind of record (check-ins, ...) marks its hours here too and adds itself to
`breather.sync.kinds`.
"""

from __future__ import annotations

from collections.abc import Iterable

from breather.store.schema import HOUR_MS
from breather.store.sql import Session

_MARK_HOUR = """
    INSERT INTO sync_pending (device_id, hour) VALUES (:device_id, :hour)
    ON CONFLICT (device_id, hour) DO NOTHING
"""


def mark_hours(conn: Session, device_id: int, moments_ms: Iterable[int]) -> None:
    """Mark the UTC hours holding `moments_ms` (of `device_id`'s records) to be sent."""
    hours = sorted({moment // HOUR_MS for moment in moments_ms})
    if hours:
        conn.run_many(_MARK_HOUR, [{"device_id": device_id, "hour": hour} for hour in hours])


def mark_forgotten(conn: Session, start_ms: int, end_ms: int) -> None:
    """Keep [start_ms, end_ms) to be forgotten on the server and every other device too.

    Retention forgets [0, cutoff) at every start: a wider deletion replaces the ones it covers,
    and one that is covered adds nothing."""
    covered = conn.value(
        "SELECT 1 FROM sync_forget_pending WHERE start_ms <= :lo AND end_ms >= :hi",
        {"lo": start_ms, "hi": end_ms},
    )
    if covered:
        return
    conn.run(
        "DELETE FROM sync_forget_pending WHERE start_ms >= :lo AND end_ms <= :hi",
        {"lo": start_ms, "hi": end_ms},
    )
    conn.run(
        "INSERT INTO sync_forget_pending (start_ms, end_ms) VALUES (:lo, :hi)"
        " ON CONFLICT (start_ms, end_ms) DO NOTHING",
        {"lo": start_ms, "hi": end_ms},
    )
