"""Idle events from Wayland and Mutter become the polled idle time that tracking and breaks
compare with their thresholds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breather.monitor.idle_events import IdleFromEvents, idle_thresholds


class SteppedClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_no_event_means_the_person_is_at_the_keyboard() -> None:
    idle = IdleFromEvents([2, 180], monotonic=SteppedClock())
    assert idle.idle_seconds() == 0.0


def test_idle_grows_from_the_largest_threshold_that_fired() -> None:
    clock = SteppedClock()
    idle = IdleFromEvents([2, 180], monotonic=clock)
    idle.idled(2)
    clock.now += 10
    assert idle.idle_seconds() == 12.0
    idle.idled(180)  # fires 178 s after the first one, on the desktop's own clock
    clock.now += 5
    assert idle.idle_seconds() == 185.0


def test_a_late_smaller_threshold_does_not_undo_a_larger_one() -> None:
    clock = SteppedClock()
    idle = IdleFromEvents([2, 180], monotonic=clock)
    idle.idled(180)
    idle.idled(2)
    assert idle.idle_seconds() == 180.0


def test_input_resets_idle_to_zero() -> None:
    clock = SteppedClock()
    idle = IdleFromEvents([2], monotonic=clock)
    idle.idled(2)
    clock.now += 30
    idle.resumed()
    assert idle.idle_seconds() == 0.0


@given(st.lists(st.floats(min_value=-5, max_value=1e5, allow_nan=False), max_size=8))
def test_thresholds_are_sorted_distinct_and_at_least_a_second(values: list[float]) -> None:
    chosen = idle_thresholds(values)
    assert list(chosen) == sorted(set(chosen))
    assert all(value >= 1.0 for value in chosen)


def test_thresholds_accept_single_values_and_groups() -> None:
    assert idle_thresholds(180, [2.0, 10.0], 2) == (2.0, 10.0, 180.0)


def test_at_least_one_threshold_is_needed() -> None:
    with pytest.raises(ValueError, match="threshold"):
        IdleFromEvents([])
