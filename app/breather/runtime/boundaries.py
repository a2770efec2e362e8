"""The boundary coordinator in the desktop app: on the main thread, with one timer.

The sampler thread calls `on_sample` (pass it to the recorder as `on_sample`); the
notification thread calls `submit`; both arrive here through queued signals, so the rules,
the store writes for boundary events and every window run on the main thread. After each
evaluation the single timer is armed for the rules' next deadline, so a countdown or a
deferred break moves on even between samples.

    runtime = BoundaryRuntime(coordinator)
    coordinator.add_presenter(BreakScreens(runtime.answer))          # breather.ui.break_window
    coordinator.add_presenter(PromptPresenter(runtime.answer))       # breather.ui.prompts
    coordinator.add_presenter(NotificationPresenter(notifier, runtime.submit, windows=True))
    Recorder.for_store(..., on_sample=runtime.on_sample)             # on the sampler thread
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from breather.monitor.base import Sample
from breather.rules import Answer
from breather.rules.policy import BreakKind
from breather.runtime.coordinator import BoundaryCoordinator
from breather.tracking.spans import Span

#: The timer never waits longer than this: a safety net should a sample go missing.
LONGEST_WAIT_MS = 60_000


class BoundaryRuntime(QObject):
    """Drives a `BoundaryCoordinator` from Qt's event loop.

    Signals:
        evaluated(): the rules looked again (after a sample, a tick or an answer).
    """

    evaluated = Signal()
    _sampled = Signal(object, object, object)
    _submitted = Signal(object)

    def __init__(self, coordinator: BoundaryCoordinator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.coordinator = coordinator
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self._tick)
        queued = Qt.ConnectionType.QueuedConnection
        self._sampled.connect(self._observe, queued)
        self._submitted.connect(self.answer, queued)

    def on_sample(self, sample: Sample, closed: Sequence[Span], open_span: Span | None) -> None:
        """Hand over one sample; safe to call from the sampler thread."""
        self._sampled.emit(sample, list(closed), open_span)

    def submit(self, answer: Answer) -> None:
        """Hand over an answer; safe to call from any thread (notification buttons)."""
        self._submitted.emit(answer)

    def answer(self, answer: Answer) -> None:
        """Apply an answer from a window (main thread)."""
        self.coordinator.answer(answer)
        self._rearm()

    def take_break_now(self, kind: BreakKind = "movement") -> None:
        """The tray's "Take a break now" (main thread)."""
        self.coordinator.take_break_now(kind)
        self._rearm()

    @property
    def timer_interval_ms(self) -> int | None:
        """When the timer fires next, or None when it is not armed (for tests)."""
        return self._timer.interval() if self._timer.isActive() else None

    def stop(self) -> None:
        self._timer.stop()

    def _observe(self, sample: Sample, closed: list[Span], open_span: Span | None) -> None:
        self.coordinator.observe(sample, closed, open_span)
        self._rearm()

    def _tick(self) -> None:
        self.coordinator.tick()
        self._rearm()

    def _rearm(self) -> None:
        wake = self.coordinator.wake_in
        self._timer.start(
            LONGEST_WAIT_MS if wake is None else min(LONGEST_WAIT_MS, round(wake * 1000))
        )
        self.evaluated.emit()
