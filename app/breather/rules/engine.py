"""The boundary engine: from observations of the person to prompts, records and a deadline.

    evaluation = evaluate(policy, state, observation, usage)
    evaluation = answer(policy, state, Answer(prompt_id, Choice.POSTPONE), at, mono)

Pure Python, no timers and no I/O. `state` is a plain mutable `RulesState`, updated in place;
the caller shows `evaluation.actions`, stores `evaluation.records` and looks again at
`evaluation.next_deadline` (monotonic seconds) or on the next observation, whichever is first.

Breaks are counted on active time. Time runs on the engine's own timeline: monotonic time,
plus the wall-clock time a suspend swallowed (the monotonic clock stops during suspend, the
wall clock does not). Every break kind keeps `committed` active seconds up to the person's
last input; when input resumes, the pause before it counts as activity if it was shorter than
the kind's `rest_threshold` (the rhythm of typing and reading) and as rest if it was longer:

- a pause of at least the break's length is a natural break: the timer starts again;
- a shorter pause past the threshold is credited: its whole length stays off the timer;
- a break starts at a pause in typing (or after `start_wait`), is announced `warn_ahead`
  first, never within `min_gap` of another prompt ending, and is held back while a fullscreen
  window or do-not-disturb is on for at most `max_defer` (then it comes, quietly);
- it offers postpone early and once, skip after that, and no skip after two skips in a row;
- a longer break covers a shorter one: a movement break due soon takes the eye break's turn.

Limits, downtime and intention prompts look at the window in front (its category comes from
the caller's categorizer) and at today's usage, and only ask on entering or on crossing a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from breather.rules.exercises import suggest
from breather.rules.model import (
    Action,
    Answer,
    BreakFinished,
    BreakPrompt,
    Choice,
    DowntimePrompt,
    Evaluation,
    Focus,
    IntentionPrompt,
    LimitPrompt,
    Observation,
    Outcome,
    Record,
    Usage,
    Withdraw,
)
from breather.rules.policy import (
    INTENTION_COOLDOWN,
    MORE_TIME,
    STAYED_AFTER,
    TYPING_PAUSE,
    BreakKind,
    BreakRule,
    Limit,
    Policy,
)

#: Wall time running this much ahead of monotonic time between two looks is a suspend.
SUSPEND_TOLERANCE = 2.0
#: The last input moving by less than this is the same input (clock reading jitter).
INPUT_JITTER = 0.25
#: Deadlines closer than this are rounded up, so a caller never spins.
MIN_WAKE = 0.05
#: Ask for fullscreen and do-not-disturb this long before a break could be announced.
DESK_PROBE_AHEAD = 5.0

COUNTING = "counting"
WARNED = "warned"
RUNNING = "running"


@dataclass
class BreakTimer:
    """One break kind's progress. Times are on the engine timeline (`RulesState.t`)."""

    committed: float = 0.0
    phase: str = COUNTING
    prompt_id: int | None = None
    announced: bool = False  # "due" is recorded once per break, however often it is shown
    postponed: bool = False
    asked: bool = False  # the person asked for this break: nothing to postpone
    warned_at: float | None = None
    due_since: float | None = None
    ready_since: float | None = None
    started_at: float | None = None
    rest_from: float = 0.0
    last_rest: float = 0.0
    choices: tuple[Choice, ...] = ()
    quiet: bool = False
    rested: bool = False  # slept or away through the rest of a running break
    natural_for: float | None = None  # the last input whose pause was already a natural break
    number: int = 0

    def reset(self) -> None:
        """Start counting afresh after a break; the count of breaks stays."""
        fresh = BreakTimer(natural_for=self.natural_for, number=self.number)
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(fresh, name))


@dataclass
class LimitState:
    warned: bool = False
    extra: float = 0.0
    ignored: bool = False
    closed_visit: bool = False
    prompt_id: int | None = None


@dataclass
class DowntimeState:
    window: str | None = None
    prompt_id: int | None = None
    snoozed_until: float | None = None
    ignored_window: str | None = None
    closed_visit: bool = False


@dataclass
class Visit:
    """A stay in an intention category that began with a prompt."""

    category: str
    since: float
    prompt_id: int | None


@dataclass
class RulesState:
    """Everything the engine remembers between calls; plain data, safe to deep-copy."""

    t: float = 0.0
    mono: float | None = None
    wall: datetime | None = None
    last_input: float = 0.0
    prev_idle: float = 0.0
    timers: dict[str, BreakTimer] = field(default_factory=dict)
    skips_in_a_row: int = 0
    prompt_ended: dict[str, float] = field(default_factory=dict)  # kind -> when its prompt ended
    desk_needed: bool = False
    next_id: int = 1
    day: date | None = None
    limits: dict[str, LimitState] = field(default_factory=dict)
    downtime: DowntimeState = field(default_factory=DowntimeState)
    left_category_at: dict[str, float] = field(default_factory=dict)
    intention_closed: set[str] = field(default_factory=set)
    visit: Visit | None = None
    focus_app: str | None = None
    focus_category: str | None = None
    intention_prompts: dict[int, str] = field(default_factory=dict)

    @property
    def wants_desktop_state(self) -> bool:
        """Whether the next observation should say if a fullscreen window or DND is on.

        Only a break about to be announced or started needs to know, so callers can skip
        the desktop round trips the rest of the time.
        """
        return self.desk_needed

    def timer(self, kind: BreakKind) -> BreakTimer:
        return self.timers.setdefault(kind, BreakTimer())


class _Call:
    """One call to the engine: the policy, the state, the moment, and what it produces."""

    def __init__(self, policy: Policy, state: RulesState, at: datetime, mono: float) -> None:
        self.policy = policy
        self.state = state
        self.at = at
        self.mono = mono
        self.t = state.t
        self.actions: list[Action] = []
        self.records: list[Record] = []
        self.wakes: list[float] = []

    def act(self, action: Action) -> None:
        self.actions.append(action)

    def record(self, kind: str, outcome: Outcome, subject: str = "", detail: str = "") -> None:
        self.records.append(Record(self.at, kind, outcome, subject, detail))

    def wake_in(self, seconds: float) -> None:
        if seconds >= 0:
            self.wakes.append(max(MIN_WAKE, seconds))

    def new_id(self) -> int:
        prompt_id = self.state.next_id
        self.state.next_id += 1
        return prompt_id

    def result(self) -> Evaluation:
        deadline = self.mono + min(self.wakes) if self.wakes else None
        return Evaluation(tuple(self.actions), tuple(self.records), deadline, self.mono)


# -- entry points --------------------------------------------------------------------------


def evaluate(
    policy: Policy, state: RulesState, observation: Observation, usage: Usage | None = None
) -> Evaluation:
    """Take one observation; returns what to show, what to store and when to look again."""
    suspended = _advance(state, observation)
    call = _Call(policy, state, observation.at, observation.mono)
    state.desk_needed = False
    _breaks(call, observation, suspended)
    _boundaries(call, observation, usage)
    return call.result()


def answer(
    policy: Policy, state: RulesState, given: Answer, at: datetime, mono: float
) -> Evaluation:
    """Apply the person's answer to one prompt. Answers to prompts gone by are ignored."""
    call = _Call(policy, state, at, mono)
    if state.mono is not None:
        call.t = state.t + max(0.0, mono - state.mono)
    for rule in policy.breaks.rules():
        timer = state.timer(rule.kind)
        if timer.prompt_id == given.prompt_id:
            _answer_break(call, rule, timer, given.choice)
            return call.result()
    for limit in policy.limits:
        limit_state = state.limits.get(limit.key)
        if limit_state is not None and limit_state.prompt_id == given.prompt_id:
            _answer_limit(call, limit, limit_state, given.choice)
            return call.result()
    if state.downtime.prompt_id is not None and state.downtime.prompt_id == given.prompt_id:
        _answer_downtime(call, given.choice)
        return call.result()
    category = state.intention_prompts.pop(given.prompt_id, None)
    if category is not None:
        _answer_intention(call, category, given)
    return call.result()


def take_break_now(
    policy: Policy, state: RulesState, kind: BreakKind, at: datetime, mono: float
) -> Evaluation:
    """The person asked for a break (the tray's "Take a break now"): it runs from now.

    Nothing was due, so nothing is recorded as due; it ends taken (or worked through) like
    any other and resets the shorter breaks it covers. A break already showing is used.
    """
    call = _Call(policy, state, at, mono)
    if state.mono is not None:
        call.t = state.t + max(0.0, mono - state.mono)
    rules = {rule.kind: rule for rule in policy.breaks.rules()}
    rule = rules.get(kind) or BreakRule(kind, 3600.0, 300.0 if kind == "movement" else 20.0)
    timer = state.timer(kind)
    if any(other.phase == RUNNING for other in state.timers.values()):
        return call.result()
    if timer.prompt_id is None:
        timer.prompt_id = call.new_id()
    timer.announced = True  # asked for, not due: no "due" record
    timer.asked = True
    _start(call, rule, timer, quiet=False)
    timer.rest_from = call.t
    return call.result()


# -- time and activity ---------------------------------------------------------------------


def _advance(state: RulesState, obs: Observation) -> float:
    """Move the timeline to `obs`; returns seconds suspended since the last look."""
    if state.mono is None or state.wall is None:
        state.mono, state.wall = obs.mono, obs.at
        state.last_input = state.t - obs.idle
        state.prev_idle = obs.idle
        return 0.0
    mono_step = max(0.0, obs.mono - state.mono)
    wall_step = (obs.at - state.wall).total_seconds()
    suspended = wall_step - mono_step if wall_step - mono_step > SUSPEND_TOLERANCE else 0.0
    state.t += mono_step + suspended
    state.mono, state.wall = obs.mono, obs.at
    return suspended


def _breaks(call: _Call, obs: Observation, suspended: float) -> None:
    state, t, idle = call.state, call.t, obs.idle
    rules = call.policy.breaks.rules()
    if suspended:
        # Nobody typed while the machine slept: the pause so far grows by the time asleep.
        rest = state.prev_idle + suspended
        for rule in rules:
            timer = state.timer(rule.kind)
            if timer.phase == RUNNING:
                timer.rested = min(rest, t - timer.rest_from) >= rule.duration
            else:
                _natural(call, rule, timer, rest)
        state.last_input = t - idle
    else:
        latest = t - idle
        if latest > state.last_input + INPUT_JITTER:
            pause = state.prev_idle  # the pause that just ended lasted at least this long
            span = latest - state.last_input
            for rule in rules:
                credit = pause if pause >= rule.rest_threshold else 0.0
                state.timer(rule.kind).committed += max(0.0, span - credit)
            state.last_input = latest
        for rule in rules:
            timer = state.timer(rule.kind)
            if timer.phase != RUNNING:
                _natural(call, rule, timer, idle)
    state.prev_idle = idle

    for rule in rules:
        timer = state.timer(rule.kind)
        if timer.phase == RUNNING:
            _running(call, rule, timer, idle)
    for rule in rules:
        timer = state.timer(rule.kind)
        if timer.phase != RUNNING:
            _counting(call, rule, timer, obs)


def _natural(call: _Call, rule: BreakRule, timer: BreakTimer, rest: float) -> None:
    """No input for `rest` seconds: credited while short, a natural break once long enough."""
    state = call.state
    if rest < rule.duration:
        if rest >= rule.rest_threshold:
            call.wake_in(rule.duration - rest)
        return
    if timer.natural_for == state.last_input:
        return  # this pause was counted already
    timer.natural_for = state.last_input
    shown = timer.phase != COUNTING
    # A long pause well after the last break is a break worth counting; one just after a
    # break is not another.
    if shown or timer.announced or timer.committed >= rule.every / 2:
        call.record(rule.kind, Outcome.NATURAL)
        state.skips_in_a_row = 0
    if shown and timer.prompt_id is not None:
        call.act(BreakFinished(timer.prompt_id, rule.kind, Outcome.NATURAL))
        state.prompt_ended[rule.kind] = call.t
    timer.reset()


def _running(call: _Call, rule: BreakRule, timer: BreakTimer, idle: float) -> None:
    assert timer.started_at is not None and timer.prompt_id is not None
    t = call.t
    rest = max(0.0, min(idle, t - timer.rest_from))
    if rest >= rule.duration or timer.rested:
        _finish(call, rule, timer, Outcome.TAKEN)
        return
    if t - timer.started_at >= rule.ignore_after and idle < rule.rest_threshold:
        call.state.skips_in_a_row += 1
        _finish(call, rule, timer, Outcome.IGNORED)
        return
    choices = _choices(call, rule, timer)
    restarted = rest + 0.5 < timer.last_rest  # input during the break: its rest starts again
    timer.last_rest = rest
    if choices != timer.choices or restarted:
        timer.choices = choices
        call.act(_break_prompt(rule, timer, RUNNING, 0.0, rule.duration - rest))
    call.wake_in(rule.duration - rest)
    if Choice.POSTPONE in choices:
        call.wake_in(timer.started_at + rule.postpone_window - t)
    call.wake_in(timer.started_at + rule.ignore_after - t)


def _finish(call: _Call, rule: BreakRule, timer: BreakTimer, outcome: Outcome) -> None:
    """A shown break ends; a taken one also covers every shorter break."""
    state = call.state
    if timer.prompt_id is not None:
        call.act(BreakFinished(timer.prompt_id, rule.kind, outcome))
    call.record(rule.kind, outcome)
    state.prompt_ended[rule.kind] = call.t
    timer.number += 1
    timer.reset()
    if outcome is not Outcome.TAKEN:
        return
    state.skips_in_a_row = 0
    for other in call.policy.breaks.rules():
        if other.kind == rule.kind or other.duration > rule.duration:
            continue
        covered = state.timer(other.kind)
        if covered.phase == RUNNING:
            continue
        if covered.announced:
            call.record(other.kind, Outcome.TAKEN, detail=f"with the {rule.kind} break")
        if covered.phase != COUNTING and covered.prompt_id is not None:
            call.act(BreakFinished(covered.prompt_id, other.kind, Outcome.TAKEN))
        covered.reset()


def _counting(call: _Call, rule: BreakRule, timer: BreakTimer, obs: Observation) -> None:
    """A break not yet running: warn, hold, or start it."""
    state, t, idle = call.state, call.t, obs.idle
    worked = timer.committed  # up to the last input: a pause under way may yet be rest
    active = idle < rule.rest_threshold and not obs.away
    warn_at = rule.every - rule.warn_ahead
    if worked >= warn_at - DESK_PROBE_AHEAD:
        state.desk_needed = True
    if worked < warn_at:
        if active:
            call.wake_in(warn_at - worked)
        return
    if _covered(call, rule):
        return
    if timer.phase == COUNTING and _merge_into_longer(call, rule, worked):
        return
    if worked >= rule.every and timer.due_since is None:
        timer.due_since = t
    if obs.fullscreen or obs.do_not_disturb:
        if timer.due_since is not None and t - timer.due_since >= rule.max_defer:
            _start(call, rule, timer, quiet=True)
        elif timer.due_since is not None:
            call.wake_in(timer.due_since + rule.max_defer - t)
        elif active:
            call.wake_in(rule.every - worked)
        timer.ready_since = None
        return
    if any(other.phase == RUNNING for other in state.timers.values()):
        return
    others = [end for kind, end in state.prompt_ended.items() if kind != rule.kind]
    if others and t - max(others) < rule.min_gap:
        call.wake_in(max(others) + rule.min_gap - t)
        timer.ready_since = None
        return
    if timer.phase == COUNTING:
        timer.phase = WARNED
        timer.warned_at = t
        timer.prompt_id = call.new_id()
        timer.choices = _choices(call, rule, timer)
        _announce(call, rule, timer)
        call.act(_break_prompt(rule, timer, "warning", rule.warn_ahead, rule.duration))
    assert timer.warned_at is not None
    if worked < rule.every or t - timer.warned_at < rule.warn_ahead:
        call.wake_in(timer.warned_at + rule.warn_ahead - t)
        if active:
            call.wake_in(rule.every - worked)
        return
    if timer.ready_since is None:
        timer.ready_since = t
    if idle >= TYPING_PAUSE or t - timer.ready_since >= rule.start_wait:
        _start(call, rule, timer, quiet=False)
        return
    call.wake_in(TYPING_PAUSE - idle)
    call.wake_in(timer.ready_since + rule.start_wait - t)


def _covered(call: _Call, rule: BreakRule) -> bool:
    """A longer break is on its way or running: it will rest these eyes too."""
    return any(
        other.duration > rule.duration and call.state.timer(other.kind).phase != COUNTING
        for other in call.policy.breaks.rules()
    )


def _merge_into_longer(call: _Call, rule: BreakRule, worked: float) -> bool:
    """When a longer break is due soon anyway, bring it forward instead of this one."""
    for other in call.policy.breaks.rules():
        if other.duration <= rule.duration:
            continue
        other_timer = call.state.timer(other.kind)
        if other_timer.phase != COUNTING:
            continue
        other_left = other.every - other_timer.committed
        if other_left <= min(5 * 60.0, other.every / 4, rule.every / 4):
            other_timer.committed = max(
                other_timer.committed, other.every - max(0.0, rule.every - worked)
            )
            return True
    return False


def _announce(call: _Call, rule: BreakRule, timer: BreakTimer) -> None:
    if not timer.announced:
        timer.announced = True
        call.record(rule.kind, Outcome.DUE)


def _start(call: _Call, rule: BreakRule, timer: BreakTimer, *, quiet: bool) -> None:
    if timer.prompt_id is None:
        timer.prompt_id = call.new_id()
    _announce(call, rule, timer)
    timer.phase = RUNNING
    timer.started_at = call.t
    # Begun at a pause in typing, the break's rest began with that pause.
    timer.rest_from = min(call.t, call.state.last_input)
    timer.last_rest = 0.0
    timer.quiet = quiet
    timer.choices = _choices(call, rule, timer)
    call.act(_break_prompt(rule, timer, RUNNING, 0.0, rule.duration))
    call.wake_in(rule.duration)


def _choices(call: _Call, rule: BreakRule, timer: BreakTimer) -> tuple[Choice, ...]:
    """Postpone once and early; skip after that, unless the last two breaks were skipped."""
    early = timer.phase != RUNNING or (
        timer.started_at is not None and call.t - timer.started_at < rule.postpone_window
    )
    if early and not timer.postponed and not timer.asked:
        return (Choice.TAKE, Choice.POSTPONE)
    if call.state.skips_in_a_row < 2:
        return (Choice.TAKE, Choice.SKIP)
    return (Choice.TAKE,)


def _break_prompt(
    rule: BreakRule, timer: BreakTimer, phase: str, starts_in: float, remaining: float
) -> BreakPrompt:
    assert timer.prompt_id is not None
    return BreakPrompt(
        prompt_id=timer.prompt_id,
        kind=rule.kind,
        phase=phase,
        duration=rule.duration,
        starts_in=starts_in,
        remaining=max(0.0, remaining),
        choices=timer.choices,
        exercise=suggest(rule.kind, timer.number, rule.ideas),
        quiet=timer.quiet,
        postpone_for=rule.postpone_for,
    )


def _answer_break(call: _Call, rule: BreakRule, timer: BreakTimer, choice: Choice) -> None:
    if choice not in _choices(call, rule, timer):
        return  # a button from a moment ago that is no longer offered
    if choice is Choice.TAKE:
        if timer.phase != RUNNING:
            _start(call, rule, timer, quiet=False)
        else:
            timer.rest_from = call.t
            timer.last_rest = 0.0
            call.act(_break_prompt(rule, timer, RUNNING, 0.0, rule.duration))
        return
    assert timer.prompt_id is not None
    if choice is Choice.POSTPONE:
        call.record(rule.kind, Outcome.POSTPONED)
        call.act(Withdraw(timer.prompt_id))
        timer.postponed = True
        timer.committed = rule.every - rule.postpone_for
        timer.phase = COUNTING
        timer.prompt_id = None
        timer.warned_at = timer.due_since = timer.ready_since = timer.started_at = None
        timer.quiet = False
        call.state.prompt_ended[rule.kind] = call.t
        # A break put off puts off the shorter ones it would have covered with it.
        for other in call.policy.breaks.rules():
            shorter = call.state.timer(other.kind)
            if other.duration < rule.duration and shorter.phase == COUNTING:
                pushed_back = max(0.0, other.every - rule.postpone_for)
                shorter.committed = min(shorter.committed, pushed_back)
        return
    call.state.skips_in_a_row += 1
    _finish(call, rule, timer, Outcome.SKIPPED)


# -- limits, downtime, intention -----------------------------------------------------------


def _boundaries(call: _Call, obs: Observation, usage: Usage | None) -> None:
    policy, state = call.policy, call.state
    day = policy.day_of(obs.at)
    if state.day != day:
        for limit_state in state.limits.values():
            if limit_state.prompt_id is not None:
                call.act(Withdraw(limit_state.prompt_id))
        state.limits.clear()
        state.day = day
    call.wake_in(_seconds_to_next_day(policy, obs.at))
    focus = None if obs.away else obs.focus
    category = focus.category if focus is not None and focus.category else None
    entered_category = category is not None and category != state.focus_category

    asked = _downtime(call, obs, category, entered_category)
    for limit in policy.limits:
        asked = _limit(call, limit, focus, _used(limit, usage, day)) or asked
    _intention(call, obs, category, entered_category and not asked)

    state.focus_app = focus.app if focus is not None else None
    state.focus_category = category


def _limit(call: _Call, limit: Limit, focus: Focus | None, used: float) -> bool:
    """Warn near a limit and ask at it; True if it asked something now."""
    assert call.state.day is not None
    allowance = limit.allowance(call.state.day)
    ls = call.state.limits.setdefault(limit.key, LimitState())
    inside = focus is not None and (
        (limit.app is not None and focus.app == limit.app)
        or (limit.category is not None and focus.category == limit.category)
    )
    if not inside:
        if ls.prompt_id is not None:
            call.act(Withdraw(ls.prompt_id))
            ls.prompt_id = None
        ls.closed_visit = False
        return False
    if allowance is None or ls.ignored:
        return False
    allowed = allowance + ls.extra
    warn_at = allowed - limit.warn_before(allowance)
    if not ls.warned and warn_at <= used < allowed:
        ls.warned = True
        call.record("limit", Outcome.WARNED, limit.key, f"{used:.0f}")
        call.act(LimitPrompt(call.new_id(), limit.key, limit.label, "warning", used, allowed, ()))
    if used < allowed:
        call.wake_in((warn_at if used < warn_at else allowed) - used)
        return False
    if ls.prompt_id is not None or ls.closed_visit:
        return False
    ls.prompt_id = call.new_id()
    call.record("limit", Outcome.REACHED, limit.key, f"{used:.0f}")
    choices = (Choice.CLOSE, Choice.MORE, Choice.IGNORE)
    call.act(LimitPrompt(ls.prompt_id, limit.key, limit.label, "reached", used, allowed, choices))
    return True


def _used(limit: Limit, usage: Usage | None, day: date) -> float:
    if usage is None or usage.day != day:
        return 0.0
    this_device = limit.devices == "this"
    if limit.app is not None:
        apps = usage.own_apps if this_device and usage.own_apps is not None else usage.apps
        return float(apps.get(limit.app, 0.0))
    categories = (
        usage.own_categories
        if this_device and usage.own_categories is not None
        else usage.categories
    )
    return float(categories.get(limit.category or "", 0.0))


def _answer_limit(call: _Call, limit: Limit, ls: LimitState, choice: Choice) -> None:
    assert ls.prompt_id is not None
    call.act(Withdraw(ls.prompt_id))
    ls.prompt_id = None
    if choice is Choice.CLOSE:
        ls.closed_visit = True
        call.record("limit", Outcome.CLOSED, limit.key)
    elif choice is Choice.MORE:
        ls.extra += MORE_TIME
        call.record("limit", Outcome.MORE, limit.key, f"{MORE_TIME:.0f}")
    elif choice is Choice.IGNORE:
        ls.ignored = True
        call.record("limit", Outcome.IGNORED_TODAY, limit.key)


def _downtime(call: _Call, obs: Observation, category: str | None, entered: bool) -> bool:
    """Ask when a downtime category is opened during downtime; True if it asked now."""
    downtime, ds = call.policy.downtime, call.state.downtime
    if not downtime.enabled:
        return False
    local = call.policy.local(obs.at)
    began = downtime.window_start(local)
    call.wake_in(_seconds_to_downtime_edge(call.policy, local))
    window = began.isoformat() if began is not None else None
    listed = category is not None and category in downtime.categories
    just_began = window is not None and window != ds.window
    ds.window = window
    if window is None or not listed:
        if ds.prompt_id is not None:
            call.act(Withdraw(ds.prompt_id))
            ds.prompt_id = None
        ds.closed_visit = False
        if window is None:
            ds.snoozed_until = None
        return False
    if ds.ignored_window == window or ds.prompt_id is not None or ds.closed_visit:
        return False
    if ds.snoozed_until is not None:
        if call.t < ds.snoozed_until:
            call.wake_in(ds.snoozed_until - call.t)
            return False
        ds.snoozed_until = None
    elif not (entered or just_began):
        return False
    assert category is not None and downtime.end is not None
    app = obs.focus.app if obs.focus is not None else ""
    ds.prompt_id = call.new_id()
    call.record("downtime", Outcome.REACHED, category, app)
    choices = (Choice.CLOSE, Choice.MORE, Choice.IGNORE)
    until = downtime.end.strftime("%H:%M")
    call.act(DowntimePrompt(ds.prompt_id, category, app, until, choices))
    return True


def _answer_downtime(call: _Call, choice: Choice) -> None:
    ds = call.state.downtime
    assert ds.prompt_id is not None
    call.act(Withdraw(ds.prompt_id))
    ds.prompt_id = None
    if choice is Choice.CLOSE:
        ds.closed_visit = True
        call.record("downtime", Outcome.CLOSED)
    elif choice is Choice.MORE:
        ds.snoozed_until = call.t + MORE_TIME
        call.record("downtime", Outcome.MORE, detail=f"{MORE_TIME:.0f}")
    elif choice is Choice.IGNORE:
        ds.ignored_window = ds.window
        call.record("downtime", Outcome.IGNORED_TODAY)


def _intention(call: _Call, obs: Observation, category: str | None, may_ask: bool) -> None:
    state, t = call.state, call.t
    visit = state.visit
    if visit is not None and category != visit.category:
        stayed = t - visit.since
        outcome = Outcome.STAYED if stayed >= STAYED_AFTER else Outcome.LEFT
        call.record("intention", outcome, visit.category, f"{stayed:.0f}")
        if visit.prompt_id is not None and visit.prompt_id in state.intention_prompts:
            del state.intention_prompts[visit.prompt_id]
            call.act(Withdraw(visit.prompt_id))
        state.visit = None
    if state.focus_category is not None and category != state.focus_category:
        state.left_category_at[state.focus_category] = t
    if category is None or category not in call.policy.intention.categories or not may_ask:
        return
    left = state.left_category_at.get(category)
    closed = category in state.intention_closed
    if left is not None and t - left < INTENTION_COOLDOWN and not closed:
        return
    state.intention_closed.discard(category)
    prompt_id = call.new_id()
    state.intention_prompts[prompt_id] = category
    state.visit = Visit(category, t, prompt_id)
    app = obs.focus.app if obs.focus is not None else ""
    call.record("intention", Outcome.REACHED, category, app)
    call.act(IntentionPrompt(prompt_id, category, app, (Choice.CONTINUE, Choice.CLOSE)))


def _answer_intention(call: _Call, category: str, given: Answer) -> None:
    call.act(Withdraw(given.prompt_id))
    if given.choice is Choice.CLOSE:
        call.state.intention_closed.add(category)
        call.record("intention", Outcome.CLOSED, category)
    else:
        call.record("intention", Outcome.ANSWERED, category, given.detail.strip()[:200])


# -- calendar ------------------------------------------------------------------------------


def _seconds_to_next_day(policy: Policy, at: datetime) -> float:
    local = policy.local(at)
    boundary = datetime.combine(local.date(), policy.day_starts)
    if boundary <= local:
        boundary += timedelta(days=1)
    return (boundary - local).total_seconds()


def _seconds_to_downtime_edge(policy: Policy, local: datetime) -> float:
    edges = []
    for edge in (policy.downtime.start, policy.downtime.end):
        if edge is not None:
            moment = datetime.combine(local.date(), edge)
            if moment <= local:
                moment += timedelta(days=1)
            edges.append((moment - local).total_seconds())
    return min(edges) if edges else -1.0
