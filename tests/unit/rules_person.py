"""A simulated person at a desk, for driving the rules engine through days in microseconds.

The person works (input every second), pauses, goes away, suspends the machine and answers
prompts; the engine is asked once a second, as the recorder does, and everything it says is
kept with the person's clock time so tests can check what a person would have seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from breather.clock import FakeClock
from breather.rules import (
    Action,
    Answer,
    BreakFinished,
    BreakPrompt,
    Choice,
    Evaluation,
    Focus,
    Observation,
    Outcome,
    Policy,
    Record,
    RulesState,
    Usage,
    answer,
    evaluate,
)

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EDITOR = Focus("code", "notes.md", "Work")
SOCIAL = Focus("firefox", "Home / X", "Social media")
VIDEO = Focus("mpv", "film.mkv", "Video")


@dataclass(frozen=True, slots=True)
class Seen:
    """Something the engine said, with when (seconds since the start) and the wall time."""

    t: float
    at: datetime
    item: Action | Record


@dataclass
class Person:
    policy: Policy = field(default_factory=Policy)
    start: datetime = MONDAY_9
    focus: Focus | None = EDITOR
    fullscreen: bool = False
    do_not_disturb: bool = False
    away_after: float = 180.0

    def __post_init__(self) -> None:
        self.clock = FakeClock(self.start)
        self.state = RulesState()
        self.t0 = self.clock.monotonic()
        self.last_input = self.clock.monotonic()
        self.seen: list[Seen] = []
        self.taken_by_hand: set[int] = set()
        self._usage_day: date | None = None
        self._apps: dict[str, float] = {}
        self._categories: dict[str, float] = {}
        self.look()  # the engine starts watching when the person sits down

    # -- time passing ----------------------------------------------------------------------

    @property
    def t(self) -> float:
        """Seconds of monotonic time since the start."""
        return self.clock.monotonic() - self.t0

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def work(self, seconds: float, *, step: float = 1.0) -> None:
        """Type and click for `seconds`, input at least once a second."""
        self._run(seconds, step, typing=True)

    def pause(self, seconds: float, *, step: float = 1.0) -> None:
        """Sit still (read, look away, leave) for `seconds`."""
        self._run(seconds, step, typing=False)

    def suspend(self, seconds: float, *, wake_with_input: bool = True) -> None:
        """Close the lid: the wall clock moves, the monotonic clock does not."""
        self.clock.jump_wall(seconds)
        self.clock.advance(1.0)
        if wake_with_input:
            self.last_input = self.clock.monotonic()
        self.look()

    def until(self, moment: datetime, *, typing: bool = True) -> None:
        """Work (or sit still) until the wall clock reads `moment`."""
        self._run((moment - self.now).total_seconds(), 1.0, typing=typing)

    def look(self) -> Evaluation:
        """One observation, as the recorder's coordinator makes after each sample."""
        mono = self.clock.monotonic()
        idle = mono - self.last_input
        away = idle >= self.away_after
        observation = Observation(
            self.now,
            mono,
            idle,
            self.focus,
            away,
            self.fullscreen,
            self.do_not_disturb,
        )
        return self._keep(evaluate(self.policy, self.state, observation, self._usage()))

    def answer(self, choice: Choice, prompt_id: int | None = None, detail: str = "") -> Evaluation:
        """Answer the newest prompt (or `prompt_id`) right now."""
        if prompt_id is None:
            prompt_id = self.last_prompt().prompt_id  # type: ignore[attr-defined]
        if choice is Choice.TAKE:
            self.taken_by_hand.add(prompt_id)
        given = Answer(prompt_id, choice, detail)
        return self._keep(answer(self.policy, self.state, given, self.now, self.clock.monotonic()))

    # -- what was seen ---------------------------------------------------------------------

    def actions(self, kind: type | None = None) -> list[Seen]:
        return [
            s
            for s in self.seen
            if not isinstance(s.item, Record) and (kind is None or isinstance(s.item, kind))
        ]

    def records(self, kind: str | None = None) -> list[Record]:
        return [
            s.item
            for s in self.seen
            if isinstance(s.item, Record) and (kind is None or s.item.kind == kind)
        ]

    def outcomes(self, kind: str) -> list[Outcome]:
        return [r.outcome for r in self.records(kind)]

    def last_prompt(self) -> Action:
        for seen in reversed(self.seen):
            if not isinstance(seen.item, (Record, BreakFinished)) and hasattr(seen.item, "choices"):
                return seen.item
        raise AssertionError("no prompt was shown")

    def break_prompts(self, kind: str, phase: str | None = None) -> list[Seen]:
        return [
            s
            for s in self.actions(BreakPrompt)
            if s.item.kind == kind and (phase is None or s.item.phase == phase)  # type: ignore[union-attr]
        ]

    def used(self, key: str) -> float:
        return self._apps.get(key, self._categories.get(key, 0.0))

    # -- internals -------------------------------------------------------------------------

    def _run(self, seconds: float, step: float, *, typing: bool) -> None:
        steps = round(seconds / step)
        for _ in range(steps):
            self.clock.advance(step)
            active = typing or self.clock.monotonic() - self.last_input < self.away_after
            if typing:
                self.last_input = self.clock.monotonic()
            if active and self.focus is not None:
                self._count(step)
            self.look()

    def _count(self, seconds: float) -> None:
        assert self.focus is not None
        self._roll()
        self._apps[self.focus.app] = self._apps.get(self.focus.app, 0.0) + seconds
        category = self.focus.category
        self._categories[category] = self._categories.get(category, 0.0) + seconds

    def _roll(self) -> None:
        day = self.policy.day_of(self.now)
        if day != self._usage_day:
            self._usage_day = day
            self._apps.clear()
            self._categories.clear()

    def _usage(self) -> Usage:
        self._roll()
        assert self._usage_day is not None
        return Usage(self._usage_day, dict(self._apps), dict(self._categories))

    def _keep(self, evaluation: Evaluation) -> Evaluation:
        self.last_evaluation = evaluation
        # Within one call the engine settles what happened before it decides what to show.
        for item in (*evaluation.records, *evaluation.actions):
            self.seen.append(Seen(self.t, self.now, item))
        if evaluation.next_deadline is not None:
            assert evaluation.next_deadline >= evaluation.mono, evaluation
        return evaluation


def local_policy(tz: tzinfo, **changes: object) -> Policy:
    """A default policy in a given time zone."""
    return Policy(tz=tz, **changes)  # type: ignore[arg-type]


def at_local(day: date, hour: int, minute: int, tz: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


def minutes(value: float) -> float:
    return value * 60.0


ONE_DAY = timedelta(days=1)
