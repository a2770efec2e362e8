"""Summaries as people and scripts read them: a text table, or the `report --json` contract."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any

from breather.data.text import printable
from breather.rules.policy import Limit
from breather.settings.durations import format_duration
from breather.store.boundaries import BREAK_OUTCOMES, break_counts, limit_outcomes
from breather.store.checkins import DayMood
from breather.store.queries import DeviceTime, Summary, Total, day_range, summarize

if TYPE_CHECKING:
    from breather.categories.catalogue import Categorizer
    from breather.store.sql import Database

#: What a limit's figures count of its prompts' answers, in this order.
LIMIT_OUTCOMES = ("warned", "reached", "closed", "more", "ignored_today")


@dataclass(frozen=True, slots=True)
class LimitFigures:
    """One limit over the report's days: what was allowed, what was used, what was answered."""

    limit: Limit
    allowed_seconds: float
    used_seconds: float
    days_over: int
    outcomes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BoundaryFigures:
    """Breaks and limits for a report's period."""

    breaks: dict[str, int]
    limits: tuple[LimitFigures, ...] = ()


def boundary_figures(
    db: Database,
    days: Sequence[date],
    day_starts: time,
    limits: Sequence[Limit],
    categorizer: Categorizer | Callable[[], Categorizer],
    *,
    this_device: int | None = None,
) -> BoundaryFigures:
    """Break counts and per-limit use over `days` (the person's days, `day_starts` to
    `day_starts`). Limit use is summed from spans per day, so it matches `report --by`.

    `categorizer` may be a function that makes one: it is called only if a limit names a
    category (compiling the catalogue costs ~34 ms). A limit on `devices = "this"` counts the
    device `this_device` alone; the others count every device."""
    from breather.store.by_category import category_summary

    start, end = day_range(days[0], day_starts)[0], day_range(days[-1], day_starts)[1]
    answers = limit_outcomes(db, start, end)
    allowed = dict.fromkeys(range(len(limits)), 0.0)
    used = dict.fromkeys(range(len(limits)), 0.0)
    over = dict.fromkeys(range(len(limits)), 0)
    for day in days:
        day_start, day_end = day_range(day, day_starts)
        # Per whose time counts: None, every device; [id], this device alone.
        by_app: dict[tuple[int, ...] | None, dict[str, float]] = {}
        by_category: dict[tuple[int, ...] | None, dict[str, float]] = {}
        for limit in limits:
            whose = (this_device,) if limit.devices == "this" and this_device else None
            only = list(whose) if whose is not None else None
            if limit.app is not None and whose not in by_app:
                summary = summarize(db, day_start, day_end, device_ids=only)
                by_app[whose] = {t.key: t.seconds for t in summary.totals}
            if limit.category is not None and whose not in by_category:
                if callable(categorizer):  # made once, on first need
                    categorizer = categorizer()
                summary = category_summary(db, day_start, day_end, categorizer, device_ids=only)
                by_category[whose] = {t.key: t.seconds for t in summary.totals}
        for index, limit in enumerate(limits):
            whose = (this_device,) if limit.devices == "this" and this_device else None
            seconds = (
                by_app[whose].get(limit.app, 0.0)
                if limit.app is not None
                else by_category[whose].get(limit.category or "", 0.0)
            )
            used[index] += seconds
            allowance = limit.allowance(day)
            if allowance is not None:
                allowed[index] += allowance
                over[index] += seconds > allowance
    figures = tuple(
        LimitFigures(
            limit,
            allowed[index],
            used[index],
            over[index],
            {name: answers.get(limit.key, {}).get(name, 0) for name in LIMIT_OUTCOMES},
        )
        for index, limit in enumerate(limits)
    )
    return BoundaryFigures(break_counts(db, start, end), figures)


def mood_json(days: Sequence[DayMood]) -> dict[str, Any]:
    """The `"mood"` of `report --json`: how many check-ins, their mean (null without any),
    and each day of the period with its own count and mean."""
    count = sum(day.checkins for day in days)
    total = sum((day.average or 0.0) * day.checkins for day in days)
    return {
        "checkins": count,
        "average": round(total / count, 3) if count else None,
        "by_day": [
            {
                "day": day.day.isoformat(),
                "checkins": day.checkins,
                "average": None if day.average is None else round(day.average, 3),
            }
            for day in days
        ],
    }


def mood_sentence(days: Sequence[DayMood]) -> str:
    """The period's check-ins in one line, or "" without any."""
    figures = mood_json(days)
    count = figures["checkins"]
    if not count:
        return ""
    plural = "s" if count != 1 else ""
    return f"Mood: {count} check-in{plural}, averaging {figures['average']:.1f} of 5"


def merge_same_apps(summary: Summary, same: Mapping[str, str]) -> Summary:
    """Per-app totals with the names of one app added together: `same` maps each tracked
    name to what identifies its app (the X11 class "firefox" and the Wayland app id
    "org.mozilla.firefox" share their desktop file). The biggest name keeps the total."""
    groups: dict[str, list[Total]] = {}
    for total in summary.totals:
        groups.setdefault(same.get(total.key, total.key), []).append(total)
    merged = [
        Total(max(members, key=lambda t: t.seconds).key, sum(t.seconds for t in members))
        for members in groups.values()
    ]
    merged.sort(key=lambda t: (-t.seconds, t.key))
    return replace(summary, totals=tuple(merged))


def summary_json(
    summary: Summary,
    figures: BoundaryFigures | None = None,
    mood: Sequence[DayMood] = (),
    devices: Sequence[DeviceTime] = (),
) -> dict[str, Any]:
    """The `breather report --json` shape (see README: keys are only ever added)."""
    totals: list[dict[str, Any]] = []
    for total in summary.totals:
        entry: dict[str, Any] = {"key": total.key, "seconds": round(total.seconds, 3)}
        if total.app is not None:
            entry["app"] = total.app
        totals.append(entry)
    return {
        "start": summary.start.isoformat(),
        "end": summary.end.isoformat(),
        "by": summary.by,
        "active_seconds": round(summary.active_seconds, 3),
        "away_seconds": round(summary.away_seconds, 3),
        "totals": totals,
        "breaks": figures.breaks if figures is not None else dict.fromkeys(BREAK_OUTCOMES, 0),
        "limits": [_limit_json(item) for item in figures.limits] if figures is not None else [],
        "mood": mood_json(mood),
        "devices": [
            {"name": item.name, "active_seconds": round(item.active_seconds, 3)} for item in devices
        ],
    }


def _limit_json(item: LimitFigures) -> dict[str, Any]:
    limit = item.limit
    entry: dict[str, Any] = (
        {"app": limit.app} if limit.app is not None else {"category": limit.category}
    )
    entry.update(
        {
            "allowed_seconds": round(item.allowed_seconds, 3),
            "used_seconds": round(item.used_seconds, 3),
            "days_over": item.days_over,
        }
    )
    entry.update(item.outcomes)
    return entry


def summary_text(
    summary: Summary,
    title: str,
    *,
    width: int = 80,
    figures: BoundaryFigures | None = None,
    mood: Sequence[DayMood] = (),
    devices: Sequence[DeviceTime] = (),
) -> str:
    """A plain table: the period, active and away time (and each device's, when there are
    several), one line per key, then boundaries and mood."""
    lines = [
        printable(title),
        f"Active {format_duration(summary.active_seconds)} · "
        f"Away {format_duration(summary.away_seconds)}",
    ]
    if len(devices) > 1:
        each = ", ".join(
            f"{printable(d.name, one_line=True)} {format_duration(d.active_seconds)}"
            for d in devices
        )
        lines.append(f"Devices: {each} (a moment on two at once counts once above)")
    lines.append("")
    if not summary.totals:
        lines.append("Nothing tracked in this period.")
        return "\n".join(lines + _boundary_lines(figures) + _mood_lines(mood))
    heading = {"app": "App", "title": "Window title", "category": "Category"}[summary.by]
    key_width = max(12, min(width - 22, max(len(_key(t.key, t.app)) for t in summary.totals)))
    lines.append(f"{heading:<{key_width}}  {'Time':>8}  {'Share':>5}")
    for total in summary.totals:
        share = total.seconds / summary.active_seconds if summary.active_seconds else 0.0
        key = _key(total.key, total.app)
        if len(key) > key_width:
            key = key[: key_width - 1] + "…"
        lines.append(f"{key:<{key_width}}  {format_duration(total.seconds):>8}  {share:>5.0%}")
    return "\n".join(lines + _boundary_lines(figures) + _mood_lines(mood))


def _mood_lines(mood: Sequence[DayMood]) -> list[str]:
    said = mood_sentence(mood)
    return ["", said] if said else []


#: How each way a break ended is said, in the order said.
BREAK_ENDINGS = (
    ("taken", "taken"),
    ("natural", "taken on your own"),
    ("skipped", "skipped"),
    ("ignored", "worked through"),
)


def break_sentence(counts: Mapping[str, int]) -> str:
    """The breaks of a period in one line whose parts add up: how many came due, how each
    ended, then the ones asked for and the postpones (a postponed break still ends one way)."""
    due = counts.get("due", 0)
    endings = [(counts.get(key, 0), word) for key, word in BREAK_ENDINGS]
    ended = sum(count for count, _ in endings)
    if not due and not ended:
        return ""
    text = f"Breaks: {due} came due"
    said = [f"{count} {word}" for count, word in endings if count]
    if said:
        text += ": " + ", ".join(said)
    asked = max(0, ended - due)  # "Take a break now": ended, never due
    if asked:
        text += f" (with {asked} you asked for)"
    postponed = counts.get("postponed", 0)
    if postponed:
        text += f"; {postponed} postponed once first"
    return text


def _boundary_lines(figures: BoundaryFigures | None) -> list[str]:
    if figures is None:
        return []
    lines = ["", break_sentence(figures.breaks) or "Breaks: none came due in this period."]
    for item in figures.limits:
        name = printable(item.limit.label, one_line=True)
        over = f", over on {item.days_over} day{'s' if item.days_over != 1 else ''}"
        lines.append(
            f"Limit {name}: {format_duration(item.used_seconds)} of "
            f"{format_duration(item.allowed_seconds)}{over if item.days_over else ''}"
        )
    return lines


def _key(key: str, app: str | None) -> str:
    # Titles and app names are whatever a program chose: escaped, never obeyed.
    if app is None:
        return printable(key, one_line=True) or "(no title)"
    return printable(f"{app}: {key or '(no title)'}", one_line=True)
