"""Today's usage per app and per category, kept from the tracker's spans as they close.

Cheap enough to ask every second: closed spans are added once, the open span is added on the
fly, and nothing reads the database after the day's starting totals are handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from breather.rules.model import Usage
from breather.rules.policy import Policy
from breather.tracking.spans import Span

#: (app, title) -> category name. The categories module provides the real one.
Categorize = Callable[[str, str], str]

_CACHE_LIMIT = 4096


def no_categories(app: str, title: str) -> str:
    """A categorizer for when none is wired in: every window is uncategorised."""
    del app, title
    return ""


class UsageMeter:
    """Active seconds on the person's current day, per app and per category."""

    def __init__(self, policy: Policy, categorize: Categorize = no_categories) -> None:
        self._policy = policy
        self._categorize = categorize
        self._cache: dict[tuple[str, str], str] = {}
        self._day: date | None = None
        self._bounds: tuple[datetime, datetime] | None = None
        self._apps: dict[str, float] = {}
        self._categories: dict[str, float] = {}
        # Other devices' time today, as the last sync round brought it (replaced whole).
        self._other_apps: dict[str, float] = {}
        self._other_categories: dict[str, float] = {}

    def set_policy(self, policy: Policy) -> None:
        """New settings (the day may start at another hour): today's totals are kept."""
        self._policy = policy

    def set_categorize(self, categorize: Categorize) -> None:
        """New category rules: windows seen from now on get the new categories (today's
        totals so far keep the categories they were counted under)."""
        self._categorize = categorize
        self._cache.clear()

    def category(self, app: str, title: str) -> str:
        """The category of a window, remembered for the next time."""
        key = (app, title)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[key] = self._categorize(app, title)
        return found

    def seed(self, day: date, by_title: Iterable[tuple[str, str, float]]) -> None:
        """Start `day` from stored totals: (app, title, seconds) rows, as a report sums them."""
        self._roll_to(day)
        for app, title, seconds in by_title:
            self._add(app, title, seconds)

    def set_others(self, day: date, by_title: Iterable[tuple[str, str, float]]) -> None:
        """Other devices' time on `day` so far (from the store after a sync round), replacing
        what was set before: (app, title, seconds) rows."""
        self._roll_to(day)
        if day != self._day:
            return
        self._other_apps.clear()
        self._other_categories.clear()
        for app, title, seconds in by_title:
            self._other_apps[app] = self._other_apps.get(app, 0.0) + seconds
            category = self.category(app, title)
            if category:
                self._other_categories[category] = (
                    self._other_categories.get(category, 0.0) + seconds
                )

    def add(self, spans: Iterable[Span]) -> None:
        """Count spans the tracker closed (away spans count nothing)."""
        for span in spans:
            if span.window is None:
                continue
            self._roll_to(self._policy.day_of(span.end))
            seconds = self._overlap(span.start, span.end)
            if seconds > 0:
                self._add(span.window.app, span.window.title, seconds)

    def usage(self, open_span: Span | None, at: datetime) -> Usage:
        """Totals for the day holding `at`, with the open span's part of it included."""
        self._roll_to(self._policy.day_of(at))
        assert self._day is not None
        apps = dict(self._apps)
        categories = dict(self._categories)
        if open_span is not None and open_span.window is not None:
            seconds = self._overlap(open_span.start, open_span.end)
            if seconds > 0:
                app, title = open_span.window.app, open_span.window.title
                apps[app] = apps.get(app, 0.0) + seconds
                category = self.category(app, title)
                if category:
                    categories[category] = categories.get(category, 0.0) + seconds
        if not self._other_apps:
            return Usage(self._day, apps, categories)
        every_app = dict(apps)
        for app, seconds in self._other_apps.items():
            every_app[app] = every_app.get(app, 0.0) + seconds
        every_category = dict(categories)
        for category, seconds in self._other_categories.items():
            every_category[category] = every_category.get(category, 0.0) + seconds
        return Usage(self._day, every_app, every_category, apps, categories)

    @property
    def apps(self) -> Mapping[str, float]:
        return dict(self._apps)

    def _roll_to(self, day: date) -> None:
        if day == self._day:
            return
        if self._day is not None and day < self._day:
            return  # a late span from the day before: the new day's totals stay as they are
        self._day = day
        self._bounds = self._policy.day_bounds(day)
        self._apps.clear()
        self._categories.clear()
        self._other_apps.clear()
        self._other_categories.clear()

    def _overlap(self, start: datetime, end: datetime) -> float:
        assert self._bounds is not None
        lo, hi = self._bounds
        return max(0.0, (min(end, hi) - max(start, lo)).total_seconds())

    def _add(self, app: str, title: str, seconds: float) -> None:
        self._apps[app] = self._apps.get(app, 0.0) + seconds
        category = self.category(app, title)
        if category:
            self._categories[category] = self._categories.get(category, 0.0) + seconds
