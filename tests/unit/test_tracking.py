"""Samples to spans: the accounting people trust their week to."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from breather.monitor.base import Sample, WindowInfo
from breather.tracking.spans import Span, Tracker

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EDITOR = WindowInfo("code", "notes.md — Code", "code", "/usr/bin/code")
BROWSER = WindowInfo("firefox", "Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox")
CHAT = WindowInfo("Slack", "Slack | #general", "slack", "/usr/bin/slack")
IDLE_AFTER = 180.0


def make_tracker(**kwargs: object) -> Tracker:
    return Tracker(idle_after=IDLE_AFTER, max_gap=5.0, **kwargs)  # type: ignore[arg-type]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def run(tracker: Tracker, samples: list[tuple[float, WindowInfo | None, float]]) -> list[Span]:
    """Feed (seconds, window, idle) samples with wall and monotonic time in step."""
    spans: list[Span] = []
    for seconds, window, idle in samples:
        spans += tracker.feed(Sample(at(seconds), 1000.0 + seconds, window, idle))
    return spans + tracker.close()


def per_second(start: int, end: int, window: WindowInfo | None, idle_from: int | None = None):
    """1 Hz samples on one window; input stops at `idle_from` if given."""
    return [
        (float(t), window, 0.0 if idle_from is None or t < idle_from else float(t - idle_from))
        for t in range(start, end)
    ]


def test_a_switch_closes_the_span_when_it_is_seen_and_spans_touch() -> None:
    spans = run(make_tracker(), per_second(0, 30, EDITOR) + per_second(30, 61, BROWSER))
    assert [(s.window, s.start, s.end) for s in spans] == [
        (EDITOR, at(0), at(30)),
        (BROWSER, at(30), at(60)),
    ]


def test_a_title_change_starts_a_new_span() -> None:
    renamed = WindowInfo("code", "other.py — Code", "code", "/usr/bin/code")
    spans = run(make_tracker(), per_second(0, 11, EDITOR) + per_second(11, 21, renamed))
    assert [s.window.title for s in spans if s.window] == [EDITOR.title, renamed.title]
    assert spans[0].end == spans[1].start == at(11)


def test_idle_is_cut_back_to_the_last_input_and_counted_as_away() -> None:
    # Input stops at 100 s; at 280 s idle reaches 3 min; input comes back at 400 s.
    samples = per_second(0, 400, EDITOR, idle_from=100) + per_second(400, 460, EDITOR)
    spans = run(make_tracker(), samples)
    assert [(s.away, s.start, s.end) for s in spans] == [
        (False, at(0), at(100)),
        (True, at(100), at(400)),
        (False, at(400), at(459)),
    ]


def test_short_idle_stays_app_time() -> None:
    samples = per_second(0, 150, EDITOR, idle_from=10) + per_second(150, 200, EDITOR)
    spans = run(make_tracker(), samples)
    assert [(s.away, s.seconds) for s in spans] == [(False, 199.0)]


def test_a_gap_is_never_bridged() -> None:
    # The machine slept from 20 s to 620 s (no samples; monotonic time paused too).
    tracker = make_tracker()
    spans: list[Span] = []
    for t in range(21):
        spans += tracker.feed(Sample(at(t), 1000.0 + t, EDITOR, 0.0))
    for t in range(620, 641):
        spans += tracker.feed(Sample(at(t), 1000.0 + t - 600 + 1, EDITOR, 0.0))
    spans += tracker.close()
    assert [(s.start, s.end) for s in spans] == [(at(0), at(20)), (at(620), at(640))]


def test_a_backward_clock_jump_never_overlaps_what_was_recorded() -> None:
    tracker = make_tracker()
    spans: list[Span] = []
    for t in range(60):
        spans += tracker.feed(Sample(at(t), 1000.0 + t, EDITOR, 0.0))
    # Wall clock set back an hour; monotonic time carries on.
    for t in range(60, 120):
        spans += tracker.feed(Sample(at(t - 3600), 1000.0 + t, BROWSER, 0.0))
    spans += tracker.close()
    assert spans == [Span(at(0), at(59), EDITOR)]


def test_a_restart_never_overlaps_stored_history() -> None:
    tracker = make_tracker(not_before=at(50))
    spans = run(tracker, per_second(0, 100, EDITOR))
    assert spans == [Span(at(50), at(99), EDITOR)]


def test_no_window_is_not_app_time() -> None:
    spans = run(
        make_tracker(),
        per_second(0, 10, EDITOR) + per_second(10, 20, None) + per_second(20, 31, CHAT),
    )
    assert [(s.window, s.start, s.end) for s in spans] == [
        (EDITOR, at(0), at(10)),
        (CHAT, at(20), at(30)),
    ]


def test_idle_at_the_very_start_counts_away_only_from_the_first_sample() -> None:
    spans = run(
        make_tracker(),
        [(0.0, EDITOR, 600.0), (1.0, EDITOR, 601.0), (2.0, EDITOR, 0.0), (3.0, EDITOR, 1.0)],
    )
    assert [(s.away, s.start, s.end) for s in spans] == [
        (True, at(0), at(2)),
        (False, at(2), at(3)),
    ]


# -- properties over any sample stream ------------------------------------------------------

windows = st.sampled_from([EDITOR, BROWSER, CHAT, None])
steps = st.tuples(
    st.one_of(st.floats(0.05, 3.0), st.floats(3.0, 4000.0)),  # monotonic step (some gaps)
    st.one_of(st.just(0.0), st.just(0.0), st.floats(-7200.0, 7200.0)),  # wall jump
    windows,
    st.floats(0.0, 900.0),  # idle seconds
)


def feed_stream(stream: list[tuple[float, float, WindowInfo | None, float]]):
    tracker = make_tracker()
    wall, mono = T0, 1000.0
    samples: list[Sample] = []
    spans: list[Span] = []
    for mono_step, jump, window, idle in stream:
        wall += timedelta(seconds=mono_step + jump)
        mono += mono_step
        sample = Sample(wall, mono, window, idle)
        samples.append(sample)
        spans += tracker.feed(sample)
    return samples, spans + tracker.close()


@settings(max_examples=400, deadline=None)
@given(st.lists(steps, max_size=80))
def test_spans_never_overlap_nor_run_backwards(stream) -> None:
    samples, spans = feed_stream(stream)
    for span in spans:
        assert span.end > span.start
    for before, after in itertools.pairwise(spans):
        assert after.start >= before.end
    if samples:
        assert all(s.start >= min(x.at for x in samples) for s in spans)
        assert all(s.end <= max(x.at for x in samples) for s in spans)


@settings(max_examples=400, deadline=None)
@given(st.lists(steps, max_size=80))
def test_gaps_are_never_bridged(stream) -> None:
    samples, spans = feed_stream(stream)
    for prev, cur in itertools.pairwise(samples):
        if cur.mono - prev.mono > 5.0:
            for span in spans:
                assert not (span.start < cur.at and span.end > max(prev.at, cur.at)), (
                    f"{span} bridges the gap {prev.at}..{cur.at}"
                )


continuous_steps = st.tuples(
    st.floats(0.05, 4.9), st.sampled_from([EDITOR, BROWSER, CHAT]), st.floats(0.0, 900.0)
)


@settings(max_examples=400, deadline=None)
@given(st.lists(continuous_steps, min_size=1, max_size=120))
def test_over_a_continuous_period_spans_add_up_to_its_length(stream) -> None:
    tracker = make_tracker()
    wall, mono = T0, 1000.0
    spans: list[Span] = []
    first = wall
    for step, window, idle in stream:
        wall += timedelta(seconds=step)
        mono += step
        if not spans and tracker.open_span is None:
            first = wall
        spans += tracker.feed(Sample(wall, mono, window, idle))
    spans += tracker.close()
    total = sum((s.end - s.start for s in spans), timedelta())
    assert total == wall - first
    for before, after in itertools.pairwise(spans):
        assert after.start == before.end


def test_time_seen_before_a_backward_jump_is_not_handed_out_again() -> None:
    # After a gap the first sample opens a span that is still empty when the wall clock
    # steps back half a second: the re-lived half second must not be recorded.
    tracker = make_tracker()
    spans = tracker.feed(Sample(at(0), 1000.0, EDITOR, 0.0))
    spans += tracker.feed(Sample(at(10), 1010.0, EDITOR, 0.0))  # a gap: 10 s > max_gap
    spans += tracker.feed(Sample(at(9.5), 1012.0, EDITOR, 0.0))  # wall back, mono on
    spans += tracker.feed(Sample(at(10.5), 1013.0, EDITOR, 0.0))
    spans += tracker.close()
    assert spans == [Span(at(10), at(10.5), EDITOR)]


def test_stored_history_dated_ahead_is_stepped_around_not_waited_for() -> None:
    # A run with the clock an hour ahead stored [3600, 3620); the clock was then corrected.
    tracker = make_tracker(not_before=at(10), taken=[(at(3600), at(3620))])
    spans = run(tracker, per_second(20, 40, EDITOR))
    assert spans == [Span(at(20), at(39), EDITOR)]


def test_a_span_reaching_stored_history_ends_where_it_begins_and_resumes_after() -> None:
    tracker = make_tracker(taken=[(at(30), at(40))])
    spans = run(tracker, per_second(0, 60, EDITOR))
    assert spans == [Span(at(0), at(30), EDITOR), Span(at(40), at(59), EDITOR)]
