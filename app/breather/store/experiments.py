"""Personal experiments in the database: a daily limit or a break cadence tried for some days.

An experiment is named by a UUID that travels with it (export, import), so the same
experiment is only ever stored once. While one runs, its limit or cadence is added to the
boundaries the person configured (`with_experiments`), without touching their config file.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from breather.rules.policy import BreakRule, Limit, Policy
from breather.store.changes import mark_hours
from breather.store.schema import to_ms
from breather.store.sql import Database, Session

ExperimentKind = Literal["limit", "breaks"]
#: The break kinds an experiment may change the cadence of.
BREAK_SUBJECTS = ("movement", "eyes")
#: An experiment lasts at least this many days and at most this many (a season, not a life).
MIN_DAYS, MAX_DAYS = 1, 90
#: A limit from 1 minute to a whole day; a break every 5 minutes to every 4 hours.
LIMIT_RANGE = (60.0, 24 * 3600.0)
CADENCE_RANGE = (5 * 60.0, 4 * 3600.0)


class BadExperiment(ValueError):
    """An experiment that cannot be run as given; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Experiment:
    """One personal experiment. `subject` is "category:NAME" or "app:NAME" for a limit,
    "movement" or "eyes" for a break cadence; `value` is the limit or cadence in seconds.
    `ended` is when it was ended early (None: it runs its `days`). `device` is the name of
    the device it was started on."""

    uuid: str
    started: datetime
    days: int
    kind: ExperimentKind
    subject: str
    value: float
    ended: datetime | None = None
    device: str = ""

    @property
    def label(self) -> str:
        """What the person tried, in words: "a 30 min daily limit on Social media"."""
        if self.kind == "limit":
            return f"a {spoken_duration(self.value)} daily limit on {self.subject_name}"
        return f"a {self.subject} break every {spoken_duration(self.value)}"

    @property
    def subject_name(self) -> str:
        """The category, app or break kind, without its "category:"/"app:" prefix."""
        return self.subject.partition(":")[2] if ":" in self.subject else self.subject

    def first_day(self, policy: Policy) -> date:
        """The person's day it started on (its first day)."""
        return policy.day_of(self.started)

    def planned_last_day(self, policy: Policy) -> date:
        return self.first_day(policy) + timedelta(days=self.days - 1)

    def last_day(self, policy: Policy) -> date:
        """Its last day: the planned one, or the day it was ended early (the day it was
        ended counts when it was ended after that day began)."""
        planned = self.planned_last_day(policy)
        if self.ended is None:
            return planned
        ended_on = policy.day_of(self.ended)
        if self.ended == policy.day_bounds(ended_on)[0]:
            ended_on -= timedelta(days=1)
        return max(self.first_day(policy) - timedelta(days=1), min(planned, ended_on))

    def baseline_days(self, policy: Policy) -> tuple[date, date]:
        """The `days` days before it started, first and last: what it is compared with."""
        first = self.first_day(policy)
        return first - timedelta(days=self.days), first - timedelta(days=1)

    def running(self, now: datetime, policy: Policy) -> bool:
        """Whether it still applies at `now`: not ended early and its last day not past."""
        return self.ended is None and policy.day_of(now) <= self.planned_last_day(policy)


def spoken_duration(seconds: float) -> str:
    """A duration as said: "30 min", "1 h", "1 h 30 min"."""
    minutes = round(seconds / 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def subject_for(what: str, categories: Sequence[str]) -> str:
    """ "app:NAME" or "category:NAME" for what the person typed: one of `categories` by its
    name (in any case), anything else an app; an explicit "app:"/"category:" is kept."""
    prefix, _, name = what.partition(":")
    if prefix in ("app", "category") and name.strip():
        return f"{prefix}:{name.strip()}"
    wanted = what.strip().casefold()
    for category in categories:
        if category.casefold() == wanted:
            return f"category:{category}"
    return f"app:{what.strip()}"


def new_experiment(
    started: datetime, kind: str, subject: str, value: float, days: int
) -> Experiment:
    """A fresh experiment with its own UUID; raises BadExperiment saying what is wrong."""
    experiment = Experiment(str(uuid.uuid4()), started, days, kind, subject, value)  # type: ignore[arg-type]
    check_experiment(experiment)
    return experiment


def check_experiment(item: Experiment) -> Experiment:
    """`item` if it can be run; else BadExperiment naming the field and what is allowed."""
    if isinstance(item.days, bool) or not isinstance(item.days, int):
        raise BadExperiment(f"days must be a whole number, not {item.days!r}")
    if not MIN_DAYS <= item.days <= MAX_DAYS:
        raise BadExperiment(f"days must be from {MIN_DAYS} to {MAX_DAYS}, not {item.days}")
    if item.kind == "limit":
        prefix, _, name = item.subject.partition(":")
        if prefix not in ("category", "app") or not name.strip():
            raise BadExperiment(
                f'a limit is on "category:NAME" or "app:NAME", not {item.subject!r}'
            )
        low, high = LIMIT_RANGE
    elif item.kind == "breaks":
        if item.subject not in BREAK_SUBJECTS:
            raise BadExperiment(
                f"a break cadence is for {' or '.join(BREAK_SUBJECTS)}, not {item.subject!r}"
            )
        low, high = CADENCE_RANGE
    else:
        raise BadExperiment(f'an experiment is a "limit" or "breaks", not {item.kind!r}')
    if isinstance(item.value, bool) or not isinstance(item.value, int | float):
        raise BadExperiment(f"value must be a number of seconds, not {item.value!r}")
    if not low <= item.value <= high:
        raise BadExperiment(
            f"{'the limit' if item.kind == 'limit' else 'the cadence'} must be from "
            f"{spoken_duration(low)} to {spoken_duration(high)}, not {spoken_duration(item.value)}"
        )
    if item.ended is not None and item.ended < item.started:
        raise BadExperiment("an experiment cannot end before it started")
    return item


class ExperimentLog:
    """Starts, ends and reads back experiments (reading covers every device)."""

    def __init__(self, db: Database, device_id: int) -> None:
        self._db = db
        self._device_id = device_id

    def start(self, experiment: Experiment) -> None:
        """Store `experiment` for this device (one with the same UUID is left alone)."""
        with self._db.write() as conn:
            add_experiments(conn, self._device_id, [experiment])

    def end(self, experiment_uuid: str, at: datetime) -> bool:
        """End the experiment early at `at`; False if it is unknown or already ended."""
        with self._db.write() as conn:
            changed = conn.run(
                "UPDATE experiment SET ended_ms = :at WHERE uuid = :uuid AND ended_ms IS NULL",
                {"at": to_ms(at), "uuid": experiment_uuid},
            )
            if changed:  # sync sends the hour it started in again, with its end
                for device_id, started_ms in conn.rows(
                    "SELECT device_id, started_ms FROM experiment WHERE uuid = :uuid",
                    {"uuid": experiment_uuid},
                ):
                    mark_hours(conn, int(device_id), [int(started_ms)])
        return bool(changed)

    def all(self) -> list[Experiment]:
        return experiments(self._db)


def add_experiments(conn: Session, device_id: int, items: Iterable[Experiment]) -> int:
    """Insert the experiments not yet stored (by UUID) for `device_id`; returns how many."""
    items = list(items)
    added = 0
    for item in items:
        check_experiment(item)
        if conn.value("SELECT 1 FROM experiment WHERE uuid = :uuid", {"uuid": item.uuid}):
            continue
        conn.run(
            "INSERT INTO experiment"
            " (uuid, device_id, started_ms, days, kind, subject, value, ended_ms)"
            " VALUES (:uuid, :device, :started, :days, :kind, :subject, :value, :ended)",
            {
                "uuid": item.uuid,
                "device": device_id,
                "started": to_ms(item.started),
                "days": item.days,
                "kind": item.kind,
                "subject": item.subject,
                "value": float(item.value),
                "ended": None if item.ended is None else to_ms(item.ended),
            },
        )
        added += 1
    # Whichever way one arrives (started here, the CLI, an import), sync sends its hour.
    mark_hours(conn, device_id, (to_ms(item.started) for item in items))
    return added


def count_experiments(db: Database, start_ms: int, end_ms: int) -> int:
    """How many experiments started in [start_ms, end_ms): what `forget` would delete."""
    return int(
        db.value(
            "SELECT COUNT(*) FROM experiment WHERE started_ms >= :lo AND started_ms < :hi",
            {"lo": start_ms, "hi": end_ms},
        )
        or 0
    )


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def experiments(db: Database) -> list[Experiment]:
    """Every stored experiment, on every device, oldest first."""
    found = db.rows(
        "SELECT experiment.uuid, experiment.started_ms, experiment.days, experiment.kind,"
        " experiment.subject, experiment.value, experiment.ended_ms, COALESCE(device.name, '')"
        " FROM experiment LEFT JOIN device ON device.id = experiment.device_id"
        " ORDER BY experiment.started_ms, experiment.uuid"
    )
    return [
        Experiment(
            str(uuid_),
            _moment(int(started)),
            int(days),
            kind,
            str(subject),
            float(value),
            None if ended is None else _moment(int(ended)),
            str(device),
        )
        for uuid_, started, days, kind, subject, value, ended, device in found
    ]


def running_experiments(
    items: Sequence[Experiment], now: datetime, policy: Policy
) -> list[Experiment]:
    return [item for item in items if item.running(now, policy)]


def with_experiments(policy: Policy, items: Sequence[Experiment], now: datetime) -> Policy:
    """`policy` with the experiments running at `now` applied: a limit experiment replaces
    the configured limit on the same category or app for its days (or adds one just for them);
    a break experiment sets that break's cadence (and turns it on) while it runs (the runtime
    builds the policy again once a minute to notice its end). Later experiments win."""
    limits = list(policy.limits)
    breaks = policy.breaks
    for item in running_experiments(items, now, policy):
        if item.kind == "limit":
            kind, _, name = item.subject.partition(":")
            configured = next((lim for lim in limits if lim.key == item.subject), None)
            if configured is None:
                configured = Limit(
                    app=name if kind == "app" else None,
                    category=name if kind == "category" else None,
                )
            limits = [lim for lim in limits if lim.key != item.subject]
            # Outside its days the configured limit (or none) holds again, with no reload.
            limits.append(
                dataclasses.replace(
                    configured,
                    trial=item.value,
                    trial_from=item.first_day(policy),
                    trial_to=item.planned_last_day(policy),
                )
            )
        else:
            rule: BreakRule = getattr(breaks, item.subject)
            changed = dataclasses.replace(rule, every=item.value, enabled=True)
            breaks = dataclasses.replace(breaks, **{item.subject: changed})
    return dataclasses.replace(policy, limits=tuple(limits), breaks=breaks)
