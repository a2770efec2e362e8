"""Before against during a personal experiment: daily minutes and mood, said honestly.

The baseline is the same number of days just before the experiment started. For each side
it takes the daily minutes of what the experiment limited (screen time for a break cadence),
on the days anything was recorded, and the mood on the days with a check-in; then the
difference of the means with a seeded bootstrap interval and the number of days behind each
side. When the interval includes 0 it says "no clear change". It never says what caused what.

Pure apart from `experiment_result`, which reads the days from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from breather.categories.catalogue import Categorizer
from breather.data.observations import LEVEL, Interval, bootstrap_mean_difference, mean
from breather.rules.policy import Policy
from breather.store.by_category import category_days
from breather.store.checkins import mood_by_day
from breather.store.experiments import Experiment
from breather.store.queries import app_ms, app_names, day_range
from breather.store.schema import AWAY_APP_ID, to_ms
from breather.store.sql import Database

#: Fewer days than this on either side, and no difference is worked out (only the days said).
MIN_DAYS = 3
#: A caveat said once under every result.
NO_CAUSE = "This compares how your days went; it does not show what caused any change."


@dataclass(frozen=True, slots=True)
class Comparison:
    """One measure before and during: the values per day and the interval of the change."""

    measure: str  # "Social media", "Screen time", "Mood"
    before: tuple[float, ...]
    during: tuple[float, ...]
    unit: str  # "min" for minutes a day, "" for mood points
    interval: Interval | None  # of mean(during) - mean(before); None with too few days

    @property
    def change(self) -> float | None:
        if not self.before or not self.during:
            return None
        return mean(self.during) - mean(self.before)

    @property
    def clear(self) -> bool:
        """Whether the interval leaves 0 out: a change the days show, not only noise."""
        return self.interval is not None and not self.interval.holds(0.0)

    def _amount(self, value: float) -> str:
        return f"{value:.0f} min" if self.unit == "min" else f"{value:.1f}"

    def sentence(self) -> str:
        """The comparison in plain words, with the days behind each side."""
        days_before, days_during = len(self.before), len(self.during)
        subject = f"{self.measure} a day" if self.unit == "min" else self.measure
        if self.interval is None or self.change is None:
            return (
                f"{subject}: too few days to compare yet ({days_before} before, "
                f"{days_during} during; {MIN_DAYS} each are needed)."
            )
        said = (
            f"{subject}: {self._amount(mean(self.before))} before ({days_before} days), "
            f"{self._amount(mean(self.during))} during ({days_during} days)"
        )
        sure = round(self.interval.level * 100)
        low, high = self.interval.low, self.interval.high
        if not self.clear:
            span = (
                f"{low:+.0f} to {high:+.0f} min"
                if self.unit == "min"
                else f"{low:+.1f} to {high:+.1f} points"
            )
            return f"{said}: no clear change (its {sure}% interval, {span}, includes 0)."
        near, far = sorted((abs(low), abs(high)))
        if self.unit == "min":
            side = "fewer" if self.change < 0 else "more"
            return f"{said}: {near:.0f} to {far:.0f} min {side} a day ({sure}% interval)."
        side = "lower" if self.change < 0 else "higher"
        return f"{said}: {near:.1f} to {far:.1f} points {side} ({sure}% interval)."


@dataclass(frozen=True, slots=True)
class ExperimentResult:
    """An experiment's days and its two comparisons (minutes, then mood)."""

    experiment: Experiment
    first_day: date
    last_day: date  # its last day so far (today while it runs; today is not compared yet)
    running: bool
    minutes: Comparison
    mood: Comparison

    @property
    def days_so_far(self) -> int:
        return max(0, (self.last_day - self.first_day).days + 1)

    def sentences(self) -> list[str]:
        return [self.minutes.sentence(), self.mood.sentence(), NO_CAUSE]


def compare(
    measure: str,
    before: Sequence[float],
    during: Sequence[float],
    unit: str,
    *,
    min_days: int = MIN_DAYS,
    level: float = LEVEL,
) -> Comparison:
    """`during` against `before`, with an interval only when each side has `min_days`."""
    interval = None
    if len(before) >= min_days and len(during) >= min_days:
        interval = bootstrap_mean_difference(during, before, level=level)
    return Comparison(measure, tuple(before), tuple(during), unit, interval)


def measure_name(experiment: Experiment) -> str:
    return experiment.subject_name if experiment.kind == "limit" else "Screen time"


def experiment_result(
    db: Database,
    experiment: Experiment,
    policy: Policy,
    categorizer: Categorizer,
    now: datetime,
) -> ExperimentResult:
    """How the experiment's whole days so far compare with as many days before it started."""
    first = experiment.first_day(policy)
    running = experiment.running(now, policy)
    today = policy.day_of(now)
    last = experiment.last_day(policy)
    if running:
        last = min(last, today)
    base_first, base_last = experiment.baseline_days(policy)
    before_days = _days(base_first, base_last)
    # Only whole days are compared: today's few hours so far would look like a drop.
    during_days = _days(first, min(last, today - timedelta(days=1)))
    minutes_of = _minutes(db, experiment, [*before_days, *during_days], policy, categorizer)
    moods = {
        day.day: day.average
        for day in mood_by_day(db, [*before_days, *during_days], policy.day_starts)
        if day.average is not None
    }

    def side(days: list[date], values: dict[date, float]) -> list[float]:
        return [values[day] for day in days if day in values]

    name = measure_name(experiment)
    return ExperimentResult(
        experiment,
        first,
        last,
        running,
        compare(name, side(before_days, minutes_of), side(during_days, minutes_of), "min"),
        compare("Mood", side(before_days, moods), side(during_days, moods), ""),
    )


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _minutes(
    db: Database,
    experiment: Experiment,
    days: list[date],
    policy: Policy,
    categorizer: Categorizer,
) -> dict[date, float]:
    """Minutes of the experiment's subject on each of `days` that has anything recorded
    (a day the computer stayed off says nothing about the limit)."""
    if not days:
        return {}
    periods = [day_range(day, policy.day_starts) for day in days]
    used = category_days(db, periods, categorizer)
    recorded = {
        day: found
        for day, found in zip(days, used, strict=True)
        if found.active_seconds or found.away_seconds
    }
    kind, _, name = experiment.subject.partition(":")
    if experiment.kind == "breaks":
        return {day: found.active_seconds / 60 for day, found in recorded.items()}
    if kind == "category":
        return {day: found.seconds.get(name, 0.0) / 60 for day, found in recorded.items()}
    minutes: dict[date, float] = {}
    with db.read() as conn:
        for day in recorded:
            start, end = day_range(day, policy.day_starts)
            per_app = app_ms(conn, to_ms(start), to_ms(end))
            per_app.pop(AWAY_APP_ID, None)
            names = app_names(conn, list(per_app))
            ms = sum(spent for app, spent in per_app.items() if names.get(app, ("",))[0] == name)
            minutes[day] = ms / 60000
    return minutes
