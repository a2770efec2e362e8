"""Break reminders as a person lives them: cadence on active time, natural breaks, answers."""

from __future__ import annotations

from breather.rules import BreakFinished, BreakRule, Breaks, Choice, Outcome, Policy
from tests.unit.rules_person import Person, minutes

EYES_ONLY = Policy(breaks=Breaks(movement=BreakRule("movement", 2700, 300, enabled=False)))


def starts(person: Person, kind: str) -> list[float]:
    """When each break of `kind` began running (later updates of the same break left out)."""
    first: dict[int, float] = {}
    for seen in person.break_prompts(kind, "running"):
        first.setdefault(seen.item.prompt_id, seen.t)  # type: ignore[union-attr]
    return list(first.values())


def warnings(person: Person, kind: str) -> list[float]:
    return [s.t for s in person.break_prompts(kind, "warning")]


def test_an_eye_break_comes_after_twenty_minutes_of_work_warned_ten_seconds_ahead() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(20) - 11)
    assert warnings(person, "eyes") == []
    person.work(1)
    assert warnings(person, "eyes") == [minutes(20) - 10]
    warning = person.break_prompts("eyes", "warning")[0].item
    assert warning.choices == (Choice.TAKE, Choice.POSTPONE)  # type: ignore[union-attr]
    assert warning.starts_in == 10  # type: ignore[union-attr]
    person.work(10)
    person.pause(25)  # the break starts at the pause in typing; resting 20 s takes it
    assert starts(person, "eyes") == [minutes(20) + 2]
    assert person.outcomes("eyes") == [Outcome.DUE, Outcome.TAKEN]
    finished = person.actions(BreakFinished)
    assert [s.item.outcome for s in finished] == [Outcome.TAKEN]  # type: ignore[union-attr]
    assert finished[0].t == minutes(20) + 20


def test_a_movement_break_is_announced_a_minute_ahead() -> None:
    person = Person(Policy(breaks=Breaks(eyes=BreakRule("eyes", 1200, 20, enabled=False))))
    person.work(minutes(45) + 5)
    assert warnings(person, "movement") == [minutes(44)]


def test_the_cadence_counts_active_time_only() -> None:
    person = Person(EYES_ONLY)
    # 30 s of work, then 15 s looking at a page without touching anything, over and over.
    while not warnings(person, "eyes"):
        person.work(30)
        person.pause(15)
    # 20 minutes of work took 30 minutes on the clock: the pauses were not counted.
    assert warnings(person, "eyes")[0] >= minutes(29)


def test_short_pauses_in_typing_count_as_work() -> None:
    person = Person(EYES_ONLY)
    while not warnings(person, "eyes"):
        person.work(20)
        person.pause(4)  # the rhythm of typing and reading
    assert warnings(person, "eyes")[0] == minutes(20) - 10


def test_idle_for_the_length_of_the_break_is_a_natural_break_that_resets_it() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(15))
    person.pause(25)
    assert person.outcomes("eyes") == [Outcome.NATURAL]
    person.work(minutes(19))
    assert warnings(person, "eyes") == []  # counted again from the natural break
    person.work(minutes(1))
    assert len(warnings(person, "eyes")) == 1


def test_a_shorter_pause_is_credited_not_forgotten() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(19))
    person.pause(15)  # not a full 20 s break, but rest: it comes off the timer
    assert person.outcomes("eyes") == []
    person.work(49)
    assert warnings(person, "eyes") == []
    person.work(1)
    assert warnings(person, "eyes") == [person.t]


def test_a_pause_right_after_a_break_is_not_another_break() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(3))
    person.pause(30)
    assert person.outcomes("eyes") == []


def test_a_natural_break_while_a_break_is_announced_closes_it_as_natural() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(20) - 5)
    assert len(warnings(person, "eyes")) == 1
    person.pause(30)  # stopped before it was due and rested on their own
    assert person.outcomes("eyes") == [Outcome.DUE, Outcome.NATURAL]
    finished = [s.item.outcome for s in person.actions(BreakFinished)]  # type: ignore[union-attr]
    assert finished == [Outcome.NATURAL]
    assert starts(person, "eyes") == []


def test_resting_once_a_break_has_started_takes_it() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(20))
    person.pause(25)
    assert person.outcomes("eyes") == [Outcome.DUE, Outcome.TAKEN]


def test_a_due_break_waits_for_a_pause_in_typing_but_not_for_ever() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(20) + 40)  # typing without a pause
    # Due at 20:00, it waited its 30 s bound for a pause, then started anyway.
    assert starts(person, "eyes") == [minutes(20) + 30]


def test_postpone_once_early_then_skip_and_no_skip_after_two_in_a_row() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(20) - 10)
    person.answer(Choice.POSTPONE)
    assert person.outcomes("eyes") == [Outcome.DUE, Outcome.POSTPONED]
    person.work(minutes(2) + 10)
    back = person.break_prompts("eyes", "warning")[-1].item
    assert back.choices == (Choice.TAKE, Choice.SKIP)  # type: ignore[union-attr]
    # Answering postpone again is not possible: the button is gone, the answer ignored.
    person.answer(Choice.POSTPONE)
    assert person.outcomes("eyes")[-1] == Outcome.POSTPONED
    assert person.outcomes("eyes").count(Outcome.POSTPONED) == 1
    person.answer(Choice.SKIP)
    assert person.outcomes("eyes")[-1] == Outcome.SKIPPED

    # The next break: postponing is only offered early in it.
    person.work(minutes(20))
    person.pause(3)
    running = person.break_prompts("eyes", "running")[-1].item
    assert running.choices == (Choice.TAKE, Choice.POSTPONE)  # type: ignore[union-attr]
    person.work(10)
    later = person.break_prompts("eyes", "running")[-1].item
    assert later.choices == (Choice.TAKE, Choice.SKIP)  # type: ignore[union-attr]
    person.answer(Choice.SKIP)

    # Two skips in a row: the third break has no skip, only postpone early and take.
    person.work(minutes(20))
    person.pause(3)
    assert person.break_prompts("eyes")[-1].item.choices == (  # type: ignore[union-attr]
        Choice.TAKE,
        Choice.POSTPONE,
    )
    person.work(12)
    third = person.break_prompts("eyes", "running")[-1].item
    assert third.choices == (Choice.TAKE,)  # type: ignore[union-attr]
    person.pause(25)
    assert person.outcomes("eyes")[-1] == Outcome.TAKEN
    # Taking one ends the streak: skipping is offered again next time (after the early part).
    person.work(minutes(20))
    person.pause(3)
    person.work(12)
    assert person.break_prompts("eyes")[-1].item.choices == (  # type: ignore[union-attr]
        Choice.TAKE,
        Choice.SKIP,
    )


def test_a_break_worked_through_is_recorded_as_ignored() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(22))
    assert person.outcomes("eyes") == [Outcome.DUE, Outcome.IGNORED]
    assert [s.item.outcome for s in person.actions(BreakFinished)] == [  # type: ignore[union-attr]
        Outcome.IGNORED
    ]


def test_typing_during_a_break_starts_its_rest_again() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(20))
    person.pause(12)
    person.work(1)
    person.pause(12)
    assert Outcome.TAKEN not in person.outcomes("eyes")
    updates = [s.item.remaining for s in person.break_prompts("eyes", "running")]  # type: ignore[union-attr]
    assert updates[-1] == 20.0  # the person was told the rest starts again
    person.pause(10)
    assert person.outcomes("eyes")[-1] == Outcome.TAKEN


def test_take_starts_the_break_at_once() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(20) - 9)
    person.answer(Choice.TAKE)
    assert starts(person, "eyes") == [person.t]
    person.pause(20)
    assert person.outcomes("eyes") == [Outcome.DUE, Outcome.TAKEN]


def test_a_movement_break_due_soon_takes_the_eye_breaks_turn() -> None:
    person = Person()
    person.work(minutes(20))
    person.pause(25)  # eye break 1 taken
    assert person.outcomes("eyes") == [Outcome.DUE, Outcome.TAKEN]
    person.work(minutes(19) + 55)
    # At 40 minutes the eye break is due, but movement is due at 45: one break, not two.
    assert len(warnings(person, "eyes")) == 1
    assert len(warnings(person, "movement")) == 1
    person.work(60)
    person.pause(minutes(5) + 5)
    assert person.outcomes("movement") == [Outcome.DUE, Outcome.TAKEN]
    # The eyes rested too: the next eye break is 20 minutes of work away.
    person.work(minutes(19))
    assert len(warnings(person, "eyes")) == 1
    person.work(minutes(1))
    assert len(warnings(person, "eyes")) == 2


def test_no_break_comes_right_after_another() -> None:
    policy = Policy(breaks=Breaks(movement=BreakRule("movement", minutes(26), 300)))
    person = Person(policy)
    person.work(minutes(22))  # the eye break is worked through and ignored
    eyes_end = person.actions(BreakFinished)[-1].t
    person.work(minutes(8))
    # Movement was due at 26 minutes, within 5 minutes of the eye break: it waited.
    assert warnings(person, "movement") == [eyes_end + minutes(5)]


def test_postponing_a_movement_break_postpones_the_eye_break_it_covers() -> None:
    person = Person()
    person.work(minutes(44) + 5)
    movement = person.break_prompts("movement", "warning")
    assert len(movement) == 1
    person.answer(Choice.POSTPONE)
    person.work(minutes(2))
    assert warnings(person, "eyes")[-1] < minutes(44)  # nothing new for the eyes meanwhile
    assert len(warnings(person, "movement")) == 2


def test_fullscreen_holds_a_break_back_up_to_a_bound_then_it_comes_quietly() -> None:
    person = Person(EYES_ONLY)
    person.fullscreen = True
    person.work(minutes(39))
    assert person.break_prompts("eyes") == []
    person.work(minutes(1) + 1)
    running = person.break_prompts("eyes", "running")
    assert [s.t for s in running] == [minutes(40)]
    assert running[0].item.quiet  # type: ignore[union-attr]


def test_do_not_disturb_holds_a_break_until_it_is_off() -> None:
    person = Person(EYES_ONLY)
    person.do_not_disturb = True
    person.work(minutes(25))
    assert person.break_prompts("eyes") == []
    person.do_not_disturb = False
    person.work(1)
    assert warnings(person, "eyes") == [person.t]
    person.work(9)
    person.pause(3)
    assert not person.break_prompts("eyes", "running")[0].item.quiet  # type: ignore[union-attr]


def test_suspend_in_the_middle_of_a_break_takes_it() -> None:
    person = Person()
    person.work(minutes(20))
    person.pause(5)
    assert starts(person, "eyes")
    person.suspend(minutes(60))
    assert person.outcomes("eyes")[-1] == Outcome.TAKEN
    # An hour asleep was also a movement break: that timer starts again too.
    resumed = person.t
    person.work(minutes(45))
    # Without the reset, movement would have come 24 minutes after waking.
    assert warnings(person, "movement")[0] > resumed + minutes(35)
    assert warnings(person, "eyes")[1] == resumed + minutes(20) - 10


def test_a_long_suspend_after_a_long_stretch_is_a_natural_movement_break() -> None:
    person = Person()
    person.work(minutes(20))
    person.pause(25)
    person.work(minutes(10))
    person.suspend(minutes(30))
    assert person.outcomes("movement") == [Outcome.NATURAL]


def test_a_short_suspend_is_credited_as_rest() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(15))
    person.suspend(10)  # shorter than the 20 s break: no natural break
    assert person.outcomes("eyes") == []
    person.suspend(minutes(10))
    assert person.outcomes("eyes") == [Outcome.NATURAL]


def test_a_backward_wall_clock_jump_changes_nothing() -> None:
    person = Person(EYES_ONLY)
    person.work(minutes(10))
    person.clock.jump_wall(-3600)
    person.work(minutes(10) - 10)
    assert warnings(person, "eyes") == [minutes(20) - 10]


def test_disabled_breaks_never_come() -> None:
    breaks = Breaks(
        eyes=BreakRule("eyes", 1200, 20, enabled=False),
        movement=BreakRule("movement", 2700, 300, enabled=False),
    )
    person = Person(Policy(breaks=breaks))
    person.work(minutes(120))
    assert person.actions() == []


def test_deadlines_point_at_the_next_thing_to_happen() -> None:
    person = Person(EYES_ONLY)
    evaluation = person.look()
    assert evaluation.wake_in == minutes(20) - 10  # the warning, if the person keeps working
    person.work(minutes(20) - 10)
    evaluation = person.look()
    assert evaluation.wake_in is not None and evaluation.wake_in <= 10


def test_a_postponed_break_is_announced_again_only_after_a_while_at_any_cadence() -> None:
    for every, duration in ((20.0, 5.0), (60.0, 10.0), (1200.0, 20.0), (2700.0, 300.0)):
        kind = "eyes" if duration < 60 else "movement"
        rule = BreakRule(kind, every, duration)  # type: ignore[arg-type]
        assert rule.warn_ahead < rule.postpone_for <= rule.every
    assert BreakRule("eyes", 1200, 20).postpone_for == 120
    assert BreakRule("movement", 2700, 300).postpone_for == 180


def test_a_break_asked_for_runs_at_once_and_covers_the_eye_break() -> None:
    from breather.rules import take_break_now

    person = Person()
    person.work(minutes(15))
    person._keep(  # the tray's "Take a break now"
        take_break_now(
            person.policy, person.state, "movement", person.now, person.clock.monotonic()
        )
    )
    assert starts(person, "movement") == [person.t]
    shown = person.break_prompts("movement", "running")[-1].item
    assert Choice.POSTPONE not in shown.choices  # nothing to put off: it was asked for
    person.pause(minutes(5) + 1)
    # Asked for, not due: taken without a "due"; the eye timer starts again as well.
    assert person.outcomes("movement") == [Outcome.TAKEN]
    person.work(minutes(19))
    assert warnings(person, "eyes") == []
