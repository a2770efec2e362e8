"""What every page needs, handed down from `ui.app` once: no globals, no lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from PySide6.QtGui import QColor, QIcon

from breather.categories.catalogue import Categorizer
from breather.clock import Clock
from breather.desktop.apps import AppDirectory
from breather.settings.live import LoadedSettings
from breather.settings.model import Settings
from breather.settings.paths import Paths
from breather.store.queries import summarize
from breather.store.sql import Database
from breather.ui.widgets import BarRow


@dataclass
class AppContext:
    db: Database
    settings: Settings
    paths: Paths
    clock: Clock
    categorizer: Categorizer
    #: What was wrong with the settings file when it was last read, and what follows.
    settings_state: LoadedSettings = field(default_factory=lambda: LoadedSettings(Settings()))
    #: The desktop's application entries: names and icons people know their apps by.
    apps: AppDirectory = field(default_factory=AppDirectory)

    def today(self) -> date:
        """The person's current day: before `day_starts` it is still yesterday."""
        now = self.clock.now().astimezone()
        starts = self.settings.tracking.day_starts
        return (now - timedelta(hours=starts.hour, minutes=starts.minute)).date()

    def now(self) -> datetime:
        return self.clock.now().astimezone()

    def color(self, category: str) -> QColor:
        """A category's colour, from the catalogue (the person's own categories get one too)."""
        return QColor(self.categorizer.color(category))

    def app_color(self, app: str) -> QColor:
        """An app's colour: that of the category its name alone falls in."""
        return self.color(self.categorizer.category(app, ""))

    def app_rows(
        self,
        start: datetime,
        end: datetime,
        limit: int | None = None,
        device_ids: list[int] | None = None,
    ) -> list[BarRow]:
        """Time per app in [start, end), biggest first, each with the name and icon its
        desktop entry gives and the colour of what it was mostly used for (a browser is
        Video or News by its pages, not grey). Every device's, or `device_ids`'."""
        by_title = summarize(self.db, start, end, "title", device_ids=device_ids).totals
        per_app: dict[str, dict[str, float]] = {}
        for total in by_title:
            app = total.app or ""
            category = self.categorizer.category(app, total.key)
            # One app tracked under its X11 class and its Wayland app id is one app.
            info = self.apps.lookup(app)
            kinds = per_app.setdefault(info.entry_id if info is not None else app, {})
            kinds[category] = kinds.get(category, 0.0) + total.seconds
        ranked = sorted(per_app.items(), key=lambda item: -sum(item[1].values()))
        rows = []
        for app, kinds in ranked[:limit]:
            info = self.apps.lookup(app)  # by entry id, or the tracked name without one
            icon = QIcon()
            if info is not None and info.icon:
                icon = QIcon(info.icon) if info.icon.startswith("/") else QIcon.fromTheme(info.icon)
            mostly = max(kinds.items(), key=lambda item: item[1])[0]
            rows.append(
                BarRow(
                    info.name if info is not None else app,
                    sum(kinds.values()),
                    self.color(mostly),
                    icon=icon if not icon.isNull() else None,
                )
            )
        return rows
