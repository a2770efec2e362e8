"""Boundary events in the database: the rules engine's records in, counts for reports out.

Few rows (a handful per hour), written as they happen in their own short transaction, so they
never wait for the span writer's batch and a crash loses none that were shown to the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select

from breather.rules.model import Outcome, Record
from breather.store.models import BoundaryEvent
from breather.store.writer import to_ms

event_t = BoundaryEvent.__table__  # type: ignore[attr-defined]

#: The outcomes `report --json` counts under "breaks" (the contract's five, then "ignored").
BREAK_OUTCOMES = ("due", "taken", "natural", "postponed", "skipped", "ignored")
BREAK_KINDS = ("eyes", "movement")


class BoundaryLog:
    """Stores one device's boundary records."""

    def __init__(self, engine: Engine, device_id: int) -> None:
        self._engine = engine
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
        with self._engine.begin() as conn:
            conn.execute(insert(event_t), rows)


@dataclass(frozen=True, slots=True)
class LimitUse:
    """What happened at one limit in a period: outcome -> count."""

    key: str
    outcomes: dict[str, int] = field(default_factory=dict)


def break_counts(engine: Engine, start: datetime, end: datetime) -> dict[str, int]:
    """How many breaks were due, taken, natural, postponed, skipped and ignored in [start, end)."""
    counts = dict.fromkeys(BREAK_OUTCOMES, 0)
    query = (
        select(event_t.c.outcome, func.count())
        .where(
            event_t.c.at_ms >= to_ms(start),
            event_t.c.at_ms < to_ms(end),
            event_t.c.kind.in_(BREAK_KINDS),
        )
        .group_by(event_t.c.outcome)
    )
    with engine.connect() as conn:
        for outcome, count in conn.execute(query):
            if outcome in counts:
                counts[outcome] = int(count)
    return counts


def limit_outcomes(engine: Engine, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """Per limit key ("category:Social media"): outcome -> count in [start, end)."""
    query = (
        select(event_t.c.subject, event_t.c.outcome, func.count())
        .where(
            event_t.c.at_ms >= to_ms(start),
            event_t.c.at_ms < to_ms(end),
            event_t.c.kind == "limit",
        )
        .group_by(event_t.c.subject, event_t.c.outcome)
    )
    found: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for subject, outcome, count in conn.execute(query):
            found.setdefault(subject, {})[outcome] = int(count)
    return found


def events(
    engine: Engine, start: datetime, end: datetime, kind: str | None = None
) -> list[tuple[datetime, str, Outcome | str, str, str]]:
    """Every event in [start, end), oldest first: (at, kind, outcome, subject, detail)."""
    query = (
        select(
            event_t.c.at_ms,
            event_t.c.kind,
            event_t.c.outcome,
            event_t.c.subject,
            event_t.c.detail,
        )
        .where(event_t.c.at_ms >= to_ms(start), event_t.c.at_ms < to_ms(end))
        .order_by(event_t.c.at_ms, event_t.c.id)
    )
    if kind is not None:
        query = query.where(event_t.c.kind == kind)
    with engine.connect() as conn:
        return [
            (datetime.fromtimestamp(at_ms / 1000, UTC), kind_, _outcome(outcome), subject, detail)
            for at_ms, kind_, outcome, subject, detail in conn.execute(query)
        ]


def _outcome(value: str) -> Outcome | str:
    try:
        return Outcome(value)
    except ValueError:  # written by a newer Breather: keep the text
        return value
