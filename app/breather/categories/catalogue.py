"""Categories ("Social media", "Video", "Work", ...) worked out when data is read, never stored.

A window's category comes from, in order:

1. the person's own rules (`[[categories]]` in breather.toml), first match wins;
2. for a browser, the catalogue's page patterns on the title without the browser's own part
   (a browser page that matches none is "Other");
3. the catalogue's app names;
4. "Other".

Reading is what makes a changed rule re-colour the past, so it has to be cheap: a `Categorizer`
decides once per distinct app whether the title matters at all (it only does for browsers and
for apps named by a title rule) and caches the answer per title, so summaries categorise the few
distinct (app, title) keys SQL has already summed, never rows.
"""

from __future__ import annotations

import functools
import importlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breather.categories.patterns import Pattern, app_names, compile_pattern

OTHER = "Other"

#: How many (app, title) answers a categorizer remembers before starting over.
TITLE_CACHE_LIMIT = 200_000

AppKey = tuple[str, str, str]  # (app, process, exe)


class CatalogueError(Exception):
    """The shipped catalogue is broken: a packaging bug, not the person's doing."""


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class Rule:
    """Windows of any of `apps` with a title matching any of `titles` are `category`.

    An empty `apps` means any app, an empty `titles` any title. `origin` says where the rule was
    written ("breather.toml:12", "catalogue"), for messages.
    """

    category: str
    apps: tuple[Pattern, ...] = ()
    titles: tuple[Pattern, ...] = ()
    origin: str = ""

    def matches_app(self, names: Sequence[str]) -> bool:
        return not self.apps or any(p.matches(name) for p in self.apps for name in names)

    def matches_title(self, *texts: str) -> bool:
        return not self.titles or any(p.matches(text) for p in self.titles for text in texts)


class _PageIndex:
    """The catalogue's page patterns, found by the text each must contain.

    Python's regular expressions try every branch at every position, so searching a few
    hundred site patterns costs tens of microseconds per title. Nearly every pattern names its
    site in plain text ("YouTube", "BBC News", or one of "PyPI" and "npm"): each pattern is
    filed under the texts one of which every match must contain, read from the parsed
    expression. A page looks up the three-letter starts of its own text in that file, so it
    costs a few dictionary lookups, and only the few patterns whose text it holds run, in
    catalogue order so the first category wins.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.categories = tuple(rule.category for rule in rules)
        self._all: list[_Entry] = []
        self._always: list[_Entry] = []
        # Needles of three letters or more, filed by their first three; shorter ones apart.
        self._by_start: dict[str, list[tuple[str, _Entry]]] = {}
        self._short: list[tuple[str, _Entry]] = []
        for group, rule in enumerate(rules):
            for order, pattern in enumerate(rule.titles):
                entry = (group, order, pattern.regex)
                self._all.append(entry)
                needles = _needles(pattern.regex)
                if needles is None:
                    self._always.append(entry)
                    continue
                for needle in needles:
                    if len(needle) >= _START:
                        self._by_start.setdefault(needle[:_START], []).append((needle, entry))
                    else:
                        self._short.append((needle, entry))
        self._starts = frozenset(self._by_start)

    def find(self, page: str) -> str | None:
        text = _fold(page)
        candidates = set(self._all) if text is None else self._candidates(text)
        for group, _order, regex in sorted(candidates, key=_entry_order):
            if regex.search(page):
                return self.categories[group]
        return None

    def _candidates(self, text: str) -> set[_Entry]:
        """The patterns whose text the folded page holds, and those that always run."""
        found = set(self._always)
        by_start = self._by_start
        starts = [text[at : at + _START] for at in range(len(text) - _START + 1)]
        for start in self._starts.intersection(starts):
            for needle, entry in by_start[start]:
                if needle in text:
                    found.add(entry)
        for needle, entry in self._short:
            if needle in text:
                found.add(entry)
        return found


@dataclass(frozen=True)
class Catalogue:
    """The shipped categories, in the order they are tried."""

    categories: tuple[Category, ...]
    browsers: tuple[Pattern, ...]
    strip: tuple[re.Pattern[str], ...]
    app_rules: tuple[Rule, ...]
    page_rules: tuple[Rule, ...]
    _pages: _PageIndex = field(default_factory=lambda: _PageIndex(()), repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(category.name for category in self.categories)

    def color(self, name: str) -> str:
        for category in self.categories:
            if category.name == name:
                return category.color
        return _custom_color(name)

    def page(self, title: str) -> str:
        """A browser window title without the browser's own part: the page's title."""
        for regex in self.strip:
            title = regex.sub("", title)
        return title.strip()

    def page_category(self, page: str) -> str | None:
        """The category of a browser page by the catalogue's page patterns, or None."""
        return self._pages.find(page)


def _custom_color(name: str) -> str:
    """A steady colour for a category the person made up (the same name, the same colour)."""
    hue = sum(ord(char) * (index + 1) for index, char in enumerate(name)) % 360
    return f"hsl({hue}, 45%, 55%)"


# -- the catalogue file -------------------------------------------------------------------


def default_catalogue_path() -> Path:
    from breather.resources import resource

    return resource("categories.toml")


@functools.cache
def load_catalogue(path: Path | None = None) -> Catalogue:
    """The catalogue at `path` (default: the shipped one), read once per process."""
    path = path or default_catalogue_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueError(f"cannot read the category catalogue {path}: {error}") from None
    return parse_catalogue(text, str(path))


def parse_catalogue(text: str, source: str = "categories.toml") -> Catalogue:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{source}: not valid TOML: {error}") from None
    _only(document, {"browsers", "category"}, source)
    browsers_raw = document.get("browsers", {})
    _only(browsers_raw, {"apps", "strip"}, f"{source}: [browsers]")
    browsers = _patterns(browsers_raw.get("apps", []), "app", f"{source}: [browsers] apps")
    strip: list[re.Pattern[str]] = []
    for raw in _strings(browsers_raw.get("strip", []), f"{source}: [browsers] strip"):
        try:
            strip.append(re.compile(raw))
        except re.error as error:
            raise CatalogueError(f"{source}: [browsers] strip {raw!r}: {error}") from None

    categories: list[Category] = []
    app_rules: list[Rule] = []
    page_rules: list[Rule] = []
    for index, raw in enumerate(document.get("category", [])):
        where = f"{source}: category {index + 1}"
        _only(raw, {"name", "color", "apps", "pages"}, where)
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            raise CatalogueError(f"{where}: needs a name")
        if any(category.name == name for category in categories):
            raise CatalogueError(f"{where}: {name!r} is there twice")
        where = f"{source}: category {name!r}"
        categories.append(Category(name, str(raw.get("color", _custom_color(name)))))
        apps = _patterns(raw.get("apps", []), "app", f"{where} apps")
        pages = _patterns(raw.get("pages", []), "title", f"{where} pages")
        if apps:
            app_rules.append(Rule(name, apps=apps, origin="catalogue"))
        if pages:
            page_rules.append(Rule(name, titles=pages, origin="catalogue"))
    if not any(category.name == OTHER for category in categories):
        categories.append(Category(OTHER, "#9aa0a6"))
    groups = _PageIndex(page_rules)
    return Catalogue(
        tuple(categories), browsers, tuple(strip), tuple(app_rules), tuple(page_rules), groups
    )


def _only(table: object, keys: set[str], where: str) -> None:
    if not isinstance(table, dict):
        raise CatalogueError(f"{where}: expected a table")
    unknown = set(table) - keys
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}")


def _strings(raw: object, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise CatalogueError(f"{where}: expected a list of text")
    return list(raw)


def _patterns(raw: object, kind: str, where: str) -> tuple[Pattern, ...]:
    patterns = []
    for text in _strings(raw, where):
        try:
            patterns.append(compile_pattern(text, "app" if kind == "app" else "title"))
        except ValueError as error:
            raise CatalogueError(f"{where}: {error}") from None
    return tuple(patterns)


# -- finding page patterns by their text --------------------------------------------------

_Entry = tuple[int, int, re.Pattern[str]]  # (category's place, pattern's place, the pattern)

#: Needles this long or longer are filed by their first letters; shorter ones are each tried.
_START = 3


def _entry_order(entry: _Entry) -> tuple[int, int]:
    return entry[0], entry[1]


def _fold(text: str) -> str | None:
    """`text` lower-cased the way `re.IGNORECASE` compares letters, so that the text a pattern
    needs is in the folded page whenever the pattern matches the page; None when that cannot
    be promised (non-ASCII text on a Python without `re`'s table of such letters).

    `str.lower` alone would not do for a few letters: "İ" becomes two characters, and `re`
    takes "ſ" for "s" and "ς" for "σ". ASCII text needs nothing more.
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    same = _same_letters()
    if same is None:
        return None
    return text.translate(_SIMPLE_LOWER).lower().translate(same)


#: The one letter whose `str.lower` is longer than the single letter `re` compares it as.
_SIMPLE_LOWER = {0x130: "i"}


@functools.cache
def _same_letters() -> dict[int, int] | None:
    """Letters `re.IGNORECASE` takes for one another ("s" and "ſ"), each mapped to the first
    of its kind; None when this Python's `re` keeps no such table where it is read from."""
    try:
        extra: Any = importlib.import_module("re._casefix")._EXTRA_CASES
        pairs = [(int(letter), int(other)) for letter, others in extra.items() for other in others]
    except Exception:
        return None
    first: dict[int, int] = {}
    changed = True
    while changed:  # a few dozen letters in small kinds: settles in two or three passes
        changed = False
        for letter, other in pairs:
            low = min(first.get(letter, letter), first.get(other, other))
            for code in (letter, other):
                if first.get(code, code) != low:
                    first[code] = low
                    changed = True
    return {code: low for code, low in first.items() if code != low}


def _needles(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Texts (folded) one of which every match of `regex` contains, or None when none could
    be read from it (the pattern then runs on every page)."""
    try:
        parser: Any = importlib.import_module("re._parser")
        items = list(parser.parse(regex.pattern, regex.flags))
        found = _required(parser, items)
    except Exception:  # another Python's internals: run this pattern on every page
        return None
    if found is None or any(text is None for text in found):
        return None
    return frozenset(text for text in found if text is not None)


def _required(parser: Any, items: list[Any]) -> frozenset[str | None] | None:
    """The most telling set of texts one of which a match of `items` must hold, or None.

    Characters in sequence must all be matched, and so must a group or a repetition of at
    least once; an alternation holds one of its branches' texts when every branch has some.
    Anything optional, a class of characters or a look-around ends a run and adds nothing.
    """
    repeats = {getattr(parser, name, None) for name in _REPEATS} - {None}
    choices: list[frozenset[str | None]] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            choices.append(frozenset({_fold("".join(run))}))
            run.clear()

    for op, argument in items:
        if op == parser.LITERAL:
            run.append(chr(argument))
            continue
        end_run()
        inner: frozenset[str | None] | None = None
        if op == parser.SUBPATTERN:
            inner = _required(parser, list(argument[-1]))
        elif op in repeats and argument[0] >= 1:
            inner = _required(parser, list(argument[2]))
        elif op == parser.BRANCH:
            branches = [_required(parser, list(branch)) for branch in argument[1]]
            if all(branch is not None for branch in branches):
                inner = frozenset().union(*(branch for branch in branches if branch))
        if inner:
            choices.append(inner)
    end_run()
    # The longest of the shortest texts is the least likely to turn up by chance.
    return max(choices, key=_telling, default=None)


def _telling(texts: frozenset[str | None]) -> tuple[int, int]:
    return min(len(text or "") for text in texts), -len(texts)


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


# -- categorising -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _AppPlan:
    """What decides the category of one app's windows."""

    title_rules: tuple[Rule, ...]  # the person's title rules that apply to this app, in order
    browser: bool  # try the catalogue's page patterns next
    fallback: str  # when nothing about the title decides

    @property
    def fixed(self) -> str | None:
        """The category whatever the title, or None when the title matters."""
        return None if self.title_rules or self.browser else self.fallback


class Categorizer:
    """Names the category of windows, remembering its answers. Not thread-safe."""

    def __init__(self, rules: Sequence[Rule] = (), catalogue: Catalogue | None = None) -> None:
        self.rules = tuple(rules)
        self.catalogue = catalogue or load_catalogue()
        # Each app's plan, and a number shared by apps with the same plan: the answers for a
        # title are remembered by that number, so Firefox reported with or without its
        # process and executable names each title once.
        self._plans: dict[AppKey, tuple[_AppPlan, int]] = {}
        self._plan_numbers: dict[_AppPlan, int] = {}
        self._titles: dict[tuple[int, str], str] = {}
        self._app_index = _AppIndex(self.catalogue)
        names = list(self.catalogue.names)
        for rule in self.rules:
            if rule.category not in names:
                names.insert(len(names) - 1 if OTHER in names else len(names), rule.category)
        #: Every category a window can get, in the catalogue's order, the person's own before
        #: "Other".
        self.names = tuple(names)

    def color(self, name: str) -> str:
        return self.catalogue.color(name)

    def app_category(self, app: str, process: str = "", exe: str = "") -> str | None:
        """The category of every window of this app, or None when it depends on the title."""
        return self._plan((app, process, exe))[0].fixed

    def category(self, app: str, title: str, process: str = "", exe: str = "") -> str:
        plan, number = self._plan((app, process, exe))
        fixed = plan.fixed
        if fixed is not None:
            return fixed
        found = self._titles.get((number, title))
        if found is None:
            found = self._title_category(plan, title)
            if len(self._titles) >= TITLE_CACHE_LIMIT:
                self._titles.clear()
            self._titles[(number, title)] = found
        return found

    def _plan(self, key: AppKey) -> tuple[_AppPlan, int]:
        found = self._plans.get(key)
        if found is None:
            plan = self._make_plan(key)
            number = self._plan_numbers.setdefault(plan, len(self._plan_numbers))
            found = self._plans[key] = (plan, number)
        return found

    def _make_plan(self, key: AppKey) -> _AppPlan:
        names = app_names(*key)
        title_rules: list[Rule] = []
        for rule in self.rules:
            if not rule.matches_app(names):
                continue
            if not rule.titles:
                return _AppPlan(tuple(title_rules), browser=False, fallback=rule.category)
            title_rules.append(rule)
        if any(p.matches(name) for p in self.catalogue.browsers for name in names):
            return _AppPlan(tuple(title_rules), browser=True, fallback=OTHER)
        return _AppPlan(tuple(title_rules), browser=False, fallback=self._app_index.find(names))

    def _title_category(self, plan: _AppPlan, title: str) -> str:
        page = self.catalogue.page(title) if plan.browser else title
        for rule in plan.title_rules:
            if rule.matches_title(title, page):
                return rule.category
        if plan.browser:
            return self.catalogue.page_category(page) or plan.fallback
        return plan.fallback


class _AppIndex:
    """The catalogue's app names: plain names by dictionary, wildcards and regexes in order."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._plain: dict[str, int] = {}
        self._other: list[tuple[int, Pattern]] = []
        self._names: list[str] = []
        for index, rule in enumerate(catalogue.app_rules):
            self._names.append(rule.category)
            for pattern in rule.apps:
                if _is_plain(pattern.text):
                    self._plain.setdefault(pattern.text.lower(), index)
                else:
                    self._other.append((index, pattern))

    def find(self, names: Sequence[str]) -> str:
        best: int | None = None
        for name in names:
            index = self._plain.get(name.lower())
            if index is not None and (best is None or index < best):
                best = index
        for index, pattern in self._other:
            if best is not None and index >= best:
                break
            if any(pattern.matches(name) for name in names):
                best = index
                break
        return OTHER if best is None else self._names[best]


def _is_plain(text: str) -> bool:
    return not text.startswith("re:") and not any(char in text for char in "*?")


def describe(rules: Iterable[Rule]) -> list[str]:
    """One line per rule, for `breather categories`."""
    lines = []
    for rule in rules:
        parts = []
        if rule.apps:
            parts.append("apps " + ", ".join(p.text for p in rule.apps))
        if rule.titles:
            parts.append("titles " + ", ".join(p.text for p in rule.titles))
        where = f"  ({rule.origin})" if rule.origin else ""
        lines.append(f"{rule.category}: {' and '.join(parts) or 'everything'}{where}")
    return lines


def as_dict(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue's categories and colours, for the UI and `--json` output."""
    return {category.name: category.color for category in catalogue.categories}
