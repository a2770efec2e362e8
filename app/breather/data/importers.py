"""Bringing history in: ActivityWatch exports and Breather's own JSON Lines export.

Both work the same way: the whole file is read and checked first (a malformed file names its
first bad record and nothing is written), then spans that would overlap time already recorded
for the same device are skipped, so importing the same file twice adds nothing the second
time. What was imported and what was skipped, and why, comes back in an `ImportReport`.

ActivityWatch (its "Export all buckets as JSON", or `/api/0/export`): window events
(`currentwindow` buckets) count as app time only while the matching `afkstatus` bucket says
"not-afk", exactly as ActivityWatch's own "top applications" query does
(`filter_period_intersect` with the not-afk events, then `merge_events_by_keys` on "app"); its
"afk" periods become time away. Each ActivityWatch host becomes a device named after it.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any, NoReturn

from breather.monitor.base import WindowInfo
from breather.store.checkins import BadCheckin, Checkin, add_checkins, check_mood
from breather.store.experiments import (
    BadExperiment,
    Experiment,
    add_experiments,
    check_experiment,
)
from breather.store.queries import IN_RANGE, range_params
from breather.store.schema import to_ms
from breather.store.sql import Database, Session
from breather.store.writer import SpanWriter
from breather.tracking.privacy import PrivacyFilter

WINDOW_BUCKET = "currentwindow"
AFK_BUCKET = "afkstatus"

Interval = tuple[int, int]  # [start, end) in microseconds since the epoch
#: A stretch of time as it is stored: [start, end) in milliseconds since the epoch, and the
#: window (None: away from the machine).
Piece = tuple[int, int, WindowInfo | None]


class ImportFailed(Exception):
    """The file cannot be imported; the message names the first bad record. Nothing was written."""


@dataclass(frozen=True, slots=True)
class DeviceSpans:
    """Spans read from a file for one device (an ActivityWatch host, a Breather device): in
    time order, none overlapping the one before."""

    name: str
    uuid: str
    spans: list[Piece]
    checkins: list[Checkin] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    imported: int = 0
    checkins: int = 0
    experiments: int = 0
    seconds: float = 0.0
    app_seconds: dict[str, float] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] += count


# -- reading ActivityWatch ----------------------------------------------------------------

#: Nesting deeper than this inside a part of an export that is skipped is refused: an
#: ActivityWatch export nests five deep, and a document nested 100,000 deep is an attack.
MAX_JSON_DEPTH = 64

#: Stands for a value that was an object or array where a plain value was expected.
_NESTED = object()
#: Stands for a key an object did not have.
_MISSING = object()

_UTF8_BOM = b"\xef\xbb\xbf"
#: What a duration may be (a tuple: isinstance checks it faster than a union type).
_NUMBERS = (int, float)
#: The parser's events that open a nested value.
_OPENERS = frozenset({"start_map", "start_array"})

WindowEvent = tuple[int, int, WindowInfo]  # start, end (microseconds), the window
Tokens = Callable[[], tuple[str, Any]]


@dataclass
class _Bucket:
    """What is kept of one bucket while its events stream past."""

    where: str
    kind: object = _MISSING
    host: object = _MISSING
    has_events: bool = False
    count: int = 0
    windows: list[WindowEvent] = field(default_factory=list)
    active: list[Interval] = field(default_factory=list)
    away: list[Interval] = field(default_factory=list)
    #: Events read before the bucket's type: checked once the type is known.
    unchecked: list[tuple[object, object, object]] = field(default_factory=list)
    #: One WindowInfo for each distinct window, by app and title: a year has ~150k events,
    #: half as many distinct windows. (Nested, so no key tuple is held for each; with the
    #: app's name as stored, one string shared by all its windows.)
    known: dict[str, tuple[str, dict[str, WindowInfo]]] = field(default_factory=dict)


def read_activitywatch(path: Path, report: ImportReport) -> list[DeviceSpans]:
    """The spans in an ActivityWatch export; raises ImportFailed for a malformed file.

    The export is read as a stream (a year's is tens of megabytes), each event kept only as
    the few numbers and strings the spans need.
    """
    import ijson  # only an import needs it

    try:
        with path.open("rb") as source:
            if source.read(len(_UTF8_BOM)) != _UTF8_BOM:
                source.seek(0)
            # The parser hands over the events of a whole buffer at once: smaller buffers
            # than its 64 KB default keep those lists in the CPU's cache (~10% faster here).
            tokens = ijson.basic_parse(source, use_float=True, buf_size=16 * 1024)
            buckets = _read_export(path, iter(tokens).__next__)
            for _ in tokens:  # the rest of the file must be valid JSON too
                pass
    except ijson.JSONError as error:
        raise ImportFailed(f"{path}: not valid JSON: {_json_problem(error)}") from None
    except UnicodeDecodeError:
        # The C parser reads a lone high surrogate escape as "?", but gives up on a lone low
        # one (\udc00 with no high one before it), wherever it is.
        raise ImportFailed(
            f"{path}: not valid JSON text: a string in it holds half a character"
            " (a lone UTF-16 surrogate escape such as \\udc00)"
        ) from None
    except StopIteration:  # cannot happen: the parser raises on a truncated file first
        raise ImportFailed(f"{path}: not valid JSON: it ends too early") from None
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read it: {error}") from None
    if buckets is None:
        raise ImportFailed(
            f'{path}: not an ActivityWatch export (expected {{"buckets": {{...}}}} at the top)'
        )
    hosts: dict[str, list[_Bucket]] = {}
    for bucket_id, bucket in buckets:
        if bucket.kind not in (WINDOW_BUCKET, AFK_BUCKET):
            kind = None if bucket.kind is _MISSING or bucket.kind is _NESTED else bucket.kind
            report.notes.append(
                f"skipped bucket {bucket_id!r} of type {kind!r} ({bucket.count} events): "
                "only window and AFK buckets are imported"
            )
            report.skip(f"events in {kind} buckets", bucket.count)
            continue
        hosts.setdefault(str(bucket.host), []).append(bucket)

    devices = []
    for host, parts in sorted(hosts.items()):
        windows = [event for part in parts if part.kind == WINDOW_BUCKET for event in part.windows]
        for part in parts:
            part.windows = []  # held once, in `windows`
        afk_parts = [part for part in parts if part.kind == AFK_BUCKET]
        if not afk_parts:
            report.notes.append(
                f"host {host!r} has no AFK bucket: all its window time counts as active"
            )
            active = None
            away: list[Interval] = []
        else:
            active = _union(span for part in afk_parts for span in part.active)
            away = _union(span for part in afk_parts for span in part.away)
        pieces = _activitywatch_pieces(host, windows, active, away, report)
        devices.append(DeviceSpans(host, _uuid(f"activitywatch:{host}"), pieces))
    return devices


def _read_export(path: Path, nxt: Tokens) -> list[tuple[str, _Bucket]] | None:
    """The buckets of the export (None when there is no `buckets` object)."""
    event, value = nxt()
    if event != "start_map":
        _skip(nxt, event, value, str(path))
        return None
    found: list[tuple[str, _Bucket]] | None = None
    while True:
        event, key = nxt()
        if event == "end_map":
            return found
        event, value = nxt()
        if key != "buckets" or event != "start_map":
            _skip(nxt, event, value, f"{path}: {key!r}")
            if key == "buckets":
                found = None
            continue
        found = []
        while True:
            event, bucket_id = nxt()
            if event == "end_map":
                break
            where = f"{path}: bucket {bucket_id!r}"
            event, _ = nxt()
            if event != "start_map":
                raise ImportFailed(f"{where}: expected an object")
            found.append((bucket_id, _read_bucket(nxt, where)))


def _read_bucket(nxt: Tokens, where: str) -> _Bucket:
    bucket = _Bucket(where)
    while True:
        event, key = nxt()
        if event == "end_map":
            break
        event, value = nxt()
        if key == "events" and event == "start_array":
            bucket.has_events = True
            _read_events(nxt, bucket)
            continue
        value = _skip(nxt, event, value, f"{where}: {key!r}")
        if key == "type":
            bucket.kind = value
        elif key == "hostname":
            bucket.host = value
        elif key == "events":
            bucket.has_events = False
    if not bucket.has_events:
        raise ImportFailed(f"{where}: has no list of events")
    if bucket.kind in (WINDOW_BUCKET, AFK_BUCKET):
        if not isinstance(bucket.host, str) or not bucket.host:
            raise ImportFailed(f"{where}: has no hostname")
        for number, (stamp, duration, data) in enumerate(bucket.unchecked, start=1):
            _add_event(bucket, number, stamp, duration, data)
    bucket.unchecked = []
    bucket.known = {}
    return bucket


def _read_events(nxt: Tokens, bucket: _Bucket) -> None:
    """Read a bucket's events (its array is open), keeping what the spans need of each.

    The hot loop of an import (~150k events, ~2M tokens a year): plain values are taken as
    they come, and only objects and arrays go through `_skip`."""
    where = bucket.where
    kind = bucket.kind
    check = kind in {WINDOW_BUCKET, AFK_BUCKET}
    later = kind is _MISSING  # the type comes after the events: check them at the end
    count = bucket.count
    while True:
        event, value = nxt()
        if event == "end_array":
            bucket.count = count
            return
        count += 1
        if event != "start_map":
            _skip(nxt, event, value, where)
            stamp: object = _NESTED
            duration: object = _MISSING
            data: object = _MISSING
        else:
            stamp = duration = data = _MISSING
            while True:
                event, key = nxt()
                if event == "end_map":
                    break
                event, value = nxt()
                if event == "start_map" and key == "data":
                    fields: dict[str, object] = {}
                    while True:
                        event, name = nxt()
                        if event == "end_map":
                            break
                        event, value = nxt()
                        if event in _OPENERS:
                            value = _skip(nxt, event, value, where)
                        fields[name] = value
                    data = fields
                    continue
                if event in _OPENERS:
                    value = _skip(nxt, event, value, where)
                if key == "timestamp":
                    stamp = value
                elif key == "duration":
                    duration = value
                elif key == "data":
                    data = value
        if check:
            _add_event(bucket, count, stamp, duration, data)
        elif later:
            bucket.unchecked.append((stamp, duration, data))


def _skip(nxt: Tokens, event: str, value: object, where: str) -> object:
    """Pass over the value that began with (`event`, `value`): the value itself when it is
    plain, `_NESTED` for an object or array (nested no deeper than MAX_JSON_DEPTH)."""
    if event not in _OPENERS:
        return value
    depth = 1
    while depth:
        event, _ = nxt()
        if event in _OPENERS:
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise ImportFailed(
                    f"{where}: not an export: its JSON is nested too deeply"
                    f" (more than {MAX_JSON_DEPTH} levels)"
                )
        elif event in {"end_map", "end_array"}:
            depth -= 1
    return _NESTED


def _add_event(bucket: _Bucket, number: int, stamp: object, duration: object, data: object) -> None:
    """Check one event of a window or AFK bucket and keep its interval (and window)."""
    start = _micros(stamp) if isinstance(stamp, str) else None
    if (
        start is None
        or not isinstance(duration, _NUMBERS)
        or isinstance(duration, bool)
        or not 0 <= duration <= MAX_EVENT_SECONDS  # not NaN either
        or not isinstance(data, dict)
    ):
        _refuse_event(bucket, number, stamp, duration, data)
    end = start + round(duration * 1_000_000)
    if bucket.kind == WINDOW_BUCKET:
        app = data.get("app")
        title = data.get("title", "")
        if not isinstance(app, str) or not isinstance(title, str):
            _refuse_event(bucket, number, stamp, duration, data)
        known = bucket.known.get(app)
        if known is None:
            known = bucket.known[app] = (_text(app), {})
        name, titles = known
        window = titles.get(title)
        if window is None:
            window = titles[title] = WindowInfo(name, _text(title))
        bucket.windows.append((start, end, window))
        return
    status = data.get("status")
    if status == "not-afk":
        bucket.active.append((start, end))
    elif status == "afk":
        bucket.away.append((start, end))
    else:
        _refuse_event(bucket, number, stamp, duration, data)


def _refuse_event(
    bucket: _Bucket, number: int, stamp: object, duration: object, data: object
) -> NoReturn:
    """Raise ImportFailed naming what is wrong with the event (the slow path of _add_event)."""
    where = f"{bucket.where}, event {number}"
    if stamp is _NESTED and duration is _MISSING and data is _MISSING:
        raise ImportFailed(f"{where}: expected an object")
    _instant(None if stamp is _MISSING or stamp is _NESTED else stamp, f"{where}: timestamp")
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int | float)
        or not math.isfinite(duration)
        or duration < 0
    ):
        raise ImportFailed(f"{where} ({stamp}): duration must be a number of seconds ≥ 0")
    if duration > MAX_EVENT_SECONDS:
        # 1e9 seconds would be 277,779 stored hours; no window stays open for a year.
        raise ImportFailed(
            f"{where} ({stamp}): a duration of {duration:g} seconds is longer than a year;"
            " that is not a real event"
        )
    if not isinstance(data, dict):
        raise ImportFailed(f"{where} ({stamp}): has no data object")
    if bucket.kind == WINDOW_BUCKET:
        if not isinstance(data.get("app"), str):
            raise ImportFailed(f"{where} ({stamp}): data.app must be text")
        raise ImportFailed(f"{where} ({stamp}): data.title must be text")
    raise ImportFailed(f'{where} ({stamp}): data.status must be "afk" or "not-afk"')


def _json_problem(error: Exception) -> str:
    """The parser's complaint on one line: what is wrong, and the text where it is."""
    lines = [line.strip() for line in re.split(r"\n|\\n", str(error).removeprefix("b'"))]
    what = lines[0].rstrip(".") if lines and lines[0] else "it cannot be read"
    near = lines[1] if len(lines) > 1 else ""
    return f"{what} at {near[:60]!r}" if near else what


def _activitywatch_pieces(
    host: str,
    windows: list[WindowEvent],
    active: list[Interval] | None,
    away: list[Interval],
    report: ImportReport,
) -> list[Piece]:
    """Window events cut to the active (not-afk) periods, plus the away periods, as pieces."""
    pieces: list[tuple[int, int, WindowInfo | None]] = []
    if active is not None:
        pieces += [(start, end, None) for start, end in _subtract(away, active)]
    outside = 0
    index = 0  # the first active period that may still overlap a window (windows go in order)
    periods = len(active) if active is not None else 0
    append = pieces.append
    windows.sort(key=itemgetter(0, 1))
    for item in windows:
        start, end, window = item
        if active is None:
            append(item)
            continue
        if end <= start:
            continue
        while index < periods and active[index][1] <= start:
            index += 1
        if index < periods and active[index][0] <= start and end <= active[index][1]:
            append(item)  # most events lie wholly in active time
            continue
        inside = 0
        at = index
        while at < periods and active[at][0] < end:
            low, high = max(start, active[at][0]), min(end, active[at][1])
            if low < high:
                append((low, high, window))
                inside += high - low
            at += 1
        outside += (end - start) - inside
        if not inside and end > start:
            report.skip("window events while away (AFK)")
    windows.clear()  # what is kept of them is in `pieces` now, and held only there
    if outside:
        report.notes.append(
            f"{host}: {outside / 1_000_000:.0f}s of window events fell in AFK time and were "
            "left out, as ActivityWatch itself does"
        )
    return _without_overlaps(pieces, report, "overlapping window events (trimmed)")


def _union(spans: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersect(span: Interval, periods: list[Interval]) -> list[Interval]:
    """`span` cut to `periods` (sorted, disjoint)."""
    start, end = span
    parts = []
    index = max(0, bisect.bisect_right(periods, (start, start)) - 1)
    while index < len(periods) and periods[index][0] < end:
        low, high = max(start, periods[index][0]), min(end, periods[index][1])
        if low < high:
            parts.append((low, high))
        index += 1
    return parts


def _subtract(spans: list[Interval], holes: list[Interval]) -> list[Interval]:
    """`spans` without `holes` (both sorted, disjoint)."""
    result = []
    for span in spans:
        start, end = span
        for low, high in _intersect(span, holes):
            if low > start:
                result.append((start, low))
            start = max(start, high)
        if start < end:
            result.append((start, end))
    return result


def _without_overlaps(
    pieces: list[tuple[int, int, WindowInfo | None]], report: ImportReport, reason: str
) -> list[Piece]:
    """Pieces in time order and in milliseconds, each starting no earlier than the one before
    ends (`pieces`, in microseconds, become them in place: a year's are held only once)."""
    last_end: int | None = None
    trimmed = 0
    kept = 0
    pieces.sort(key=itemgetter(0, 1))
    for begin, end, window in pieces:
        start = begin
        if last_end is not None and start < last_end:
            trimmed += 1
            start = last_end
        if end <= start:
            continue
        # Rounded to the millisecond as `to_ms` rounds a datetime; a piece that rounds to
        # nothing is not stored.
        start_ms, end_ms = round(start / 1_000_000 * 1000), round(end / 1_000_000 * 1000)
        if end_ms > start_ms:
            pieces[kept] = (start_ms, end_ms, window)  # never ahead of the one being read
            kept += 1
        last_end = end
    del pieces[kept:]
    report.skip(reason, trimmed)
    return pieces


# -- reading Breather's own export ----------------------------------------------------------

JSONL_FIELDS = ("start", "end", "app", "title", "process", "exe", "device")


def read_jsonl(path: Path, report: ImportReport) -> list[DeviceSpans]:
    """The spans in a `breather export --format jsonl` file."""
    by_device: dict[str, list[tuple[int, int, WindowInfo | None]]] = {}
    moods: dict[str, list[Checkin]] = {}
    tried: dict[str, list[Experiment]] = {}
    try:
        with path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                where = f"{path}:{number}"
                # A BOM at the start, as some editors write, is not part of the first record.
                data = raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw
                try:
                    line = data.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise ImportFailed(
                        f"{where}: not UTF-8 text ({error.reason} at column {error.start + 1})"
                    ) from None
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ImportFailed(f"{where}: not JSON: {error}") from None
                except RecursionError:
                    raise ImportFailed(f"{where}: its JSON is nested too deeply") from None
                if isinstance(record, dict) and record.get("record") == "checkin":
                    checkin = _jsonl_checkin(record, where)
                    moods.setdefault(checkin.device, []).append(checkin)
                    continue
                if isinstance(record, dict) and record.get("record") == "experiment":
                    experiment = _jsonl_experiment(record, where)
                    tried.setdefault(experiment.device, []).append(experiment)
                    continue
                device, interval, window = _jsonl_record(record, where)
                by_device.setdefault(device, []).append((*interval, window))
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read it: {error}") from None
    devices = []
    for name in sorted(by_device.keys() | moods.keys() | tried.keys()):
        pieces = by_device.get(name, [])
        kept = _without_overlaps(pieces, report, "records overlapping an earlier one (trimmed)")
        devices.append(
            DeviceSpans(
                name, _uuid(f"import:{name}"), kept, moods.get(name, []), tried.get(name, [])
            )
        )
    return devices


def _jsonl_checkin(record: dict[str, Any], where: str) -> Checkin:
    missing = [key for key in ("id", "at", "mood") if key not in record]
    if missing:
        raise ImportFailed(f"{where}: a check-in without {', '.join(missing)}")
    for key in ("id", "at", "note", "device"):
        if key in record and not isinstance(record[key], str):
            raise ImportFailed(f"{where}: {key} must be text")
    try:
        identity = str(uuid.UUID(record["id"]))
    except ValueError:
        raise ImportFailed(f"{where}: id must be a UUID, not {record['id']!r}") from None
    try:
        mood = check_mood(record["mood"])
    except BadCheckin as why:
        raise ImportFailed(f"{where}: {why}") from None
    at = _moment(_instant(record["at"], f"{where}: at"))
    device = record.get("device", "")
    return Checkin(identity, at, mood, _text(record.get("note", "")), device)


def _jsonl_experiment(record: dict[str, Any], where: str) -> Experiment:
    missing = [
        key for key in ("id", "started", "days", "kind", "subject", "value") if key not in record
    ]
    if missing:
        raise ImportFailed(f"{where}: an experiment without {', '.join(missing)}")
    for key in ("id", "started", "kind", "subject", "device"):
        if key in record and not isinstance(record[key], str):
            raise ImportFailed(f"{where}: {key} must be text")
    ended = record.get("ended")
    if ended is not None and not isinstance(ended, str):
        raise ImportFailed(f"{where}: ended must be text or null")
    try:
        identity = str(uuid.UUID(record["id"]))
    except ValueError:
        raise ImportFailed(f"{where}: id must be a UUID, not {record['id']!r}") from None
    item = Experiment(
        identity,
        _moment(_instant(record["started"], f"{where}: started")),
        record["days"],
        record["kind"],
        record["subject"],
        record["value"],
        None if ended is None else _moment(_instant(ended, f"{where}: ended")),
        record.get("device", ""),
    )
    try:
        return check_experiment(item)
    except BadExperiment as why:
        raise ImportFailed(f"{where}: {why}") from None


def _jsonl_record(record: object, where: str) -> tuple[str, Interval, WindowInfo | None]:
    if not isinstance(record, dict):
        raise ImportFailed(f"{where}: expected an object")
    missing = [key for key in ("start", "end", "app") if key not in record]
    if missing:
        raise ImportFailed(f"{where}: missing {', '.join(missing)}")
    for key in JSONL_FIELDS:
        if key in record and not isinstance(record[key], str):
            raise ImportFailed(f"{where}: {key} must be text")
    start = _instant(record["start"], f"{where}: start")
    end = _instant(record["end"], f"{where}: end")
    if end <= start:
        raise ImportFailed(f"{where}: ends ({record['end']}) before it starts ({record['start']})")
    away = record.get("away", record["app"] == "")
    if not isinstance(away, bool):
        raise ImportFailed(f"{where}: away must be true or false")
    window = None
    if not away:
        if not record["app"]:
            raise ImportFailed(f"{where}: a span that is not away needs an app")
        window = WindowInfo(
            _text(record["app"]),
            _text(record.get("title", "")),
            _text(record.get("process", "")),
            _text(record.get("exe", "")),
        )
    return record.get("device", ""), (start, end), window


# -- shared reading helpers ----------------------------------------------------------------


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Times outside these are refused: before the epoch is before any computer tracked anything,
#: and a time near year 9999 plus a duration, or a local day around it, overflows a datetime.
_EARLIEST = _EPOCH
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)
#: No real window or AFK event lasts longer.
MAX_EVENT_SECONDS = 366 * 86400

#: Imported text is cut where tracked titles are (monitor.x11's TITLE_MAX_CHARS).
TEXT_MAX_CHARS = 1024
#: Lone UTF-16 surrogates: JSON may spell them (``"\\ud800"``), UTF-8 cannot store them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str) -> str:
    """Text as it can be stored: a lone surrogate becomes U+FFFD, and it is cut at
    TEXT_MAX_CHARS like a tracked title."""
    return _SURROGATE.sub("\ufffd", value[:TEXT_MAX_CHARS])


def _uuid(name: str) -> str:
    """A stable device uuid for imported data, so a second import finds the same device."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"breather:{name}"))


def _micros(value: str) -> int | None:
    """Microseconds since the epoch of an ISO 8601 time (UTC when it names no zone), or None
    when it is not one that can be stored: the fast path of `_instant`."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not _EARLIEST <= moment <= _LATEST:
        return None
    since = moment - _EPOCH
    return (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds


def _instant(value: object, where: str) -> int:
    """Microseconds since the epoch of an ISO 8601 time (UTC when it names no zone)."""
    if not isinstance(value, str):
        raise ImportFailed(f"{where}: expected a time like 2026-11-23T09:00:00+00:00")
    try:
        moment = datetime.fromisoformat(value)  # 3.11 reads a trailing Z as UTC itself
    except ValueError:
        raise ImportFailed(f"{where}: {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not _EARLIEST <= moment <= _LATEST:
        raise ImportFailed(
            f"{where}: {value} is outside the times Breather can store "
            f"({_EARLIEST.year} to {_LATEST.year})"
        )
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _moment(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


# -- writing -------------------------------------------------------------------------------


def import_devices(
    db: Database,
    devices: list[DeviceSpans],
    report: ImportReport,
    *,
    keep_days: int = 0,
    now: datetime | None = None,
    dry_run: bool = False,
    privacy: PrivacyFilter | None = None,
) -> ImportReport:
    """Store `devices`' spans, skipping what is already recorded or past `keep_days`, and
    passing each window through `privacy` as live tracking does (an excluded app is left out,
    a title not to be kept is dropped).

    All or nothing: one transaction for every device, so an import that fails or is killed
    half-way leaves the database as it was (and `report` empty).
    """
    cutoff = None
    if keep_days > 0:
        cutoff = to_ms((now or datetime.now(UTC)) - timedelta(days=keep_days))
    with db.write() as conn:
        for device in devices:
            device_id = _device_id(conn, device, create=not dry_run)
            fresh = _new_spans(
                conn,
                device_id,
                spans=device.spans,
                cutoff=cutoff,
                keep_days=keep_days,
                report=report,
            )
            if privacy is not None:
                fresh = _private(fresh, privacy, report)
            moods = _new_checkins(conn, device.checkins, cutoff, keep_days, report)
            if moods:
                report.checkins += len(moods)
                if not dry_run and device_id is not None:
                    add_checkins(conn, device_id, moods)
                if not fresh:
                    report.devices.append(device.name)
            tried = _new_experiments(conn, device.experiments, report)
            if tried:
                report.experiments += len(tried)
                if not dry_run and device_id is not None:
                    add_experiments(conn, device_id, tried)
                if not fresh and not moods:
                    report.devices.append(device.name)
            if not fresh:
                continue
            report.devices.append(device.name)
            _count_in(report, fresh)
            if not dry_run and device_id is not None:
                SpanWriter(db, device_id).write_pieces_in(conn, fresh)
    return report


def _count_in(report: ImportReport, pieces: list[Piece]) -> None:
    app_ms: dict[str, int] = {}
    total_ms = 0
    for start, end, window in pieces:
        total_ms += end - start
        if window is not None:
            app_ms[window.app] = app_ms.get(window.app, 0) + (end - start)
    report.imported += len(pieces)
    report.seconds += total_ms / 1000
    for app, ms in app_ms.items():
        report.app_seconds[app] = report.app_seconds.get(app, 0.0) + ms / 1000


def _new_checkins(
    conn: Session,
    items: list[Checkin],
    cutoff: int | None,
    keep_days: int,
    report: ImportReport,
) -> list[Checkin]:
    fresh = []
    seen: set[str] = set()
    for item in items:
        if cutoff is not None and to_ms(item.at) <= cutoff:
            report.skip(f"check-ins older than keep_days ({keep_days} days)")
        elif item.uuid in seen or conn.value(
            "SELECT 1 FROM checkin WHERE uuid = :uuid", {"uuid": item.uuid}
        ):
            report.skip("check-ins already recorded")
        else:
            seen.add(item.uuid)
            fresh.append(item)
    return fresh


def _new_experiments(
    conn: Session, items: list[Experiment], report: ImportReport
) -> list[Experiment]:
    fresh = []
    seen: set[str] = set()
    for item in items:
        if item.uuid in seen or conn.value(
            "SELECT 1 FROM experiment WHERE uuid = :uuid", {"uuid": item.uuid}
        ):
            report.skip("experiments already recorded")
        else:
            seen.add(item.uuid)
            fresh.append(item)
    return fresh


def _private(pieces: list[Piece], privacy: PrivacyFilter, report: ImportReport) -> list[Piece]:
    if privacy.passes_everything:
        return pieces
    # Each distinct window is judged once (a year has ~75k; the filter's own cache is sized
    # for live tracking and would start over many times). The reader made one WindowInfo
    # for each, so they are told apart by identity, which is cheaper than by value
    # (`pieces` keeps every window alive, so no id is reused meanwhile).
    windows = {id(piece[2]): piece[2] for piece in pieces}
    judged = {key: privacy.judge(window) for key, window in windows.items() if window is not None}
    if all(allowed is windows[key] for key, allowed in judged.items()):
        return pieces  # every window may be recorded as it is: the common case, nothing to do
    del windows
    kept: list[Piece] = []
    excluded = untitled = 0
    for piece in pieces:
        window = piece[2]
        if window is None:
            kept.append(piece)
            continue
        allowed = judged[id(window)]
        if allowed is None:
            excluded += 1
        elif allowed is window:  # allowed as it is (no copy)
            kept.append(piece)
        else:
            if allowed.title != window.title:
                untitled += 1
            kept.append((piece[0], piece[1], allowed))
    report.skip("spans of apps excluded in your privacy settings", excluded)
    report.skip("titles left out by your privacy settings (the time is kept)", untitled)
    return kept


def _device_id(conn: Session, device: DeviceSpans, *, create: bool) -> int | None:
    """The device of this name (imports of one machine's data land together), or a new one."""
    found = conn.value(
        "SELECT id FROM device WHERE uuid = :uuid", {"uuid": device.uuid}
    ) or conn.value(
        "SELECT id FROM device WHERE name = :name ORDER BY id LIMIT 1", {"name": device.name}
    )
    if found is None and create:
        found = conn.value(
            "INSERT INTO device (uuid, name) VALUES (:uuid, :name) RETURNING id",
            {"uuid": device.uuid, "name": device.name},
        )
    return None if found is None else int(found)


def _new_spans(
    conn: Session,
    device_id: int | None,
    *,
    spans: list[Piece],
    cutoff: int | None,
    keep_days: int,
    report: ImportReport,
) -> list[Piece]:
    if not spans:
        return []
    stored: list[Interval] = []
    if device_id is not None:
        rows = conn.rows(
            f"SELECT start_ms, end_ms FROM span WHERE span.device_id = :device AND {IN_RANGE}",
            {"device": device_id, **range_params(spans[0][0], spans[-1][1])},
        )
        stored = _union((int(start), int(end)) for start, end in rows)
    if cutoff is None and not stored:  # a first import of a history kept for ever
        return spans
    fresh = []
    old = recorded = 0
    for piece in spans:
        start, end = piece[0], piece[1]
        if cutoff is not None and end <= cutoff:
            old += 1
        elif stored and _intersect((start, end), stored):
            recorded += 1
        else:
            fresh.append(piece)
    report.skip(f"older than keep_days ({keep_days} days)", old)
    report.skip("already recorded", recorded)
    return fresh
