"""Scripted window and idle sources: for tests, benchmarks and `breather track --demo`."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from breather.clock import Clock
from breather.monitor.base import WindowInfo


@dataclass(frozen=True, slots=True)
class Step:
    """From `at` seconds after the start: this window, and input stopped `idle_since` (or not)."""

    at: float
    window: WindowInfo | None
    idle: bool = False


class ScriptedDesktop:
    """A desktop that follows a script, read against a clock's monotonic time.

    Both the window source and the idle source: `window` and `idle_seconds` report what the
    script says for the clock's current time. An idle step means input stopped at its `at`.
    """

    name = "fake"

    def __init__(
        self,
        clock: Clock,
        steps: Iterable[Step],
        *,
        sleep: Callable[[float], None],
        loop: float | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._steps = sorted(steps, key=lambda s: s.at)
        if not self._steps:
            raise ValueError("a scripted desktop needs at least one step")
        self._t0 = clock.monotonic()
        self._loop = loop

    def _elapsed(self) -> float:
        elapsed = self._clock.monotonic() - self._t0
        return elapsed % self._loop if self._loop else elapsed

    def _current(self) -> Step:
        elapsed = self._elapsed()
        current = self._steps[0]
        for step in self._steps:
            if step.at > elapsed:
                break
            current = step
        return current

    def active_window(self) -> WindowInfo | None:
        return self._current().window

    def idle_seconds(self) -> float:
        step = self._current()
        if step.idle:
            return max(0.0, self._elapsed() - step.at)
        return 0.0

    def wait_for_change(self, timeout: float) -> bool:
        self._sleep(timeout)
        return False

    def close(self) -> None:
        pass


DEMO_APPS = (
    WindowInfo(
        "firefox", "Breather — calm screen time — Mozilla Firefox", "firefox", "/usr/bin/firefox"
    ),
    WindowInfo("code", "tracking.py — breather — Visual Studio Code", "code", "/usr/bin/code"),
    WindowInfo("Slack", "Slack | #general | Breather", "slack", "/usr/bin/slack"),
    WindowInfo("firefox", "Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox"),
)


def demo_script() -> list[Step]:
    """A ten-minute loop of plausible use, for `--demo` when no desktop is available."""
    steps: list[Step] = []
    at = 0.0
    for window, length in zip(itertools.cycle(DEMO_APPS), (90, 150, 60, 45, 120, 30), strict=False):
        steps.append(Step(at, window))
        at += length
    steps.append(Step(at, DEMO_APPS[0], idle=True))
    return steps
