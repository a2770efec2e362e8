"""Settings from `breather.toml`, validated key by key.

A bad value costs only itself: the key keeps its default, every other setting still applies,
and each problem names the file, the line and the key. The file itself is never rewritten here.

Each top-level section has a reader in `SECTIONS`: a function that takes the section's raw
TOML value and a `Reader` (to check keys and report problems) and returns the typed settings
for that section. Add a section by adding a field to `Settings` and a reader here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from breather.durations import parse_duration

#: Parses one raw TOML value; raises ValueError with a message for the person.
ValueParser = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class TrackingSettings:
    interval: float = 1.0
    idle_after: float = 180.0
    day_starts: time = time(4, 0)


@dataclass(frozen=True, slots=True)
class Settings:
    tracking: TrackingSettings = field(default_factory=TrackingSettings)


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in the config file, located for the person who wrote it."""

    file: Path
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


# -- value parsers ------------------------------------------------------------------------


def duration(lowest: float, highest: float) -> ValueParser:
    """A duration string within [lowest, highest] seconds."""

    def parse(value: object) -> float:
        if not isinstance(value, str):
            raise ValueError('write durations as text, like "20s", "3m" or "1h30m"')
        seconds = parse_duration(value)
        if not lowest <= seconds <= highest:
            raise ValueError(f"{value!r} is out of range ({lowest:g}s to {highest:g}s)")
        return seconds

    return parse


def clock_time(value: object) -> time:
    """A time of day written "HH:MM"."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value):
        raise ValueError('write a time of day like "04:00"')
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError(f"{value!r} is not a time of day")
    return time(hours, minutes)


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("write true or false")
    return value


def string_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError('write a list of names, like ["Social media", "Video"]')
    return tuple(value)


# -- reading ------------------------------------------------------------------------------


class Reader:
    """Checks tables against a schema and collects located problems."""

    def __init__(self, path: Path, lines: dict[str, int]) -> None:
        self.path = path
        self._lines = lines
        self.problems: list[ConfigProblem] = []

    def problem(self, key: str, message: str) -> None:
        """Report a problem with `key` (a dotted path such as "breaks.eyes.every")."""
        line = self._lines.get(key)
        probe = key
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = self._lines.get(probe)
        self.problems.append(ConfigProblem(self.path, line, key, message))

    def table(self, prefix: str, raw: object, schema: dict[str, ValueParser]) -> dict[str, Any]:
        """The valid keys of a flat table; unknown keys and bad values become problems."""
        if not isinstance(raw, dict):
            self.problem(prefix, "expected a table of settings")
            return {}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            dotted = f"{prefix}.{key}"
            parser = schema.get(key)
            if parser is None:
                self.problem(dotted, f"unknown key (known: {', '.join(schema)})")
                continue
            try:
                values[key] = parser(value)
            except ValueError as error:
                self.problem(dotted, str(error))
        return values


def _read_tracking(raw: object, reader: Reader) -> TrackingSettings:
    schema = {
        "interval": duration(0.2, 60),
        "idle_after": duration(10, 3600),
        "day_starts": clock_time,
    }
    return TrackingSettings(**reader.table("tracking", raw, schema))


#: section name -> reader returning the value for the `Settings` field of the same name.
SECTIONS: dict[str, Callable[[object, Reader], Any]] = {
    "tracking": _read_tracking,
}


def load_settings(path: Path) -> tuple[Settings, list[ConfigProblem]]:
    """Read `path`; a missing file means all defaults. Never raises for the file's content."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as error:
        return Settings(), [ConfigProblem(path, None, "", f"cannot read the file: {error}")]
    return parse_settings(text, path)


def parse_settings(text: str, path: Path) -> tuple[Settings, list[ConfigProblem]]:
    """Settings from TOML `text`, and what was wrong in it (with `path` for the messages)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else None
        return Settings(), [ConfigProblem(path, line, "", f"not valid TOML: {error}")]

    reader = Reader(path, _key_lines(text))
    sections: dict[str, Any] = {}
    for name, raw in document.items():
        read = SECTIONS.get(name)
        if read is None:
            known = ", ".join(f"[{section}]" for section in SECTIONS)
            reader.problem(name, f"unknown section (known: {known})")
            continue
        sections[name] = read(raw, reader)
    return Settings(**sections), reader.problems


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_ASSIGN = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    """First line of each table header and `table.key` assignment, for locating problems.

    tomllib reports no positions for valid documents, so this reads the lines itself; it only
    needs to be right for the layouts people write (headers and `key = value` lines). Entries
    of an array of tables are numbered from 0: `limits.1.daily`.
    """
    found: dict[str, int] = {}
    counts: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = header.group(2).replace('"', "").replace(" ", "")
            if header.group(1) == "[[":
                index = counts.get(table, 0)
                counts[table] = index + 1
                found.setdefault(table, number)
                table = f"{table}.{index}"
            found.setdefault(table, number)
            found.setdefault(table.split(".")[0], number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            key = assign.group(1).strip("\"'")
            found.setdefault(f"{table}.{key}" if table else key, number)
    return found
