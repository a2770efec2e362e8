"""A known week of use, written through the real span writer, for the page tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from breather.monitor.base import WindowInfo
from breather.store import Store
from breather.tracking.spans import Span

EDITOR = WindowInfo("Code", "tracking.py — breather — Visual Studio Code", "code", "/usr/bin/code")
BROWSER = WindowInfo("firefox", "(3) Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox")
CHAT = WindowInfo("Slack", "Slack | #general | Breather", "slack", "/usr/bin/slack")
VIDEO = WindowInfo(
    "firefox", "Lofi beats to relax - YouTube — Mozilla Firefox", "firefox", "/usr/bin/firefox"
)

MONDAY = date(2026, 11, 16)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).astimezone()


def fill_week(store: Store, monday: date = MONDAY) -> dict[date, float]:
    """Seven days of plausible use; returns the active seconds written per day."""
    writer = store.writer()
    active: dict[date, float] = {}
    for offset in range(7):
        day = monday + timedelta(days=offset)
        weekend = offset >= 5
        at = local(day, 10 if weekend else 9)
        plan = [
            (EDITOR, 0 if weekend else 95 - offset * 5),
            (CHAT, 12),
            (BROWSER, 25 + offset * 6),
            (None, 30),
            (VIDEO, 20 + offset * 3),
            (EDITOR, 0 if weekend else 60),
            (BROWSER, 15),
        ]
        spans = []
        for window, minutes in plan:
            if not minutes:
                continue
            end = at + timedelta(minutes=minutes)
            spans.append(Span(at, end, window))
            at = end
        writer.record(spans)
        active[day] = sum(s.seconds for s in spans if s.window is not None)
    writer.flush(None, 0.0)
    return active
