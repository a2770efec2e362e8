"""Experiments on the Trends page: started from the keyboard, listed, ended, compared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from breather.categories.catalogue import Categorizer
from breather.clock import FakeClock
from breather.settings.model import Settings
from breather.settings.paths import Paths
from breather.store import Store
from breather.store.experiments import ExperimentLog, new_experiment
from breather.ui.app import BreatherApp
from breather.ui.experiments import Choice, ExperimentDialog
from tests.qt.test_week_mood import ARTIFACTS, twelve_weeks
from tests.qt.usage import MONDAY, local
from tests.unit.test_experiments import around, fill_days


def make_app(store: Store, tmp_path: Path) -> BreatherApp:
    return BreatherApp(
        store=store,
        settings=Settings(),
        paths=Paths(tmp_path, tmp_path / "breather.toml", store.url),
        clock=FakeClock(datetime(2026, 11, 22, 15, 0, tzinfo=UTC)),  # the Sunday after MONDAY
        tray_available=True,
        track=False,
    )


@pytest.fixture
def app(qtbot, store: Store, tmp_path: Path) -> Iterator[BreatherApp]:
    breather = make_app(store, tmp_path)
    qtbot.addWidget(breather.window)
    yield breather
    breather.window.hide()


def show_trends(app: BreatherApp) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("Trends"))


def test_the_dialog_is_answered_from_the_keyboard(qtbot) -> None:
    dialog = ExperimentDialog(Categorizer().names)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.what.hasFocus)
    line = dialog.what.lineEdit()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, "Video")
    qtbot.keyClick(line, Qt.Key.Key_Tab)
    assert dialog.amount.hasFocus()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.amount, "45m")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Tab)
    assert dialog.days.hasFocus()
    qtbot.keyClick(dialog.days, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.days, "10")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.days, Qt.Key.Key_Return)
    assert dialog.choice == Choice("limit", "category:Video", 45 * 60.0, 10)


def test_a_bad_amount_is_said_in_the_dialog_and_it_stays_open(qtbot) -> None:
    dialog = ExperimentDialog(Categorizer().names)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.what.setCurrentText("Movement breaks")
    dialog.amount.setText("1m")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.choice is None and dialog.isVisible()
    assert "The cadence must be from 5 min to 4 h" in dialog.problem.text()
    dialog.amount.setText("30m")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.choice == Choice("breaks", "movement", 1800.0, 14)


def test_start_see_it_running_and_applied_then_end_it_early(
    app: BreatherApp, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        ExperimentDialog,
        "ask",
        classmethod(
            lambda cls, names, parent=None: Choice("limit", "category:Social media", 1800.0, 14)
        ),
    )
    show_trends(app)
    card = app.trends.experiments
    assert card is not None and card.results == []
    card.start_button.setFocus()
    qtbot.keyClick(card.start_button, Qt.Key.Key_Space)
    assert [result.running for result in card.results] == [True]
    assert "Running: a 30 min daily limit on Social media" in card.texts[0]
    assert "day 1 of 14" in card.texts[0]
    assert not card.start_button.isEnabled()  # one at a time
    today = app.current_policy().day_of(app.context.clock.now())
    (limit,) = [lim for lim in app.current_policy().limits if lim.key == "category:Social media"]
    assert limit.allowance(today) == 1800.0  # applied, though the settings have no limit

    assert card.end_button is not None
    card.end_button.setFocus()
    qtbot.keyClick(card.end_button, Qt.Key.Key_Space)
    assert [result.running for result in card.results] == [False]
    assert "ended early after 1 of 14 days" in card.texts[0]
    assert card.start_button.isEnabled()
    assert not [lim for lim in app.current_policy().limits if lim.key == "category:Social media"]


def test_twelve_alike_weeks_show_no_clear_change(store: Store, app: BreatherApp) -> None:
    twelve_weeks(store)
    ExperimentLog(store.db, store.device_id).start(
        new_experiment(
            local(MONDAY - timedelta(days=14), 9), "limit", "category:Social media", 1800.0, 14
        )
    )
    show_trends(app)
    card = app.trends.experiments
    assert card is not None
    (result,) = card.results
    assert not result.running and result.days_so_far == 14
    assert (len(result.minutes.before), len(result.minutes.during)) == (14, 14)
    assert not result.minutes.clear
    assert "no clear change" in card.texts[0]
    assert "does not show what caused" in card.texts[0]


def test_days_built_to_differ_show_a_clear_change_and_a_screenshot(
    store: Store, app: BreatherApp, qtbot
) -> None:
    minutes = around([90.0, 80, 100, 95, 85], [30.0, 25, 28, 35, 20])
    moods = around([2, 3, 2, 2, 3], [4, 4, 3, 4, 5])
    fill_days(store, minutes, {day: int(mood) for day, mood in moods.items()})
    ExperimentLog(store.db, store.device_id).start(
        new_experiment(local(MONDAY, 9), "limit", "category:Social media", 1800.0, 5)
    )
    app.window.resize(1280, 800)
    show_trends(app)
    card = app.trends.experiments
    assert card is not None
    (result,) = card.results
    assert result.minutes.clear and result.mood.clear
    assert "min fewer a day (90% interval)" in card.texts[0]
    assert "points higher (90% interval)" in card.texts[0]
    qtbot.wait(50)  # laid out, then scrolled down to the card
    app.trends.verticalScrollBar().setValue(app.trends.verticalScrollBar().maximum())
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    assert app.window.grab().save(str(ARTIFACTS / "experiment.png"))


def test_a_finished_experiment_is_repeated_from_today(
    store: Store, app: BreatherApp, qtbot
) -> None:
    ExperimentLog(store.db, store.device_id).start(
        new_experiment(local(MONDAY, 9), "breaks", "movement", 1800.0, 3)
    )
    show_trends(app)
    card = app.trends.experiments
    assert card is not None
    (finished,) = card.results
    assert not finished.running and card.start_button.isEnabled()
    (repeat,) = [b for b in card.findChildren(QPushButton) if b.text() == "Repeat"]
    repeat.setFocus()
    qtbot.keyClick(repeat, Qt.Key.Key_Space)
    assert [result.running for result in card.results] == [True, False]
    assert "Running: a movement break every 30 min, day 1 of 3" in card.texts[0]
    assert app.current_policy().breaks.movement.every == 1800.0
