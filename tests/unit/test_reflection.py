"""The weekly note: built from the person's figures by rules, saying only what they support."""

from __future__ import annotations

from datetime import date

from breather.data.reflection import reflect
from breather.data.trends import WeekTrend

MONDAY = date(2026, 11, 16)
BEFORE = date(2026, 11, 9)


def test_the_note_names_the_biggest_change_adherence_mood_and_one_idea() -> None:
    before = WeekTrend(BEFORE, {"Social media": 7 * 3600, "Work": 7 * 3 * 3600},
                       checkins=5, mood=3.0)  # fmt: skip
    week = WeekTrend(
        MONDAY,
        {"Social media": 7 * 2 * 3600, "Work": 7 * 3 * 3600},
        breaks_due=24,
        breaks_taken=18,
        limit_days=7,
        limit_days_within=5,
        checkins=6,
        mood=3.5,
    )
    note = reflect(week, before)
    assert note.lines == (
        "The biggest change: Social media, from 1h 00m to 2h 00m a day.",
        "You took 18 of the 24 breaks that came due (75%).",
        "Your limits held on 5 of 7 limit-days.",
        "Your mood averaged 3.5 over 6 check-ins, up from 3.0.",
    )
    assert "a daily limit for it" in note.suggestion


def test_nothing_is_said_without_figures_and_few_check_ins_are_not_compared() -> None:
    quiet = reflect(WeekTrend(MONDAY), None)
    assert quiet.lines == ()
    assert "daily check-in" in quiet.suggestion
    few = reflect(WeekTrend(MONDAY, checkins=2, mood=4.0), WeekTrend(BEFORE, checkins=2, mood=2.0))
    assert few.lines == ("Your mood averaged 4.0 over 2 check-ins.",)


def test_few_breaks_taken_suggests_one_away_from_the_screen() -> None:
    week = WeekTrend(MONDAY, {"Work": 3600.0}, breaks_due=10, breaks_taken=3, checkins=4, mood=3.0)
    assert "away from the screen" in reflect(week, None).suggestion


def test_a_first_or_steady_week_says_how_it_was_spent() -> None:
    first = WeekTrend(MONDAY, {"Work": 7 * 3 * 3600, "Social media": 7 * 3600})
    assert reflect(first, None).lines == ("Screen time: 4h 00m a day, most of it Work.",)
    steady = reflect(first, WeekTrend(BEFORE, {"Work": 7 * 3 * 3600, "Social media": 7 * 3500}))
    assert steady.lines == ("Screen time: 4h 00m a day, most of it Work.",)


def test_one_check_in_is_one() -> None:
    one = reflect(WeekTrend(MONDAY, checkins=1, mood=4.0), None)
    assert one.lines == ("Your mood averaged 4.0 over 1 check-in.",)
