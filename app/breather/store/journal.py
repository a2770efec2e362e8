"""A small append-only file that holds the newest few minutes of spans between commits.

Why: a SQLite commit in WAL mode dirties the WAL's tail and several pages of its shared-memory
index, and the operating system writes each dirtied page out again every ~30 s. Committing the
open span every 9 s (to lose at most 10 s in a crash) cost ~2.6 MB of disk writes an hour.
Appending a line here every 9 s dirties one page, and the database is written every few
minutes instead: the same crash bound at a third of the writes.

The file is only ever appended to, then emptied once its spans are in the database. After a
crash the writer replays it before anything else, so nothing it held is lost; a torn last line
(the process died mid-write) is skipped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from breather.files import open_private
from breather.monitor.base import WindowInfo
from breather.tracking.spans import Span

log = logging.getLogger(__name__)

JOURNAL_NAME = "pending-spans.jsonl"


def _line(span: Span) -> bytes:
    window = span.window
    record = {
        "start": round(span.start.timestamp() * 1000),
        "end": round(span.end.timestamp() * 1000),
        "app": None if window is None else window.app,
        "title": "" if window is None else window.title,
        "process": "" if window is None else window.process,
        "exe": "" if window is None else window.exe,
    }
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _span(record: dict[str, object]) -> Span:
    start = datetime.fromtimestamp(int(record["start"]) / 1000, UTC)  # type: ignore[call-overload]
    end = datetime.fromtimestamp(int(record["end"]) / 1000, UTC)  # type: ignore[call-overload]
    app = record.get("app")
    window = (
        None
        if app is None
        else WindowInfo(
            str(app),
            str(record.get("title", "")),
            str(record.get("process", "")),
            str(record.get("exe", "")),
        )
    )
    return Span(start, end, window)


class SpanJournal:
    """The pending spans of one writer, in `path` (owner-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def append(self, spans: Iterable[Span]) -> None:
        """Add spans (closed ones, or the open span as it is now); a later line for the same
        start replaces an earlier one. Raises OSError (a full disk) with the file as it was."""
        data = b"".join(_line(span) for span in spans)
        if not data:
            return
        if self._fd is None:
            self._fd = open_private(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        before = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError:
            # A full disk: take back a torn line, so the next append starts a line of its
            # own; the caller keeps the spans and appends them again.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, before)
            raise

    def clear(self) -> None:
        """Empty the file: everything in it is in the database now."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
        elif self.path.exists() or self.path.is_symlink():
            os.close(open_private(self.path, os.O_WRONLY, truncate=True))

    def pending(self) -> list[Span]:
        """The spans the file holds, oldest first, the latest line for each start winning."""
        try:
            with os.fdopen(open_private(self.path, os.O_RDONLY), "rb") as source:
                raw = source.read()
        except FileNotFoundError:
            return []
        by_start: dict[int, Span] = {}
        for number, line in enumerate(raw.splitlines(), start=1):
            try:
                record = json.loads(line)
                span = _span(record)
            except (ValueError, KeyError, TypeError):
                log.warning("%s:%d: skipped a damaged line (a crash mid-write)", self.path, number)
                continue
            by_start[int(record["start"])] = span
        return [by_start[start] for start in sorted(by_start) if by_start[start].seconds > 0]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
