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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
from breather.tracking.spans import Span

WINDOW_BUCKET = "currentwindow"
AFK_BUCKET = "afkstatus"

Interval = tuple[int, int]  # [start, end) in microseconds since the epoch


class ImportFailed(Exception):
    """The file cannot be imported; the message names the first bad record. Nothing was written."""


@dataclass(frozen=True, slots=True)
class DeviceSpans:
    """Spans read from a file for one device (an ActivityWatch host, a Breather device)."""

    name: str
    uuid: str
    spans: list[Span]
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


def read_activitywatch(path: Path, report: ImportReport) -> list[DeviceSpans]:
    """The spans in an ActivityWatch export; raises ImportFailed for a malformed file."""
    document = _load_json(path)
    buckets = document.get("buckets") if isinstance(document, dict) else None
    if not isinstance(buckets, dict):
        raise ImportFailed(
            f'{path}: not an ActivityWatch export (expected {{"buckets": {{...}}}} at the top)'
        )
    hosts: dict[str, dict[str, list[tuple[Interval, dict[str, Any]]]]] = {}
    for bucket_id, bucket in buckets.items():
        where = f"{path}: bucket {bucket_id!r}"
        if not isinstance(bucket, dict):
            raise ImportFailed(f"{where}: expected an object")
        kind = bucket.get("type")
        events = bucket.get("events")
        if not isinstance(events, list):
            raise ImportFailed(f"{where}: has no list of events")
        if kind not in (WINDOW_BUCKET, AFK_BUCKET):
            report.notes.append(
                f"skipped bucket {bucket_id!r} of type {kind!r} ({len(events)} events): "
                "only window and AFK buckets are imported"
            )
            report.skip(f"events in {kind} buckets", len(events))
            continue
        host = bucket.get("hostname")
        if not isinstance(host, str) or not host:
            raise ImportFailed(f"{where}: has no hostname")
        parsed = [
            _aw_event(event, kind, f"{where}, event {i + 1}") for i, event in enumerate(events)
        ]
        hosts.setdefault(host, {}).setdefault(kind, []).extend(parsed)
        # The parsed intervals are all that is needed of these events: let their dicts go
        # now, so the parsed history and the raw document are not held twice over.
        events.clear()

    devices = []
    for host, kinds in sorted(hosts.items()):
        windows = kinds.get(WINDOW_BUCKET, [])
        afk = kinds.get(AFK_BUCKET)
        if afk is None:
            report.notes.append(
                f"host {host!r} has no AFK bucket: all its window time counts as active"
            )
        spans = _activitywatch_spans(host, windows, afk, report)
        devices.append(DeviceSpans(host, _uuid(f"activitywatch:{host}"), spans))
    return devices


def _aw_event(raw: object, kind: str, where: str) -> tuple[Interval, dict[str, Any]]:
    if not isinstance(raw, dict):
        raise ImportFailed(f"{where}: expected an object")
    stamp = raw.get("timestamp")
    start = _instant(stamp, f"{where}: timestamp")
    duration = raw.get("duration")
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
    data = raw.get("data")
    if not isinstance(data, dict):
        raise ImportFailed(f"{where} ({stamp}): has no data object")
    if kind == WINDOW_BUCKET:
        if not isinstance(data.get("app"), str):
            raise ImportFailed(f"{where} ({stamp}): data.app must be text")
        if not isinstance(data.get("title", ""), str):
            raise ImportFailed(f"{where} ({stamp}): data.title must be text")
    elif data.get("status") not in ("afk", "not-afk"):
        raise ImportFailed(f'{where} ({stamp}): data.status must be "afk" or "not-afk"')
    return (start, start + round(duration * 1_000_000)), data


def _activitywatch_spans(
    host: str,
    windows: list[tuple[Interval, dict[str, Any]]],
    afk: list[tuple[Interval, dict[str, Any]]] | None,
    report: ImportReport,
) -> list[Span]:
    pieces: list[tuple[Interval, WindowInfo | None]] = []
    if afk is None:
        active = None
    else:
        active = _union(span for span, data in afk if data["status"] == "not-afk")
        away = _subtract(_union(span for span, data in afk if data["status"] == "afk"), active)
        pieces += [(span, None) for span in away]
    outside = 0
    for span, data in sorted(windows, key=lambda item: item[0]):
        window = WindowInfo(_text(data["app"]), _text(data.get("title", "")))
        parts = [span] if active is None else _intersect(span, active)
        if parts != [span]:  # most events lie wholly in active time: nothing to count
            outside += (span[1] - span[0]) - sum(end - start for start, end in parts)
        if not parts and span[1] > span[0]:
            report.skip("window events while away (AFK)")
        pieces += [(part, window) for part in parts]
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
    pieces: list[tuple[Interval, WindowInfo | None]], report: ImportReport, reason: str
) -> list[Span]:
    """Spans in time order, each starting no earlier than the one before ends."""
    spans: list[Span] = []
    last_end: int | None = None
    for (begin, end), window in sorted(pieces, key=lambda item: item[0]):
        start = begin
        if last_end is not None and start < last_end:
            report.skip(reason)
            start = last_end
        if end <= start:
            continue
        spans.append(Span(_moment(start), _moment(end), window))
        last_end = end
    return spans


# -- reading Breather's own export ----------------------------------------------------------

JSONL_FIELDS = ("start", "end", "app", "title", "process", "exe", "device")


def read_jsonl(path: Path, report: ImportReport) -> list[DeviceSpans]:
    """The spans in a `breather export --format jsonl` file."""
    by_device: dict[str, list[tuple[Interval, WindowInfo | None]]] = {}
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
                by_device.setdefault(device, []).append((interval, window))
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read it: {error}") from None
    devices = []
    for name in sorted(by_device.keys() | moods.keys() | tried.keys()):
        pieces = by_device.get(name, [])
        spans = _without_overlaps(pieces, report, "records overlapping an earlier one (trimmed)")
        devices.append(
            DeviceSpans(
                name, _uuid(f"import:{name}"), spans, moods.get(name, []), tried.get(name, [])
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


def _load_json(path: Path) -> object:
    try:
        with path.open("rb") as source:
            return json.load(source)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"{path}: not valid JSON: {error}") from None
    except RecursionError:  # [[[[... 100,000 deep: json recurses once per level
        raise ImportFailed(f"{path}: not an export: its JSON is nested too deeply") from None
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read it: {error}") from None


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
            fresh = list(
                _new_spans(
                    conn,
                    device_id,
                    spans=device.spans,
                    cutoff=cutoff,
                    keep_days=keep_days,
                    report=report,
                )
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
            for span in fresh:
                report.imported += 1
                report.seconds += span.seconds
                if span.window is not None:
                    app = span.window.app
                    report.app_seconds[app] = report.app_seconds.get(app, 0.0) + span.seconds
            if not dry_run and device_id is not None:
                SpanWriter(db, device_id).write_in(conn, fresh)
    return report


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


def _private(spans: list[Span], privacy: PrivacyFilter, report: ImportReport) -> list[Span]:
    kept = []
    for span in spans:
        if span.window is None:
            kept.append(span)
            continue
        window = privacy.apply(span.window)
        if window is None:
            report.skip("spans of apps excluded in your privacy settings")
            continue
        if window is span.window:  # allowed as it is (the common case: no copy)
            kept.append(span)
            continue
        if window.title != span.window.title:
            report.skip("titles left out by your privacy settings (the time is kept)")
        kept.append(replace(span, window=window))
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
    spans: list[Span],
    cutoff: int | None,
    keep_days: int,
    report: ImportReport,
) -> Iterator[Span]:
    if not spans:
        return
    lo, hi = to_ms(spans[0].start), to_ms(spans[-1].end)
    stored: list[Interval] = []
    if device_id is not None:
        rows = conn.rows(
            f"SELECT start_ms, end_ms FROM span WHERE span.device_id = :device AND {IN_RANGE}",
            {"device": device_id, **range_params(lo, hi)},
        )
        stored = _union((int(start), int(end)) for start, end in rows)
    for span in spans:
        start, end = to_ms(span.start), to_ms(span.end)
        if end <= start:
            continue
        if cutoff is not None and end <= cutoff:
            report.skip(f"older than keep_days ({keep_days} days)")
            continue
        if _intersect((start, end), stored):
            report.skip("already recorded")
            continue
        yield span
