"""The running app follows its settings file at once, and shows what is wrong in it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from breather.clock import FakeClock
from breather.notify.fake import RecordingNotifier
from breather.rules import Policy
from breather.settings.live import SettingsFile
from breather.settings.paths import Paths
from breather.store import Store
from breather.ui.app import BreatherApp

HAND_WRITTEN = """\
# my breaks
[breaks.eyes]
every = "20m"
"""


def live_app(qtbot, store: Store, tmp_path: Path, config: Path) -> BreatherApp:
    """The app with its boundaries running, following the settings file `config`."""
    settings_file = SettingsFile(config)
    settings_file.load()
    breather = BreatherApp(
        store=store,
        settings=settings_file.current.settings,
        paths=Paths(tmp_path, config, store.url),
        clock=FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC)),
        tray_available=True,
        track=False,
        settings_file=settings_file,
    )
    breather.start_boundaries(RecordingNotifier())
    qtbot.addWidget(breather.window)
    return breather


@pytest.fixture
def app(qtbot, store: Store, tmp_path: Path) -> Iterator[BreatherApp]:
    config = tmp_path / "breather.toml"
    config.write_text(HAND_WRITTEN)
    breather = live_app(qtbot, store, tmp_path, config)
    yield breather
    breather.window.hide()


def policy(app: BreatherApp) -> Policy:
    assert app.boundaries is not None
    return app.boundaries.coordinator.policy


def test_an_edit_on_disk_applies_at_once(app: BreatherApp, qtbot) -> None:
    config = app.context.paths.config_file
    config.write_text(
        HAND_WRITTEN + 'enabled = false\n\n[[limits]]\ncategory = "Video"\ndaily = "45m"\n'
    )
    qtbot.waitUntil(lambda: not policy(app).breaks.eyes.enabled, timeout=5000)
    assert [limit.category for limit in policy(app).limits] == ["Video"]
    assert app.context.settings.limits[0].daily == 45 * 60


def test_a_mistake_is_shown_where_the_person_looks_and_nothing_is_lost(
    app: BreatherApp, qtbot
) -> None:
    app.show_window()
    assert not app.window.banner.isVisible()
    config = app.context.paths.config_file
    config.write_text(HAND_WRITTEN + 'duration = "20s"\n[[limits]]\ncategory = "Socal media"\n')
    qtbot.waitUntil(app.window.banner.isVisible, timeout=5000)
    text = app.window.banner.text.text()
    assert "breather.toml:6: limits.0.category" in text
    assert "did you mean 'Social media'?" in text
    assert "those settings are on their defaults" in text
    config.write_text(HAND_WRITTEN + 'every = "25m\n')  # an unclosed quote: unreadable
    qtbot.waitUntil(lambda: "breather.toml:4" in app.window.banner.text.text(), timeout=5000)
    assert "settings from before this change stay in force" in app.window.banner.text.text()
    assert app.context.settings.breaks.eyes.duration == 20  # kept from the last good file
    config.write_text(HAND_WRITTEN)
    qtbot.waitUntil(lambda: not app.window.banner.isVisible(), timeout=5000)


def test_welcome_choices_apply_without_a_restart(app: BreatherApp, qtbot) -> None:
    dialog = app.welcome()
    qtbot.waitUntil(dialog.isVisible)
    dialog.breaks.setFocus()
    qtbot.keyClick(dialog.breaks, Qt.Key.Key_Space)  # no break reminders, thank you
    dialog.social_limit.setFocus()
    qtbot.keyClick(dialog.social_limit, Qt.Key.Key_Space)  # but a gentle limit
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not policy(app).breaks.eyes.enabled
    assert not policy(app).breaks.movement.enabled
    assert [limit.category for limit in policy(app).limits] == ["Social media"]
    assert app.context.paths.config_file.read_text().startswith(HAND_WRITTEN)


LIMITS_BY_HAND = """\
# my limits
[[limits]]
category = "Games"  # evenings only
daily = "1h"
weekend = "2h"

[breaks.eyes]
every = "20m"
"""


def test_adding_a_limit_in_settings_keeps_the_weekend_written_by_hand(
    app: BreatherApp, qtbot
) -> None:
    config = app.context.paths.config_file
    config.write_text(LIMITS_BY_HAND)
    qtbot.waitUntil(lambda: len(app.context.settings.limits) == 1, timeout=5000)
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    games = page.limit_rows[0]
    assert games.minutes.text() == "1 h a day"
    assert games.weekend.text() == "2 h at weekends"
    page.limit_rows[1].target.setCurrentText("Video")
    page.limit_rows[1].minutes.setValue(90)
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    assert page.status.text().startswith("Saved."), page.status.text()
    text = config.read_text()
    assert text.startswith(LIMITS_BY_HAND.split("\n[breaks.eyes]", maxsplit=1)[0])
    assert '[[limits]]\ncategory = "Video"\ndaily = "1h30m"\n' in text
    limits = {limit.label: limit for limit in app.context.settings.limits}
    assert limits["Games"].weekend == 2 * 3600  # the week's allowance stays 9 h
    # A second save of the same page changes nothing more.
    page.save_button.click()
    assert "Nothing to save" in page.status.text()


def test_scrolling_past_a_setting_does_not_change_it(app: BreatherApp, qtbot) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    before = page.idle_after.value()
    centre = QPointF(page.idle_after.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(page.idle_after.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(page.idle_after, wheel)
    assert page.idle_after.value() == before


def test_the_settings_page_says_what_is_unsaved_and_saved_at_the_top(
    app: BreatherApp, qtbot
) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    assert page.top_status.text() == ""
    page.idle_after.setValue(7)
    assert page.top_status.text() == "Not saved yet (Alt+S saves)"
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    assert page.top_status.text() == "Saved. Everything applies now."
    assert page.idle_after.text() == "7 min"


def test_quiet_hours_controls_follow_their_switch(app: BreatherApp, qtbot) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    assert not page.downtime_on.isChecked()
    assert not page.downtime_from.isEnabled()
    assert not next(iter(page.downtime_categories.values())).isEnabled()
    page.downtime_on.setChecked(True)
    assert page.downtime_from.isEnabled()


def test_on_gnome_without_the_extension_the_app_offers_the_fix(
    app: BreatherApp, qtbot, monkeypatch
) -> None:
    from breather.monitor import gnome

    installed: list[bool] = []

    def install(remove: bool = False) -> str:
        installed.append(remove)
        return "Installed and enabled. Log out and in once: GNOME finds it when it starts."

    monkeypatch.setattr(gnome, "install_extension", install)
    app.show_window()
    app._sampler_stopped(
        "cannot see the desktop: no native Wayland window source works here (gnome windows: "
        "Breather's GNOME Shell extension is not enabled; run `breather install-gnome-extension`"
        ", then log out and in once)"
    )
    banner = app.window.tracking_banner
    assert banner.isVisible()
    assert "log out and in once" in banner.text.text()
    qtbot.keyClick(banner.fix, Qt.Key.Key_Space)
    assert installed == [False]
    assert banner.text.text().startswith("Installed and enabled.")
    assert not banner.fix.isVisible()


def test_a_settings_file_written_by_hand_into_a_new_folder_applies_at_once(
    store: Store, tmp_path: Path, qtbot
) -> None:
    # A first run with nothing to save writes no file and no folder: the person who then
    # follows the README and creates both by hand must not need a restart.
    config = tmp_path / "config" / "Breather" / "breather.toml"
    breather = live_app(qtbot, store, tmp_path, config)
    assert policy(breather).breaks.eyes.enabled
    config.parent.mkdir(parents=True)
    config.write_text("[breaks.eyes]\nenabled = false\n")
    qtbot.waitUntil(lambda: not policy(breather).breaks.eyes.enabled, timeout=5000)
    breather.window.hide()


def test_with_sync_a_limit_can_count_this_device_alone(app: BreatherApp, qtbot) -> None:
    config = app.context.paths.config_file
    synced = LIMITS_BY_HAND + '\n[sync]\nurl = "postgresql+psycopg://me@server/breather"\n'
    config.write_text(synced)
    qtbot.waitUntil(lambda: len(app.context.settings.limits) == 1, timeout=5000)
    app.show_window()
    app.window.show_page(app.window.page_index("Settings"))
    page = app.settings_page
    games = page.limit_rows[0]
    assert games.devices.isVisible()
    assert games.devices.currentText() == "on all devices"
    games.devices.setCurrentIndex(games.devices.findData("this"))
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    assert page.status.text().startswith("Saved."), page.status.text()
    assert 'weekend = "2h"\ndevices = "this"\n' in config.read_text()
    assert app.context.settings.limits[0].devices == "this"
