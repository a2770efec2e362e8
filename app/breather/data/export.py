"""Spans out as CSV or JSON Lines: one record per span, times in UTC ISO 8601.

Fields are only ever added. `category` is worked out with the rules in force when exporting
(empty for time away); `breather import jsonl` reads these files back.

JSON Lines also carries the mood check-ins, after the spans, one record each marked
`"record": "checkin"` (`id` is the check-in's UUID, kept on import so it is never added twice),
and then the personal experiments, marked `"record": "experiment"` (`id` likewise).
CSV has one fixed set of columns, so it carries spans only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from breather.categories.catalogue import Categorizer
from breather.data.text import json_text, printable
from breather.store.checkins import Checkin
from breather.store.experiments import Experiment
from breather.store.queries import ExportRow

FIELDS = (
    "start", "end", "seconds", "away", "app", "title", "process", "exe", "device", "category",
)  # fmt: skip


#: What a check-in record holds, in this order.
CHECKIN_FIELDS = ("record", "id", "at", "mood", "note", "device")


@dataclass(frozen=True, slots=True)
class Written:
    """How many records an export wrote."""

    spans: int
    checkins: int = 0
    experiments: int = 0


def checkin_record(item: Checkin) -> dict[str, object]:
    """A check-in as its JSON Lines record."""
    return {
        "record": "checkin",
        "id": item.uuid,
        "at": item.at.isoformat(),
        "mood": item.mood,
        "note": item.note,
        "device": item.device,
    }


#: What an experiment record holds, in this order (`ended` is null unless ended early).
EXPERIMENT_FIELDS = (
    "record", "id", "started", "days", "kind", "subject", "value", "ended", "device",
)  # fmt: skip


def experiment_record(item: Experiment) -> dict[str, object]:
    """An experiment as its JSON Lines record."""
    return {
        "record": "experiment",
        "id": item.uuid,
        "started": item.started.isoformat(),
        "days": item.days,
        "kind": item.kind,
        "subject": item.subject,
        "value": float(item.value),
        "ended": None if item.ended is None else item.ended.isoformat(),
        "device": item.device,
    }


def _record(row: ExportRow, categorizer: Categorizer | None) -> dict[str, object]:
    category = ""
    if categorizer is not None and row.app is not None:
        category = categorizer.category(row.app, row.title, row.process, row.exe)
    return {
        "start": row.start.isoformat(),
        "end": row.end.isoformat(),
        "seconds": round(row.seconds, 3),
        "away": row.away,
        "app": row.app or "",
        "title": row.title,
        "process": row.process,
        "exe": row.exe,
        "device": row.device,
        "category": category,
    }


def write_export(
    rows: Iterable[ExportRow],
    out: TextIO,
    fmt: str,
    categorizer: Categorizer | None = None,
    checkins: Iterable[Checkin] = (),
    *,
    experiments: Iterable[Experiment] = (),
) -> Written:
    """Write `rows` to `out` as "csv" or "jsonl" (which adds `checkins` and `experiments`
    after the spans); returns how many of each were written."""
    count = 0
    # A file gets the data as it is; a terminal never gets a raw control character.
    on_terminal = out.isatty()
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            record = _record(row, categorizer)
            record["away"] = "true" if record["away"] else "false"  # as spreadsheets and JSON say
            if on_terminal:
                record = {
                    key: printable(value, one_line=True) if isinstance(value, str) else value
                    for key, value in record.items()
                }
            writer.writerow(record)
            count += 1
    else:
        for row in rows:
            out.write(json_text(_record(row, categorizer)) + "\n")
            count += 1
        moods = 0
        for item in checkins:
            out.write(json_text(checkin_record(item)) + "\n")
            moods += 1
        tried = 0
        for experiment in experiments:
            out.write(json_text(experiment_record(experiment)) + "\n")
            tried += 1
        return Written(count, moods, tried)
    return Written(count)
