"""Daily limits, downtime and intention prompts, through days of simulated use."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from breather.rules import (
    BreakRule,
    Breaks,
    Choice,
    Downtime,
    DowntimePrompt,
    Intention,
    IntentionPrompt,
    Limit,
    LimitPrompt,
    Outcome,
    Policy,
    Withdraw,
)
from tests.unit.rules_person import EDITOR, SOCIAL, VIDEO, Person, at_local, minutes

PARIS = ZoneInfo("Europe/Paris")
NO_BREAKS = Breaks(
    eyes=BreakRule("eyes", 1200, 20, enabled=False),
    movement=BreakRule("movement", 2700, 300, enabled=False),
)
MONDAY = date(2026, 11, 23)
SATURDAY = date(2026, 11, 28)
SOCIAL_LIMIT = Limit(category="Social media", weekday=minutes(30), weekend=minutes(60))


def person_at(day: date, hour: int, minute: int = 0, **policy: object) -> Person:
    settings: dict[str, object] = {"breaks": NO_BREAKS, "tz": PARIS, "intention": Intention(())}
    settings.update(policy)
    return Person(Policy(**settings), start=at_local(day, hour, minute, PARIS))  # type: ignore[arg-type]


def limit_prompts(person: Person, phase: str) -> list[float]:
    return [s.t for s in person.actions(LimitPrompt) if s.item.phase == phase]  # type: ignore[union-attr]


# -- limits --------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "allowed"), [(MONDAY, minutes(30)), (SATURDAY, minutes(60))])
def test_a_limit_warns_five_minutes_ahead_and_asks_at_the_limit(day: date, allowed: float) -> None:
    person = person_at(day, 10, limits=(SOCIAL_LIMIT,))
    person.focus = SOCIAL
    person.work(allowed - minutes(5) - 1)
    assert person.actions(LimitPrompt) == []
    person.work(1)
    assert limit_prompts(person, "warning") == [allowed - minutes(5)]
    person.work(minutes(5))
    assert limit_prompts(person, "reached") == [allowed]
    reached = person.actions(LimitPrompt)[-1].item
    assert reached.choices == (Choice.CLOSE, Choice.MORE, Choice.IGNORE)  # type: ignore[union-attr]
    assert reached.label == "Social media"  # type: ignore[union-attr]
    assert person.outcomes("limit") == [Outcome.WARNED, Outcome.REACHED]


def test_only_time_in_the_limited_category_counts() -> None:
    person = person_at(MONDAY, 10, limits=(SOCIAL_LIMIT,))
    person.focus = EDITOR
    person.work(minutes(60))
    person.focus = SOCIAL
    person.work(minutes(20))
    assert person.actions(LimitPrompt) == []


def test_fifteen_more_minutes_asks_again_fifteen_minutes_later() -> None:
    person = person_at(MONDAY, 10, limits=(SOCIAL_LIMIT,))
    person.focus = SOCIAL
    person.work(minutes(30))
    person.answer(Choice.MORE)
    assert person.outcomes("limit")[-1] == Outcome.MORE
    assert isinstance(person.seen[-1].item, Withdraw) or isinstance(person.seen[-2].item, Withdraw)
    person.work(minutes(15) - 1)
    assert len(limit_prompts(person, "reached")) == 1
    person.work(1)
    assert len(limit_prompts(person, "reached")) == 2


def test_ignore_for_today_lasts_until_the_day_boundary() -> None:
    person = person_at(MONDAY, 22, limits=(SOCIAL_LIMIT,))
    person.focus = SOCIAL
    person.work(minutes(30))
    person.answer(Choice.IGNORE)
    assert person.outcomes("limit")[-1] == Outcome.IGNORED_TODAY
    # Past midnight it is still Monday for the person (the day starts at 04:00).
    person.until(at_local(MONDAY + timedelta(days=1), 3, 59, PARIS))
    assert len(limit_prompts(person, "reached")) == 1
    # The new day starts from zero: 30 minutes more before anything is said.
    person.work(minutes(30) + 60)
    assert len(limit_prompts(person, "reached")) == 2
    assert limit_prompts(person, "reached")[-1] == pytest.approx(
        (at_local(MONDAY + timedelta(days=1), 4, 0, PARIS) - person.start).total_seconds()
        + minutes(30),
        abs=2,
    )


def test_close_it_is_recorded_and_coming_back_asks_again() -> None:
    person = person_at(MONDAY, 10, limits=(SOCIAL_LIMIT,))
    person.focus = SOCIAL
    person.work(minutes(30))
    person.answer(Choice.CLOSE)
    assert person.outcomes("limit")[-1] == Outcome.CLOSED
    person.work(minutes(1))
    assert len(limit_prompts(person, "reached")) == 1  # not nagged while closing it
    person.focus = EDITOR
    person.work(minutes(5))
    person.focus = SOCIAL
    person.work(1)
    assert len(limit_prompts(person, "reached")) == 2


def test_leaving_takes_an_unanswered_limit_prompt_away() -> None:
    person = person_at(MONDAY, 10, limits=(SOCIAL_LIMIT,))
    person.focus = SOCIAL
    person.work(minutes(30))
    prompt_id = person.actions(LimitPrompt)[-1].item.prompt_id  # type: ignore[union-attr]
    person.focus = EDITOR
    person.work(1)
    assert Withdraw(prompt_id) in [s.item for s in person.actions(Withdraw)]


def test_an_app_limit_counts_that_app_only() -> None:
    person = person_at(MONDAY, 10, limits=(Limit(app="mpv", daily=minutes(45)),))
    person.focus = VIDEO
    person.work(minutes(45))
    assert [s.item.label for s in person.actions(LimitPrompt)] == ["mpv", "mpv"]  # type: ignore[union-attr]


def test_a_day_without_a_value_has_no_limit() -> None:
    weekend_only = Limit(category="Social media", weekend=minutes(10))
    person = person_at(MONDAY, 10, limits=(weekend_only,))
    person.focus = SOCIAL
    person.work(minutes(60))
    assert person.actions(LimitPrompt) == []


# -- downtime ------------------------------------------------------------------------------

EVENINGS = Downtime(time(22, 0), time(7, 0), ("Social media", "Video"))


def downtime_prompts(person: Person) -> list[float]:
    return [s.t for s in person.actions(DowntimePrompt)]


def test_opening_a_listed_category_during_downtime_asks_across_midnight() -> None:
    person = person_at(MONDAY, 21, 50, downtime=EVENINGS)
    person.focus = SOCIAL
    person.work(minutes(5))
    assert downtime_prompts(person) == []  # before 22:00
    person.focus = EDITOR
    person.until(at_local(MONDAY + timedelta(days=1), 1, 30, PARIS))
    assert downtime_prompts(person) == []  # work is not listed
    person.focus = VIDEO
    person.work(1)
    assert len(downtime_prompts(person)) == 1
    prompt = person.actions(DowntimePrompt)[-1].item
    assert prompt.until == "07:00"  # type: ignore[union-attr]
    assert prompt.choices == (Choice.CLOSE, Choice.MORE, Choice.IGNORE)  # type: ignore[union-attr]
    person.answer(Choice.CLOSE)
    person.focus = EDITOR
    person.until(at_local(MONDAY + timedelta(days=1), 7, 0, PARIS))
    person.focus = SOCIAL
    person.work(60)
    assert len(downtime_prompts(person)) == 1  # 07:00: downtime is over
    assert person.outcomes("downtime") == [Outcome.REACHED, Outcome.CLOSED]


def test_being_in_a_listed_category_when_downtime_starts_asks_once() -> None:
    person = person_at(MONDAY, 21, 55, downtime=EVENINGS)
    person.focus = SOCIAL
    person.work(minutes(10))
    assert downtime_prompts(person) == [minutes(5)]


def test_downtime_more_time_and_ignore_for_tonight() -> None:
    person = person_at(MONDAY, 22, 30, downtime=EVENINGS)
    person.focus = SOCIAL
    person.work(1)
    person.answer(Choice.MORE)
    person.work(minutes(15))
    assert len(downtime_prompts(person)) == 2  # asked again after the 15 minutes
    person.answer(Choice.IGNORE)
    person.until(at_local(MONDAY + timedelta(days=1), 6, 0, PARIS))
    assert len(downtime_prompts(person)) == 2  # not again tonight
    assert person.outcomes("downtime") == [
        Outcome.REACHED,
        Outcome.MORE,
        Outcome.REACHED,
        Outcome.IGNORED_TODAY,
    ]
    # The next evening asks again.
    person.until(at_local(MONDAY + timedelta(days=1), 22, 1, PARIS))
    assert len(downtime_prompts(person)) == 3


def test_a_daytime_downtime_does_not_wrap() -> None:
    lunch = Downtime(time(12, 0), time(13, 0), ("Social media",))
    person = person_at(MONDAY, 11, 59, downtime=lunch)
    person.focus = SOCIAL
    person.work(minutes(2))
    person.focus = EDITOR
    person.until(at_local(MONDAY, 13, 0, PARIS))
    person.focus = SOCIAL
    person.work(1)
    assert len(downtime_prompts(person)) == 1


# -- intention -----------------------------------------------------------------------------

ASK_SOCIAL = Intention(("Social media",))


def intention_prompts(person: Person) -> list[float]:
    return [s.t for s in person.actions(IntentionPrompt)]


def test_switching_into_social_media_asks_what_for_and_records_the_answer() -> None:
    person = person_at(MONDAY, 10, intention=ASK_SOCIAL)
    person.work(minutes(5))
    person.focus = SOCIAL
    person.work(1)
    assert intention_prompts(person) == [minutes(5) + 1]
    prompt = person.actions(IntentionPrompt)[0].item
    assert prompt.choices == (Choice.CONTINUE, Choice.CLOSE)  # type: ignore[union-attr]
    assert prompt.app == "firefox"  # type: ignore[union-attr]
    person.answer(Choice.CONTINUE, detail="Reply to Sam")
    person.work(minutes(3))
    person.focus = EDITOR
    person.work(1)
    records = person.records("intention")
    assert [(r.outcome, r.detail) for r in records] == [
        (Outcome.REACHED, "firefox"),
        (Outcome.ANSWERED, "Reply to Sam"),
        (Outcome.STAYED, "181"),
    ]


def test_a_quick_visit_is_recorded_as_left() -> None:
    person = person_at(MONDAY, 10, intention=ASK_SOCIAL)
    person.focus = SOCIAL
    person.work(1)
    person.answer(Choice.CLOSE)
    person.work(10)
    person.focus = EDITOR
    person.work(1)
    assert person.outcomes("intention") == [Outcome.REACHED, Outcome.CLOSED, Outcome.LEFT]


def test_coming_back_soon_does_not_ask_again_unless_they_said_close_it() -> None:
    person = person_at(MONDAY, 10, intention=ASK_SOCIAL)
    person.focus = SOCIAL
    person.work(1)
    person.answer(Choice.CONTINUE, detail="news")
    person.work(60)
    person.focus = EDITOR
    person.work(minutes(2))
    person.focus = SOCIAL
    person.work(1)
    assert len(intention_prompts(person)) == 1  # back within 10 minutes: no new question
    person.focus = EDITOR
    person.work(minutes(10))
    person.focus = SOCIAL
    person.work(1)
    assert len(intention_prompts(person)) == 2
    person.answer(Choice.CLOSE)
    person.focus = EDITOR
    person.work(30)
    person.focus = SOCIAL
    person.work(1)
    assert len(intention_prompts(person)) == 3  # said "close it" and came back: ask again


def test_switching_between_two_social_apps_is_one_visit() -> None:
    person = person_at(MONDAY, 10, intention=ASK_SOCIAL)
    person.focus = SOCIAL
    person.work(1)
    person.focus = SOCIAL.__class__("Slack", "", "Social media")
    person.work(1)
    assert len(intention_prompts(person)) == 1


def test_the_limit_prompt_comes_instead_of_the_intention_prompt() -> None:
    person = person_at(MONDAY, 10, intention=ASK_SOCIAL, limits=(SOCIAL_LIMIT,))
    person.focus = SOCIAL
    person.work(1)
    person.answer(Choice.CONTINUE)
    person.work(minutes(30))
    person.answer(Choice.CLOSE)
    person.focus = EDITOR
    person.work(minutes(15))
    person.focus = SOCIAL
    person.work(1)
    assert len(intention_prompts(person)) == 1
    assert len(limit_prompts(person, "reached")) == 2


def test_the_default_policy_asks_for_social_media() -> None:
    assert Policy().intention.categories == ("Social media",)


def test_away_is_not_a_visit() -> None:
    person = person_at(MONDAY, 10, intention=ASK_SOCIAL)
    person.focus = SOCIAL
    person.pause(minutes(10))  # walked away with the page open
    assert intention_prompts(person) == [1.0]  # asked once when it came up, not again
