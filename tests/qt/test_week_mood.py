"""The week with how it felt: a mood per day beside its screen time, and honest observations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from breather.clock import FakeClock
from breather.settings.durations import format_duration
from breather.settings.model import Settings
from breather.settings.paths import Paths
from breather.store import Store
from breather.store.checkins import CheckinLog, new_checkin
from breather.ui.app import BreatherApp
from tests.qt.palettes import dark_desktop
from tests.qt.usage import MONDAY, fill_week, local

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
#: Social media per weekday in `fill_week`: 40 min on Monday, 6 more each day after.
HEAVY_FROM = 4  # Friday on: more than an hour


def check_in(store: Store, day: date, mood: int, note: str = "") -> None:
    CheckinLog(store.db, store.device_id).record(new_checkin(local(day, 21, 15), mood, note))


def twelve_weeks(store: Store) -> None:
    """Twelve weeks of the known week, with evening check-ins lower on the heavier days
    (with a little variety, as real answers have) and a day off now and then."""
    for week in range(12):
        monday = MONDAY - timedelta(days=7 * (11 - week))
        fill_week(store, monday)
        for offset in range(7):
            if (week + offset) % 5 == 0:
                continue  # no check-in that day
            mood = (2 if offset >= HEAVY_FROM else 4) + ((week + offset) % 3 == 0)
            check_in(store, monday + timedelta(days=offset), mood)


def make_app(store: Store, tmp_path: Path) -> BreatherApp:
    return BreatherApp(
        store=store,
        settings=Settings(),
        paths=Paths(tmp_path, tmp_path / "breather.toml", store.url),
        clock=FakeClock(datetime(2026, 11, 22, 15, 0, tzinfo=UTC)),  # that Sunday afternoon
        tray_available=True,
        track=False,
    )


@pytest.fixture
def app(qtbot, store: Store, tmp_path: Path) -> Iterator[BreatherApp]:
    breather = make_app(store, tmp_path)
    qtbot.addWidget(breather.window)
    yield breather
    breather.window.hide()


def show_week(app: BreatherApp, qtbot) -> None:
    """The week, once what the last twelve weeks say has followed it."""
    app.show_window()
    app.window.show_page(app.window.page_index("This week"))
    qtbot.waitUntil(lambda: not app.week.observations_pending)


def test_each_day_shows_its_mood_beside_its_screen_time(
    app: BreatherApp, store: Store, qtbot
) -> None:
    fill_week(store)
    check_in(store, MONDAY, 4, "good walk")
    check_in(store, MONDAY + timedelta(days=2), 2)
    check_in(store, MONDAY + timedelta(days=2), 3)
    show_week(app, qtbot)
    card = app.week.mood
    assert card.mood_labels[0].accessibleName() == "Monday: mood 4.0 of 5, good"
    assert card.mood_labels[1].accessibleName() == "Tuesday: no check-in"
    assert card.mood_labels[2].accessibleName() == "Wednesday: mood 2.5 of 5, low"
    usage = app.week.usage
    assert usage is not None  # Monday's screen time, as its bar says it
    assert card.time_labels[0].text() == format_duration(usage.days[0].active_seconds) == "3h 47m"
    assert card.summary.text() == "3 check-ins on 2 of 7 days, averaging 3.2 (okay)."
    # Two days are too few for any statement: none is made, and the page says what it needs.
    assert not any(label.isVisible() for label in card.said)
    assert "10 days or more (2 so far" in card.note.text()


def test_a_week_without_check_ins_says_they_are_optional(
    app: BreatherApp, store: Store, qtbot
) -> None:
    fill_week(store)
    show_week(app, qtbot)
    card = app.week.mood
    assert card.summary.text().startswith("No check-ins this week. They are optional")
    assert all(label.accessibleName().endswith("no check-in") for label in card.mood_labels)


def test_enough_days_give_an_observation_with_its_days_and_uncertainty(
    app: BreatherApp, store: Store, qtbot
) -> None:
    twelve_weeks(store)
    show_week(app, qtbot)
    said = [label.text() for label in app.week.mood.said if label.isVisible()]
    assert said, app.week.mood.note.text()
    social = next(text for text in said if "Social media" in text)
    assert social.startswith("On the ")
    assert "days with more than 1 h of Social media, your mood averaged" in social
    assert "90% interval" in social and "lower" in social
    assert "does not say which causes which" in social
    assert "Patterns in your own days, not causes" in app.week.mood.note.text()


def test_screenshots_of_the_week_with_mood_light_and_dark(
    store: Store, tmp_path: Path, qtbot
) -> None:
    twelve_weeks(store)
    ARTIFACTS.mkdir(exist_ok=True)
    light = make_app(store, tmp_path)
    qtbot.addWidget(light.window)
    light.window.resize(1280, 800)
    show_week(light, qtbot)
    light.week.verticalScrollBar().setValue(light.week.mood.y() - 20)
    qtbot.wait(50)  # let the layout settle before grabbing
    assert light.window.grab().save(str(ARTIFACTS / "weekly-mood.png"))
    light.window.hide()

    with dark_desktop():
        night = make_app(store, tmp_path)
        qtbot.addWidget(night.window)
        night.window.resize(1280, 800)
        show_week(night, qtbot)
        night.week.verticalScrollBar().setValue(night.week.mood.y() - 20)
        qtbot.wait(50)
        assert night.window.grab().save(str(ARTIFACTS / "weekly-mood-dark.png"))
        night.window.hide()


def test_moving_on_before_the_observations_follow_shows_the_new_weeks_own(
    app: BreatherApp, store: Store, qtbot
) -> None:
    twelve_weeks(store)
    app.show_window()
    app.window.show_page(app.window.page_index("This week"))
    app.week.show_week(MONDAY - timedelta(days=7 * 11))  # the first of the twelve weeks
    qtbot.waitUntil(lambda: not app.week.observations_pending)
    # Only that week's own history counts: five days with a check-in are too few to say anything.
    assert not any(label.isVisible() for label in app.week.mood.said)
    assert "(5 so far" in app.week.mood.note.text()


def test_the_week_in_a_few_lines_is_written_from_its_own_figures(
    app: BreatherApp, store: Store, qtbot
) -> None:
    twelve_weeks(store)
    show_week(app, qtbot)
    text = app.week.reflection.text()
    assert "Your mood averaged" in text and "check-ins" in text
    assert "One idea:" in text
    assert app.week.reflection_card.title.text() == "The week in a few lines"  # Sunday: whole


def test_another_week_never_shows_the_last_one_s_note_meanwhile(
    app: BreatherApp, store: Store, qtbot
) -> None:
    twelve_weeks(store)
    show_week(app, qtbot)
    this_week = app.week.reflection.text()
    app.week.show_week(MONDAY - timedelta(days=7))
    assert app.week.observations_pending
    assert app.week.reflection.text() not in ("", this_week)  # a muted "putting … into words"
    qtbot.waitUntil(lambda: not app.week.observations_pending)
    assert app.week.reflection.text() not in ("", this_week)
    assert "Your mood averaged" in app.week.reflection.text()


def test_the_week_is_painted_before_what_twelve_weeks_say_is_worked_out(
    app: BreatherApp, store: Store, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QEvent, QObject

    from breather.ui.weekly import WeekPage

    twelve_weeks(store)
    events: list[str] = []

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is app.week.widget():
                events.append("painted")
            return False

    observe = WeekPage._observe

    def noting(page: WeekPage, monday: date) -> None:
        if page.observations_pending:
            events.append("observed")
        observe(page, monday)

    monkeypatch.setattr(WeekPage, "_observe", noting)
    paints = Paints()
    page = app.week.widget()
    assert page is not None
    page.installEventFilter(paints)
    app.show_week()  # the weekly note's "Open the week": the window shows on the week
    qtbot.waitUntil(lambda: not app.week.observations_pending)
    assert events.index("painted") < events.index("observed")
    assert events.count("observed") == 1
