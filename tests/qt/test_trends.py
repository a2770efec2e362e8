"""The Trends page: twelve weeks of screen time, breaks, limits and mood, as stored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from breather.rules.model import Outcome, Record
from breather.rules.policy import Limit
from breather.store import Store
from breather.store.boundaries import BoundaryLog
from breather.store.queries import day_range, summarize
from breather.ui.app import BreatherApp
from tests.qt.test_week_mood import ARTIFACTS, make_app, twelve_weeks
from tests.qt.usage import MONDAY, local


@pytest.fixture
def app(qtbot, store: Store, tmp_path: Path) -> Iterator[BreatherApp]:
    twelve_weeks(store)
    breather = make_app(store, tmp_path)
    qtbot.addWidget(breather.window)
    yield breather
    breather.window.hide()


def test_twelve_weeks_add_up_to_what_is_stored(app: BreatherApp, store: Store) -> None:
    app.show_window()
    app.window.show_page(app.window.page_index("Trends"))
    trends = app.trends.trends
    assert len(trends) == 12 and trends[-1].monday == MONDAY
    starts = app.context.settings.tracking.day_starts
    for week in trends:
        start = day_range(week.monday, starts)[0]
        end = day_range(week.monday + timedelta(days=6), starts)[1]
        assert week.active_seconds == pytest.approx(summarize(store.db, start, end).active_seconds)
    drawn = app.trends.stack_tops
    assert drawn[-1] == pytest.approx(trends[-1].active_seconds / 7 / 3600)
    # Check-ins: Friday to Sunday 2 or 3, other days 4 or 5; a day off every fifth.
    assert all(week.mood is not None and 2.5 < week.mood < 4.5 for week in trends)
    assert app.trends.cells[("Mood", 11)].text() == f"{trends[-1].mood:.1f}"
    assert app.trends.cells[("Breaks", 11)].text() == "–"  # no break came due
    assert app.trends.cells[("Limits kept", 11)].text() == "–"  # no limits set


def test_breaks_and_limits_kept_per_week(app: BreatherApp, store: Store) -> None:
    noon = local(MONDAY, 12)
    BoundaryLog(store.db, store.device_id).record(
        [Record(noon, "eyes", Outcome.DUE)] * 4
        + [Record(noon, "eyes", Outcome.TAKEN)] * 2
        + [Record(noon, "movement", Outcome.NATURAL)]
    )
    # Social media in the known week: 40 min on Monday, 6 more each day after.
    app.context.settings = replace(
        app.context.settings, limits=(Limit(category="Social media", daily=60 * 60),)
    )
    app.show_window()
    app.window.show_page(app.window.page_index("Trends"))
    week = app.trends.trends[-1]
    assert (week.breaks_due, week.breaks_taken) == (4, 3)
    assert app.trends.cells[("Breaks", 11)].text() == "75%"
    assert (week.limit_days_within, week.limit_days) == (4, 7)
    assert app.trends.cells[("Limits kept", 11)].text() == "4/7"


def test_screenshot_of_trends(app: BreatherApp, qtbot) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    app.window.resize(1280, 800)
    app.show_window()
    app.window.show_page(app.window.page_index("Trends"))
    qtbot.wait(50)
    assert app.window.grab().save(str(ARTIFACTS / "trends.png"))


def test_the_page_is_whole_in_its_first_paint(app: BreatherApp) -> None:
    """Everything the page shows is on screen as soon as it is asked for, before the event
    loop turns again: the first paint is the whole page, not one laid out again after."""
    app.show_window()
    app.window.show_page(app.window.page_index("Trends"))
    assert app.trends.cells and all(cell.isVisible() for cell in app.trends.cells.values())
    legend = [app.trends.legend.itemAt(i).widget() for i in range(app.trends.legend.count())]
    assert all(swatch.isVisible() for swatch in legend if swatch is not None)
    app.trends.refresh()  # again: the new cells at once, the old ones gone at once
    assert all(cell.isVisible() for cell in app.trends.cells.values())
    shown = [w for w in app.trends.table_card.findChildren(QLabel) if w.isVisible()]
    assert len(shown) == len(app.trends.cells) + 5 + 2  # and row headings, title, note
