"""The settings file as a running Breather sees it: read again whenever it changes on disk.

A change takes effect at once, wherever it came from (the Settings page, the first-run
welcome, a text editor). A mistake never costs the person their privacy: when the file cannot
be read at all, the last settings that could be read stay in force; when nothing was ever
read, or the `[privacy]` section itself has a problem, nothing is recorded until the file is
fixed, and the problems say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from breather.settings.model import ConfigProblem, Settings, load_settings
from breather.tracking.privacy import PrivacySettings

#: What tells one version of the file from another without reading it: (inode, size, mtime).
Fingerprint = tuple[int, int, int] | None


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    """Settings in force and what was wrong with the file they came from.

    `kept_previous` is True when the file could not be read and the last good settings are
    the ones in force; `records_nothing` when privacy could not be known, so nothing is kept.
    """

    settings: Settings
    problems: tuple[ConfigProblem, ...] = ()
    kept_previous: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def records_nothing(self) -> bool:
        return self.settings.privacy.record_nothing


def privacy_in_doubt(problems: tuple[ConfigProblem, ...] | list[ConfigProblem]) -> bool:
    """Whether the problems leave it unknown what the person wants kept private."""
    return any(not problem.key or problem.key.split(".")[0] == "privacy" for problem in problems)


def whole_file_unreadable(problems: tuple[ConfigProblem, ...] | list[ConfigProblem]) -> bool:
    """Whether the file as a whole could not be read (not a single key's mistake)."""
    return any(not problem.key for problem in problems)


class SettingsFile:
    """One settings file, loaded once and then again whenever it changes. Not thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fingerprint: Fingerprint = None
        self._last_good: Settings | None = None
        self.current = LoadedSettings(Settings())

    def load(self) -> LoadedSettings:
        """Read the file now, whatever its state."""
        self._fingerprint = self._stat()
        settings, problems = load_settings(self.path)
        notes: list[str] = []
        kept = False
        if whole_file_unreadable(problems) and self._last_good is not None:
            settings, kept = self._last_good, True
            notes.append("the settings from before this change stay in force until it is fixed")
        elif privacy_in_doubt(problems):
            if self._last_good is not None:
                settings = replace(settings, privacy=self._last_good.privacy)
                notes.append("the privacy settings from before stay in force until it is fixed")
            else:
                settings = replace(settings, privacy=PrivacySettings(record_nothing=True))
                notes.append(
                    "nothing is recorded until it is fixed: a mistake must never turn off "
                    "what you keep private"
                )
        if not privacy_in_doubt(problems):
            self._last_good = settings
        self.current = LoadedSettings(settings, tuple(problems), kept, tuple(notes))
        return self.current

    def reload_if_changed(self) -> LoadedSettings | None:
        """The settings again if the file changed since it was last read, else None."""
        if self._stat() == self._fingerprint:
            return None
        return self.load()

    def _stat(self) -> Fingerprint:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return info.st_ino, info.st_size, info.st_mtime_ns
