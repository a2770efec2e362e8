"""The break window and the limit and intention prompts, answered with the keyboard only;
every answer must reach the store through the coordinator, as in the desktop app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from breather.clock import FakeClock
from breather.monitor.base import Sample, WindowInfo
from breather.rules import BreakRule, Breaks, Intention, Limit, Policy
from breather.runtime.coordinator import BoundaryCoordinator
from breather.store import Store
from breather.store.boundaries import BoundaryLog, events
from breather.tracking.spans import Tracker
from breather.ui.break_window import BreakScreens
from breather.ui.prompts import IntentionPromptWindow, LimitPromptWindow, PromptPresenter

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EDITOR = WindowInfo("code", "notes.md", "code", "/usr/bin/code")
SOCIAL = WindowInfo("firefox", "Home / X — Mozilla Firefox", "firefox", "/usr/bin/firefox")
NO_BREAKS = Breaks(
    eyes=BreakRule("eyes", 60, 10, enabled=False),
    movement=BreakRule("movement", 3600, 300, enabled=False),
)


class Desk:
    """Samples once a (fake) second into a coordinator wired to the real windows."""

    def __init__(self, store: Store, policy: Policy) -> None:
        self.clock = FakeClock(START)
        self.tracker = Tracker(idle_after=180, max_gap=5)
        self.coordinator = BoundaryCoordinator(
            policy,
            clock=self.clock,
            categorize=lambda app, _title: "Social media" if app == "firefox" else "Work",
            log=BoundaryLog(store.db, store.device_id),
        )
        self.screens = BreakScreens(self.coordinator.answer)
        self.prompts = PromptPresenter(self.coordinator.answer, intention_pause=0.2)
        self.coordinator.add_presenter(self.screens)
        self.coordinator.add_presenter(self.prompts)
        self.store = store
        self.window = EDITOR
        self.last_input = self.clock.monotonic()

    def run(self, seconds: int, *, typing: bool = True) -> None:
        for _ in range(seconds):
            self.clock.advance(1)
            if typing:
                self.last_input = self.clock.monotonic()
            idle = self.clock.monotonic() - self.last_input
            sample = Sample(self.clock.now(), self.clock.monotonic(), self.window, idle)
            self.coordinator.observe(sample, self.tracker.feed(sample), self.tracker.open_span)

    def outcomes(self, kind: str) -> list[str]:
        found = events(self.store.db, START, START + timedelta(days=1), kind)
        return [str(outcome) for _, _, outcome, _, _ in found]

    def close(self) -> None:
        self.screens.close()
        self.prompts.close_all()


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Bring the window to the front as a window manager would, and wait until it is."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


@pytest.fixture
def desk_for(store: Store) -> Iterator[type[Desk]]:
    made: list[Desk] = []

    class Made(Desk):
        def __init__(self, policy: Policy) -> None:
            super().__init__(store, policy)
            made.append(self)

    yield Made
    for desk in made:
        desk.close()
    QApplication.processEvents()


def test_the_break_window_is_answered_from_the_keyboard(qtbot: QtBot, desk_for: type[Desk]) -> None:
    breaks = Breaks(eyes=BreakRule("eyes", 60, 10), movement=NO_BREAKS.movement)
    desk = desk_for(Policy(breaks=breaks, intention=Intention(()), tz=UTC))
    desk.run(61)
    desk.run(2, typing=False)  # the break starts at a pause in typing
    window = desk.screens.main
    assert window is not None and window.isVisible()
    qtbot.waitExposed(window)
    assert window.accessibleName() == "Eye break"
    assert window.postpone.isVisible() and not window.skip.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc postpones while postponing is offered
    assert desk.outcomes("eyes") == ["due", "postponed"]
    assert desk.screens.main is None

    desk.run(25)
    desk.run(2, typing=False)
    window = desk.screens.main
    assert window is not None
    activate(qtbot, window)
    assert window.skip.isVisible() and not window.postpone.isVisible()
    assert window.take.hasFocus()
    qtbot.keyClick(window.take, Qt.Key.Key_Tab)  # to "Skip this one"
    assert window.skip.hasFocus()
    qtbot.keyClick(window.skip, Qt.Key.Key_Return)
    assert desk.outcomes("eyes") == ["due", "postponed", "skipped"]

    desk.run(61)
    desk.run(2, typing=False)
    window = desk.screens.main
    assert window is not None
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key.Key_Return)  # Enter takes it: the rest starts now
    desk.run(11, typing=False)
    assert desk.outcomes("eyes")[-2:] == ["due", "taken"]
    assert desk.screens.main is None


def test_the_limit_prompt_is_answered_from_the_keyboard(qtbot: QtBot, desk_for: type[Desk]) -> None:
    policy = Policy(
        breaks=NO_BREAKS,
        limits=(Limit(app="firefox", daily=60),),
        intention=Intention(()),
        tz=UTC,
    )
    desk = desk_for(policy)
    desk.window = SOCIAL
    desk.run(62)
    prompt = next(iter(desk.prompts.windows.values()))
    assert isinstance(prompt, LimitPromptWindow)
    qtbot.waitExposed(prompt)
    assert prompt.close_it.isDefault()
    qtbot.keyClick(prompt, Qt.Key.Key_Return)  # Enter: "Close it"
    assert desk.outcomes("limit")[-1] == "closed"

    desk.window = EDITOR
    desk.run(2)
    desk.window = SOCIAL
    desk.run(1)
    prompt = next(iter(desk.prompts.windows.values()))
    activate(qtbot, prompt)
    assert isinstance(prompt, LimitPromptWindow)
    prompt.close_it.setFocus()
    qtbot.keyClick(prompt.close_it, Qt.Key.Key_Tab)  # to "15 more minutes"
    assert prompt.more.hasFocus()
    qtbot.keyClick(prompt.more, Qt.Key.Key_Return)  # Enter presses the focused button
    assert desk.outcomes("limit")[-1] == "more"

    desk.run(15 * 60)
    prompt = next(iter(desk.prompts.windows.values()))
    qtbot.waitExposed(prompt)
    assert isinstance(prompt, LimitPromptWindow)
    prompt.ignore.setFocus()
    qtbot.keyClick(prompt.ignore, Qt.Key.Key_Space)
    assert desk.outcomes("limit") == [
        "warned",
        "reached",
        "closed",
        "reached",
        "more",
        "reached",
        "ignored_today",
    ]
    assert desk.prompts.windows == {}


def test_the_intention_prompt_is_answered_from_the_keyboard(
    qtbot: QtBot, desk_for: type[Desk]
) -> None:
    desk = desk_for(Policy(breaks=NO_BREAKS, intention=Intention(("Social media",)), tz=UTC))
    desk.run(5)
    desk.window = SOCIAL
    desk.run(1)
    prompt = next(iter(desk.prompts.windows.values()))
    assert isinstance(prompt, IntentionPromptWindow)
    qtbot.waitExposed(prompt)
    assert prompt.heading.text() == "What did you come to Social media for?"
    qtbot.keyClicks(prompt.intention, "Reply to Sam")
    qtbot.keyClick(prompt.intention, Qt.Key.Key_Return)  # during the breath: nothing yet
    assert prompt.isVisible()
    assert desk.outcomes("intention") == ["reached"]
    qtbot.waitUntil(prompt.go_on.isEnabled)  # after a short breath
    qtbot.keyClick(prompt.intention, Qt.Key.Key_Return)
    desk.run(90)
    desk.window = EDITOR
    desk.run(1)
    answered = events(desk.store.db, START, START + timedelta(days=1), "intention")
    assert [(str(e[2]), e[4]) for e in answered] == [
        ("reached", "firefox"),
        ("answered", "Reply to Sam"),
        ("stayed", "91"),
    ]

    # Next time: Esc answers nothing and just steps aside; then Enter is "Close it".
    desk.run(11 * 60)
    desk.window = SOCIAL
    desk.run(1)
    prompt = next(iter(desk.prompts.windows.values()))
    qtbot.waitExposed(prompt)
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    assert desk.outcomes("intention")[-1] == "reached"
    desk.window = EDITOR
    desk.run(11 * 60)
    desk.window = SOCIAL
    desk.run(1)
    prompt = next(iter(desk.prompts.windows.values()))
    qtbot.waitExposed(prompt)
    assert isinstance(prompt, IntentionPromptWindow)
    assert prompt.close_it.isDefault()
    qtbot.keyClick(prompt.intention, Qt.Key.Key_Return)  # nothing written: Enter closes it
    assert desk.outcomes("intention")[-1] == "closed"


def test_every_choice_has_a_name_for_screen_readers(qtbot: QtBot, desk_for: type[Desk]) -> None:
    desk = desk_for(Policy(breaks=NO_BREAKS, intention=Intention(("Social media",)), tz=UTC))
    desk.window = SOCIAL
    desk.run(1)
    prompt = next(iter(desk.prompts.windows.values()))
    assert isinstance(prompt, IntentionPromptWindow)
    for button in (prompt.close_it, prompt.go_on, prompt.help, *prompt.chips):
        assert button.accessibleName()
    assert prompt.label.buddy() is prompt.intention
    helped: list[bool] = []
    prompt.help_requested.connect(lambda: helped.append(True))
    qtbot.mouseClick(prompt.help, Qt.MouseButton.LeftButton)
    assert helped == [True]


def test_every_choice_has_a_mnemonic(qtbot: QtBot, desk_for: type[Desk]) -> None:
    """Alt+letter presses each button (pressed for real on Xvfb in the desktop tests)."""
    from PySide6.QtGui import QKeySequence

    breaks = Breaks(eyes=BreakRule("eyes", 60, 10), movement=NO_BREAKS.movement)
    policy = Policy(
        breaks=breaks,
        limits=(Limit(app="firefox", daily=60),),
        intention=Intention(("Social media",)),
        tz=UTC,
    )
    desk = desk_for(policy)
    desk.run(61)
    desk.run(2, typing=False)
    window = desk.screens.main
    assert window is not None
    keys = {window.take.shortcut(), window.postpone.shortcut(), window.skip.shortcut()}
    assert keys == {QKeySequence("Alt+T"), QKeySequence("Alt+P"), QKeySequence("Alt+S")}
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    desk.window = SOCIAL
    desk.run(62)
    for prompt in desk.prompts.windows.values():
        if isinstance(prompt, LimitPromptWindow):
            assert [b.shortcut() for b in (prompt.close_it, prompt.more, prompt.ignore)] == [
                QKeySequence("Alt+C"),
                QKeySequence("Alt+M"),
                QKeySequence("Alt+I"),
            ]
        else:
            assert isinstance(prompt, IntentionPromptWindow)
            assert prompt.go_on.shortcut() == QKeySequence("Alt+O")


def test_the_break_says_why_its_countdown_goes_back_up_and_answers_take(qtbot) -> None:
    from breather.rules.exercises import suggest
    from breather.rules.model import BreakPrompt, Choice
    from breather.ui.break_window import BreakWindow

    window = BreakWindow()
    qtbot.addWidget(window)
    choices = (Choice.TAKE, Choice.POSTPONE)
    exercise = suggest("eyes", 0)
    window.show_prompt(BreakPrompt(7, "eyes", "running", 20.0, 0.0, 8.0, choices, exercise))
    assert window.status.text() == ""
    # The person moved the mouse: the rest starts again from 20 s.
    window.show_prompt(BreakPrompt(7, "eyes", "running", 20.0, 0.0, 20.0, choices, exercise))
    assert "waits while you type" in window.status.text()
    with qtbot.waitSignal(window.answered):
        window.take.click()
    assert window.take.isHidden()  # nothing left to choose but the rest
    assert window.status.text().startswith("Good. Step away")
