"""A short note on a week, written by rules from the person's own figures: no network, no
model. The biggest change against the week before (or, without one, the screen time a day),
the breaks and limits kept, how the mood went, and one suggestion. Each line is said only
when there is something to say it from.
"""

from __future__ import annotations

from dataclasses import dataclass

from breather.data.trends import WeekTrend
from breather.settings.durations import format_duration

#: A change in a category smaller than this per day is not "the biggest change".
NOTABLE_CHANGE = 15 * 60
#: A change in mean mood smaller than this is "about the same".
MOOD_STEP = 0.3
#: Fewer check-ins than this in a week say too little to compare moods.
MOOD_MIN_CHECKINS = 3


@dataclass(frozen=True, slots=True)
class Reflection:
    """The lines of the note, in order, and the one suggestion."""

    lines: tuple[str, ...]
    suggestion: str

    def text(self) -> str:
        return " ".join((*self.lines, self.suggestion))


def _per_day(week: WeekTrend, name: str) -> float:
    return week.categories.get(name, 0.0) / max(week.days, 1)


def reflect(week: WeekTrend, before: WeekTrend | None) -> Reflection:
    """The note for `week`, compared with `before` (the week before it, if any)."""
    lines: list[str] = []
    grew: tuple[str, float] | None = None
    if before is not None and before.active_seconds > 0 and week.active_seconds > 0:
        names = set(week.categories) | set(before.categories)
        changes = {name: _per_day(week, name) - _per_day(before, name) for name in names}
        name = max(sorted(changes), key=lambda n: abs(changes[n]), default=None)
        if name is not None and abs(changes[name]) >= NOTABLE_CHANGE:
            lines.append(
                f"The biggest change: {name}, from {format_duration(_per_day(before, name))} "
                f"to {format_duration(_per_day(week, name))} a day."
            )
            if changes[name] > 0:
                grew = (name, changes[name])
    if not lines and week.active_seconds > 0:
        # Nothing to compare with (a first week, or a steady one): say how it was spent.
        most = max(sorted(week.categories), key=lambda n: week.categories[n])
        lines.append(
            f"Screen time: {format_duration(week.active_seconds / max(week.days, 1))} a day, "
            f"most of it {most}."
        )
    if week.breaks_due:
        lines.append(
            f"You took {week.breaks_taken} of the {week.breaks_due} breaks that came due "
            f"({week.break_adherence or 0:.0%})."
        )
    if week.limit_days:
        lines.append(
            f"Your limits held on {week.limit_days_within} of {week.limit_days} limit-days."
        )
    if week.mood is not None:
        checkins = f"{week.checkins} check-in{'' if week.checkins == 1 else 's'}"
        said = f"Your mood averaged {week.mood:.1f} over {checkins}"
        if (
            before is not None
            and before.mood is not None
            and min(week.checkins, before.checkins) >= MOOD_MIN_CHECKINS
        ):
            step = week.mood - before.mood
            if abs(step) < MOOD_STEP:
                said += f", about the same as the week before ({before.mood:.1f})"
            else:
                said += f", {'up' if step > 0 else 'down'} from {before.mood:.1f}"
        lines.append(said + ".")
    return Reflection(tuple(lines), _suggestion(week, grew))


def _suggestion(week: WeekTrend, grew: tuple[str, float] | None) -> str:
    adherence = week.break_adherence
    if adherence is not None and adherence < 0.5:
        return (
            "One idea: take the next movement break away from the screen; stepping outside "
            "or getting a glass of water counts."
        )
    if grew is not None and grew[1] >= 2 * NOTABLE_CHANGE:
        return (
            f"One idea: if more {grew[0]} was not what you wanted, a daily limit for it is "
            "a click away in Settings."
        )
    if week.limit_days and week.limit_days_within == week.limit_days:
        return "One idea: your limits held every day; keep them, or try one a little lower."
    if week.mood is None:
        return (
            "One idea: a daily check-in (one tap) would let next week's note say how the "
            "week felt, not only how it was spent."
        )
    return "One idea: keep doing what worked this week, and notice what made the good days good."
