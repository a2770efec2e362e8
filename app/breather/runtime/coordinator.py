"""Boundaries at work: the glue between tracking, the rules engine, the person and the store.

Qt-free, so `breather track` runs it on its main thread after every recorder step and the
desktop app can drive the very same object from its sampler signal and one QTimer:

    coordinator = BoundaryCoordinator(policy, clock=clock, categorize=categorize,
                                      log=BoundaryLog(db, device_id))
    coordinator.add_presenter(presenter)          # notifications, windows, or both
    coordinator.seed_today(rows)                  # today's stored (app, title, seconds)
    recorder = Recorder.for_store(..., on_sample=coordinator.observe)
    ... when `coordinator.wake_in` seconds pass without a sample: coordinator.tick()
    ... the person answers in a window: coordinator.answer(Answer(...))
    ... or in a notification, from another thread: coordinator.submit(Answer(...))

It keeps today's usage from the spans the tracker closes (no database query per sample),
asks the desktop for fullscreen and do-not-disturb only when a break is near, stores every
record the rules produce, and hands every action to each presenter.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from breather.clock import Clock
from breather.monitor.base import Sample
from breather.rules import (
    Action,
    Answer,
    Categorize,
    Evaluation,
    Focus,
    Observation,
    Outcome,
    Policy,
    Record,
    RulesState,
    UsageMeter,
    answer,
    evaluate,
    no_categories,
    take_break_now,
)
from breather.rules.policy import BreakKind
from breather.tracking.spans import Span

if TYPE_CHECKING:
    from breather.settings.model import Settings
    from breather.store import Store

log = logging.getLogger(__name__)


class Presenter(Protocol):
    """Something that shows rule actions to the person (notifications, windows, the tray)."""

    def present(self, action: Action) -> None: ...


class RecordSink(Protocol):
    """Where records go (`breather.store.boundaries.BoundaryLog`)."""

    def record(self, records: Sequence[Record]) -> None: ...


class BoundaryCoordinator:
    """Feeds the rules engine and carries out what it says. Use from one thread; `submit` is
    the one method other threads may call."""

    def __init__(
        self,
        policy: Policy,
        *,
        clock: Clock,
        categorize: Categorize = no_categories,
        log: RecordSink | None = None,
        fullscreen: Callable[[], bool] | None = None,
        do_not_disturb: Callable[[], bool] | None = None,
        showing: Callable[[], bool] | None = None,
    ) -> None:
        """`showing` says whether prompts reach the person right now (a notification server
        is there); while they cannot, only natural breaks are stored: a break nobody saw was
        neither skipped nor ignored."""
        self.policy = policy
        self.state = RulesState()
        self.meter = UsageMeter(policy, categorize)
        self._clock = clock
        self._log = log
        self._fullscreen = fullscreen
        self._do_not_disturb = do_not_disturb
        self._showing = showing
        self._presenters: list[Presenter] = []
        self._answers: queue.SimpleQueue[Answer] = queue.SimpleQueue()
        self._last: Observation | None = None
        self._open_span: Span | None = None
        #: What the person was using before one of Breather's own windows came in front.
        self._focus_before_own: Focus | None = None
        self.last_evaluation = Evaluation()

    def add_presenter(self, presenter: Presenter) -> None:
        self._presenters.append(presenter)

    def set_fullscreen(self, fullscreen: Callable[[], bool] | None) -> None:
        """Where to ask whether the window in front is fullscreen (the desktop's window
        source knows best on Wayland; it is opened after the coordinator)."""
        self._fullscreen = fullscreen

    def seed_today(self, day: date, by_title: Iterable[tuple[str, str, float]]) -> None:
        """This device's usage today so far from the store, once at start: (app, title,
        seconds) rows."""
        self.meter.seed(day, by_title)

    def seed_others(self, day: date, by_title: Iterable[tuple[str, str, float]]) -> None:
        """Other devices' usage today, as the store holds it after a sync round (replacing
        what was seeded before): limits count every device unless one says otherwise."""
        self.meter.set_others(day, by_title)

    # -- driving ---------------------------------------------------------------------------

    def observe(self, sample: Sample, closed: Sequence[Span], open_span: Span | None) -> None:
        """After each recorder step: the sample, the spans it closed and the one still open."""
        self._drain()
        self.meter.add(closed)
        self._open_span = open_span
        away = open_span is not None and open_span.away
        focus = None
        if sample.own_window:
            # A prompt or the break window in front is not leaving the app the person was in:
            # a prompt that counted itself as a switch would withdraw itself, and come back.
            focus = self._focus_before_own
        elif sample.window is not None:
            window = sample.window
            focus = Focus(window.app, window.title, self.meter.category(window.app, window.title))
        if not sample.own_window:
            self._focus_before_own = focus
        fullscreen = dnd = False
        if self.state.wants_desktop_state:
            fullscreen = _ask(self._fullscreen)
            dnd = _ask(self._do_not_disturb)
        observation = Observation(sample.at, sample.mono, sample.idle, focus, away, fullscreen, dnd)
        self._last = observation
        usage = self.meter.usage(open_span, sample.at)
        self._carry_out(evaluate(self.policy, self.state, observation, usage))

    def tick(self) -> None:
        """The deadline passed with no new sample: look again, as if nothing was touched."""
        self._drain()
        if self._last is None:
            return
        observation = self._last.later(self._clock.now(), self._clock.monotonic())
        self._last = observation
        usage = self.meter.usage(self._open_span, observation.at)
        self._carry_out(evaluate(self.policy, self.state, observation, usage))

    def answer(self, given: Answer) -> None:
        """The person answered a prompt (on this thread)."""
        result = answer(self.policy, self.state, given, self._clock.now(), self._clock.monotonic())
        self._carry_out(result)

    def submit(self, given: Answer) -> None:
        """The person answered, seen on another thread: applied at the next observe or tick."""
        self._answers.put(given)

    def set_policy(self, policy: Policy, categorize: Categorize | None = None) -> None:
        """Settings changed: apply them from the next observation on. With `categorize`
        (the person's category rules changed), windows are categorised anew from then on."""
        self.policy = policy
        self.meter.set_policy(policy)
        if categorize is not None:
            self.meter.set_categorize(categorize)

    def take_break_now(self, kind: BreakKind = "movement") -> None:
        """The person asked for a break (the tray's "Take a break now")."""
        result = take_break_now(
            self.policy, self.state, kind, self._clock.now(), self._clock.monotonic()
        )
        self._carry_out(result)

    @property
    def next_deadline(self) -> float | None:
        """When to `tick` if no sample comes first (monotonic seconds)."""
        return self.last_evaluation.next_deadline

    @property
    def wake_in(self) -> float | None:
        return self.last_evaluation.wake_in

    # -- internals -------------------------------------------------------------------------

    def _drain(self) -> None:
        while True:
            try:
                given = self._answers.get_nowait()
            except queue.Empty:
                return
            self.answer(given)

    def _carry_out(self, evaluation: Evaluation) -> None:
        self.last_evaluation = evaluation
        records = evaluation.records
        if records and self._showing is not None and not _ask(self._showing):
            records = tuple(r for r in records if r.outcome is Outcome.NATURAL)
        if records and self._log is not None:
            try:
                self._log.record(records)
            except Exception:  # the database is busy or full: the person still sees the prompt
                log.exception("could not store %d boundary record(s)", len(records))
        for action in evaluation.actions:
            for presenter in self._presenters:
                try:
                    presenter.present(action)
                except Exception:
                    log.exception("could not show %s", type(action).__name__)


def _ask(probe: Callable[[], bool] | None) -> bool:
    if probe is None:
        return False
    try:
        return bool(probe())
    except Exception:  # a desktop that cannot tell is not fullscreen and not quiet
        log.debug("desktop state probe failed", exc_info=True)
        return False


class HeadlessBoundaries:
    """The boundaries of `breather track`: notifications only, no window.

    Build with `start_headless`; pass `coordinator.observe` to the recorder as `on_sample`;
    `close()` when tracking ends.
    """

    def __init__(
        self,
        coordinator: BoundaryCoordinator,
        closers: Sequence[Callable[[], object]],
    ) -> None:
        self.coordinator = coordinator
        self._closers = list(closers)

    def close(self) -> None:
        for close in self._closers:
            try:
                close()
            except Exception:
                log.debug("closing a boundary helper failed", exc_info=True)


def start_headless(
    settings: Settings,
    store: Store,
    clock: Clock,
    *,
    say: Callable[[str], None],
    desktop: bool = True,
    fullscreen: Callable[[], bool] | None = None,
) -> HeadlessBoundaries:
    """Wire the rules to desktop notifications, the store and (with `desktop`) the X display.

    Says once if notifications cannot be shown, and carries on: tracking never waits for them.
    """
    from breather.categories.catalogue import Categorizer
    from breather.monitor.x11.fullscreen import open_fullscreen_probe
    from breather.notify.freedesktop import ReconnectingNotifier
    from breather.notify.presenter import NotificationPresenter
    from breather.store.boundaries import BoundaryLog
    from breather.store.queries import summarize

    policy = policy_with_experiments(settings, store, clock.now())
    categorizer = Categorizer(settings.categories)
    notifier = ReconnectingNotifier(say=say)
    # The window source's own answer where it has one (Wayland); else ask the X server.
    probe = open_fullscreen_probe() if desktop and fullscreen is None else None
    coordinator = BoundaryCoordinator(
        policy,
        clock=clock,
        categorize=categorizer.category,
        log=BoundaryLog(store.db, store.device_id),
        fullscreen=probe.fullscreen if probe is not None else fullscreen,
        do_not_disturb=notifier.do_not_disturb,
        showing=lambda: notifier.available,
    )
    coordinator.add_presenter(NotificationPresenter(notifier, coordinator.submit))
    today = policy.day_of(clock.now())
    start, end = policy.day_bounds(today)
    totals = summarize(store.db, start, end, "title", device_ids=[store.device_id]).totals
    coordinator.seed_today(today, ((t.app or "", t.key, t.seconds) for t in totals))
    seed_other_devices(coordinator, store, clock)
    closers: list[Callable[[], object]] = [notifier.shutdown]
    if probe is not None:
        closers.append(probe.close)
    return HeadlessBoundaries(coordinator, closers)


def policy_with_experiments(settings: Settings, store: Store, now: datetime) -> Policy:
    """The boundaries the person configured, with the personal experiments running at `now`
    applied (their config file is left as they wrote it)."""
    from breather.store.experiments import experiments, with_experiments

    return with_experiments(settings.policy(), experiments(store.db), now)


class ExperimentWatch:
    """Keeps the coordinator's boundaries those of the settings with the running experiments
    in them: at once when the settings change, and at each `poll` at most once every `every`
    seconds, for experiments started or ended elsewhere (the command line) and for a break
    experiment's end. A database that cannot be read now is tried again next time."""

    def __init__(
        self,
        coordinator: BoundaryCoordinator | None,
        settings: Settings,
        store: Store,
        clock: Clock,
        *,
        every: float = 60.0,
    ) -> None:
        self._coordinator = coordinator
        self._settings = settings
        self._store = store
        self._clock = clock
        self._every = every
        self._next_look = clock.monotonic() + every

    def apply(self, settings: Settings) -> None:
        """New settings: the boundaries follow them (with the experiments) now."""
        self._settings = settings
        self.look()

    def poll(self, mono: float) -> None:
        """Look again if `every` seconds have passed since the last look."""
        if mono >= self._next_look:
            self.look()

    def look(self) -> bool:
        """Apply the settings and experiments now; True when the boundaries changed."""
        from breather.store.sql import StoreError

        self._next_look = self._clock.monotonic() + self._every
        if self._coordinator is None:
            return False
        try:
            policy = policy_with_experiments(self._settings, self._store, self._clock.now())
        except StoreError as error:
            log.warning("experiments could not be read now (%s); trying again later", error)
            return False
        if policy == self._coordinator.policy:
            return False
        self._coordinator.set_policy(policy)
        return True


def seed_other_devices(coordinator: BoundaryCoordinator, store: Store, clock: Clock) -> None:
    """Give the limits other devices' time today as the store holds it now (at the start,
    and after each sync round)."""
    from breather.store.queries import other_devices, summarize

    others = other_devices(store.db, store.device_id)
    if not others:
        return
    policy = coordinator.policy
    today = policy.day_of(clock.now())
    start, end = policy.day_bounds(today)
    totals = summarize(store.db, start, end, "title", device_ids=others).totals
    coordinator.seed_others(today, ((t.app or "", t.key, t.seconds) for t in totals))
