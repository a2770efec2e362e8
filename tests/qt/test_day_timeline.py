"""The day's band on Today: readable at a switch a minute, and honest about what it hides."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtGui import QColor

from breather.ui.widgets import DayTimeline, TimelineBlock, timeline_slots

NINE = datetime(2026, 12, 4, 9, 0).astimezone()


def block(start_min: float, end_min: float, key: str | None) -> TimelineBlock:
    return TimelineBlock(
        NINE + timedelta(minutes=start_min), NINE + timedelta(minutes=end_min), key
    )


def test_each_five_minutes_takes_the_colour_of_what_filled_most_of_it() -> None:
    blocks = [
        block(0, 3, "Work"),  # 09:00-09:05: Work 3 min, Messaging 2 min
        block(3, 5, "Messaging"),
        block(5, 6, "Work"),  # 09:05-09:10: away 4 min beats Work 1 min
        block(6, 10, None),
        block(12, 13, "Video"),  # 09:10-09:15: only a minute, still Video
    ]
    slots = timeline_slots(blocks, NINE)
    assert [(s.start - NINE, s.key) for s in slots] == [
        (timedelta(0), "Work"),
        (timedelta(minutes=5), None),
        (timedelta(minutes=10), "Video"),
    ]
    assert sum(sum(s.seconds.values()) for s in slots) == 11 * 60  # nothing lost or doubled


def test_a_span_across_slots_is_shared_between_them() -> None:
    slots = timeline_slots([block(2, 13, "Work")], NINE)
    assert [round(s.seconds["Work"]) for s in slots] == [180, 300, 180]


def test_hovering_a_slot_says_everything_it_held(qtbot) -> None:
    timeline = DayTimeline(lambda _key: QColor("#2a9d8f"))
    qtbot.addWidget(timeline)
    timeline.set_day(
        NINE, NINE + timedelta(hours=2), [block(0, 3, "Work"), block(3, 5, "Messaging")]
    )
    (slot,) = timeline.slots
    assert timeline.slot_details(slot) == "09:00–09:05: Work 3m 00s, Messaging 2m 00s"
