"""The sampling loop: look at the desktop, track spans, hand them to the single writer.

No Qt and no threads of its own: `breather track` runs it on the main thread and the desktop
app on a worker thread. It stops when `should_stop` says so or the desktop goes away, and
always leaves the open span in the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from breather.clock import Clock
from breather.config import TrackingSettings
from breather.monitor.base import IdleSource, Sample, SourceLost, WindowSource
from breather.store import Store
from breather.store.writer import SpanWriter
from breather.tracking import Tracker

log = logging.getLogger(__name__)

#: Focus and title events can arrive in bursts (a terminal retitling on every keystroke);
#: sampling at most this often keeps the cost flat without losing a switch for long.
MIN_SAMPLE_SPACING = 0.25


class Recorder:
    """Samples `windows` and `idle` every `interval` seconds and on change events."""

    def __init__(
        self,
        *,
        clock: Clock,
        windows: WindowSource,
        idle: IdleSource,
        tracker: Tracker,
        writer: SpanWriter,
        interval: float,
        sleep: Callable[[float], None],
    ) -> None:
        self._clock = clock
        self._windows = windows
        self._idle = idle
        self._tracker = tracker
        self._writer = writer
        self._interval = interval
        self._sleep = sleep
        self._failing_since: float | None = None
        self.samples = 0

    @classmethod
    def for_store(
        cls,
        store: Store,
        tracking: TrackingSettings,
        *,
        clock: Clock,
        windows: WindowSource,
        idle: IdleSource,
        sleep: Callable[[float], None],
    ) -> Recorder:
        """The recorder `breather track` and the app run: it continues the stored history."""
        tracker = Tracker(
            idle_after=tracking.idle_after,
            max_gap=max(5.0, 3 * tracking.interval),
            not_before=store.last_end(),
        )
        return cls(
            clock=clock,
            windows=windows,
            idle=idle,
            tracker=tracker,
            writer=store.writer(),
            interval=tracking.interval,
            sleep=sleep,
        )

    def step(self) -> None:
        """Take one sample and write if a flush is due. Raises SourceLost if the desktop quit."""
        try:
            window = self._windows.active_window()
            idle = self._idle.idle_seconds()
        except SourceLost:
            raise
        except Exception:  # a transient read error: this tick is lost, the next one retries
            log.warning("could not read the desktop this time; retrying", exc_info=True)
            return
        sample = Sample(self._clock.now(), self._clock.monotonic(), window, idle)
        self.samples += 1
        self._writer.record(self._tracker.feed(sample))
        if self._writer.due(sample.mono):
            self._flush(sample.mono)

    def run(self, should_stop: Callable[[], bool]) -> str | None:
        """Sample until `should_stop()`; returns why it stopped early (desktop gone) or None."""
        try:
            while not should_stop():
                started = self._clock.monotonic()
                self.step()
                if should_stop():
                    break
                if self._windows.wait_for_change(self._interval):
                    spent = self._clock.monotonic() - started
                    if spent < MIN_SAMPLE_SPACING:
                        self._sleep(MIN_SAMPLE_SPACING - spent)
        except SourceLost as lost:
            return str(lost)
        finally:
            self.finish()
        return None

    def finish(self) -> None:
        """Close the open span where it was last seen and write everything (a clean exit)."""
        self._writer.record(self._tracker.close())
        self._flush(self._clock.monotonic())

    def _flush(self, mono: float) -> None:
        try:
            self._writer.flush(self._tracker.open_span, mono)
        except SQLAlchemyError:
            # The writer keeps what it could not write and tries again at the next flush.
            log.exception("could not write to the database; will retry")
