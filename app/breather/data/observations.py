"""What a person's own days say about mood and screen use, in plain words, honestly.

Each observation compares the mood on days with more of something (a category's minutes,
screen time) with the other days, and always says how many days stand behind each side and
how sure the difference is (a bootstrap interval). It never says what caused what, and it
says nothing at all when there are too few days on either side.

Pure: no Qt, no database; the caller passes one `DayRecord` per day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

#: Fewer days than this on either side of a comparison, and nothing is said about it.
MIN_DAYS_PER_SIDE = 5
#: How sure an interval is: the share of resamples it holds.
LEVEL = 0.9
#: Resamples of a bootstrap: enough for a stable 90% interval on a few months of days.
RESAMPLES = 2000
#: Thresholds an observation may use ("more than 1 h of ..."), in seconds: round numbers read
#: better than a median of 47 min.
THRESHOLDS = (15 * 60, 30 * 60, 3600, 2 * 3600, 3 * 3600, 4 * 3600, 6 * 3600, 8 * 3600)
#: A difference in mean mood smaller than this is not worth a sentence, whatever its interval.
SMALLEST_WORTH_SAYING = 0.2


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One of the person's days: screen time per category, and the day's mean mood."""

    day: date
    mood: float | None
    active_seconds: float = 0.0
    categories: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Interval:
    """A bootstrap interval: the true value lies in [low, high] at about `level`."""

    low: float
    high: float
    level: float = LEVEL

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class Observation:
    """One comparison of mood between two kinds of days, and the sentence that says it."""

    subject: str  # "Social media", or "screen time"
    threshold: float  # seconds
    days_more: int
    mood_more: float
    days_other: int
    mood_other: float
    interval: Interval  # of mood_more - mood_other

    @property
    def difference(self) -> float:
        return self.mood_more - self.mood_other

    @property
    def clear(self) -> bool:
        """Whether the interval leaves out no difference at all."""
        return not self.interval.holds(0.0)

    def sentence(self) -> str:
        what = (
            f"more than {_spoken(self.threshold)} of screen time"
            if self.subject == "screen time"
            else f"more than {_spoken(self.threshold)} of {self.subject}"
        )
        said = (
            f"On the {self.days_more} days with {what}, your mood averaged "
            f"{self.mood_more:.1f}; on the {self.days_other} others, {self.mood_other:.1f}."
        )
        sure = round(self.interval.level * 100)
        if self.clear:
            near, far = sorted((abs(self.interval.low), abs(self.interval.high)))
            side = "higher" if self.difference > 0 else "lower"
            return (
                f"{said} On such days it was likely {near:.1f} to {far:.1f} points {side} "
                f"({sure}% interval). This is how your days went together; it does not say "
                "which causes which."
            )
        return (
            f"{said} With these days that is no clear difference: its {sure}% interval, "
            f"{self.interval.low:+.1f} to {self.interval.high:+.1f} points, includes none."
        )


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def bootstrap_mean_difference(
    first: Sequence[float],
    second: Sequence[float],
    *,
    level: float = LEVEL,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Interval:
    """A percentile bootstrap interval for mean(first) - mean(second).

    Seeded, so the same days always give the same words. Raises ValueError for an empty side.
    """
    if not first or not second:
        raise ValueError("a difference needs values on both sides")
    import numpy as np  # imported here: only the weekly review and experiments need it

    generator = np.random.default_rng(seed)
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    means_a = generator.choice(a, size=(resamples, a.size), replace=True).mean(axis=1)
    means_b = generator.choice(b, size=(resamples, b.size), replace=True).mean(axis=1)
    # The percentiles by linear interpolation between order statistics, as np.percentile
    # gives them; np.percentile's own way there imports numpy.ma (~8 ms of a first open).
    differences = np.sort(means_a - means_b)
    last = differences.size - 1
    tail = (1 - level) / 2
    low, high = np.interp(
        [tail * last, (1 - tail) * last], np.arange(differences.size), differences
    )
    return Interval(float(low), float(high), level)


def compare(
    days: Sequence[DayRecord],
    more: Callable[[DayRecord], bool],
    *,
    min_days: int = MIN_DAYS_PER_SIDE,
    level: float = LEVEL,
) -> tuple[list[float], list[float], Interval] | None:
    """Mood on the days where `more` holds against the others, or None with too few days
    (days without a check-in do not count on either side)."""
    rated = [day for day in days if day.mood is not None]
    first = [day.mood for day in rated if more(day) and day.mood is not None]
    second = [day.mood for day in rated if not more(day) and day.mood is not None]
    if len(first) < min_days or len(second) < min_days:
        return None
    return first, second, bootstrap_mean_difference(first, second, level=level)


def _amount_of(day: DayRecord, subject: str) -> float:
    return day.active_seconds if subject == "screen time" else day.categories.get(subject, 0.0)


def _spoken(seconds: float) -> str:
    """A round threshold as said: "15 min", "1 h", "2 h"."""
    return f"{seconds / 3600:g} h" if seconds >= 3600 else f"{seconds / 60:g} min"


def _threshold(values: Sequence[float]) -> float:
    """The round threshold nearest the median of `values`."""
    ordered = sorted(values)
    middle = ordered[len(ordered) // 2]
    return min(THRESHOLDS, key=lambda t: abs(t - middle))


def observations(
    days: Sequence[DayRecord],
    *,
    subjects: int = 3,
    min_days: int = MIN_DAYS_PER_SIDE,
) -> list[Observation]:
    """What the days say: screen time and the biggest `subjects` categories, each against
    mood, clearest first. Empty when there are too few rated days to say anything."""
    rated = [day for day in days if day.mood is not None]
    if len(rated) < 2 * min_days:
        return []
    totals: dict[str, float] = {}
    for day in rated:
        for name, seconds in day.categories.items():
            totals[name] = totals.get(name, 0.0) + seconds
    biggest = sorted(totals, key=lambda name: (-totals[name], name))[:subjects]
    found = []
    splits: set[frozenset[date]] = set()
    for subject in ["screen time", *biggest]:
        amounts = {day.day: _amount_of(day, subject) for day in rated}
        threshold = _threshold(list(amounts.values()))

        def over(
            day: DayRecord, amounts: dict[date, float] = amounts, t: float = threshold
        ) -> bool:
            return amounts[day.day] > t

        compared = compare(rated, over, min_days=min_days)
        # The same days split the same way say the same thing: once is enough.
        split = frozenset(day.day for day in rated if over(day))
        if compared is None or split in splits:
            continue
        splits.add(split)
        first, second, interval = compared
        found.append(
            Observation(
                subject, threshold, len(first), mean(first), len(second), mean(second), interval
            )
        )
    worth = [item for item in found if abs(item.difference) >= SMALLEST_WORTH_SAYING]
    worth.sort(key=lambda item: (not item.clear, -abs(item.difference)))
    return worth
