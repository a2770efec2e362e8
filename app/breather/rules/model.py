"""What goes into the rules engine and what comes out: observations, usage, actions, answers.

All frozen dataclasses and string enums, so they can cross threads as signal payloads and be
compared in tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from breather.rules.exercises import Exercise
from breather.rules.policy import BreakKind


class Choice(StrEnum):
    """An answer the person can give; the values double as notification action keys."""

    TAKE = "take"
    POSTPONE = "postpone"
    SKIP = "skip"
    CLOSE = "close"
    MORE = "more"
    IGNORE = "ignore"
    CONTINUE = "continue"


#: Quick answers to "what did you come here for?", offered where typing is not possible.
INTENTIONS = ("Reply to someone", "Look something up", "A short break")


class Outcome(StrEnum):
    """What is stored about a boundary (`boundary_event.outcome`)."""

    DUE = "due"  # a break was announced (warning or start): counted once per break
    TAKEN = "taken"
    NATURAL = "natural"  # the person rested long enough on their own
    POSTPONED = "postponed"
    SKIPPED = "skipped"
    IGNORED = "ignored"  # a running break during which the person kept working
    WARNED = "warned"  # a limit is close
    REACHED = "reached"  # a limit, downtime or intention prompt was shown
    CLOSED = "closed"  # "close it"
    MORE = "more"  # "15 more minutes"
    IGNORED_TODAY = "ignored_today"  # "ignore for today" (downtime: for this evening)
    ANSWERED = "answered"  # an intention prompt answered; detail holds the intention
    STAYED = "stayed"  # after an intention prompt the visit lasted a while
    LEFT = "left"  # ... or the person left soon


@dataclass(frozen=True, slots=True)
class Focus:
    """The window in front of the person, with its category."""

    app: str
    title: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True)
class Observation:
    """One look at the person: the time on both clocks, input idleness and what is in front.

    `idle` is seconds since the last keyboard or pointer input. `away` is the tracker's
    verdict (idle past `idle_after`, or the screen locked). `fullscreen` and `do_not_disturb`
    only matter while a break is waiting to start (`RulesState.wants_desktop_state`).
    """

    at: datetime
    mono: float
    idle: float = 0.0
    focus: Focus | None = None
    away: bool = False
    fullscreen: bool = False
    do_not_disturb: bool = False

    def later(self, at: datetime, mono: float) -> Observation:
        """This observation carried forward to a later moment with no input in between."""
        step = max(0.0, mono - self.mono)
        return Observation(
            at,
            mono,
            self.idle + step,
            self.focus,
            self.away,
            self.fullscreen,
            self.do_not_disturb,
        )


@dataclass(frozen=True, slots=True)
class Usage:
    """Active seconds so far on the person's `day`, per app and per category."""

    day: date
    apps: Mapping[str, float] = field(default_factory=dict)
    categories: Mapping[str, float] = field(default_factory=dict)
    #: The same on this device alone (None: `apps` and `categories` are this device's).
    own_apps: Mapping[str, float] | None = None
    own_categories: Mapping[str, float] | None = None


# -- actions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BreakPrompt:
    """Show or update a break. The same `prompt_id` follows one break from warning to end.

    phase "warning": it starts in `starts_in` seconds; "running": rest for `remaining` of
    `duration` seconds. `quiet` means a fullscreen window or do-not-disturb held it back as
    long as allowed: say it softly (a notification, not a window over everything).
    """

    prompt_id: int
    kind: BreakKind
    phase: str
    duration: float
    starts_in: float
    remaining: float
    choices: tuple[Choice, ...]
    exercise: Exercise
    quiet: bool = False
    postpone_for: float = 0.0


@dataclass(frozen=True, slots=True)
class BreakFinished:
    """A shown break is over (`outcome`: taken, natural, skipped or ignored)."""

    prompt_id: int
    kind: BreakKind
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class LimitPrompt:
    """A limit is near (phase "warning", no choices) or reached (close / more / ignore)."""

    prompt_id: int
    key: str
    label: str
    phase: str
    used: float
    allowed: float
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class DowntimePrompt:
    """The person opened a downtime category during downtime (which ends at `until`)."""

    prompt_id: int
    category: str
    app: str
    until: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class IntentionPrompt:
    """The person switched into an intention category: ask what they came for."""

    prompt_id: int
    category: str
    app: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class Withdraw:
    """A prompt no longer applies (the person moved on, or answered elsewhere): hide it."""

    prompt_id: int


@dataclass(frozen=True, slots=True)
class Record:
    """Something to store: `kind` is eyes, movement, limit, downtime or intention."""

    at: datetime
    kind: str
    outcome: Outcome
    subject: str = ""
    detail: str = ""


Action = BreakPrompt | BreakFinished | LimitPrompt | DowntimePrompt | IntentionPrompt | Withdraw
Effect = Action | Record


@dataclass(frozen=True, slots=True)
class Answer:
    """The person's answer to prompt `prompt_id`; `detail` carries an intention's words."""

    prompt_id: int
    choice: Choice
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What to do now, and when to look again (monotonic seconds; None: only on new input)."""

    actions: tuple[Action, ...] = ()
    records: tuple[Record, ...] = ()
    next_deadline: float | None = None
    mono: float = 0.0

    @property
    def wake_in(self) -> float | None:
        """Seconds from the evaluation until `next_deadline`."""
        if self.next_deadline is None:
            return None
        return max(0.0, self.next_deadline - self.mono)
