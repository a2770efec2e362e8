"""The desktop app's boundary runtime: samples from the sampler thread, answers from the
notification thread, everything applied on the main thread with one timer."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from breather.clock import FakeClock
from breather.monitor.base import Sample, WindowInfo
from breather.rules import (
    Action,
    Answer,
    BreakFinished,
    BreakPrompt,
    BreakRule,
    Breaks,
    Choice,
    Intention,
    Outcome,
    Policy,
)
from breather.runtime.boundaries import BoundaryRuntime
from breather.runtime.coordinator import BoundaryCoordinator
from breather.tracking.spans import Tracker

EDITOR = WindowInfo("code", "notes.md")
POLICY = Policy(
    breaks=Breaks(
        eyes=BreakRule("eyes", 60, 10),
        movement=BreakRule("movement", 3600, 300, enabled=False),
    ),
    intention=Intention(()),
    tz=UTC,
)


class Seen:
    def __init__(self) -> None:
        self.actions: list[Action] = []
        self.threads: set[str] = set()

    def present(self, action: Action) -> None:
        self.actions.append(action)
        self.threads.add(threading.current_thread().name)


def test_samples_and_answers_from_other_threads_are_applied_on_the_main_thread(
    qtbot: QtBot,
) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    coordinator = BoundaryCoordinator(POLICY, clock=clock)
    seen = Seen()
    coordinator.add_presenter(seen)
    runtime = BoundaryRuntime(coordinator)
    tracker = Tracker(idle_after=180, max_gap=5)
    last_input = clock.monotonic()

    def sampler(seconds: int, typing: bool) -> None:
        nonlocal last_input
        for _ in range(seconds):
            clock.advance(1)
            if typing:
                last_input = clock.monotonic()
            idle = clock.monotonic() - last_input
            sample = Sample(clock.now(), clock.monotonic(), EDITOR, idle)
            runtime.on_sample(sample, tracker.feed(sample), tracker.open_span)

    worker = threading.Thread(target=sampler, args=(61, True), name="breather-sampler")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: any(isinstance(a, BreakPrompt) for a in seen.actions))
    qtbot.wait(50)
    warning = next(a for a in seen.actions if isinstance(a, BreakPrompt))
    assert warning.phase == "warning"
    assert seen.threads == {threading.main_thread().name}

    # The person takes it from a notification button (the notification thread).
    threading.Thread(target=runtime.submit, args=(Answer(warning.prompt_id, Choice.TAKE),)).start()
    qtbot.waitUntil(lambda: any(getattr(a, "phase", "") == "running" for a in seen.actions))
    # No more samples (the person stepped away): the timer is armed for the end of the rest.
    interval = runtime.timer_interval_ms
    assert interval is not None and 9_000 <= interval <= 10_000
    clock.advance(11)
    with qtbot.waitSignal(runtime.evaluated):
        runtime._timer.timeout.emit()  # as if those 10 s had passed
    finished = [a for a in seen.actions if isinstance(a, BreakFinished)]
    assert [a.outcome for a in finished] == [Outcome.TAKEN]
    runtime.stop()
