"""Why a default is what it is: `resources/evidence.toml`, one entry per default.

Domain: reads a shipped file, imports only `breather.resources`. Loading fails loudly on a
malformed file (it ships with the app; a test reads it), never on a person's input.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from breather.resources import resource

#: The defaults that have an entry: the keys callers ask for.
DEFAULTS = ("eyes", "movement", "social_limit", "intention")


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a default rests on, said plainly, with its sources and when it was last checked."""

    key: str
    title: str
    summary: str
    sources: tuple[Source, ...]
    reviewed: date


def load_evidence(path: Path | None = None) -> dict[str, Evidence]:
    """Every entry of the evidence file (the shipped one unless `path`), by default key."""
    where = path or resource("evidence.toml")
    with where.open("rb") as source:
        document = tomllib.load(source)
    entries: dict[str, Evidence] = {}
    for key, raw in document.get("defaults", {}).items():
        try:
            sources = tuple(Source(str(s["title"]), str(s["url"])) for s in raw["sources"])
            reviewed = raw["reviewed"]
            if not isinstance(reviewed, date):
                raise TypeError("reviewed is not a date")
            entries[key] = Evidence(
                key, str(raw["title"]), " ".join(str(raw["summary"]).split()), sources, reviewed
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"{where}: defaults.{key}: {error}") from None
    return entries
