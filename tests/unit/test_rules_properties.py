"""Properties of the rules engine over random days of use, random cadences and random answers."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breather.rules import (
    BreakFinished,
    BreakPrompt,
    BreakRule,
    Breaks,
    Choice,
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
