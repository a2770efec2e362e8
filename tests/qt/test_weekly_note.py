"""The weekly note as a notification: Sunday evening, when turned on, opening the week."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from pathlib import Path

from breather.notify.fake import RecordingNotifier
from breather.rules.checkin import ReflectionPolicy
from breather.settings.model import Settings, parse_settings
from breather.store import Store
from breather.ui.reflection import OPEN_WEEK
from tests.qt.test_week_mood import make_app, twelve_weeks


def test_the_note_comes_on_sunday_evening_and_opens_the_week(
    store: Store, tmp_path: Path, qtbot
) -> None:
    twelve_weeks(store)
    app = make_app(store, tmp_path)  # Sunday 22 November, 15:00 UTC
    qtbot.addWidget(app.window)
    app.context.settings = replace(Settings(), reflection=ReflectionPolicy(notify=True))
    notifier = RecordingNotifier()
    app.start_boundaries(notifier)
    note = app.weekly_note
    assert note is not None
    assert note._timer.isActive()  # armed for this evening
    sent = note.send()
    assert sent is not None
    shown = notifier.open[-1]
    assert shown.summary == "Your week, in a few lines"
    assert "Your mood averaged" in shown.body and "One idea:" in shown.body
    assert (OPEN_WEEK, "Open the week") in shown.actions
    notifier.invoke(sent, OPEN_WEEK)
    qtbot.waitUntil(app.window.isVisible)
    assert app.window.pages.currentWidget() is app.week
    app.window.hide()


def test_the_note_is_off_until_turned_on_and_quiet_in_do_not_disturb(
    store: Store, tmp_path: Path, qtbot
) -> None:
    assert Settings().reflection.notify is False
    settings, problems = parse_settings('[reflection]\nnotify = true\nat = "18:30"\n', Path("b"))
    assert problems == [] and settings.reflection == ReflectionPolicy(True, time(18, 30))
    app = make_app(store, tmp_path)
    qtbot.addWidget(app.window)
    notifier = RecordingNotifier(quiet=True)
    app.start_boundaries(notifier)
    assert app.weekly_note is not None and not app.weekly_note._timer.isActive()
    assert app.weekly_note.send() is None  # the desktop asked for quiet
    assert notifier.open == []
    app.window.hide()


def test_the_note_is_turned_on_in_settings(store: Store, tmp_path: Path, qtbot) -> None:
    from PySide6.QtCore import Qt

    from breather.settings.model import load_settings

    app = make_app(store, tmp_path)
    qtbot.addWidget(app.window)
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    assert not page.note_on.isChecked()
    page.note_on.setChecked(True)
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    assert page.status.text().startswith("Saved."), page.status.text()
    assert load_settings(tmp_path / "breather.toml")[0].reflection.notify is True
    app.window.hide()


def test_while_the_note_waits_the_weeks_it_opens_are_named(
    store: Store, tmp_path: Path, qtbot, monkeypatch
) -> None:
    from tests.qt.test_warmup import titles_named

    twelve_weeks(store)
    app = make_app(store, tmp_path)
    qtbot.addWidget(app.window)
    app.context.settings = replace(Settings(), reflection=ReflectionPolicy(notify=True))
    notifier = RecordingNotifier()
    app.start_boundaries(notifier)
    assert app.weekly_note is not None
    sent = app.weekly_note.send()
    assert sent is not None and not app.window.isVisible()
    qtbot.waitUntil(lambda: app.warmup is not None and not app.warmup.running)
    named = titles_named(app.context.categorizer, monkeypatch)
    notifier.invoke(sent, OPEN_WEEK)
    qtbot.waitUntil(lambda: app.window.isVisible() and not app.week.observations_pending)
    assert named == []  # the week and what its twelve weeks say: every title known already
    app.window.hide()
