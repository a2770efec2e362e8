"""Summaries as people and scripts read them: a text table, or the `report --json` contract."""

from __future__ import annotations

from typing import Any

from breather.durations import format_duration
from breather.store.queries import Summary

BREAK_OUTCOMES = ("due", "taken", "natural", "postponed", "skipped")


def summary_json(summary: Summary) -> dict[str, Any]:
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
        # Break reminders are not recorded yet; the counts are honest zeros until they are.
        "breaks": dict.fromkeys(BREAK_OUTCOMES, 0),
    }


def summary_text(summary: Summary, title: str, *, width: int = 80) -> str:
    """A plain table: the period, active and away time, then one line per key."""
    lines = [
        title,
        f"Active {format_duration(summary.active_seconds)} · "
        f"Away {format_duration(summary.away_seconds)}",
        "",
    ]
    if not summary.totals:
        lines.append("Nothing tracked in this period.")
        return "\n".join(lines)
    heading = {"app": "App", "title": "Window title", "category": "Category"}[summary.by]
    key_width = max(12, min(width - 22, max(len(_key(t.key, t.app)) for t in summary.totals)))
    lines.append(f"{heading:<{key_width}}  {'Time':>8}  {'Share':>5}")
    for total in summary.totals:
        share = total.seconds / summary.active_seconds if summary.active_seconds else 0.0
        key = _key(total.key, total.app)
        if len(key) > key_width:
            key = key[: key_width - 1] + "…"
        lines.append(f"{key:<{key_width}}  {format_duration(total.seconds):>8}  {share:>5.0%}")
    return "\n".join(lines)


def _key(key: str, app: str | None) -> str:
    if app is None:
        return key or "(no title)"
    return f"{app}: {key or '(no title)'}"
