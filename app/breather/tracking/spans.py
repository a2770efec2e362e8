"""Samples to spans: the honest accounting of where the time went.

Pure and clock-free: everything it knows comes in the samples. The rules it keeps:

- A switch closes the open span at the moment it is seen, and the next span starts there, so
  over a continuous active period consecutive spans touch and add up to its wall-clock length.
- Once input has been absent for `idle_after`, the open span is cut back to the last input and
  the time since is an away span, never app time. Away ends at the first input seen again.
- A gap between samples longer than `max_gap` (suspend, a stalled process) or a wall-clock jump
  ends what is open at the last sample; the gap is never bridged.
- No span ever starts before the end of an earlier one or ends before it starts, whatever the
  wall clock does: after a backward jump nothing is recorded until time catches up.
- Stored history is never overlapped, and only history that exists is a floor: stretches dated
  after the clock's now (a clock that ran ahead and was corrected, an imported event from the
  future) are stepped around when the clock reaches them, not waited for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from breather.monitor.base import Sample, WindowInfo

#: How far wall time may drift from monotonic time between two samples before it is a jump.
JUMP_TOLERANCE = 2.0


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time on one window, or away from the machine when `window` is None."""

    start: datetime
    end: datetime
    window: WindowInfo | None

    @property
    def away(self) -> bool:
        return self.window is None

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


class Tracker:
    """Turns a stream of samples into closed spans, keeping one span open at a time."""

    def __init__(
        self,
        *,
        idle_after: float,
        max_gap: float,
        not_before: datetime | None = None,
        taken: Iterable[tuple[datetime, datetime]] = (),
    ) -> None:
        """`not_before` is where the stored history up to now ends, so a restart never overlaps
        it. `taken` are stored (start, end) stretches dated after now: no span is made inside
        one; a span reaching one is closed at its start and tracking goes on after its end."""
        self.idle_after = idle_after
        self.max_gap = max_gap
        self._floor = not_before
        self._taken = sorted((start, end) for start, end in taken if end > start)
        self._open: Span | None = None
        self._prev: Sample | None = None

    @property
    def open_span(self) -> Span | None:
        """The span still growing, as far as it has been seen; None between spans."""
        return self._open

    def feed(self, sample: Sample) -> list[Span]:
        """Take one sample; returns the spans it closed, oldest first."""
        closed: list[Span] = []
        if self._prev is not None and self._discontinuous(self._prev, sample):
            closed += self.close()
        self._prev = sample

        now = sample.at if self._floor is None else max(sample.at, self._floor)
        if self._open is not None:
            now = max(now, self._open.end)
        while self._taken and self._taken[0][0] <= now:
            # The clock has reached stored history: what is open ends where that begins, and
            # nothing is made inside it.
            taken_from, taken_until = self._taken.pop(0)
            if self._open is not None:
                closed += self._close_at(taken_from)
            now = max(now, taken_until)
        # Time once seen is never handed out again, even if the span it was in was too short
        # to keep: after a backward jump, nothing is recorded until the clock catches up.
        self._floor = now

        if sample.idle >= self.idle_after:
            closed += self._go_away(now, sample.idle)
            return closed

        start = now
        if self._open is not None and self._open.away:
            back = now - timedelta(seconds=sample.idle)
            start = min(now, max(back, self._open.start))
            closed += self._close_at(start)

        window = sample.window
        if self._open is not None and self._open.window == window:
            self._open = replace(self._open, end=now)
        else:
            if self._open is not None:
                closed += self._close_at(now)
            self._open = Span(start, now, window) if window is not None else None
        return closed

    def close(self) -> list[Span]:
        """End whatever is open where it was last seen (a clean exit, or a gap)."""
        if self._open is None:
            return []
        return self._close_at(self._open.end)

    def _go_away(self, now: datetime, idle: float) -> list[Span]:
        if self._open is not None and self._open.away:
            self._open = replace(self._open, end=now)
            return []
        closed: list[Span] = []
        away_from = now
        if self._open is not None:
            last_input = now - timedelta(seconds=idle)
            away_from = min(self._open.end, max(last_input, self._open.start))
            closed = self._close_at(away_from)
        self._open = Span(away_from, now, None)
        return closed

    def _close_at(self, end: datetime) -> list[Span]:
        span = self._open
        assert span is not None
        self._open = None
        if end <= span.start:
            return []
        return [replace(span, end=end)]

    def _discontinuous(self, prev: Sample, sample: Sample) -> bool:
        mono_step = sample.mono - prev.mono
        wall_step = (sample.at - prev.at).total_seconds()
        return (
            mono_step < 0 or mono_step > self.max_gap or abs(wall_step - mono_step) > JUMP_TOLERANCE
        )
