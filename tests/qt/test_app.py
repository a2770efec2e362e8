"""The desktop app's pages and tray, driven as a person would (offscreen)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar

from breather.clock import FakeClock
from breather.settings.model import Settings, load_settings
from breather.settings.paths import Paths
from breather.store import Store
from breather.store.queries import day_range, summarize
from breather.ui.app import BreatherApp
from breather.ui.widgets import LimitStrip
from tests.qt.palettes import dark_desktop
from tests.qt.usage import MONDAY, fill_week

ARTIFACTS = Path(__file__).parents[1] / "artifacts"


@pytest.fixture
def written(store: Store) -> dict[date, float]:
    return fill_week(store)


@pytest.fixture
def app(qtbot, store: Store, tmp_path: Path, written) -> Iterator[BreatherApp]:
    paths = Paths(tmp_path, tmp_path / "breather.toml", store.url)
    clock = FakeClock(datetime(2026, 11, 22, 15, 0, tzinfo=UTC))  # Sunday afternoon
    breather = BreatherApp(
        store=store,
        settings=Settings(),
        paths=paths,
        clock=clock,
        tray_available=True,
        track=False,
    )
    qtbot.addWidget(breather.window)
    yield breather
    breather.window.hide()


def test_the_tray_menu_offers_what_people_do_from_there(app: BreatherApp, qtbot) -> None:
    tray = app.tray
    assert tray is not None
    labels = [a.text().replace("&", "") for a in tray.menu.actions() if a.text()]
    assert labels[:2] == ["Open Breather", "Pause tracking"]
    assert "Self-help and crisis lines" in labels and labels[-1] == "Quit Breather"
    pauses = [a.text() for a in tray.pause_actions]
    assert pauses == ["For 30 minutes", "For 1 hour", "Until tomorrow"]
    with qtbot.waitSignal(tray.pause_requested) as paused:
        tray.pause_actions[1].trigger()
    assert paused.args == [60]
    tray.open_action.trigger()
    assert app.window.isVisible()


def test_crisis_lines_are_one_click_from_the_tray(app: BreatherApp, qtbot) -> None:
    assert app.tray is not None
    app.tray.help_action.trigger()
    assert app.window.isVisible()
    assert app.window.pages.currentWidget() is app.support
    box = app.support.region_box
    box.setCurrentIndex(box.findData("GB"))  # picked from the region list
    assert (app.context.paths.data_dir / "self-help-region").read_text().strip() == "GB"


def test_first_run_welcome_saves_choices_and_keeps_comments(app: BreatherApp, qtbot) -> None:
    config = app.context.paths.config_file
    config.write_text('# my own notes\n[tracking]\nidle_after = "5m"  # I read a lot\n')
    dialog = app.welcome()
    qtbot.waitUntil(dialog.isVisible)
    dialog.social_limit.setFocus()
    qtbot.keyClick(dialog.social_limit, Qt.Key.Key_Space)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    text = config.read_text()
    assert text.startswith('# my own notes\n[tracking]\nidle_after = "5m"  # I read a lot\n')
    assert 'category = "Social media"' in text and 'daily = "30m"' in text
    assert (app.context.paths.data_dir / "welcomed").exists()
    assert config.stat().st_mode & 0o077 == 0
    settings, _ = load_settings(config)
    assert settings.tracking.idle_after == 300


def test_today_shows_the_stored_day(app: BreatherApp, written, qtbot) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("Today"))
    today = app.context.today()
    assert written[today] == 2 * 3600 + 6 * 60  # Sunday of the generated week
    assert app.today.active_value.text() == "2h 06m"
    assert app.today.away_value.text() == "30m"
    # Apps go by the names their menu entries give, coloured by what they were used for:
    # the browser was mostly social media, not "Other".
    assert app.today.apps.accessibleDescription() == "Firefox Web Browser: 1h 54m; Slack: 12m"
    browser = app.today.apps._rows[0]
    assert browser.color == app.context.color("Social media")
    assert not app.today.more_apps.isVisible()  # two apps: nothing more to show


def test_weekly_bars_add_up_to_the_store_totals(app: BreatherApp, store: Store, qtbot) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("This week"))
    usage = app.week.usage
    assert usage is not None and usage.monday == MONDAY
    for day in usage.days:
        start, end = day_range(day.day, app.context.settings.tracking.day_starts)
        assert day.active_seconds == summarize(store.db, start, end).active_seconds
    drawn = app.week.drawn_hours()
    for hours, day in zip(drawn, usage.days, strict=True):
        assert hours == pytest.approx(day.active_seconds / 3600)
    assert sum(sum(row) for row in usage.grid) == pytest.approx(usage.total.active_seconds)


def test_weekly_review_moves_between_weeks_by_keyboard(app: BreatherApp, qtbot) -> None:
    with qtbot.waitActive(app.window):  # shortcuts reach the active window only
        app.show_window()
    app.window.show_page(app.window.page_index("This week"))
    assert not app.week.next_button.isEnabled()  # nothing after the current week
    qtbot.keyClick(app.week, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert app.week.usage is not None
    assert app.week.usage.monday == MONDAY - timedelta(days=7)
    assert app.week.usage.total.active_seconds == 0
    qtbot.keyClick(app.week, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert app.week.usage.monday == MONDAY


def test_weekly_review_saves_a_png(app: BreatherApp, qtbot, tmp_path: Path, monkeypatch) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("This week"))
    target = tmp_path / "week.png"
    monkeypatch.setattr(type(app.week), "ask_save_path", classmethod(lambda cls, p, s: target))
    qtbot.mouseClick(app.week.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"\x89PNG")
    assert f"saved as {target}" in app.week.subtitle.text()  # said, not silent
    assert app.week.save_button.isVisible()  # hidden only while the picture was taken


def test_an_empty_week_says_so_instead_of_drawing_empty_axes(app: BreatherApp, qtbot) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("This week"))
    week = app.week
    week.show_week(MONDAY + timedelta(days=7))  # nothing tracked in the week after
    assert week.days_empty.isVisible()
    assert not week.hours_card.isVisible()
    week.show_week(MONDAY)
    assert not week.days_empty.isVisible()
    charts = week._charts
    assert charts is not None
    details = charts.day_details(5)  # Saturday, as hovering its bar shows
    assert details.startswith("Saturday 21 November: ")
    assert "Social media" in details
    assert "darkest" in week.heat_note.text()


def test_screenshots_at_1280x800(app: BreatherApp, store: Store, qtbot) -> None:
    from breather.rules.model import Outcome, Record
    from breather.rules.policy import Limit
    from breather.store.boundaries import BoundaryLog

    ARTIFACTS.mkdir(exist_ok=True)
    records = []
    for day in range(7):
        noon = datetime(2026, 11, 16 + day, 12, 0).astimezone()
        records += [Record(noon, "eyes", Outcome.DUE), Record(noon, "eyes", Outcome.TAKEN)]
        records += [
            Record(noon, "movement", Outcome.DUE),
            Record(noon, "movement", Outcome.NATURAL),
        ]
    BoundaryLog(store.db, store.device_id).record(records)
    app.context.settings = replace(
        app.context.settings,
        limits=(Limit(category="Social media", daily=45 * 60), Limit(app="Slack", daily=20 * 60)),
    )
    window = app.window
    window.resize(1280, 800)
    app.show_window()
    pages = (
        ("Today", "today"),
        ("This week", "weekly-review"),
        ("Support", "self-help"),
        ("Settings", "settings"),
    )
    for title, name in pages:
        window.show_page(window.page_index(title))
        if name == "self-help":  # as someone in the UK sees it: the emergency number first
            app.support.region_box.setCurrentIndex(app.support.region_box.findData("GB"))
        qtbot.wait(50)  # let the layout settle before grabbing
        assert window.grab().save(str(ARTIFACTS / f"{name}.png"))
    dialog = app.welcome()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.grab().save(str(ARTIFACTS / "first-run.png"))
    dialog.reject()


def test_pausing_from_the_tray_until_tomorrow_and_resuming(app: BreatherApp, qtbot) -> None:
    tray = app.tray
    assert tray is not None
    tray.pause_actions[2].trigger()  # Until tomorrow
    until = app.paused_until()
    assert until is not None
    assert until == datetime(2026, 11, 23, 4, 0).astimezone()  # the next day start
    assert tray.resume_action.isVisible()
    assert not tray.pause_menu.menuAction().isVisible()
    assert "paused until 04:00" in tray.icon.toolTip()
    tray.resume_action.trigger()
    assert app.paused_until() is None
    assert tray.pause_menu.menuAction().isVisible()


def test_settings_round_trip_to_the_file_keeping_comments(app: BreatherApp, qtbot) -> None:
    config = app.context.paths.config_file
    original = (
        "# Breather, my way\n"
        "[breaks.eyes]\n"
        'every = "20m"   # the 20-20-20 rule\n'
        "\n"
        "[tracking]\n"
        "# I read long articles\n"
        'idle_after = "5m"\n'
    )
    config.write_text(original)
    app.context.settings, _ = load_settings(config)
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    assert page.idle_after.value() == 5
    page.save_button.click()
    assert "Nothing to save" in page.status.text()
    assert config.read_text() == original

    page.eyes_every.setValue(25)
    page.titles.setChecked(False)
    page.limit_rows[0].target.setCurrentText("Social media")
    page.limit_rows[0].minutes.setValue(45)
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    assert page.status.text().startswith("Saved."), page.status.text()
    text = config.read_text()
    assert text.startswith('# Breather, my way\n[breaks.eyes]\nevery = "25m"   # the 20-20-20 rule')
    assert '# I read long articles\nidle_after = "5m"' in text
    settings, problems = load_settings(config)
    assert problems == []
    assert settings.breaks.eyes.every == 25 * 60
    assert settings.privacy.titles is False
    assert [(lim.category, lim.daily) for lim in settings.limits] == [("Social media", 45 * 60)]
    assert app.context.settings == settings


def test_breaks_and_limits_stand_beside_the_usage(app: BreatherApp, store: Store, qtbot) -> None:
    from breather.rules.model import Outcome, Record
    from breather.rules.policy import Limit
    from breather.store.boundaries import BoundaryLog

    sunday = datetime(2026, 11, 22, 11, 0).astimezone()
    BoundaryLog(store.db, store.device_id).record(
        [
            Record(sunday, "eyes", Outcome.DUE),
            Record(sunday, "eyes", Outcome.TAKEN),
            Record(sunday + timedelta(minutes=20), "eyes", Outcome.DUE),
            Record(sunday + timedelta(minutes=20), "eyes", Outcome.POSTPONED),
        ]
    )
    app.context.settings = replace(
        app.context.settings, limits=(Limit(category="Social media", daily=30 * 60),)
    )
    app.show_window()
    app.window.show_page(app.window.page_index("Today"))
    today = app.today.boundaries
    # Every part adds up: 2 came due, 1 ended taken, 1 is still open after its postpone.
    assert today.breaks.text() == "Breaks: 2 came due: 1 taken; 1 postponed once first"
    bars = today.findChildren(QProgressBar)
    assert [b.format() for b in bars] == ["1h 16m of 30m"]  # Sunday's "(3) Home / X" time
    app.window.show_page(app.window.page_index("This week"))
    strips = app.week.boundaries.findChildren(LimitStrip)
    assert [s.accessibleDescription() for s in strips] == ["within the limit on 0 of 7 days"]


def test_days_still_to_come_are_not_counted_as_kept(qtbot) -> None:
    from breather.rules.policy import Limit
    from breather.ui.boundaries import limit_uses

    monday = date(2026, 11, 16)
    week = [(monday + timedelta(days=n), {}, {"Social media": 600.0 * n}) for n in range(7)]
    (use,) = limit_uses([Limit(category="Social media", daily=25 * 60)], week, until=week[2][0])
    assert use.days[3:] == ((0.0, None),) * 4  # Thursday to Sunday have not happened yet
    strip = LimitStrip()
    qtbot.addWidget(strip)
    strip.set_days(use.days)
    assert strip.accessibleDescription() == "within the limit on 3 of 3 days"


def test_take_a_break_now_from_the_tray_opens_the_break_and_help_is_one_click(
    app: BreatherApp, store: Store, qtbot
) -> None:
    from breather.monitor.base import Sample, WindowInfo
    from breather.notify.fake import RecordingNotifier

    runtime = app.start_boundaries(RecordingNotifier())
    clock = app.context.clock
    editor = WindowInfo("Code", "notes.md — Code", "code", "/usr/bin/code")
    sample = Sample(clock.now(), clock.monotonic(), editor, 0.0)
    runtime.coordinator.observe(sample, [], None)
    app.update_status()
    assert app.tray is not None
    assert "Next break in 20m" in app.tray.icon.toolTip()  # eyes: 20 min of screen time

    assert app.tray.break_actions["eyes"].text() == "Rest my &eyes (20 seconds)"
    app.tray.break_actions["movement"].trigger()
    screens = app._presenters[0]
    qtbot.waitUntil(lambda: screens.main is not None and screens.main.isVisible())
    # A break the person asked for has nothing to postpone.
    assert not screens.main.postpone.isVisible()
    assert screens.main.heading.text() == "Time to move"
    with qtbot.waitSignal(screens.help_requested):
        screens.main.help.click()
    assert app.window.pages.currentWidget() is app.support
    # A crisis line must not wait behind a full-screen break: the break steps aside at once.
    assert not any(window.isVisible() for window in screens.windows)
    assert app.window.isVisible()


def test_a_dark_desktop_gets_dark_pages_and_a_dark_break(
    store: Store, tmp_path: Path, written, qtbot
) -> None:

    from breather.rules.exercises import suggest
    from breather.rules.model import BreakPrompt, Choice
    from breather.ui.break_window import BreakWindow

    with dark_desktop():
        paths = Paths(tmp_path, tmp_path / "breather.toml", store.url)
        clock = FakeClock(datetime(2026, 11, 22, 15, 0, tzinfo=UTC))
        night = BreatherApp(
            store=store,
            settings=Settings(),
            paths=paths,
            clock=clock,
            tray_available=True,
            track=False,
        )
        qtbot.addWidget(night.window)
        ARTIFACTS.mkdir(exist_ok=True)
        night.window.resize(1280, 800)
        night.show_window()
        for title, name in (("Today", "today-dark"), ("This week", "weekly-review-dark")):
            night.window.show_page(night.window.page_index(title))
            qtbot.wait(50)  # let the layout settle before grabbing
            assert night.window.grab().save(str(ARTIFACTS / f"{name}.png"))
        screen = BreakWindow()
        qtbot.addWidget(screen)
        screen.resize(1280, 800)
        choices = (Choice.TAKE, Choice.POSTPONE)
        screen.show_prompt(
            BreakPrompt(1, "eyes", "running", 20.0, 0.0, 20.0, choices, suggest("eyes", 0))
        )
        picture = screen.grab()
        assert picture.save(str(ARTIFACTS / "break-dark.png"))
        corner = picture.toImage().pixelColor(5, 5)
        assert corner.lightness() < 60, corner.name()  # not a bright page in a dark room
        night.window.hide()


def test_weekly_review_shows_all_devices_or_one(app: BreatherApp, store: Store, qtbot) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("This week"))
    assert not app.week.device_picker.isVisible()  # one device: nothing to choose
    # Another computer's week, as a sync round brings it: the same time, on one evening.
    with store.db.write() as conn:
        other = conn.value("INSERT INTO device (uuid, name) VALUES ('b', 'desktop') RETURNING id")
        conn.run(
            "INSERT INTO span (start_ms, device_id, end_ms, app_id, title_id)"
            " SELECT start_ms, :other, end_ms, app_id, title_id FROM span WHERE device_id = :me",
            {"other": other, "me": store.device_id},
        )
        conn.run(
            "INSERT INTO app_hour (hour, device_id, app_id, ms)"
            " SELECT hour, :other, app_id, ms FROM app_hour WHERE device_id = :me",
            {"other": other, "me": store.device_id},
        )
    app.week.refresh()
    picker = app.week.device_picker
    assert picker.isVisible()
    assert [picker.itemText(i) for i in range(picker.count())] == ["All devices", "desktop", "t"]
    both = app.week.usage
    assert both is not None
    apps_both = {t.key: t.seconds for t in both.total.totals}
    picker.setCurrentIndex(picker.findText("desktop"))
    picker.activated.emit(picker.currentIndex())
    one = app.week.usage
    assert one is not None
    # The same moments on both: all devices count each moment once, and each app twice.
    assert one.total.active_seconds == both.total.active_seconds
    assert {t.key: t.seconds * 2 for t in one.total.totals} == apps_both


def test_numpy_starts_one_blas_thread_unless_the_person_said_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from breather.ui.app import one_blas_thread

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
