"""When to ask for a mood check-in: at most once a day, at the moment the person chose.

Pure: the caller says what has happened today (asked already? how many skips in a row?) and
gets back whether to ask now, or when the evening moment next comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

#: "evening": at `at` each day; "after-movement": when a movement break was taken.
Moment = Literal["evening", "after-movement"]
MOMENTS: tuple[Moment, ...] = ("evening", "after-movement")
#: After this many skips in a row the prompt asks whether to stop asking.
SKIPS_BEFORE_ASKING_TO_STOP = 3


@dataclass(frozen=True, slots=True)
class CheckinPolicy:
    """`[checkin]`: off until the person turns it on (first run offers it)."""

    ask: bool = False
    moment: Moment = "evening"
    at: time = time(21, 0)


def person_day(moment: datetime, day_starts: time) -> date:
    """The person's day holding `moment` (local): before `day_starts`, still yesterday."""
    local = moment.astimezone()
    return (local - timedelta(hours=day_starts.hour, minutes=day_starts.minute)).date()


def should_ask(
    policy: CheckinPolicy,
    now: datetime,
    day_starts: time,
    *,
    last_asked: datetime | None,
    trigger: Moment,
) -> bool:
    """Whether `trigger` (the evening time arriving, or a movement break taken) asks now:
    only the chosen moment does, only when check-ins are on, and once a day at most (a
    check-in or an ask earlier the same day counts)."""
    if not policy.ask or trigger != policy.moment:
        return False
    if last_asked is not None and person_day(last_asked, day_starts) == person_day(now, day_starts):
        return False
    if trigger == "evening":
        # Past the chosen time of the person's day, and not yet the next day.
        return (
            now.astimezone().time() >= policy.at
            or person_day(now, day_starts) < now.astimezone().date()
        )
    return True


def next_evening(policy: CheckinPolicy, now: datetime) -> datetime:
    """The next moment (local, after `now`) the clock reads `policy.at`."""
    local = now.astimezone()
    today = datetime.combine(local.date(), policy.at).astimezone()
    return (
        today
        if today > local
        else datetime.combine(local.date() + timedelta(days=1), policy.at).astimezone()
    )


def asks_to_stop(skips_in_a_row: int) -> bool:
    """After this skip (`skips_in_a_row` counting it), ask whether to stop asking."""
    return skips_in_a_row >= SKIPS_BEFORE_ASKING_TO_STOP and (
        skips_in_a_row % SKIPS_BEFORE_ASKING_TO_STOP == 0
    )


@dataclass(frozen=True, slots=True)
class ReflectionPolicy:
    """`[reflection]`: a note on the week as a notification on Sunday at `at` (off by default)."""

    notify: bool = False
    at: time = time(19, 0)


def next_reflection(policy: ReflectionPolicy, now: datetime) -> datetime:
    """The next Sunday at `policy.at` (local) after `now`."""
    local = now.astimezone()
    days = (6 - local.weekday()) % 7
    moment = datetime.combine(local.date() + timedelta(days=days), policy.at).astimezone()
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=days + 7), policy.at).astimezone()
    return moment
