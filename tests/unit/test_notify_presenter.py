"""Rule actions as notifications: one per break, replaced as it goes; buttons become answers."""

from __future__ import annotations

from breather.notify.base import DEFAULT_ACTION, Urgency
from breather.notify.fake import RecordingNotifier
from breather.notify.presenter import NotificationPresenter, spoken
from breather.rules import (
    INTENTIONS,
    Answer,
    BreakFinished,
    BreakPrompt,
    Choice,
    DowntimePrompt,
    IntentionPrompt,
    LimitPrompt,
    Outcome,
    Withdraw,
)
from breather.rules.exercises import suggest


def prompt(phase: str, choices: tuple[Choice, ...], *, quiet: bool = False) -> BreakPrompt:
    return BreakPrompt(
        prompt_id=7,
        kind="eyes",
        phase=phase,
        duration=20,
        starts_in=10,
        remaining=20,
        choices=choices,
        exercise=suggest("eyes", 0),
        quiet=quiet,
        postpone_for=120,
    )


def presenter() -> tuple[RecordingNotifier, NotificationPresenter, list[Answer]]:
    notifier = RecordingNotifier()
    answers: list[Answer] = []
    return notifier, NotificationPresenter(notifier, answers.append), answers


def test_a_break_is_one_notification_replaced_as_it_progresses() -> None:
    notifier, shown, _ = presenter()
    shown.present(prompt("warning", (Choice.TAKE, Choice.POSTPONE)))
    shown.present(prompt("running", (Choice.TAKE, Choice.POSTPONE)))
    shown.present(prompt("running", (Choice.TAKE, Choice.SKIP)))
    assert len(notifier.shown) == 1
    latest = notifier.open[0]
    assert latest.summary == "Rest your eyes for 20 seconds"
    assert latest.body.startswith("Look far away.")
    assert latest.actions == (
        (DEFAULT_ACTION, "Take the break"),
        ("skip", "Skip this one"),
    )
    assert latest.timeout_ms == 0
    shown.present(BreakFinished(7, "eyes", Outcome.TAKEN))
    assert notifier.open[0].summary == "Break done. Welcome back."
    assert notifier.open[0].actions == ()


def test_the_warning_offers_postpone_with_its_length() -> None:
    notifier, shown, _ = presenter()
    shown.present(prompt("warning", (Choice.TAKE, Choice.POSTPONE)))
    warning = notifier.open[0]
    assert warning.summary == "An eye break in 10 seconds"
    assert ("postpone", "Postpone 2 minutes") in warning.actions


def test_buttons_become_answers_for_the_right_prompt() -> None:
    notifier, shown, answers = presenter()
    shown.present(prompt("running", (Choice.TAKE, Choice.POSTPONE)))
    notifier.invoke(notifier.shown[0].id, "postpone")
    notifier.invoke(notifier.shown[0].id, DEFAULT_ACTION)  # gone already: ignored
    assert answers == [Answer(7, Choice.POSTPONE)]


def test_clicking_a_break_notification_takes_the_break() -> None:
    notifier, shown, answers = presenter()
    shown.present(prompt("running", (Choice.TAKE, Choice.SKIP)))
    notifier.invoke(notifier.shown[0].id, DEFAULT_ACTION)
    assert answers == [Answer(7, Choice.TAKE)]


def test_a_skipped_or_postponed_break_is_taken_away() -> None:
    notifier, shown, _ = presenter()
    shown.present(prompt("running", (Choice.TAKE, Choice.SKIP)))
    shown.present(BreakFinished(7, "eyes", Outcome.SKIPPED))
    assert notifier.open == []
    shown.present(prompt("warning", (Choice.TAKE, Choice.POSTPONE)))
    shown.present(Withdraw(7))
    assert notifier.open == []


def test_a_quiet_break_is_low_urgency() -> None:
    notifier, shown, _ = presenter()
    shown.present(prompt("running", (Choice.TAKE,), quiet=True))
    assert notifier.open[0].urgency is Urgency.LOW


def test_limit_heads_up_and_limit_prompt() -> None:
    notifier, shown, answers = presenter()
    shown.present(LimitPrompt(3, "category:Video", "Video", "warning", 1500, 1800, ()))
    heads_up = notifier.open[0]
    assert heads_up.summary == "5 minutes left for Video today"
    assert heads_up.actions == ()
    choices = (Choice.CLOSE, Choice.MORE, Choice.IGNORE)
    shown.present(LimitPrompt(4, "category:Video", "Video", "reached", 1800, 1800, choices))
    reached = notifier.open[-1]
    assert reached.summary == "That is your 30 minutes of Video for today"
    assert [label for _, label in reached.actions] == [
        "Close it",
        "15 more minutes",
        "Ignore for today",
    ]
    notifier.invoke(notifier.shown[-1].id, "more")
    assert answers == [Answer(4, Choice.MORE)]


def test_intention_quick_answers_carry_their_words() -> None:
    notifier, shown, answers = presenter()
    shown.present(IntentionPrompt(9, "Social media", "firefox", (Choice.CONTINUE, Choice.CLOSE)))
    note = notifier.open[0]
    assert note.summary == "What did you come to Social media for?"
    assert [label for _, label in note.actions] == [*INTENTIONS, "Close it"]
    notifier.invoke(notifier.shown[0].id, "continue:1")
    assert answers == [Answer(9, Choice.CONTINUE, INTENTIONS[1])]


def test_downtime_prompt_says_until_when() -> None:
    notifier, shown, _ = presenter()
    choices = (Choice.CLOSE, Choice.MORE, Choice.IGNORE)
    shown.present(DowntimePrompt(2, "Video", "mpv", "07:00", choices))
    assert notifier.open[0].summary == "It is downtime until 07:00"
    assert "Video (mpv)" in notifier.open[0].body


def test_durations_are_said_as_people_say_them() -> None:
    assert [spoken(s) for s in (20, 60, 90, 300, 3600, 0)] == [
        "20 seconds",
        "1 minute",
        "1 minute 30 seconds",
        "5 minutes",
        "1 hour",
        "a moment",
    ]


def test_with_windows_only_what_needs_no_window_is_a_notification() -> None:
    notifier = RecordingNotifier()
    shown = NotificationPresenter(notifier, lambda _answer: None, windows=True)
    shown.present(prompt("warning", (Choice.TAKE, Choice.POSTPONE)))
    assert len(notifier.open) == 1  # the heads-up before the break
    shown.present(prompt("running", (Choice.TAKE, Choice.POSTPONE)))
    assert notifier.open == []  # the break window takes over
    shown.present(prompt("running", (Choice.TAKE,), quiet=True))
    assert len(notifier.open) == 1  # held back by fullscreen: softly, as a notification
    choices = (Choice.CLOSE, Choice.MORE, Choice.IGNORE)
    shown.present(LimitPrompt(4, "app:mpv", "mpv", "reached", 60, 60, choices))
    shown.present(IntentionPrompt(5, "Social media", "firefox", (Choice.CONTINUE, Choice.CLOSE)))
    shown.present(DowntimePrompt(6, "Video", "mpv", "07:00", choices))
    assert len(notifier.open) == 1  # prompts that ask are windows
    shown.present(LimitPrompt(8, "app:mpv", "mpv", "warning", 50, 60, ()))
    assert len(notifier.open) == 2


def test_the_tray_takes_over_while_there_is_no_notification_server() -> None:
    from breather.notify.fallback import FallbackNotifier

    desktop, tray = RecordingNotifier(), RecordingNotifier(name="tray", supports_actions=False)
    both = FallbackNotifier(desktop, tray)
    answers: list[Answer] = []
    shown = NotificationPresenter(both, answers.append)
    shown.present(prompt("warning", (Choice.TAKE, Choice.POSTPONE)))
    assert len(desktop.open) == 1 and tray.open == []
    desktop.broken = True  # the server went away: the update goes to the tray instead
    shown.present(prompt("running", (Choice.TAKE, Choice.POSTPONE)))
    assert desktop.open == [] and len(tray.open) == 1
    tray.invoke(tray.shown[0].id, DEFAULT_ACTION)  # clicking the balloon
    assert answers == [Answer(7, Choice.TAKE)]
    desktop.broken = False
    shown.present(BreakFinished(7, "eyes", Outcome.TAKEN))
    assert [n.summary for n in desktop.open] == ["Break done. Welcome back."]


def test_gnome_do_not_disturb_is_its_banners_switch(tmp_path, monkeypatch) -> None:
    # A stand-in gsettings on PATH: GNOME's own command answers this on a real desktop.
    from breather.notify.freedesktop import gnome_banners_off

    tool = tmp_path / "gsettings"
    tool.write_text("#!/bin/sh\necho false\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert gnome_banners_off({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"})
    assert not gnome_banners_off({"XDG_CURRENT_DESKTOP": "KDE"})
    tool.write_text("#!/bin/sh\necho true\n")
    assert not gnome_banners_off({"XDG_CURRENT_DESKTOP": "GNOME"})
