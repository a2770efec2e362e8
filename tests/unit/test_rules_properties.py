"""Properties of the rules engine over random days of use, random cadences and random answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breather.rules import (
    BreakFinished,
    BreakPrompt,
    BreakRule,
    Breaks,
    Choice,
    Downtime,
    DowntimePrompt,
    Focus,
    Intention,
    Limit,
    LimitPrompt,
    Outcome,
    Policy,
    Record,
    Withdraw,
)
from tests.unit.rules_person import Person

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def break_policies(draw: st.DrawFn) -> Policy:
    eyes_every = draw(st.integers(60, 1800))
    eyes = BreakRule("eyes", float(eyes_every), float(draw(st.integers(5, 60))))
    movement = BreakRule(
        "movement",
        float(draw(st.integers(eyes_every, 3 * 3600))),
        float(draw(st.integers(60, 600))),
        enabled=draw(st.booleans()),
    )
    return Policy(breaks=Breaks(eyes, movement))


@dataclass(frozen=True)
class Act:
    what: str  # work, pause, suspend, answer, fullscreen
    seconds: int = 0
    choice: Choice = Choice.TAKE


acts = st.one_of(
    st.builds(Act, st.just("work"), st.integers(1, 1800)),
    st.builds(Act, st.just("pause"), st.integers(1, 900)),
    st.builds(Act, st.just("suspend"), st.integers(1, 4 * 3600)),
    st.builds(Act, st.just("answer"), st.just(0), st.sampled_from(list(Choice))),
    st.builds(Act, st.just("fullscreen"), st.integers(0, 1)),
)


def live(person: Person, script: list[Act], step: float) -> None:
    for act in script:
        if act.what == "work":
            person.work(act.seconds, step=step)
        elif act.what == "pause":
            person.pause(act.seconds, step=step)
        elif act.what == "suspend":
            person.suspend(act.seconds)
        elif act.what == "fullscreen":
            person.fullscreen = bool(act.seconds)
        else:
            prompts = [s.item for s in person.actions(BreakPrompt)]
            if prompts:
                person.answer(act.choice, prompts[-1].prompt_id)  # type: ignore[union-attr]


@FAST
@given(policy=break_policies(), script=st.lists(acts, max_size=30))
def test_break_rules_hold_through_random_days(policy: Policy, script: list[Act]) -> None:
    person = Person(policy)
    live(person, script, step=5.0)

    rules = {rule.kind: rule for rule in policy.breaks.rules()}
    running: set[int] = set()
    shown: dict[int, str] = {}
    ended: dict[str, float] = {}
    streak = 0
    last_record_at = person.start
    for seen in person.seen:
        item = seen.item
        if isinstance(item, Record):
            assert item.at >= last_record_at  # stored in the order things happened
            last_record_at = item.at
            if item.outcome in (Outcome.SKIPPED, Outcome.IGNORED):
                streak += 1
            elif item.outcome in (Outcome.TAKEN, Outcome.NATURAL):
                streak = 0
        elif isinstance(item, BreakPrompt):
            # Skip and postpone never side by side; no skip after two skipped breaks in a row.
            assert not {Choice.SKIP, Choice.POSTPONE} <= set(item.choices)
            if Choice.SKIP in item.choices:
                assert streak < 2
            shown[item.prompt_id] = item.kind
            if item.phase == "running" and item.prompt_id not in running:
                assert not running, "two breaks at once"
                running.add(item.prompt_id)
                others = [t for kind, t in ended.items() if kind != item.kind]
                if others and not item.quiet:
                    # Never right after another break (the person's own "take" aside).
                    gap = seen.t - max(others)
                    assert gap >= rules[item.kind].min_gap - 1e-6 or _taken_by_hand(
                        person, item.prompt_id
                    ), (gap, item)
        elif isinstance(item, (BreakFinished, Withdraw)):
            kind = shown.get(item.prompt_id)
            if kind is not None:
                ended[kind] = seen.t
            running.discard(item.prompt_id)


def _taken_by_hand(person: Person, prompt_id: int) -> bool:
    return prompt_id in person.taken_by_hand


@FAST
@given(policy=break_policies(), script=st.lists(acts, max_size=30))
def test_every_announced_break_ends_exactly_once(policy: Policy, script: list[Act]) -> None:
    person = Person(policy)
    live(person, script, step=5.0)
    for rule in policy.breaks.rules():
        outcomes = [o for o in person.outcomes(rule.kind) if o is not Outcome.POSTPONED]
        open_break = False
        for outcome in outcomes:
            if outcome is Outcome.DUE:
                assert not open_break, outcomes
                open_break = True
            elif outcome is not Outcome.NATURAL or open_break:
                assert open_break, outcomes
                open_break = False


@FAST
@given(
    every=st.integers(60, 1500),
    duration=st.integers(6, 60),
    rhythm=st.lists(st.tuples(st.integers(1, 120), st.integers(0, 59)), min_size=1, max_size=40),
)
def test_the_first_warning_comes_after_the_same_work_however_it_is_paused(
    every: int, duration: int, rhythm: list[tuple[int, int]]
) -> None:
    """Pauses shorter than the break never move it: short ones count as work, longer ones are
    credited, and neither is a natural break. A short pause is counted when input resumes, so
    the warning may come up to one short pause late, never early."""
    eyes = BreakRule("eyes", float(every), float(duration))
    person = Person(Policy(breaks=Breaks(eyes, BreakRule("movement", 9e4, 60, enabled=False))))
    counted = 0.0
    expected = eyes.every - eyes.warn_ahead
    index = 0
    while not person.break_prompts("eyes") and index < 10_000:
        work, pause = rhythm[index % len(rhythm)]
        pause = pause % duration  # always shorter than the break itself
        index += 1
        for _ in range(work):
            person.work(1)
            counted += 1
            if person.break_prompts("eyes"):
                break
        else:
            for _ in range(pause):
                person.pause(1)
                if person.break_prompts("eyes"):
                    break
            if pause < eyes.rest_threshold:
                counted += pause
    assert person.outcomes("eyes")[:1] == [Outcome.DUE]
    assert 0 <= counted - expected <= eyes.rest_threshold + 1, (counted, expected)


@FAST
@given(policy=break_policies(), script=st.lists(acts.filter(lambda a: a.what != "answer")))
def test_nothing_happens_before_the_deadline_while_the_person_keeps_doing_the_same(
    policy: Policy, script: list[Act]
) -> None:
    """The coordinator may sleep until `next_deadline`: a timer there misses nothing."""
    person = Person(policy)
    for act in script[:12]:
        if act.what == "suspend":
            person.suspend(act.seconds)
            continue
        if act.what == "fullscreen":
            person.fullscreen = bool(act.seconds)
            person.look()
            continue
        for second in range(min(act.seconds, 1500)):
            deadline = person.last_evaluation.next_deadline
            before = len(person.actions())
            if act.what == "work":
                person.work(1)
            else:
                person.pause(1)
            # The first second of a new activity is new input the engine could not foresee.
            if second > 0 and deadline is not None and person.clock.monotonic() < deadline - 1e-6:
                assert len(person.actions()) == before, person.actions()[before:]


# -- limits and downtime over random days --------------------------------------------------

NO_BREAKS = Breaks(
    eyes=BreakRule("eyes", 1200, 20, enabled=False),
    movement=BreakRule("movement", 2700, 300, enabled=False),
)
APPS = {
    "firefox": ("Home / X", "Social media"),
    "mpv": ("film.mkv", "Video"),
    "code": ("notes.md", "Work"),
}
visits = st.lists(
    st.tuples(st.sampled_from([*APPS, "away"]), st.integers(60, 3 * 3600)),
    min_size=1,
    max_size=25,
)


def _focus(app: str) -> Focus:
    title, category = APPS[app]
    return Focus(app, title, category)


@FAST
@given(
    weekday=st.integers(5, 120),
    weekend=st.one_of(st.none(), st.integers(5, 180)),
    plan=visits,
    start_hour=st.integers(0, 23),
    start_day=st.integers(0, 6),
)
def test_a_limit_asks_when_the_days_use_reaches_that_days_allowance_and_on_coming_back(
    weekday: int, weekend: int | None, plan: list[tuple[str, int]], start_hour: int, start_day: int
) -> None:
    limit = Limit(
        category="Social media",
        weekday=weekday * 60.0,
        weekend=None if weekend is None else weekend * 60.0,
    )
    start = datetime(2026, 11, 23 + start_day, start_hour, tzinfo=UTC)
    policy = Policy(breaks=NO_BREAKS, limits=(limit,), intention=Intention(()), tz=UTC)
    person = Person(policy, start)
    used: dict[date, float] = {}
    expected: list[tuple[date, float]] = []  # (the person's day, its use when asked)
    inside = False
    for app, seconds in plan:
        person.focus = None if app == "away" else _focus(app)
        for _ in range(seconds // 10):
            day_before = policy.day_of(person.now)
            person.work(10, step=10)
            day = policy.day_of(person.now)  # a step counts for the day it ends in
            if app != "firefox":
                inside = False
                continue
            before = used.get(day, 0.0) if day == day_before else 0.0
            used[day] = used.get(day, 0.0) + 10
            allowance = limit.allowance(day)
            if allowance is not None and allowance <= used[day]:
                crossed = before < allowance
                if crossed or not inside or day != day_before:
                    expected.append((day, used[day]))
            inside = True
    reached = [
        (policy.day_of(s.at), s.item.used)  # type: ignore[union-attr]
        for s in person.actions(LimitPrompt)
        if s.item.phase == "reached"  # type: ignore[union-attr]
    ]
    # At the crossing with that day's weekday or weekend value, and again on each return
    # while over it (nothing is answered here, so nothing is ignored for the day).
    assert reached == expected


@FAST
@given(
    begin=st.integers(0, 23 * 60 + 59),
    length=st.integers(30, 12 * 60),
    plan=visits,
    start_hour=st.integers(0, 23),
)
def test_downtime_asks_only_inside_its_hours_and_on_every_first_entry(
    begin: int, length: int, plan: list[tuple[str, int]], start_hour: int
) -> None:
    start_at = time(begin // 60, begin % 60)
    end_minute = (begin + length) % (24 * 60)
    end_at = time(end_minute // 60, end_minute % 60)
    downtime = Downtime(start_at, end_at, ("Social media", "Video"))
    policy = Policy(breaks=NO_BREAKS, downtime=downtime, intention=Intention(()), tz=UTC)
    person = Person(policy, datetime(2026, 11, 23, start_hour, tzinfo=UTC), focus=None)
    windows_entered: set[datetime] = set()
    for app, seconds in plan:
        person.focus = None if app == "away" else _focus(app)
        for _ in range(seconds // 10):
            person.work(10, step=10)
            began = downtime.window_start(person.policy.local(person.now))
            if began is not None and person.focus is not None and app in ("firefox", "mpv"):
                windows_entered.add(began)
    asked_in: set[datetime] = set()
    for seen in person.actions(DowntimePrompt):
        began = downtime.window_start(person.policy.local(seen.at))
        assert began is not None, f"asked outside downtime at {seen.at:%H:%M}"
        asked_in.add(began)
    # Unanswered prompts stay up, so each downtime asks at least once if a listed
    # category was in front at any moment of it.
    assert asked_in == windows_entered
