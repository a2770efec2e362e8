"""What the person asked for: break cadences, daily limits, downtime and intention prompts.

Plain frozen data, read from `[breaks]`, `[[limits]]`, `[downtime]` and `[intention]` by
`breather.settings.model`. The timings that are not settings (how long to wait for a pause in
typing, how early to warn, how long a postpone lasts) are derived here from each break's
cadence and length, so short test cadences scale down with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Literal

BreakKind = Literal["eyes", "movement"]

#: A pause in input this long is a pause in typing: a due break may start in it.
TYPING_PAUSE = 2.0
#: "15 more minutes" on a limit or downtime prompt.
MORE_TIME = 15 * 60.0
#: After leaving an intention category, coming back within this long asks nothing.
INTENTION_COOLDOWN = 10 * 60.0
#: A visit after an intention prompt that lasts at least this long is recorded as "stayed".
STAYED_AFTER = 60.0


@dataclass(frozen=True, slots=True)
class BreakRule:
    """One kind of break: `duration` seconds of rest after every `every` seconds of activity."""

    kind: BreakKind
    every: float
    duration: float
    enabled: bool = True
    #: The person's own ideas for this kind of break, offered in turn with Breather's.
    ideas: tuple[str, ...] = ()

    @property
    def warn_ahead(self) -> float:
        """How long before the break the person is told it is coming."""
        return min(10.0 if self.kind == "eyes" else 60.0, self.every / 2)

    @property
    def postpone_for(self) -> float:
        """Active time a postponed break waits before it comes back (it is announced again
        `warn_ahead` before that, so it is always longer than the warning)."""
        base = min(120.0 if self.kind == "eyes" else 180.0, self.every / 4)
        return min(self.every, max(base, 2 * self.warn_ahead))

    @property
    def postpone_window(self) -> float:
        """How long into a running break postponing is still offered (then: skip)."""
        return max(10.0, 0.3 * self.duration)

    @property
    def rest_threshold(self) -> float:
        """A pause in input this long is rest, not the rhythm of typing or reading."""
        return min(self.duration / 2, 30.0)

    @property
    def start_wait(self) -> float:
        """The longest a due break waits for a pause in typing before it starts anyway."""
        return min(30.0, max(TYPING_PAUSE, self.every / 4))

    @property
    def max_defer(self) -> float:
        """The longest a fullscreen window or do-not-disturb holds a due break back."""
        return min(30 * 60.0, self.every)

    @property
    def min_gap(self) -> float:
        """No break of this kind starts sooner than this after another prompt ended."""
        return min(5 * 60.0, self.every / 4)

    @property
    def ignore_after(self) -> float:
        """A running break with no rest for this long is recorded as ignored."""
        return self.duration + max(self.duration, 30.0)


@dataclass(frozen=True, slots=True)
class Breaks:
    """Eye breaks (20-20-20) and movement breaks, counted on active time."""

    eyes: BreakRule = BreakRule("eyes", every=20 * 60.0, duration=20.0)
    movement: BreakRule = BreakRule("movement", every=45 * 60.0, duration=5 * 60.0)

    def rules(self) -> tuple[BreakRule, ...]:
        """The enabled rules, shortest break first."""
        return tuple(r for r in (self.eyes, self.movement) if r.enabled)


@dataclass(frozen=True, slots=True)
class Limit:
    """A daily allowance for one app (WM_CLASS class) or one category.

    `daily` applies to every day; `weekday` (Monday to Friday) and `weekend` replace it on
    those days. A day with no value has no limit.
    """

    app: str | None = None
    category: str | None = None
    daily: float | None = None
    weekday: float | None = None
    weekend: float | None = None
    #: Whose time counts: "all" devices (synced ones too), or "this" device alone.
    devices: str = "all"
    #: A personal experiment's allowance, which replaces the others from `trial_from` to
    #: `trial_to` (the person's days, both included); outside them the limit is as configured.
    trial: float | None = None
    trial_from: date | None = None
    trial_to: date | None = None

    @property
    def key(self) -> str:
        """A stable name for the limit: "app:firefox" or "category:Social media"."""
        return f"app:{self.app}" if self.app is not None else f"category:{self.category}"

    @property
    def label(self) -> str:
        """What the person calls it."""
        return self.app if self.app is not None else str(self.category)

    def allowance(self, day: date) -> float | None:
        """Seconds allowed on `day` (the person's day), None for no limit that day."""
        if (
            self.trial is not None
            and self.trial_from is not None
            and self.trial_to is not None
            and self.trial_from <= day <= self.trial_to
        ):
            return self.trial
        specific = self.weekend if day.weekday() >= 5 else self.weekday
        return specific if specific is not None else self.daily

    def warn_before(self, allowed: float) -> float:
        """How long before the limit the warning comes."""
        return min(5 * 60.0, allowed / 5)


@dataclass(frozen=True, slots=True)
class Downtime:
    """A daily quiet time, from `start` to `end` local time (it may cross midnight)."""

    start: time | None = None
    end: time | None = None
    categories: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return (
            self.start is not None
            and self.end is not None
            and self.start != self.end
            and bool(self.categories)
        )

    def window_start(self, local: datetime) -> datetime | None:
        """When the downtime holding the naive local time `local` began; None outside one."""
        if not self.enabled:
            return None
        assert self.start is not None and self.end is not None
        today_start = datetime.combine(local.date(), self.start)
        if self.start < self.end:
            inside = self.start <= local.time() < self.end
            return today_start if inside else None
        if local.time() >= self.start:
            return today_start
        if local.time() < self.end:
            return datetime.combine(local.date().fromordinal(local.toordinal() - 1), self.start)
        return None


@dataclass(frozen=True, slots=True)
class Intention:
    """Categories that ask "what did you come here for?" when the person switches into them."""

    categories: tuple[str, ...] = ("Social media",)


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything the rules engine applies. `tz` None means the system's local time zone."""

    breaks: Breaks = field(default_factory=Breaks)
    limits: tuple[Limit, ...] = ()
    downtime: Downtime = field(default_factory=Downtime)
    intention: Intention = field(default_factory=Intention)
    day_starts: time = time(4, 0)
    tz: tzinfo | None = None

    def local(self, at: datetime) -> datetime:
        """`at` (aware) as naive local wall time."""
        return at.astimezone(self.tz).replace(tzinfo=None)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The person's `day` as aware datetimes [start, end), `day_starts` to `day_starts`."""
        start = datetime.combine(day, self.day_starts)
        end = datetime.combine(date.fromordinal(day.toordinal() + 1), self.day_starts)
        if self.tz is None:
            return start.astimezone(), end.astimezone()
        return start.replace(tzinfo=self.tz), end.replace(tzinfo=self.tz)

    def day_of(self, at: datetime) -> date:
        """The person's day holding `at`: before `day_starts` it is still yesterday."""
        local = self.local(at)
        if local.time() < self.day_starts:
            return date.fromordinal(local.toordinal() - 1)
        return local.date()
