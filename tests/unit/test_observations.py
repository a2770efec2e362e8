"""Observations from the person's own days: only with enough days, honest about uncertainty."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breather.data.observations import (
    LEVEL,
    MIN_DAYS_PER_SIDE,
    DayRecord,
    bootstrap_mean_difference,
    compare,
    observations,
)

START = date(2026, 9, 7)

moods = st.one_of(st.none(), st.integers(1, 5).map(float))
day_records = st.lists(
    st.tuples(moods, st.floats(0, 12 * 3600), st.floats(0, 4 * 3600)), max_size=90
).map(
    lambda rows: [
        DayRecord(START + timedelta(days=i), mood, active, {"Social media": social})
        for i, (mood, active, social) in enumerate(rows)
    ]
)


def test_no_data_says_nothing() -> None:
    assert observations([]) == []
    assert observations([DayRecord(START, None, 3600.0, {"Video": 3600.0})] * 60) == []


@settings(max_examples=60, deadline=None)
@given(day_records)
def test_every_statement_rests_on_enough_days_on_both_sides(days: list[DayRecord]) -> None:
    rated = sum(day.mood is not None for day in days)
    said = observations(days)
    if rated < 2 * MIN_DAYS_PER_SIDE:
        assert said == []
    for item in said:
        assert item.days_more >= MIN_DAYS_PER_SIDE and item.days_other >= MIN_DAYS_PER_SIDE
        assert item.days_more + item.days_other == rated
        text = item.sentence()
        assert f"{item.days_more} days" in text and f"{item.days_other} others" in text
        assert "interval" in text
        assert "because" not in text and "causes you" not in text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=0, max_size=MIN_DAYS_PER_SIDE - 1))
def test_too_few_days_on_one_side_is_no_comparison(few: list[int]) -> None:
    days = [DayRecord(START, float(m), 7200.0) for m in few]
    days += [DayRecord(START, 3.0, 600.0) for _ in range(30)]
    assert compare(days, lambda day: day.active_seconds > 3600) is None


def test_the_interval_covers_the_true_difference_at_its_stated_rate() -> None:
    # Synthetic people: mood on "more" days ~ N(2.8, 0.9), on others ~ N(3.6, 0.9), rounded to
    # the 1-5 scale the way answers are; the true difference is worked out from the rounded
    # distributions, then the interval's coverage is counted over many such people.
    rng = np.random.default_rng(2026)

    def answers(centre: float, size: int) -> np.ndarray:
        return np.clip(np.rint(rng.normal(centre, 0.9, size)), 1, 5)

    truth = answers(2.8, 2_000_000).mean() - answers(3.6, 2_000_000).mean()
    trials, covered = 300, 0
    for _ in range(trials):
        interval = bootstrap_mean_difference(
            list(answers(2.8, 30)), list(answers(3.6, 30)), resamples=1000
        )
        covered += interval.holds(truth)
    rate = covered / trials
    # A percentile bootstrap on 30 days a side runs a little under its level; 300 trials
    # put the rate within about ±0.05 of what it really is.
    assert LEVEL - 0.07 <= rate <= LEVEL + 0.05, rate


def test_a_clear_pattern_is_said_with_its_days_and_uncertainty_never_as_a_cause() -> None:
    rng = np.random.default_rng(7)
    days = []
    for i in range(42):
        heavy = i % 2 == 0
        social = 5400.0 if heavy else 900.0
        mood = float(np.clip(np.rint(rng.normal(2.8 if heavy else 3.8, 0.6)), 1, 5))
        days.append(
            DayRecord(START + timedelta(days=i), mood, 4 * 3600.0, {"Social media": social})
        )
    said = observations(days)
    social = [item for item in said if item.subject == "Social media"]
    assert social and social[0].clear
    text = social[0].sentence()
    assert text.startswith("On the 21 days with more than 1 h of Social media, your mood averaged")
    assert "21 others" in text and "90% interval" in text and "lower" in text
    assert "does not say which causes which" in text


def test_no_difference_is_said_as_no_clear_change_or_not_at_all() -> None:
    rng = np.random.default_rng(11)
    days = [
        DayRecord(
            START + timedelta(days=i),
            float(rng.integers(2, 5)),
            3600.0 * (1 + i % 3),
            {"Video": 1800.0 * (i % 2)},
        )
        for i in range(40)
    ]
    for item in observations(days):
        assert not item.clear or abs(item.difference) >= 0.2
        if not item.clear:
            assert "no clear difference" in item.sentence()


def test_an_empty_side_cannot_be_bootstrapped() -> None:
    with pytest.raises(ValueError, match="both sides"):
        bootstrap_mean_difference([], [3.0])


def test_the_same_split_of_days_is_said_once() -> None:
    days = [
        DayRecord(
            START + timedelta(days=i),
            2.0 + 2 * (i % 2) + (i % 3 == 0),
            3600.0 * 3,
            {"Social media": 5400.0 * (i % 2 == 0), "Video": 3600.0 * (i % 2 == 0)},
        )
        for i in range(30)
    ]
    subjects = [item.subject for item in observations(days)]
    assert "Social media" in subjects and "Video" not in subjects
