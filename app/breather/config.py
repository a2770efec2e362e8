"""Settings from `breather.toml`, validated key by key.

A bad value costs only itself: the key keeps its default, every other setting still applies,
and each problem names the file, the line and the key. The file itself is never rewritten here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from breather.durations import parse_duration


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


def _duration(lowest: float, highest: float) -> Any:
    def parse(value: object) -> float:
        if not isinstance(value, str):
            raise ValueError('write durations as text, like "20s", "3m" or "1h30m"')
        seconds = parse_duration(value)
        if not lowest <= seconds <= highest:
            raise ValueError(f"{value!r} is out of range ({lowest:g}s to {highest:g}s)")
        return seconds

    return parse


def _clock_time(value: object) -> time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value):
        raise ValueError('write a time of day like "04:00"')
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError(f"{value!r} is not a time of day")
    return time(hours, minutes)


# section -> key -> parser. The parsers raise ValueError with a message for the person.
_SCHEMA: dict[str, dict[str, Any]] = {
    "tracking": {
        "interval": _duration(0.2, 60),
        "idle_after": _duration(10, 3600),
        "day_starts": _clock_time,
    },
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

    lines = _key_lines(text)
    problems: list[ConfigProblem] = []
    values: dict[str, dict[str, Any]] = {}
    for section, table in document.items():
        schema = _SCHEMA.get(section)
        if schema is None or not isinstance(table, dict):
            known = ", ".join(f"[{name}]" for name in _SCHEMA)
            problems.append(
                ConfigProblem(
                    path, lines.get(section), section, f"unknown section (known: {known})"
                )
            )
            continue
        for key, raw in table.items():
            dotted = f"{section}.{key}"
            parser = schema.get(key)
            if parser is None:
                known = ", ".join(schema)
                problems.append(
                    ConfigProblem(path, lines.get(dotted), dotted, f"unknown key (known: {known})")
                )
                continue
            try:
                values.setdefault(section, {})[key] = parser(raw)
            except ValueError as error:
                problems.append(ConfigProblem(path, lines.get(dotted), dotted, str(error)))
    settings = Settings(tracking=TrackingSettings(**values.get("tracking", {})))
    return settings, problems


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_ASSIGN = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    """First line of each table header and `table.key` assignment, for locating problems.

    tomllib reports no positions for valid documents, so this reads the lines itself; it only
    needs to be right for the layouts people write (headers and `key = value` lines).
    """
    found: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = header.group(1).replace('"', "").replace(" ", "")
            found.setdefault(table, number)
            found.setdefault(table.split(".")[0], number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            key = assign.group(1).strip("\"'")
            found.setdefault(f"{table}.{key}" if table else key, number)
    return found
