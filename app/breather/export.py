"""Spans out as CSV or JSON Lines: one record per span, times in UTC ISO 8601."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from breather.store.queries import ExportRow

FIELDS = ("start", "end", "seconds", "away", "app", "title", "process", "exe", "device")


def _record(row: ExportRow) -> dict[str, object]:
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
    }


def write_export(rows: Iterable[ExportRow], out: TextIO, fmt: str) -> int:
    """Write `rows` to `out` as "csv" or "jsonl"; returns how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(_record(row))
            count += 1
    else:
        for row in rows:
            out.write(json.dumps(_record(row), ensure_ascii=False) + "\n")
            count += 1
    return count
