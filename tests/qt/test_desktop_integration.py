"""The app's side of desktop integration: start at login from the welcome, and the About box."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from breather import APP_ID, __version__
from breather.clock import FakeClock
from breather.settings.model import Settings
from breather.settings.paths import Paths
from breather.store import Store
from breather.ui.about import AboutDialog
from breather.ui.app import BreatherApp


@pytest.fixture
def autostart_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    monkeypatch.delenv("FLATPAK_ID", raising=False)
    return tmp_path / "config" / "autostart"


@pytest.fixture
def app(qtbot, store: Store, tmp_path: Path, autostart_dir: Path) -> Iterator[BreatherApp]:
    paths = Paths(tmp_path, tmp_path / "breather.toml", store.url)
    breather = BreatherApp(
        store=store,
        settings=Settings(),
        paths=paths,
        clock=FakeClock(datetime(2026, 11, 22, 15, 0, tzinfo=UTC)),
        tray_available=True,
        track=False,
    )
    qtbot.addWidget(breather.window)
    yield breather
    breather.window.hide()


def test_welcome_offers_start_at_login_unticked(app: BreatherApp, qtbot, autostart_dir) -> None:
    dialog = app.welcome()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.autostart.text().replace("&", "") == "Start Breather when I log in"
    assert not dialog.autostart.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Start, leaving it unticked
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert (app.context.paths.data_dir / "welcomed").exists()
    assert not autostart_dir.exists()  # nothing starts at login unless asked


def test_ticking_start_at_login_writes_the_autostart_entry(
    app: BreatherApp, qtbot, autostart_dir: Path
) -> None:
    dialog = app.welcome()
    qtbot.waitUntil(dialog.isVisible)
    dialog.autostart.setFocus()
    qtbot.keyClick(dialog.autostart, Qt.Key.Key_Space)
    assert dialog.autostart.isChecked()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    entry = autostart_dir / f"{APP_ID}.desktop"
    assert entry.exists()
    assert "X-GNOME-Autostart-enabled=true" in entry.read_text()


def test_closing_the_welcome_never_turns_autostart_on(
    app: BreatherApp, qtbot, autostart_dir: Path
) -> None:
    dialog = app.welcome()
    qtbot.waitUntil(dialog.isVisible)
    dialog.autostart.setChecked(True)
    dialog.reject()  # Escape or the window's close button: not a yes
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not autostart_dir.exists()


def test_a_failing_autostart_is_said_in_the_status_line(
    app: BreatherApp, qtbot, autostart_dir: Path
) -> None:
    autostart_dir.parent.mkdir(parents=True)
    autostart_dir.write_text("a file where the folder should be")
    dialog = app.welcome()
    qtbot.waitUntil(dialog.isVisible)
    dialog.autostart.setChecked(True)
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert (app.context.paths.data_dir / "welcomed").exists()  # the welcome still counts
    assert "cannot write" in app.window.status.text()


def test_about_shows_the_installed_version(app: BreatherApp, qtbot) -> None:
    version = importlib.metadata.version("breather")  # what the build read from the package
    assert __version__ == version
    app.show_window()
    with qtbot.waitActive(app.window):
        app.window.activateWindow()
    qtbot.mouseClick(app.window.about_button, Qt.MouseButton.LeftButton)
    about = _about_box(qtbot)
    assert about.version.text() == f"Version {version}"
    assert f"Breather {version}" in about.details.text()
    about.copy_button.click()
    assert QApplication.clipboard().text() == about.details.text()
    about.accept()
    qtbot.keyClick(app.window, Qt.Key.Key_F1)  # also from the keyboard
    _about_box(qtbot).accept()


def _about_box(qtbot) -> AboutDialog:
    def found() -> AboutDialog | None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog)]
        visible = [w for w in boxes if w.isVisible()]
        return visible[0] if visible else None

    qtbot.waitUntil(lambda: found() is not None)
    about = found()
    assert about is not None
    return about


def test_settings_turn_start_at_login_on_and_off(
    app: BreatherApp, qtbot, autostart_dir: Path
) -> None:
    page = app.settings_page
    entry = autostart_dir / f"{APP_ID}.desktop"
    assert not page.autostart.isChecked()
    page.autostart.setChecked(True)
    assert page.save()
    assert entry.exists()
    assert not app.context.paths.config_file.exists()  # it is not a breather.toml setting
    page.autostart.setChecked(False)
    assert page.save()
    assert not entry.exists()
    assert page.save()  # nothing changed: nothing to do
    assert "Nothing to save" in page.status.text()


def test_settings_show_autostart_switched_on_elsewhere(
    app: BreatherApp, qtbot, autostart_dir: Path
) -> None:
    from breather.desktop.autostart.xdg import XdgAutostart

    XdgAutostart.from_environment().enable(["/bin/sh"])  # e.g. `breather autostart on`
    assert app.settings_page.autostart.isChecked()
