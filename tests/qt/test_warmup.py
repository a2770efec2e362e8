"""Naming the last weeks' categories ahead, while the window sits idle: the pages opened next
find them named, and a changed rule is never answered from what the old rules said."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from breather.categories.catalogue import Categorizer
from breather.clock import FakeClock
from breather.settings.model import parse_settings
from breather.store import Store
from breather.ui.app import BreatherApp
from tests.qt.test_week_mood import make_app, twelve_weeks


@pytest.fixture
def app(qtbot, store: Store, tmp_path: Path) -> Iterator[BreatherApp]:
    twelve_weeks(store)
    breather = make_app(store, tmp_path)
    qtbot.addWidget(breather.window)
    yield breather
    breather.window.hide()


def titles_named(categorizer: Categorizer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every title `categorizer` works out from its rules from now on (not from memory)."""
    named: list[str] = []
    work_out = categorizer._title_category

    def counting(plan: object, title: str) -> str:
        named.append(title)
        return work_out(plan, title)  # type: ignore[arg-type]

    monkeypatch.setattr(categorizer, "_title_category", counting)
    return named


def test_with_the_window_open_trends_finds_every_title_already_named(
    app: BreatherApp, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = titles_named(app.context.categorizer, monkeypatch)
    with qtbot.waitSignal(app.window.shown):
        app.show_window()
    assert app.warmup is not None
    qtbot.waitUntil(lambda: app.warmup is not None and not app.warmup.running)
    # The known weeks' two browser pages, each named once ahead...
    assert sorted(named) == [
        "(3) Home / X — Mozilla Firefox",
        "Lofi beats to relax - YouTube — Mozilla Firefox",
    ]
    named.clear()
    app.window.show_page(app.window.page_index("Trends"))
    assert app.trends.trends[-1].categories["Video"] > 0
    assert named == []  # ...and none again for twelve weeks by category


def test_a_changed_rule_colours_the_twelve_weeks_anew(app: BreatherApp, qtbot) -> None:
    app.show_window()
    qtbot.waitUntil(lambda: app.warmup is not None and not app.warmup.running)
    app.window.show_page(app.window.page_index("Trends"))
    before = app.trends.trends[-1].categories
    assert before["Video"] > 0 and "Music" not in before

    rules = '[[categories]]\ncategory = "Music"\ntitles = ["* - YouTube*"]\n'
    settings, problems = parse_settings(rules, Path("breather.toml"))
    assert not problems
    app.apply_settings(settings)
    after = app.trends.trends[-1].categories  # the open page follows at once
    assert "Video" not in after
    assert after["Music"] == pytest.approx(before["Video"])
    # Named ahead again, with the new rules: the week's observations agree with Trends.
    qtbot.waitUntil(lambda: app.warmup is not None and not app.warmup.running)
    app.window.show_page(app.window.page_index("This week"))
    qtbot.waitUntil(lambda: not app.week.observations_pending)
    assert app.week.usage is not None
    assert "Video" not in dict(app.week.usage.category_totals())


def test_hiding_the_window_stops_the_naming_and_showing_it_goes_on(app: BreatherApp, qtbot) -> None:
    app.show_window()
    assert app.warmup is not None and app.warmup.running  # a slice at a time
    app.window.hide()  # closed to the tray
    assert not app.warmup.running
    qtbot.wait(20)
    assert not app.warmup.running  # no slice reads the database behind a hidden window
    with qtbot.waitSignal(app.warmup.finished):
        app.show_window()


def test_the_week_opened_from_the_tray_is_worked_out_once(
    app: BreatherApp, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from breather.ui import weekly

    worked_out: list[object] = []
    week_usage = weekly.week_usage

    def counting(*args: object, **kwargs: object) -> object:
        worked_out.append(args[1])
        return week_usage(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(weekly, "week_usage", counting)
    app.show_week()  # the tray's and the weekly note's way in, the window hidden before
    qtbot.waitUntil(lambda: not app.week.observations_pending)
    assert app.window.isVisible() and app.week.usage is not None
    assert len(worked_out) == 1  # not once while hidden and again when shown


def test_a_rule_changed_half_way_names_everything_again_by_the_new_rules(
    app: BreatherApp, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.show_window()
    assert app.warmup is not None and app.warmup.running  # half-way for the old rules
    old = app.context.categorizer
    rules = '[[categories]]\ncategory = "Music"\ntitles = ["* - YouTube*"]\n'
    settings, _problems = parse_settings(rules, Path("breather.toml"))
    app.apply_settings(settings)
    assert app.context.categorizer is not old
    qtbot.waitUntil(lambda: app.warmup is not None and not app.warmup.running)
    named = titles_named(app.context.categorizer, monkeypatch)
    app.window.show_page(app.window.page_index("Trends"))  # named ahead by the new rules
    assert named == []
    assert "Music" in app.trends.trends[-1].categories
    assert "Video" not in app.trends.trends[-1].categories


def test_a_later_day_names_its_new_titles_ahead_too(app: BreatherApp, qtbot) -> None:
    app.show_window()
    assert app.warmup is not None
    qtbot.waitUntil(lambda: not app.warmup.running)
    app.window.hide()
    app.show_window()
    assert not app.warmup.running  # the same day, the same rules: nothing to do again
    app.window.hide()
    clock = app.context.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(days=1).total_seconds())
    with qtbot.waitSignal(app.warmup.finished):
        app.show_window()  # the next day: the last twelve weeks moved on


#: A fresh process: the app's window shown, left a moment, then the week and Trends opened.
FRESH_PROCESS = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from breather.clock import FakeClock
from breather.settings.paths import Paths
from breather.settings.model import Settings
from breather.store import open_store, sqlite_url
from breather.ui.app import BreatherApp

qt = QApplication([])
folder = Path(sys.argv[1])
store = open_store(sqlite_url(folder / "breather.db"), device_uuid="d", device_name="desk")
paths = Paths(folder, folder / "b.toml", store.url)
app = BreatherApp(store=store, settings=Settings(), paths=paths, tray_available=False, track=False,
                  clock=FakeClock(datetime(2026, 11, 22, 15, 0, tzinfo=UTC)))
charts = ("pyqtgraph", "numpy")
assert not any(name in sys.modules for name in charts), "loaded before the window"


class FirstPaint(QObject):
    charts_loaded = None

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and self.charts_loaded is None:
            self.charts_loaded = "pyqtgraph" in sys.modules
        return False


first = FirstPaint()
app.window.pages.installEventFilter(first)
app.show_window()
while app.warmup is None or app.warmup.running:
    qt.processEvents()
ready = set(sys.modules)
app.window.show_page(app.window.page_index("This week"))
app.window.show_page(app.window.page_index("Trends"))
late = sorted(name for name in set(sys.modules) - ready if name.startswith(charts))
print("imported on opening:", late)
print("charts loaded at the window's first paint:", first.charts_loaded)
app.window.hide()
store.close()
"""


def test_the_charts_load_after_the_window_is_drawn_and_before_a_page_asks(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(tmp_path)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "imported on opening: []" in done.stdout, done.stdout
    # ...but only after the window was drawn: the import never holds its first paint back.
    assert "charts loaded at the window's first paint: False" in done.stdout, done.stdout
