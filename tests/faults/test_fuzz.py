"""Hypothesis throws malformed settings and exports at the parsers: never a traceback, and
never anything half-written.

The parsers run in this process on real files and a real SQLite database: a failure must be
the parser's own error (a config problem, `ImportFailed`, `ConfigWriteError`), and a failed
import or save must leave the database or the file exactly as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breather.data.importers import (
    ImportFailed,
    ImportReport,
    import_devices,
    read_activitywatch,
    read_jsonl,
)
from breather.settings.model import load_settings, parse_settings
from breather.settings.writer import ConfigWriteError, update_config
from breather.store import open_store
from breather.store.sql import StoreError
from breather.tracking.privacy import PrivacyFilter, PrivacySettings

#: 150 examples a test keeps the suite's time; FAULT_FUZZ_EXAMPLES=5000 searches harder.
FUZZ = settings(
    max_examples=int(os.environ.get("FAULT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Any text at all, lone surrogates and control characters included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    ANY_TEXT,
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(ANY_TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)

# -- settings -------------------------------------------------------------------------------

SECTIONS = ["tracking", "privacy", "breaks", "breaks.eyes", "limits", "downtime", "categories"]
KEYS = [
    "interval",
    "idle_after",
    "day_starts",
    "exclude_apps",
    "exclude_titles",
    "titles",
    "keep_days",
    "every",
    "length",
    "daily",
    "category",
    "apps",
]
TOML_VALUES = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(f), repr(f))
    ),
    ANY_TEXT.map(json.dumps),
    st.lists(ANY_TEXT.map(json.dumps), max_size=3).map(lambda items: f"[{', '.join(items)}]"),
    st.sampled_from(['"20m"', '"re:a{99999999999}"', '"re:("', "true", '"07:30"', "{a = 1}"]),
)


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    """TOML that is mostly well-formed, with the keys Breather reads and values it must
    refuse, and now and then a line of anything at all."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        header = draw(st.sampled_from(SECTIONS))
        lines.append(f"[[{header}]]" if header in ("limits", "categories") else f"[{header}]")
        for _ in range(draw(st.integers(0, 4))):
            lines.append(f"{draw(st.sampled_from(KEYS))} = {draw(TOML_VALUES)}")
        if draw(st.booleans()):
            lines.append(draw(ANY_TEXT))
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=st.one_of(toml_documents(), ANY_TEXT))
def test_any_settings_text_gives_settings_and_problems_never_an_exception(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "breather.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _settings, problems = load_settings(path)
        for problem in problems:
            assert str(problem)  # each one can be said


@FUZZ
@given(
    text=toml_documents(),
    key=st.tuples(st.sampled_from(SECTIONS[:3]), st.sampled_from(KEYS)),
    value=st.one_of(SCALARS, st.lists(ANY_TEXT, max_size=3)),
)
def test_saving_settings_writes_what_loads_or_nothing(
    text: str, key: tuple[str, str], value: object
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "breather.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = path.read_bytes()
        had = {(p.key, p.message) for p in load_settings(path)[1]}
        try:
            update_config(path, {key: value})
        except ConfigWriteError:
            assert path.read_bytes() == before  # nothing half-written
            return
        after = load_settings(path)[1]
        assert {(p.key, p.message) for p in after} <= had
        assert parse_settings(path.read_text(encoding="utf-8"), path)[1] == after


# -- imports --------------------------------------------------------------------------------

TIMESTAMPS = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00", "2026-11-20T09:00Z"]),
    SCALARS,
)
DURATIONS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2**70), 2**70), SCALARS
)


@st.composite
def aw_event(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 9)) == 0:
        return draw(JSONISH)
    data = draw(
        st.one_of(
            st.fixed_dictionaries(
                {"app": st.one_of(ANY_TEXT, SCALARS), "title": st.one_of(ANY_TEXT, SCALARS)}
            ),
            st.fixed_dictionaries({"status": st.sampled_from(["afk", "not-afk", "?", 3])}),
            JSONISH,
        )
    )
    return {"timestamp": draw(TIMESTAMPS), "duration": draw(DURATIONS), "data": data}


@st.composite
def aw_documents(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 9)) == 0:
        return draw(JSONISH)
    buckets = {}
    for index in range(draw(st.integers(0, 3))):
        buckets[f"b{index}"] = {
            "type": draw(st.sampled_from(["currentwindow", "afkstatus", "web", 7])),
            "hostname": draw(st.one_of(st.sampled_from(["h1", "h2"]), SCALARS)),
            "events": draw(st.lists(aw_event(), max_size=6)),
        }
    return {"buckets": buckets}


def counts(path: Path) -> tuple[int, ...]:
    db = sqlite3.connect(path)
    try:
        tables = ("span", "app", "title", "device", "app_hour")
        return tuple(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables)
    finally:
        db.close()


def import_or_refuse(folder: Path, source: Path, kind: str) -> None:
    """Read and import `source` as a person's `breather import` would: a refusal must be
    ImportFailed with nothing written; an import must be whole."""
    db_path = folder / "breather.db"
    store = open_store(f"sqlite:///{db_path}", device_uuid="me", device_name="h1")
    try:
        before = counts(db_path)
        report = ImportReport()
        try:
            reader = read_activitywatch if kind == "aw" else read_jsonl
            devices = reader(source, report)
        except ImportFailed as failed:
            assert str(failed)
            assert counts(db_path) == before
            return
        try:
            import_devices(store.db, devices, report, privacy=PrivacyFilter(PrivacySettings()))
        except StoreError:
            assert counts(db_path) == before  # all or nothing
    finally:
        store.close()


@FUZZ
@given(document=aw_documents())
def test_any_activitywatch_export_imports_whole_or_is_refused_by_name(document: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "aw.json"
        source.write_text(json.dumps(document), encoding="utf-8")
        import_or_refuse(Path(folder), source, "aw")


JSONL_RECORD = st.fixed_dictionaries(
    {"start": TIMESTAMPS, "end": TIMESTAMPS, "app": st.one_of(ANY_TEXT, SCALARS)},
    optional={
        "title": st.one_of(ANY_TEXT, SCALARS),
        "device": st.one_of(st.sampled_from(["h1", ""]), SCALARS),
        "away": SCALARS,
    },
)


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            JSONL_RECORD.map(json.dumps),
            JSONISH.map(json.dumps),
            st.binary(max_size=30).map(lambda raw: raw.decode("latin-1")),
        ),
        max_size=6,
    ),
    bom=st.booleans(),
)
def test_any_jsonl_file_imports_whole_or_is_refused_by_name(lines: list[str], bom: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "spans.jsonl"
        body = "\n".join(lines).encode("utf-8", "surrogatepass")
        source.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body)
        import_or_refuse(Path(folder), source, "jsonl")
