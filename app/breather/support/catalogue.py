"""The self-help catalogue: who to contact in a crisis, and gentle guides, read offline.

The catalogue is the TOML file shipped as `resources/self-help.toml`. It is checked strictly
when read: a misspelt key, a missing source, a link that is not https or a number with letters
in it raises `CatalogueError`, so a bad edit fails the tests instead of reaching someone who
needs help. Nothing here touches the network or Qt.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from breather.resources import resource

INTERNATIONAL: Final = "international"
"""The fallback region: no local line is known, so the international directories lead."""

SCHEMA: Final = 1
CATALOGUE_FILE: Final = "self-help.toml"
REVIEW_WINDOW_DAYS: Final = 183
"""Re-check every entry against the operator's own page at least this often."""


class CatalogueError(ValueError):
    """The catalogue is malformed; the message says where and why."""


class Channel(StrEnum):
    CALL = "call"
    TEXT = "text"
    CHAT = "chat"
    EMAIL = "email"


class Section(StrEnum):
    EMERGENCY = "emergency"
    CRISIS = "crisis"
    DIRECTORY = "directory"
    INFORMATION = "information"
    MINDFULNESS = "mindfulness"
    BREAKS = "breaks"
    DIGITAL_WELLBEING = "digital_wellbeing"


GUIDE_SECTIONS: Final = (
    Section.INFORMATION,
    Section.MINDFULNESS,
    Section.BREAKS,
    Section.DIGITAL_WELLBEING,
)
"""The sections that follow the crisis lines, in the order they are shown."""


@dataclass(frozen=True, slots=True)
class Contact:
    """One way to reach a service: call or text a number, chat online or write an email."""

    channel: Channel
    value: str
    keyword: str = ""
    note: str = ""
    url: str | None = None

    @property
    def label(self) -> str:
        """What to do, spelt out: "Call 116 123", "Text SHOUT to 85258"."""
        if self.channel is Channel.CALL:
            return f"Call {self.value}"
        if self.channel is Channel.TEXT:
            if not self.keyword:
                return f"Text {self.value}"
            keyword = self.keyword if self.keyword.isupper() else f"“{self.keyword}”"
            return f"Text {keyword} to {self.value}"
        if self.channel is Channel.CHAT:
            return f"Chat online at {self.value}"
        return f"Email {self.value}"

    @property
    def needs_internet(self) -> bool:
        return self.channel is Channel.CHAT


@dataclass(frozen=True, slots=True)
class Entry:
    """A service, directory or guide, with where its facts were checked and when."""

    section: Section
    name: str
    summary: str
    source: str
    reviewed: date
    contacts: tuple[Contact, ...] = ()
    hours: str = ""
    audience: str = ""
    notes: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    evidence: str = ""
    url: str | None = None
    more_sources: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    """For guides: the regions they are shown in; empty means everywhere."""

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.more_sources)

    def shown_in(self, region: str) -> bool:
        return not self.regions or region in self.regions


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    emergency: Entry | None
    crisis: tuple[Entry, ...] = ()
    directories: tuple[Entry, ...] = ()

    @property
    def emergency_number(self) -> str | None:
        return self.emergency.contacts[0].value if self.emergency else None


@dataclass(frozen=True, slots=True)
class Catalogue:
    reviewed: date
    regions: Mapping[str, Region]
    guides: Mapping[Section, tuple[Entry, ...]]

    def region(self, code: str) -> Region:
        """The region for `code`; unknown codes get the international fallback."""
        return self.regions.get(code) or self.regions[INTERNATIONAL]

    def region_codes(self) -> list[str]:
        """Codes sorted by region name, with the international fallback last."""
        named = sorted((r for r in self.regions.values() if r.code != INTERNATIONAL), key=_by_name)
        return [r.code for r in named] + [INTERNATIONAL]

    def entries_for(self, code: str) -> list[Entry]:
        """Emergency number first, then the crisis lines, then the international directories."""
        region = self.region(code)
        head = [region.emergency] if region.emergency else []
        return [*head, *region.crisis, *self.regions[INTERNATIONAL].directories]

    def guides_for(self, section: Section, code: str) -> list[Entry]:
        return [e for e in self.guides.get(section, ()) if e.shown_in(code)]

    def all_entries(self) -> Iterator[Entry]:
        for region in self.regions.values():
            if region.emergency:
                yield region.emergency
            yield from region.crisis
            yield from region.directories
        for entries in self.guides.values():
            yield from entries


def _by_name(region: Region) -> str:
    return region.name.casefold()


def contact_lines(contacts: Sequence[Contact]) -> list[tuple[str, Contact]]:
    """Labels to show, with "Call 988" and "Text 988" folded into "Call or text 988"."""
    lines: list[tuple[str, Contact]] = []
    folded: set[int] = set()
    for index, contact in enumerate(contacts):
        if index in folded:
            continue
        label = contact.label
        if contact.channel is Channel.CALL and not contact.note:
            for later, other in enumerate(contacts[index + 1 :], start=index + 1):
                plain_text = other.channel is Channel.TEXT and not (other.keyword or other.note)
                if plain_text and other.value == contact.value:
                    label = f"Call or text {contact.value}"
                    folded.add(later)
                    break
        lines.append((label, contact))
    return lines


# --- reading ------------------------------------------------------------------------------------

_REGION_CODE = re.compile(r"[A-Z]{2}")
_PHONE = re.compile(r"[0-9](?:[0-9 -]*[0-9])?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "_hs", "ref_src")

_TOP_KEYS = ("schema", "reviewed", "regions", *(s.value for s in GUIDE_SECTIONS))
_REGION_KEYS = ("name", "emergency", "crisis", "directories")
_EMERGENCY_KEYS = ("number", "source", "more_sources", "reviewed")
_ENTRY_KEYS = (
    "name", "summary", "source", "more_sources", "reviewed", "contacts", "hours", "audience",
    "notes", "steps", "evidence", "url",
)  # fmt: skip
_GUIDE_KEYS = (*_ENTRY_KEYS, "regions")
_CONTACT_KEYS = ("channel", "value", "keyword", "note", "url")


class _Table:
    """A TOML table with a fixed set of keys, so a misspelt key is named instead of ignored."""

    def __init__(self, data: object, where: str, keys: Collection[str] | None = None) -> None:
        if not isinstance(data, dict):
            raise CatalogueError(f"{where}: expected a table")
        self._data: dict[str, object] = data
        self.where = where
        unknown = sorted(set(data) - set(keys)) if keys is not None else []
        if unknown:
            raise CatalogueError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}")

    def raw(self, key: str) -> object:
        return self._data.get(key)

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError(f"{self.where}.{key}: expected non-empty text")
        if value != value.strip():
            raise CatalogueError(f"{self.where}.{key}: stray spaces around {value!r}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            raise CatalogueError(f"{self.where}.{key}: expected a non-empty list of text")
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise CatalogueError(f"{self.where}.{key}[{index}]: expected non-empty text")
            out.append(item)
        return tuple(out)

    def day(self, key: str) -> date:
        value = self.raw(key)
        if not isinstance(value, date) or isinstance(value, datetime):
            raise CatalogueError(f"{self.where}.{key}: expected a date like 2026-11-25")
        return value

    def link(self, key: str) -> str | None:
        """A clickable address: https only and free of tracking parameters."""
        if self.raw(key) is None:
            return None
        url = self.text(key)
        _check_url(url, f"{self.where}.{key}", link=True)
        return url

    def source(self, key: str) -> str:
        url = self.text(key)
        _check_url(url, f"{self.where}.{key}", link=False)
        return url

    def sources(self, key: str) -> tuple[str, ...]:
        urls = self.texts(key)
        for index, url in enumerate(urls):
            _check_url(url, f"{self.where}.{key}[{index}]", link=False)
        return urls

    def table(self, key: str, keys: Collection[str] | None = None) -> _Table | None:
        value = self.raw(key)
        return None if value is None else _Table(value, f"{self.where}.{key}", keys)

    def tables(self, key: str, keys: Collection[str]) -> list[_Table]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise CatalogueError(f"{self.where}.{key}: expected a list of tables")
        return [_Table(item, f"{self.where}.{key}[{i}]", keys) for i, item in enumerate(value)]

    def items(self) -> Iterator[tuple[str, object]]:
        yield from self._data.items()


def _check_url(url: str, where: str, *, link: bool) -> None:
    parts = urlsplit(url)
    schemes = ("https",) if link else ("https", "http")
    if parts.scheme not in schemes or not parts.netloc or any(c.isspace() for c in url):
        wanted = "an https address" if link else "a web address"
        raise CatalogueError(f"{where}: expected {wanted}, got {url!r}")
    if link:
        for name, _value in parse_qsl(parts.query, keep_blank_values=True):
            if name.lower().startswith(_TRACKING):
                raise CatalogueError(f"{where}: remove the tracking parameter {name!r}")


def _contact(table: _Table) -> Contact:
    where = table.where
    raw_channel = table.text("channel")
    try:
        channel = Channel(raw_channel)
    except ValueError:
        choices = ", ".join(c.value for c in Channel)
        raise CatalogueError(f"{where}.channel: {raw_channel!r} is not one of {choices}") from None
    value = table.text("value")
    keyword = table.text("keyword", required=False)
    note = table.text("note", required=False)
    url = table.link("url")
    if channel in (Channel.CALL, Channel.TEXT) and not _PHONE.fullmatch(value):
        raise CatalogueError(f"{where}.value: {value!r} is not a phone number")
    if channel is Channel.EMAIL and not _EMAIL.fullmatch(value):
        raise CatalogueError(f"{where}.value: {value!r} is not an email address")
    if keyword and channel is not Channel.TEXT:
        raise CatalogueError(f"{where}.keyword: only text contacts have a keyword")
    if channel is Channel.CHAT and url is None:
        raise CatalogueError(f"{where}.url: a chat contact needs its https address")
    if url is not None and channel is not Channel.CHAT:
        raise CatalogueError(f"{where}.url: only chat contacts have an address")
    return Contact(channel, value, keyword, note, url)


def _entry(table: _Table, section: Section, region_codes: Collection[str] = ()) -> Entry:
    entry = Entry(
        section=section,
        name=table.text("name"),
        summary=table.text("summary"),
        source=table.source("source"),
        more_sources=table.sources("more_sources"),
        reviewed=table.day("reviewed"),
        contacts=tuple(_contact(t) for t in table.tables("contacts", _CONTACT_KEYS)),
        hours=table.text("hours", required=False),
        audience=table.text("audience", required=False),
        notes=table.texts("notes"),
        steps=table.texts("steps"),
        evidence=table.text("evidence", required=False),
        url=table.link("url"),
        regions=table.texts("regions") if section in GUIDE_SECTIONS else (),
    )
    if section is Section.CRISIS and not entry.contacts:
        raise CatalogueError(f"{table.where}.contacts: a crisis line needs a way to reach it")
    if section is Section.DIRECTORY and entry.url is None:
        raise CatalogueError(f"{table.where}.url: a directory needs its https address")
    for code in entry.regions:
        if code not in region_codes or code == INTERNATIONAL:
            raise CatalogueError(f"{table.where}.regions: unknown region {code!r}")
    return entry


def _emergency(table: _Table) -> Entry:
    number = table.text("number")
    if not _PHONE.fullmatch(number):
        raise CatalogueError(f"{table.where}.number: {number!r} is not a phone number")
    entry = Entry(
        section=Section.EMERGENCY,
        name="Emergency services",
        summary=f"If you are in immediate danger, call {number}.",
        source=table.source("source"),
        more_sources=table.sources("more_sources"),
        reviewed=table.day("reviewed"),
        contacts=(Contact(Channel.CALL, number),),
    )
    return entry


def _region(code: str, table: _Table) -> Region:
    if code != INTERNATIONAL and not _REGION_CODE.fullmatch(code):
        raise CatalogueError(f"{table.where}: region codes are ISO 3166 letters like GB")
    emergency_table = table.table("emergency", _EMERGENCY_KEYS)
    region = Region(
        code=code,
        name=table.text("name"),
        emergency=_emergency(emergency_table) if emergency_table else None,
        crisis=tuple(_entry(t, Section.CRISIS) for t in table.tables("crisis", _ENTRY_KEYS)),
        directories=tuple(
            _entry(t, Section.DIRECTORY) for t in table.tables("directories", _ENTRY_KEYS)
        ),
    )
    if code == INTERNATIONAL:
        if region.emergency or region.crisis:
            raise CatalogueError(f"{table.where}: the fallback has no number of its own")
        if not region.directories:
            raise CatalogueError(f"{table.where}.directories: the fallback needs directories")
    else:
        if region.emergency is None:
            raise CatalogueError(f"{table.where}.emergency: every region needs its number")
        if not region.crisis:
            raise CatalogueError(f"{table.where}.crisis: every region needs a crisis line")
        if region.directories:
            raise CatalogueError(f"{table.where}.directories: only the fallback has these")
    _unique_names(region.crisis, f"{table.where}.crisis")
    return region


def _unique_names(entries: tuple[Entry, ...], where: str) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            raise CatalogueError(f"{where}: {entry.name!r} is listed twice")
        seen.add(entry.name)


def parse_catalogue(data: Mapping[str, object], origin: str = "catalogue") -> Catalogue:
    """Build and check a catalogue from parsed TOML; raises `CatalogueError`."""
    top = _Table(dict(data), origin, _TOP_KEYS)
    schema = top.raw("schema")
    if schema != SCHEMA:
        raise CatalogueError(f"{origin}.schema: expected {SCHEMA}, got {schema!r}")
    reviewed = top.day("reviewed")
    regions_table = top.table("regions")
    if regions_table is None:
        raise CatalogueError(f"{origin}.regions: missing")
    regions = {
        code: _region(code, _Table(value, f"{regions_table.where}.{code}", _REGION_KEYS))
        for code, value in regions_table.items()
    }
    if INTERNATIONAL not in regions:
        raise CatalogueError(f"{origin}.regions.{INTERNATIONAL}: the fallback is missing")
    guides: dict[Section, tuple[Entry, ...]] = {}
    for section in GUIDE_SECTIONS:
        entries = tuple(_entry(t, section, regions) for t in top.tables(section.value, _GUIDE_KEYS))
        _unique_names(entries, f"{origin}.{section.value}")
        guides[section] = entries
    catalogue = Catalogue(reviewed=reviewed, regions=regions, guides=guides)
    for entry in catalogue.all_entries():
        if entry.reviewed > reviewed:
            raise CatalogueError(
                f"{origin}: {entry.name!r} was reviewed on {entry.reviewed}, after the "
                f"catalogue's own review date {reviewed}"
            )
    return catalogue


def loads_catalogue(text: str, origin: str = "catalogue") -> Catalogue:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{origin}: not valid TOML: {error}") from error
    return parse_catalogue(data, origin)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read the catalogue shipped with Breather, or the file at `path`."""
    path = path or resource(CATALOGUE_FILE)
    return loads_catalogue(path.read_text(encoding="utf-8"), path.name)


@functools.cache
def default_catalogue() -> Catalogue:
    """The shipped catalogue, read once."""
    return load_catalogue()


def region_for_locale(locale_name: str, regions: Collection[str] | None = None) -> str:
    """The catalogue region for a locale name such as "en_GB", "fr-CA" or "de_DE.UTF-8".

    Locales without a territory, or with one the catalogue does not cover, map to
    `INTERNATIONAL`. A locale is only a hint: people can always choose another region.
    """
    known = default_catalogue().regions if regions is None else regions
    base = locale_name.split(".", 1)[0].split("@", 1)[0]
    for part in re.split(r"[_-]", base)[1:]:
        if len(part) == 2 and part.isalpha() and part.isascii():
            code = part.upper()
            code = "GB" if code == "UK" else code
            return code if code in known and code != INTERNATIONAL else INTERNATIONAL
    return INTERNATIONAL


def entries_for(region: str, catalogue: Catalogue | None = None) -> list[Entry]:
    """Emergency number first, then the region's crisis lines, then the directories."""
    return (catalogue or default_catalogue()).entries_for(region)
