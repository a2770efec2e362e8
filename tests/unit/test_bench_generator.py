"""The benchmark's usage generator: deterministic, and shaped like a person at a desktop."""

from __future__ import annotations

import itertools
import statistics
from datetime import timedelta

import pytest
from bench.usage import (
    APPS,
    DEFAULT_START,
    MAX_DWELL,
    MIN_DWELL,
    generate,
    plan,
    tracked_seconds,
)

from breather.monitor.base import Sample

DAYS = 7


def _key(sample: Sample) -> tuple[object, ...]:
    return (sample.at, sample.mono, sample.window, sample.idle)


@pytest.fixture(scope="module")
def week() -> list[Sample]:
    return list(generate(DAYS, seed=7))


def test_the_same_seed_gives_the_same_samples() -> None:
    first = [_key(s) for s in itertools.islice(generate(30, seed=3), 20_000)]
    again = [_key(s) for s in itertools.islice(generate(30, seed=3), 20_000)]
    other = [_key(s) for s in itertools.islice(generate(30, seed=4), 20_000)]
    assert first == again
    assert first != other


def test_a_shorter_run_is_a_prefix_of_a_longer_one() -> None:
    short = [_key(s) for s in generate(1, seed=5)]
    long = [_key(s) for s in itertools.islice(generate(60, seed=5), len(short))]
    assert short == long


def test_tracked_seconds_counts_the_samples_without_making_them(week: list[Sample]) -> None:
    assert tracked_seconds(DAYS, seed=7) == len(week)
    # A week: five working days of 6-9 hours and a weekend of a few hours.
    assert 30 * 3600 < len(week) < 60 * 3600


def test_about_forty_real_apps() -> None:
    assert 35 <= len(APPS) <= 50
    assert len({(a.app, a.process, a.exe) for a in APPS}) == len(APPS)
    assert all(a.exe.startswith("/") and a.process for a in APPS)


def test_samples_are_1_hz_within_sessions_and_the_gaps_are_suspends(week: list[Sample]) -> None:
    sessions = list(plan(DAYS, seed=7))
    gaps = 0
    for prev, sample in itertools.pairwise(week):
        wall = (sample.at - prev.at).total_seconds()
        mono = sample.mono - prev.mono
        if wall == 1.0:
            assert mono == pytest.approx(1.0)
        else:
            gaps += 1
            assert wall > 600  # suspended for a while
            assert 0 < mono < 10  # the monotonic clock stood still meanwhile
    assert gaps == len(sessions) - 1
    assert week[0].at == sessions[0].start
    assert week[0].at.utcoffset() == timedelta(0)
    assert week[0].at.date() == DEFAULT_START


def test_window_changes_every_5_to_120_seconds(week: list[Sample]) -> None:
    intervals = []
    last_change = None
    for prev, sample in itertools.pairwise(week):
        if (sample.at - prev.at).total_seconds() != 1.0:
            last_change = None  # a new session
        elif sample.window != prev.window and sample.idle < 1.0:  # a switch, not a screen lock
            if last_change is not None:
                intervals.append((sample.at - last_change).total_seconds())
            last_change = sample.at
    assert min(intervals) >= MIN_DWELL
    assert 10 < statistics.median(intervals) < 60  # skewed toward short
    assert sum(i <= MAX_DWELL for i in intervals) / len(intervals) > 0.85
    assert 40 < len(intervals) / (len(week) / 3600) < 150  # switches per tracked hour


def test_idle_grows_through_away_periods_and_resets_on_input(week: list[Sample]) -> None:
    assert all(s.idle >= 0 for s in week)
    away = sum(s.idle >= 180 for s in week) / len(week)
    assert 0.03 < away < 0.25
    assert statistics.median(s.idle for s in week) < 10


def test_apps_have_zipf_popularity_and_titles_are_mostly_revisited(week: list[Sample]) -> None:
    seconds: dict[str, int] = {}
    for s in week:
        if s.window is not None:
            seconds[s.window.app] = seconds.get(s.window.app, 0) + 1
    ranked = sorted(seconds.values(), reverse=True)
    assert len(ranked) >= 20
    assert ranked[0] > 0.1 * sum(ranked)  # a favourite
    assert ranked[0] > 5 * ranked[9]  # and a long tail

    seen: set[object] = set()
    revisits = visits = 0
    for prev, sample in itertools.pairwise(week):
        if sample.window is not None and sample.window != prev.window:
            visits += 1
            revisits += sample.window in seen
            seen.add(sample.window)
    assert 0.6 < revisits / visits < 0.97


def test_browser_titles_look_like_browser_titles(week: list[Sample]) -> None:
    titles = {s.window.title for s in week if s.window is not None and s.window.app == "firefox"}
    assert all(t.endswith(" — Mozilla Firefox") for t in titles)
    sites = ("/ X —", "Reddit", "YouTube", "Facebook", "BBC News", "GitHub", "Stack Overflow")
    assert sum(any(site in t for site in sites) for t in titles) > len(titles) / 3


def test_mood_check_ins_are_seeded_on_the_scale_and_follow_evening_screen_time() -> None:
    from bench.usage import LEISURE, mood_checkins, plan

    year = list(mood_checkins(364, seed=3))
    assert year == list(mood_checkins(364, seed=3))
    assert [c.at for c in year] == sorted(c.at for c in year)
    assert all(1 <= c.mood <= 5 for c in year)
    assert 0.55 * 364 <= len(year) <= 0.8 * 364
    long_evenings = {
        s.start.date() for s in plan(364, seed=3) if s.mode == LEISURE and s.seconds > 90 * 60
    }
    heavy = [c.mood for c in year if c.at.date() in long_evenings]
    light = [c.mood for c in year if c.at.date() not in long_evenings]
    assert sum(heavy) / len(heavy) < sum(light) / len(light)
