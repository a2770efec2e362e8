"""What every page needs, handed down from `ui.app` once: no globals, no lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from PySide6.QtGui import QColor

from breather.categories.catalogue import Categorizer
from breather.clock import Clock
from breather.settings.live import LoadedSettings
from breather.settings.model import Settings
from breather.settings.paths import Paths
from breather.store.sql import Database


@dataclass
class AppContext:
    db: Database
    settings: Settings
    paths: Paths
    clock: Clock
    categorizer: Categorizer
    #: What was wrong with the settings file when it was last read, and what follows.
    settings_state: LoadedSettings = field(default_factory=lambda: LoadedSettings(Settings()))

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
