"""Boundary events in the database: the rules engine's records in, counts for reports out.

Few rows (a handful per hour), written as they happen in their own short transaction, so they
never wait for the span writer's batch and a crash loses none that were shown to the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from breather.rules.model import Outcome, Record
from breather.store.changes import mark_hours
from breather.store.schema import to_ms
from breather.store.sql import Database, in_list

#: The outcomes `report --json` counts under "breaks" (the contract's five, then "ignored").
BREAK_OUTCOMES = ("due", "taken", "natural", "postponed", "skipped", "ignored")
BREAK_KINDS = ("eyes", "movement")


class BoundaryLog:
    """Stores one device's boundary records."""

    def __init__(self, db: Database, device_id: int) -> None:
        self._db = db
        self._device_id = device_id

    def record(self, records: Sequence[Record]) -> None:
        if not records:
            return
        rows = [
            {
                "device_id": self._device_id,
                "at_ms": to_ms(item.at),
                "kind": item.kind,
                "outcome": str(item.outcome),
                "subject": item.subject,
                "detail": item.detail,
            }
            for item in records
        ]
        with self._db.write() as conn:
            conn.run_many(
                "INSERT INTO boundary_event (device_id, at_ms, kind, outcome, subject, detail)"
                " VALUES (:device_id, :at_ms, :kind, :outcome, :subject, :detail)",
                rows,
            )
            mark_hours(conn, self._device_id, (to_ms(item.at) for item in records))


@dataclass(frozen=True, slots=True)
class LimitUse:
    """What happened at one limit in a period: outcome -> count."""

    key: str
    outcomes: dict[str, int] = field(default_factory=dict)


def break_counts(db: Database, start: datetime, end: datetime) -> dict[str, int]:
    """How many breaks were due, taken, natural, postponed, skipped and ignored in [start, end)."""
    counts = dict.fromkeys(BREAK_OUTCOMES, 0)
    kinds, params = in_list("kind", BREAK_KINDS)
    found = db.rows(
        "SELECT outcome, COUNT(*) FROM boundary_event"
        f" WHERE at_ms >= :start AND at_ms < :end AND kind IN {kinds} GROUP BY outcome",
        {"start": to_ms(start), "end": to_ms(end), **params},
    )
    for outcome, count in found:
        if outcome in counts:
            counts[outcome] = int(count)
    return counts


def limit_outcomes(db: Database, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """Per limit key ("category:Social media"): outcome -> count in [start, end)."""
    found: dict[str, dict[str, int]] = {}
    for subject, outcome, count in db.rows(
        "SELECT subject, outcome, COUNT(*) FROM boundary_event"
        " WHERE at_ms >= :start AND at_ms < :end AND kind = 'limit' GROUP BY subject, outcome",
        {"start": to_ms(start), "end": to_ms(end)},
    ):
        found.setdefault(subject, {})[outcome] = int(count)
    return found


def events(
    db: Database, start: datetime, end: datetime, kind: str | None = None
) -> list[tuple[datetime, str, Outcome | str, str, str]]:
    """Every event in [start, end), oldest first: (at, kind, outcome, subject, detail)."""
    of_kind = "" if kind is None else " AND kind = :kind"
    found = db.rows(
        "SELECT at_ms, kind, outcome, subject, detail FROM boundary_event"
        f" WHERE at_ms >= :start AND at_ms < :end{of_kind} ORDER BY at_ms, id",
        {"start": to_ms(start), "end": to_ms(end), "kind": kind},
    )
    return [
        (datetime.fromtimestamp(at_ms / 1000, UTC), kind_, _outcome(outcome), subject, detail)
        for at_ms, kind_, outcome, subject, detail in found
    ]


def _outcome(value: str) -> Outcome | str:
    try:
        return Outcome(value)
    except ValueError:  # written by a newer Breather: keep the text
        return value
