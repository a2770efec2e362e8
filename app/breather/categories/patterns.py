"""The one pattern language of the config and the category catalogue.

People write app and title patterns three ways, all case-insensitive:

- plain text: an app pattern is the whole name (`"slack"` matches "Slack" and "slack.exe"'s
  name "slack"); a title pattern is found anywhere in the title (`"Jira"`).
- with `*` or `?`: a shell-style wildcard over the whole name or title (`"jetbrains-*"`,
  `"* - YouTube"`).
- `re:` then a Python regular expression, searched anywhere (`"re:^r/\\w+$"`).

Each pattern compiles to one regular expression used with `search`, so callers never care which
form was written.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["app", "title"]

REGEX_PREFIX = "re:"
#: Longer patterns are refused: nobody writes one this long by hand, and the compile of a
#: deeply nested one can exhaust the stack.
MAX_PATTERN_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled pattern and the text it was written as (for messages)."""

    text: str
    regex: re.Pattern[str]

    def matches(self, value: str) -> bool:
        return self.regex.search(value) is not None


def compile_pattern(text: str, kind: Kind) -> Pattern:
    """Compile `text`; raises ValueError with a message for the person who wrote it."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a pattern must be non-empty text")
    if len(text) > MAX_PATTERN_CHARS:
        raise ValueError(
            f"{text[:40]!r}… is {len(text)} characters long; patterns are at most "
            f"{MAX_PATTERN_CHARS}"
        )
    if text.startswith(REGEX_PREFIX):
        body = text[len(REGEX_PREFIX) :]
        if not body:
            raise ValueError(f"{text!r} has nothing after {REGEX_PREFIX!r}")
        try:
            return Pattern(text, re.compile(body, re.IGNORECASE))
        # re.compile raises more than re.error: OverflowError for a{99999999999},
        # RecursionError for deep nesting, MemoryError for a huge repetition of a group.
        except (re.error, OverflowError, RecursionError, MemoryError, ValueError) as error:
            raise ValueError(f"{text!r} is not a valid regular expression: {error}") from None
    if any(char in text for char in "*?"):
        # fnmatch's translation is anchored at the end; anchor the start for a whole match.
        return Pattern(text, re.compile(r"\A" + fnmatch.translate(text), re.IGNORECASE))
    if kind == "app":
        return Pattern(text, re.compile(r"\A" + re.escape(text) + r"\Z", re.IGNORECASE))
    return Pattern(text, re.compile(re.escape(text), re.IGNORECASE))


def app_names(app: str, process: str = "", exe: str = "") -> tuple[str, ...]:
    """The names an app pattern is tried against: the app, its process and executable file.

    `.exe` (Windows) and `.app` (macOS bundles) are dropped as well as kept, so `"slack"` matches
    "slack.exe" and "Slack.app"; an executable is reduced to its file name.
    """
    names: list[str] = []
    for raw in (app, process, _file_name(exe)):
        if not raw:
            continue
        for name in (raw, _without_suffix(raw)):
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _file_name(path: str) -> str:
    return re.split(r"[\\/]", path)[-1] if path else ""


def _without_suffix(name: str) -> str:
    lowered = name.lower()
    for suffix in (".exe", ".app"):
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name
