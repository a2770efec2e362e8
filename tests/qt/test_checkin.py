"""The mood check-in as a person meets it: once a day at their moment, answered with one key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from breather.clock import FakeClock
from breather.notify.fake import RecordingNotifier
from breather.rules.checkin import CheckinPolicy
from breather.rules.model import Outcome, Record
from breather.settings.model import Settings, load_settings
from breather.settings.paths import Paths
from breather.store import Store
from breather.store.boundaries import BoundaryLog
from breather.store.checkins import checkins
from breather.ui.app import BreatherApp
from breather.ui.checkin import CATCH_UP_AFTER, CheckinPrompter, CheckinWindow, RecordTee
from breather.ui.welcome import WelcomeDialog, apply_welcome

DAY_STARTS = time(4, 0)
EVENING = CheckinPolicy(ask=True, moment="evening", at=time(21, 0))


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute).astimezone()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local(23, 21, 30))


def prompter(store: Store, clock: FakeClock, policy: CheckinPolicy = EVENING) -> CheckinPrompter:
    return CheckinPrompter(store.db, store.device_id, clock, policy=policy, day_starts=DAY_STARTS)


@pytest.fixture
def asker(store: Store, clock: FakeClock) -> Iterator[CheckinPrompter]:
    made = prompter(store, clock)
    yield made
    made.close()


def ask(asker: CheckinPrompter, qtbot) -> CheckinWindow:
    window = asker.moment_arrived("evening")
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window


def test_a_key_from_1_to_5_answers_and_it_asks_once_a_day(
    asker: CheckinPrompter, store: Store, clock: FakeClock, qtbot
) -> None:
    window = ask(asker, qtbot)
    assert window.windowTitle() == "How are you?"
    qtbot.keyClick(window, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert [(c.mood, c.note) for c in checkins(store.db, None, None)] == [(4, "")]

    clock.advance(3600)  # later the same evening: never asked twice
    assert asker.moment_arrived("evening") is None
    clock.advance(24 * 3600)  # the next evening
    assert ask(asker, qtbot).isVisible()


def test_a_word_can_go_with_the_answer_and_digits_in_it_stay_words(
    asker: CheckinPrompter, store: Store, qtbot
) -> None:
    window = ask(asker, qtbot)
    window.note.setFocus()
    qtbot.keyClicks(window.note, "ran 5k")
    assert window.isVisible()  # the 5 was part of the note, not an answer
    qtbot.mouseClick(window.mood_buttons[4], Qt.MouseButton.LeftButton)
    assert [(c.mood, c.note) for c in checkins(store.db, None, None)] == [(5, "ran 5k")]


def test_esc_skips_and_the_third_skip_in_a_row_asks_whether_to_stop(
    asker: CheckinPrompter, store: Store, clock: FakeClock, qtbot
) -> None:
    for _ in range(2):
        window = ask(asker, qtbot)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda w=window: not w.isVisible())
        clock.advance(24 * 3600)
    window = ask(asker, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.stop_page
    assert window.focusWidget() is window.keep_button  # the safe answer first
    with qtbot.waitSignal(asker.stop_requested):
        qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert checkins(store.db, None, None) == []


def test_a_check_in_ends_a_run_of_skips(asker: CheckinPrompter, clock: FakeClock, qtbot) -> None:
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Escape, Qt.Key.Key_3, Qt.Key.Key_Escape):
        window = ask(asker, qtbot)
        qtbot.keyClick(window, key)
        clock.advance(24 * 3600)
    assert window.pages.currentWidget() is window.ask_page  # closed: no stop question


def test_a_low_answer_offers_support_and_opens_it_only_when_chosen(
    asker: CheckinPrompter, store: Store, qtbot
) -> None:
    opened: list[bool] = []
    asker.support_requested.connect(lambda: opened.append(True))
    window = ask(asker, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_1)
    assert window.pages.currentWidget() is window.support_page
    assert opened == []  # offered, never opened by itself
    assert [c.mood for c in checkins(store.db, None, None)] == [1]
    qtbot.keyClick(window.open_support, Qt.Key.Key_Space)
    assert opened == [True]
    assert not window.isVisible()


def test_a_low_answer_can_simply_be_closed(asker: CheckinPrompter, qtbot) -> None:
    opened: list[bool] = []
    asker.support_requested.connect(lambda: opened.append(True))
    window = ask(asker, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_2)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible() and opened == []


def test_check_ins_are_off_until_turned_on(store: Store, clock: FakeClock) -> None:
    assert Settings().checkin.ask is False
    off = prompter(store, clock, Settings().checkin)
    assert off.moment_arrived("evening") is None
    off.close()


def test_before_the_chosen_time_it_does_not_ask(store: Store, qtbot) -> None:
    early = prompter(store, FakeClock(local(23, 18, 0)))
    assert early.moment_arrived("evening") is None
    early.close()


def test_after_a_movement_break_is_the_other_moment(store: Store, clock: FakeClock, qtbot) -> None:
    moved = prompter(store, clock, CheckinPolicy(ask=True, moment="after-movement"))
    tee = RecordTee(BoundaryLog(store.db, store.device_id), moved)
    assert moved.moment_arrived("evening") is None
    tee.record([Record(clock.now(), "eyes", Outcome.TAKEN)])
    assert moved.window is None
    tee.record([Record(clock.now(), "movement", Outcome.TAKEN)])
    assert moved.window is not None
    qtbot.addWidget(moved.window)
    moved.close()


def test_the_welcome_offers_check_ins_unticked(tmp_path: Path, qtbot) -> None:
    dialog = WelcomeDialog(Settings())
    qtbot.addWidget(dialog)
    assert not dialog.checkin.isChecked()
    dialog.checkin.setChecked(True)
    dialog.accept()
    config = tmp_path / "breather.toml"
    apply_welcome(dialog.choices(), config, tmp_path)
    assert load_settings(config)[0].checkin.ask is True


def test_stop_asking_turns_check_ins_off_in_the_settings(
    store: Store, tmp_path: Path, qtbot
) -> None:
    config = tmp_path / "breather.toml"
    config.write_text('# mine\n[checkin]\nask = true\nat = "20:30"\n', encoding="utf-8")
    paths = Paths(tmp_path, config, store.url)
    settings = load_settings(config)[0]
    app = BreatherApp(
        store=store,
        settings=settings,
        paths=paths,
        clock=FakeClock(local(23, 21, 0)),
        tray_available=False,
        track=False,
    )
    qtbot.addWidget(app.window)
    app.start_boundaries(RecordingNotifier())
    assert app.checkins is not None
    for _ in range(3):
        window = app.checkins.ask_now()
        qtbot.addWidget(window)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    with qtbot.waitSignal(app.checkins.stop_requested):
        qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    assert config.read_text(encoding="utf-8").startswith("# mine\n[checkin]\nask = false")
    assert app.context.settings.checkin.ask is False
    app.window.hide()


def test_the_evening_timer_is_armed_for_the_chosen_time(store: Store) -> None:
    clock = FakeClock(local(23, 20, 0))
    armed = prompter(store, clock)
    assert armed._evening.isActive()
    assert armed._evening.interval() == 3600_000
    armed.close()


def test_started_after_the_chosen_time_it_asks_a_little_later(store: Store, qtbot) -> None:
    late = prompter(store, FakeClock(local(23, 22, 0)))
    assert late._evening.isActive()
    assert late._evening.interval() == CATCH_UP_AFTER * 1000
    late.close()


def test_check_ins_are_turned_on_again_in_settings(store: Store, tmp_path: Path, qtbot) -> None:
    config = tmp_path / "breather.toml"
    config.write_text("# mine\n[checkin]\nask = false\n", encoding="utf-8")
    app = BreatherApp(
        store=store,
        settings=load_settings(config)[0],
        paths=Paths(tmp_path, config, store.url),
        clock=FakeClock(local(23, 12, 0)),
        tray_available=False,
        track=False,
    )
    qtbot.addWidget(app.window)
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    assert not page.checkin_on.isChecked()
    page.checkin_on.setChecked(True)
    page.checkin_moment.setCurrentIndex(page.checkin_moment.findData("after-movement"))
    assert not page.checkin_at.isEnabled()  # the evening time is only for the evening moment
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    assert page.status.text().startswith("Saved."), page.status.text()
    text = config.read_text(encoding="utf-8")
    assert text.startswith('# mine\n[checkin]\nask = true\nmoment = "after-movement"')
    assert app.context.settings.checkin == CheckinPolicy(ask=True, moment="after-movement")
    app.window.hide()


def test_why_this_default_is_one_click_from_settings_with_source_and_review_date(
    store: Store, tmp_path: Path, qtbot, monkeypatch
) -> None:
    from breather.ui.evidence import EvidenceDialog

    shown: list[EvidenceDialog] = []
    original = EvidenceDialog.ask.__func__  # type: ignore[attr-defined]

    def ask(cls: type[EvidenceDialog], key: str, parent=None) -> EvidenceDialog:
        dialog = original(cls, key, parent)
        qtbot.addWidget(dialog)
        shown.append(dialog)
        return dialog

    monkeypatch.setattr(EvidenceDialog, "ask", classmethod(ask))
    app = BreatherApp(
        store=store,
        settings=Settings(),
        paths=Paths(tmp_path, tmp_path / "breather.toml", store.url),
        clock=FakeClock(local(23, 12, 0)),
        tray_available=False,
        track=False,
    )
    qtbot.addWidget(app.window)
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    assert set(page.why) == {"eyes", "movement", "social_limit", "intention"}
    qtbot.mouseClick(page.why["eyes"], Qt.MouseButton.LeftButton)
    dialog = shown[-1]
    assert "20-20-20" in dialog.heading.text()
    assert "doi.org" in dialog.sources.text()
    assert dialog.reviewed.text().startswith("Reviewed ")
    assert page.status.text() == "" or "unsaved" not in page.status.text().lower()
    app.window.hide()


def test_the_intention_prompt_says_why_it_asks(qtbot) -> None:
    from breather.rules.model import Choice, IntentionPrompt
    from breather.ui.prompts import IntentionPromptWindow

    window = IntentionPromptWindow(
        IntentionPrompt(4, "Social media", "firefox", (Choice.CONTINUE, Choice.CLOSE)), pause=0
    )
    qtbot.addWidget(window)
    assert window.why.text() == "&Why this question?"  # Alt+W
    assert not window.why.autoDefault()  # Enter still means "Close it"
    assert window.close_it.isDefault()


def test_the_tray_asks_any_time_the_person_wants(store: Store, tmp_path: Path, qtbot) -> None:
    app = BreatherApp(
        store=store,
        settings=Settings(),  # check-ins off: asking from the tray still works
        paths=Paths(tmp_path, tmp_path / "breather.toml", store.url),
        clock=FakeClock(local(23, 12, 0)),
        tray_available=True,
        track=False,
    )
    qtbot.addWidget(app.window)
    app.start_boundaries(RecordingNotifier())
    assert app.tray is not None and app.checkins is not None
    app.tray.checkin_action.trigger()
    window = app.checkins.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.keyClick(window, Qt.Key.Key_5)
    assert [c.mood for c in checkins(store.db, None, None)] == [5]
    app.window.hide()
