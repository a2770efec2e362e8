"""Settings from `breather.toml`, validated key by key.

A bad value costs only itself: the key keeps its default, every other setting still applies,
and each problem names the file, the line and the key. The file itself is never rewritten here.

Each top-level section has a reader in `SECTIONS`: a function that takes the section's raw
TOML value and a `Reader` (to check keys and report problems) and returns the typed settings
for that section. Add a section by adding a field to `Settings` and a reader here.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any

from breather.categories.catalogue import Rule
from breather.categories.patterns import Kind, Pattern, compile_pattern
from breather.rules.checkin import MOMENTS, CheckinPolicy, ReflectionPolicy
from breather.rules.policy import TYPING_PAUSE, Breaks, Downtime, Intention, Limit, Policy
from breather.settings.durations import parse_duration
from breather.tracking.privacy import PrivacySettings

#: Parses one raw TOML value; raises ValueError with a message for the person.
ValueParser = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class TrackingSettings:
    interval: float = 1.0
    idle_after: float = 180.0
    day_starts: time = time(4, 0)


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    #: This device's name in reports and on other devices ("" = the host name).
    name: str = ""


@dataclass(frozen=True, slots=True)
class SyncSettings:
    #: The shared server's SQLAlchemy URL ("" = no sync; BREATHER_SYNC_URL overrides it).
    url: str = ""
    #: How often the tracker and the app sync in the background.
    every: float = 300.0


@dataclass(frozen=True, slots=True)
class Settings:
    tracking: TrackingSettings = field(default_factory=TrackingSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    #: The person's category rules, in the order written; the first match wins.
    categories: tuple[Rule, ...] = ()
    breaks: Breaks = field(default_factory=Breaks)
    limits: tuple[Limit, ...] = ()
    downtime: Downtime = field(default_factory=Downtime)
    intention: Intention = field(default_factory=Intention)
    checkin: CheckinPolicy = field(default_factory=CheckinPolicy)
    reflection: ReflectionPolicy = field(default_factory=ReflectionPolicy)
    device: DeviceSettings = field(default_factory=DeviceSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)

    def idle_thresholds(self) -> tuple[float, ...]:
        """Every idle time that tracking and the rules compare with: where a desktop only
        announces idleness, it is asked to announce each of these (see monitor.idle_events)."""
        breaks = (self.breaks.eyes, self.breaks.movement)
        return (
            self.tracking.idle_after,
            TYPING_PAUSE,
            *(rule.rest_threshold for rule in breaks if rule.enabled),
        )

    def policy(self) -> Policy:
        """The boundaries as the rules engine applies them (in the system's time zone)."""
        return Policy(
            breaks=self.breaks,
            limits=self.limits,
            downtime=self.downtime,
            intention=self.intention,
            day_starts=self.tracking.day_starts,
        )


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


def pattern_list(kind: Kind) -> ValueParser:
    """A list of app or title patterns (see `categories.patterns`); names the first bad one."""

    def parse(value: object) -> tuple[Pattern, ...]:
        example = '["keepassxc", "*bank*"]' if kind == "app" else '["*Private Browsing*"]'
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"write a list of patterns, like {example}")
        return tuple(compile_pattern(text, kind) for text in value)

    return parse


def whole_number(lowest: int, highest: int) -> ValueParser:
    def parse(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("write a whole number, like 365")
        if not lowest <= value <= highest:
            raise ValueError(f"{value} is out of range ({lowest} to {highest})")
        return value

    return parse


# -- reading ------------------------------------------------------------------------------


class Reader:
    """Checks tables against a schema and collects located problems."""

    def __init__(self, path: Path, lines: dict[str, int]) -> None:
        self.path = path
        self._lines = lines
        self.problems: list[ConfigProblem] = []

    def problem(self, key: str, message: str) -> None:
        """Report a problem with `key` (a dotted path such as "breaks.eyes.every")."""
        self.problems.append(ConfigProblem(self.path, self.line(key), key, message))

    def line(self, key: str) -> int | None:
        """The line `key` (or the nearest enclosing table) was written on."""
        line = self._lines.get(key)
        probe = key
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = self._lines.get(probe)
        return line

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


def _read_privacy(raw: object, reader: Reader) -> PrivacySettings:
    schema = {
        "exclude_apps": pattern_list("app"),
        "exclude_titles": pattern_list("title"),
        "titles": boolean,
        "private_window_titles": boolean,
        "keep_days": whole_number(0, 36500),
    }
    return PrivacySettings(**reader.table("privacy", raw, schema))


def _read_categories(raw: object, reader: Reader) -> tuple[Rule, ...]:
    """`[[categories]]` entries: `category` and at least one of `apps` and `titles`."""
    if not isinstance(raw, list):
        reader.problem(
            "categories",
            'write each rule as its own [[categories]] table with category = "..." and '
            "apps = [...] and/or titles = [...]",
        )
        return ()
    known = _catalogue_names()
    rules: list[Rule] = []
    for index, entry in enumerate(raw):
        prefix = f"categories.{index}"
        count = len(reader.problems)
        values = reader.table(
            prefix,
            entry,
            {
                "category": _category_name(known),
                "apps": pattern_list("app"),
                "titles": pattern_list("title"),
            },
        )
        name = values.get("category")
        label = f"rule {index + 1}" + (f" ({name})" if name else "")
        for at in range(count, len(reader.problems)):
            problem = reader.problems[at]
            reader.problems[at] = replace(problem, message=f"{problem.message} [{label}]")
        if len(reader.problems) > count:
            continue  # a rule with a mistake would catch the wrong windows: leave it out whole
        if name is None:
            reader.problem(prefix, f'needs category = "..." [{label}]')
            continue
        if not values.get("apps") and not values.get("titles"):
            reader.problem(prefix, f"needs apps = [...] or titles = [...] [{label}]")
            continue
        line = reader.line(prefix)
        origin = f"{reader.path.name}:{line}" if line else reader.path.name
        rules.append(Rule(name, values.get("apps", ()), values.get("titles", ()), origin))
    return tuple(rules)


def _catalogue_names() -> tuple[str, ...]:
    from breather.categories.catalogue import CatalogueError, load_catalogue

    try:
        return load_catalogue().names
    except CatalogueError:
        return ()


def _category_name(known: tuple[str, ...]) -> ValueParser:
    """A category name: the catalogue's spelling whatever the case; a near miss is a typo."""

    def parse(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError('write the category\'s name, like "Work"')
        name = value.strip()
        for candidate in known:
            if candidate.casefold() == name.casefold():
                return candidate
        import difflib  # only when a name is unknown

        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        if close:
            raise ValueError(f"{name!r} is not a category; did you mean {close[0]!r}?")
        return name  # a category of the person's own

    return parse


def _category_list(value: object) -> tuple[str, ...]:
    """A list of category names, each spelled as the catalogue spells it."""
    parse = _category_name(_catalogue_names())
    return tuple(parse(name) for name in string_list(value))


def _ideas(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError('write a list of ideas, like ["Water the plants", "Call Mum"]')
    ideas = tuple(item.strip() for item in value if item.strip())
    if any(len(idea) > 300 for idea in ideas):
        raise ValueError("keep each idea to a sentence or two (300 characters at most)")
    return ideas


def _read_breaks(raw: object, reader: Reader) -> Breaks:
    """`[breaks.eyes]` and `[breaks.movement]`: every, duration, enabled, and the person's
    own `ideas` for what to do in a break."""
    defaults = Breaks()
    if not isinstance(raw, dict):
        reader.problem("breaks", "expected [breaks.eyes] and [breaks.movement] tables")
        return defaults
    rules = {"eyes": defaults.eyes, "movement": defaults.movement}
    schema = {
        "every": duration(10, 24 * 3600),
        "duration": duration(5, 3600),
        "enabled": boolean,
        "ideas": _ideas,
    }
    for name, table in raw.items():
        if name not in rules:
            reader.problem(f"breaks.{name}", "unknown kind of break (known: eyes, movement)")
            continue
        rule = replace(rules[name], **reader.table(f"breaks.{name}", table, schema))
        if rule.duration >= rule.every:
            reader.problem(
                f"breaks.{name}.duration",
                "a break must be shorter than the time between breaks; using the defaults",
            )
            rule = replace(rules[name], enabled=rule.enabled)
        rules[name] = rule
    return Breaks(eyes=rules["eyes"], movement=rules["movement"])


def _read_limits(raw: object, reader: Reader) -> tuple[Limit, ...]:
    """`[[limits]]` entries: `app` or `category`, and `daily` and/or `weekday`/`weekend`."""
    if not isinstance(raw, list):
        reader.problem(
            "limits",
            'write each limit as its own [[limits]] table with category = "..." (or '
            'app = "...") and daily = "30m"',
        )
        return ()
    allowance = duration(60, 24 * 3600)
    schema = {
        "app": _app_name,
        "category": _category_name(_catalogue_names()),
        "daily": allowance,
        "weekday": allowance,
        "weekend": allowance,
        "devices": _limit_devices,
    }
    limits: list[Limit] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(raw):
        prefix = f"limits.{index}"
        count = len(reader.problems)
        values = reader.table(prefix, entry, schema)
        if len(reader.problems) > count:
            continue  # a limit with a mistake is left out; the others still apply
        if ("app" in values) == ("category" in values):
            reader.problem(prefix, 'needs either app = "..." or category = "..." (one of them)')
            continue
        if not {"daily", "weekday", "weekend"} & values.keys():
            reader.problem(prefix, 'needs daily = "30m" (or weekday = "..." / weekend = "...")')
            continue
        limit = Limit(**values)
        if limit.key in seen:
            reader.problem(prefix, f"{limit.label!r} already has a limit ({seen[limit.key]})")
            continue
        seen[limit.key] = f"line {reader.line(prefix)}" if reader.line(prefix) else "above"
        limits.append(limit)
    return tuple(limits)


def _limit_devices(value: object) -> str:
    if value not in ("all", "this"):
        raise ValueError('expected "all" (every synced device, the default) or "this"')
    return str(value)


def _app_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError('write the app\'s name as reports show it, like "firefox"')
    return value.strip()


#: What downtime asks about when `categories` is left out.
DOWNTIME_CATEGORIES = ("Social media", "Video")


def _read_downtime(raw: object, reader: Reader) -> Downtime:
    """`[downtime]`: `from` and `to` (times of day, may cross midnight) and `categories`."""
    schema: dict[str, ValueParser] = {
        "from": clock_time,
        "to": clock_time,
        "categories": _category_list,
    }
    count = len(reader.problems)
    values = reader.table("downtime", raw, schema)
    if len(reader.problems) > count:
        return Downtime()  # half a schedule would ask at the wrong hours: none at all
    if not values:
        return Downtime()
    if "from" not in values or "to" not in values:
        reader.problem("downtime", 'needs both from = "22:00" and to = "07:00"')
        return Downtime()
    if values["from"] == values["to"]:
        reader.problem("downtime.to", "downtime needs to end at a different time than it starts")
        return Downtime()
    return Downtime(values["from"], values["to"], values.get("categories", DOWNTIME_CATEGORIES))


def _read_intention(raw: object, reader: Reader) -> Intention:
    """`[intention]`: `categories` that ask what the person came for (empty: never)."""
    values = reader.table("intention", raw, {"categories": _category_list})
    return Intention(**values)


def _moment(value: object) -> str:
    if value not in MOMENTS:
        raise ValueError(f"write one of {', '.join(repr(m) for m in MOMENTS)}")
    return str(value)


def _read_checkin(raw: object, reader: Reader) -> CheckinPolicy:
    """`[checkin]`: `ask` (a daily mood check-in, off by default), `moment` and `at`."""
    schema: dict[str, ValueParser] = {"ask": boolean, "moment": _moment, "at": clock_time}
    return CheckinPolicy(**reader.table("checkin", raw, schema))


def _read_reflection(raw: object, reader: Reader) -> ReflectionPolicy:
    """`[reflection]`: `notify` (a note on the week on Sunday evening, off by default), `at`."""
    schema: dict[str, ValueParser] = {"notify": boolean, "at": clock_time}
    return ReflectionPolicy(**reader.table("reflection", raw, schema))


def _device_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise ValueError('expected a name of 1 to 64 characters, like "laptop"')
    if any(not character.isprintable() for character in value):
        raise ValueError("a device name cannot hold control characters")
    return value.strip()


def _read_device(raw: object, reader: Reader) -> DeviceSettings:
    return DeviceSettings(**reader.table("device", raw, {"name": _device_name}))


def _sync_url(value: object) -> str:
    if not isinstance(value, str) or "://" not in value:
        raise ValueError('expected a database URL like "postgresql+psycopg://me@server/breather"')
    return value


def _read_sync(raw: object, reader: Reader) -> SyncSettings:
    schema = {"url": _sync_url, "every": duration(30, 86400)}
    return SyncSettings(**reader.table("sync", raw, schema))


#: section name -> reader returning the value for the `Settings` field of the same name.
SECTIONS: dict[str, Callable[[object, Reader], Any]] = {
    "tracking": _read_tracking,
    "privacy": _read_privacy,
    "categories": _read_categories,
    "breaks": _read_breaks,
    "limits": _read_limits,
    "downtime": _read_downtime,
    "intention": _read_intention,
    "checkin": _read_checkin,
    "reflection": _read_reflection,
    "device": _read_device,
    "sync": _read_sync,
}


def load_settings(path: Path) -> tuple[Settings, list[ConfigProblem]]:
    """Read `path`; a missing file means all defaults. Never raises for the file's content."""
    try:
        text = read_config_text(path)
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return Settings(), [ConfigProblem(path, None, "", f"cannot read the file: {error}")]
    return parse_settings(text, path)


#: A settings file is a few kilobytes; anything larger is not one (a link to /dev/zero).
CONFIG_MAX_BYTES = 1 << 20


def read_config_text(path: Path) -> str:
    """The text of the settings file: a regular file (links are followed: dotfile managers
    use them) of at most CONFIG_MAX_BYTES; a FIFO or a device is refused before it is read,
    so it can neither hang Breather nor fill its memory. Raises ValueError saying which."""
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # Windows has neither it nor FIFOs to fear
    fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("it is not a regular file (a FIFO, a device or a folder)")
        if nonblocking:  # os.set_blocking is missing on Windows before Python 3.12
            os.set_blocking(fd, True)
        data = source.read(CONFIG_MAX_BYTES + 1)
    if len(data) > CONFIG_MAX_BYTES:
        raise ValueError(f"it is larger than {CONFIG_MAX_BYTES} bytes, too large to be settings")
    return data.decode("utf-8")


def parse_settings(text: str, path: Path) -> tuple[Settings, list[ConfigProblem]]:
    """Settings from TOML `text`, and what was wrong in it (with `path` for the messages)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else None
        return Settings(), [ConfigProblem(path, line, "", f"not valid TOML: {error}")]
    except RecursionError:  # tomllib recurses once per level of [[[...]]] or {a={b=...}}
        return Settings(), [ConfigProblem(path, None, "", "not valid TOML: nested too deeply")]

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
