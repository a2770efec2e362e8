"""Mood check-ins in the database: one row per answer, read back per period and per day.

A check-in is named by a UUID that travels with it (export, import, sync), so the same
check-in is only ever stored once, whichever way it arrives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from breather.store.changes import mark_hours
from breather.store.queries import day_range
from breather.store.schema import to_ms
from breather.store.sql import Database, Session

#: The mood scale, lowest first: what each answer means when it is said back.
MOOD_WORDS = {1: "very low", 2: "low", 3: "okay", 4: "good", 5: "very good"}
LOWEST_MOOD, HIGHEST_MOOD = min(MOOD_WORDS), max(MOOD_WORDS)
#: Answers at or below this are offered Support (never shown it unasked).
LOW_MOOD = 2
#: A note is a word or a sentence, not a diary: longer text is cut here.
NOTE_LIMIT = 500


class BadCheckin(ValueError):
    """A mood outside the scale or a note that is not text; the message says which."""


@dataclass(frozen=True, slots=True)
class Checkin:
    """One mood check-in. `device` is the name of the device it was made on."""

    uuid: str
    at: datetime
    mood: int
    note: str = ""
    device: str = ""


@dataclass(frozen=True, slots=True)
class DayMood:
    """The check-ins of one of the person's days: how many, and their mean (None if none)."""

    day: date
    checkins: int
    average: float | None


def check_mood(mood: object) -> int:
    """`mood` as a whole number on the scale; raises BadCheckin saying what is allowed."""
    if isinstance(mood, bool) or not isinstance(mood, int):
        raise BadCheckin(
            f"the mood must be a whole number from {LOWEST_MOOD} to {HIGHEST_MOOD}, not {mood!r}"
        )
    if not LOWEST_MOOD <= mood <= HIGHEST_MOOD:
        raise BadCheckin(
            f"the mood must be from {LOWEST_MOOD} ({MOOD_WORDS[LOWEST_MOOD]}) to "
            f"{HIGHEST_MOOD} ({MOOD_WORDS[HIGHEST_MOOD]}), not {mood}"
        )
    return mood


def new_checkin(at: datetime, mood: int, note: str = "") -> Checkin:
    """A fresh check-in with its own UUID; the note is trimmed and cut to NOTE_LIMIT."""
    return Checkin(str(uuid.uuid4()), at, check_mood(mood), note.strip()[:NOTE_LIMIT])


class CheckinLog:
    """Stores and reads back one device's check-ins (reading covers every device)."""

    def __init__(self, db: Database, device_id: int) -> None:
        self._db = db
        self._device_id = device_id

    def record(self, checkin: Checkin) -> None:
        """Store `checkin` for this device; one already stored (same UUID) is left alone."""
        with self._db.write() as conn:
            add_checkins(conn, self._device_id, [checkin])

    def last(self) -> Checkin | None:
        """The latest check-in on any device, or None."""
        found = checkins(self._db, None, None, newest_first=True, limit=1)
        return found[0] if found else None


def add_checkins(conn: Session, device_id: int, items: Iterable[Checkin]) -> int:
    """Insert the check-ins not yet stored (by UUID) for `device_id`; returns how many."""
    items = list(items)
    added = 0
    for item in items:
        check_mood(item.mood)
        if conn.value("SELECT 1 FROM checkin WHERE uuid = :uuid", {"uuid": item.uuid}):
            continue
        conn.run(
            "INSERT INTO checkin (uuid, device_id, at_ms, mood, note)"
            " VALUES (:uuid, :device, :at, :mood, :note)",
            {
                "uuid": item.uuid,
                "device": device_id,
                "at": to_ms(item.at),
                "mood": item.mood,
                "note": item.note,
            },
        )
        added += 1
    # Whichever way a check-in arrives (the prompt, the CLI, an import), sync sends its hour.
    mark_hours(conn, device_id, (to_ms(item.at) for item in items))
    return added


def checkins(
    db: Database,
    start: datetime | None,
    end: datetime | None,
    *,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[Checkin]:
    """The check-ins in [start, end) (None: unbounded) on every device, oldest first."""
    order = "DESC" if newest_first else "ASC"
    bounded = "" if limit is None else f" LIMIT {int(limit)}"
    found = db.rows(
        "SELECT checkin.uuid, checkin.at_ms, checkin.mood, checkin.note,"
        " COALESCE(device.name, '') FROM checkin LEFT JOIN device"
        " ON device.id = checkin.device_id WHERE checkin.at_ms >= :lo AND checkin.at_ms < :hi"
        f" ORDER BY checkin.at_ms {order}, checkin.uuid {order}{bounded}",
        {"lo": to_ms(start) if start else -(2**62), "hi": to_ms(end) if end else 2**62},
    )
    return [
        Checkin(str(uuid_), datetime.fromtimestamp(at / 1000, UTC), int(mood), note, device)
        for uuid_, at, mood, note, device in found
    ]


def mood_by_day(db: Database, days: Sequence[date], day_starts: time) -> list[DayMood]:
    """For each of the person's `days` (`day_starts` to `day_starts`): its check-ins' mean."""
    if not days:
        return []
    start = day_range(days[0], day_starts)[0]
    end = day_range(days[-1], day_starts)[1]
    found = checkins(db, start, end)
    result = []
    for day in days:
        lo, hi = day_range(day, day_starts)
        moods = [item.mood for item in found if lo <= item.at < hi]
        result.append(DayMood(day, len(moods), sum(moods) / len(moods) if moods else None))
    return result


def count_checkins(db: Database, start_ms: int, end_ms: int) -> int:
    """How many check-ins lie in [start_ms, end_ms): what `forget` would delete of them."""
    return int(
        db.value(
            "SELECT COUNT(*) FROM checkin WHERE at_ms >= :lo AND at_ms < :hi",
            {"lo": start_ms, "hi": end_ms},
        )
        or 0
    )


#: `boundary_event.kind` of the check-in prompt's answers: `answered` or `skipped`.
PROMPT_KIND = "checkin"


def last_asked(db: Database) -> datetime | None:
    """When a check-in was last asked for or made (a prompt answered or skipped, or a
    check-in from anywhere), or None: the prompt asks at most once a day."""
    asked = db.value(
        "SELECT MAX(at_ms) FROM boundary_event WHERE kind = :kind", {"kind": PROMPT_KIND}
    )
    made = db.value("SELECT MAX(at_ms) FROM checkin")
    latest = max((int(ms) for ms in (asked, made) if ms is not None), default=None)
    return None if latest is None else datetime.fromtimestamp(latest / 1000, UTC)


def skips_in_a_row(db: Database) -> int:
    """How many check-in prompts were skipped since the last check-in was made."""
    since = db.value("SELECT MAX(at_ms) FROM checkin")
    return int(
        db.value(
            "SELECT COUNT(*) FROM boundary_event WHERE kind = :kind AND outcome = 'skipped'"
            " AND at_ms > :since",
            {"kind": PROMPT_KIND, "since": -(2**62) if since is None else int(since)},
        )
        or 0
    )
