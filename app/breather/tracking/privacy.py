"""What never reaches the database: excluded apps and titles, titles-off mode, private pauses.

All of it runs in the 1 Hz sampling path, before the tracker sees a window, so it must be cheap:
patterns are compiled once (by the config) and each distinct window is judged once and cached.

A pause is a small owner-only file in the data directory holding the moment tracking resumes;
`breather pause` writes it and the recorder looks at it at most once a second (a `stat`, and a
read only when the file changed). No socket, no signal: any process of the person can pause.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from breather.categories.patterns import Pattern, app_names, compile_pattern
from breather.files import UnsafeFile, open_private, read_private
from breather.monitor.base import WindowInfo

log = logging.getLogger(__name__)

#: Titles of private and incognito browser windows, never recorded unless the person says so.
PRIVATE_WINDOW_TITLES = ("*Private Browsing*", "*(Incognito)*", "*InPrivate*")
_PRIVATE_WINDOWS = tuple(compile_pattern(text, "title") for text in PRIVATE_WINDOW_TITLES)

#: How long data is kept by default: one year.
KEEP_DAYS = 365


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    """What is never recorded, and how long what is recorded is kept (0 days: for ever)."""

    exclude_apps: tuple[Pattern, ...] = ()
    exclude_titles: tuple[Pattern, ...] = ()
    titles: bool = True
    #: Titles of private/incognito windows are dropped unless the person asks for them.
    private_window_titles: bool = False
    keep_days: int = KEEP_DAYS
    #: The settings could not be read, so what is private is unknown: record nothing at all.
    record_nothing: bool = False

    @property
    def hidden_titles(self) -> tuple[Pattern, ...]:
        """Every title pattern whose windows are recorded without their title."""
        if self.private_window_titles:
            return self.exclude_titles
        return _PRIVATE_WINDOWS + self.exclude_titles


#: Distinct windows remembered before starting over (titles change; memory stays bounded).
CACHE_LIMIT = 5_000

PAUSE_FILE = "paused-until"

#: Written in the pause file for a pause with no end.
FOREVER = "indefinitely"


class PrivacyFilter:
    """Turns what the desktop shows into what may be recorded. Not thread-safe."""

    def __init__(self, settings: PrivacySettings) -> None:
        self._apps = settings.exclude_apps
        self._titles = settings.hidden_titles
        self._hidden_title = _any_of(self._titles)
        self._keep_titles = settings.titles
        #: Nothing may be recorded (the settings could not be read): like a pause.
        self.records_nothing = settings.record_nothing
        self._cache: dict[WindowInfo, WindowInfo | None] = {}

    @property
    def passes_everything(self) -> bool:
        return not self._apps and not self._titles and self._keep_titles

    def apply(self, window: WindowInfo | None) -> WindowInfo | None:
        """The window as it may be recorded, or None when it must not be recorded at all.

        An excluded app is not recorded: its time is neither app time nor away. A window whose
        title is excluded, or any window in titles-off mode, is recorded under its app with no
        title.
        """
        if window is None:
            return None
        if window in self._cache:
            return self._cache[window]
        allowed = self.judge(window)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[window] = allowed
        return allowed

    def judge(self, window: WindowInfo) -> WindowInfo | None:
        """`apply` without its cache: for a caller that judges each distinct window once
        itself (an import's ~100k)."""
        if self._apps:
            names = app_names(window.app, window.process, window.exe)
            if any(p.matches(name) for p in self._apps for name in names):
                return None
        if not window.title:
            return window
        if not self._keep_titles or self._hidden_title(window.title):
            return replace(window, title="")
        return window


def _any_of(patterns: tuple[Pattern, ...]) -> Callable[[str], bool]:
    """Whether a text matches any of `patterns`: one search of them all together (an import
    judges ~100k titles), or one each when they cannot be joined (a global inline flag, or
    groups, whose numbers would shift)."""
    if not patterns:
        return lambda _text: False
    if any(p.regex.groups for p in patterns):
        return lambda text: any(p.matches(text) for p in patterns)
    try:
        joined = re.compile("|".join(f"(?:{p.regex.pattern})" for p in patterns), re.IGNORECASE)
    except (re.error, OverflowError, RecursionError, MemoryError, ValueError):
        return lambda text: any(p.matches(text) for p in patterns)
    return lambda text: joined.search(text) is not None


# -- pausing ------------------------------------------------------------------------------


def pause_path(data_dir: Path) -> Path:
    return data_dir / PAUSE_FILE


def pause_until(data_dir: Path, until: datetime | None) -> None:
    """Pause tracking until `until` (None: until resumed). Owner-only, replaced atomically."""
    target = pause_path(data_dir)
    text = FOREVER if until is None else until.astimezone(UTC).isoformat()
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)  # a leftover of a killed `breather pause`, or a link
    fd = open_private(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text + "\n")
    temporary.replace(target)


def resume(data_dir: Path) -> bool:
    """End a pause; True if there was one."""
    try:
        pause_path(data_dir).unlink()
    except FileNotFoundError:
        return False
    return True


def read_pause(data_dir: Path) -> tuple[bool, datetime | None]:
    """(paused at all, until when: None for no end). An unreadable file counts as no pause."""
    try:
        text = read_private(pause_path(data_dir), 4096).decode("utf-8").strip()
    except FileNotFoundError:
        return False, None
    except (OSError, UnicodeDecodeError, UnsafeFile) as why:
        log.warning("the pause note cannot be read, so tracking is not paused: %s", why)
        return False, None
    if text == FOREVER:
        return True, None
    try:
        until = datetime.fromisoformat(text)
    except ValueError:
        return False, None
    if until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    return True, until


class PauseSwitch:
    """Answers "is tracking paused now?" for the sampling loop, cheaply."""

    def __init__(self, data_dir: Path, *, check_every: float = 1.0) -> None:
        self._path = pause_path(data_dir)
        self._data_dir = data_dir
        self._check_every = check_every
        self._checked_at: float | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._paused = False
        self._until: datetime | None = None

    def paused(self, now: datetime, mono: float) -> bool:
        if self._checked_at is None or mono - self._checked_at >= self._check_every:
            self._checked_at = mono
            self._refresh()
        if not self._paused:
            return False
        if self._until is not None and now >= self._until:
            self._paused = False
            with contextlib.suppress(OSError):  # tidy up a pause that has run out
                if read_pause(self._data_dir) == (True, self._until):
                    self._path.unlink()
            return False
        return True

    def _refresh(self) -> None:
        try:
            info = self._path.stat()
        except OSError:
            self._stamp = None
            self._paused = False
            return
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        if stamp != self._stamp:
            self._stamp = stamp
            self._paused, self._until = read_pause(self._data_dir)
