"""The single writer of spans: batches what the tracker closed and flushes it with the open span.

Flushing at least every `flush_every` seconds bounds what a crash can lose. With a journal
(`breather.store.journal`), a flush appends to it and the database is written every `db_every`
seconds (and on `force`); without one, every flush is a database transaction.
Each span is stored in pieces that never cross a UTC hour, and `app_hour` is kept equal to the
sum of the pieces in the same transaction, so summaries read the rollup instead of the spans.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Sequence

from breather.monitor.base import WindowInfo
from breather.store.changes import mark_hours
from breather.store.journal import SpanJournal
from breather.store.schema import AWAY_APP_ID, HOUR_MS, to_ms
from breather.store.sql import Database, Session, SqliteDatabase, in_list
from breather.tracking.spans import Span

try:
    # The built-in BLAKE2, which is also what hashlib.blake2b is: importing hashlib loads
    # OpenSSL's libcrypto as well (~3.5 MB resident in the tray app) for nothing used here.
    from _blake2 import blake2b
except ImportError:  # a Python without the built-in module
    from hashlib import blake2b

_CACHE_LIMIT = 20_000
#: Span rows sent to the database in one executemany.
_ROWS_PER_BATCH = 5_000
#: From this many titles not yet known, they are looked up and added a few queries for all
#: (an import) instead of one or two queries each (the live path's one or two titles).
_TITLES_IN_BULK = 64
#: Digests asked for in one `IN (...)`, well under SQLite's limit on parameters.
_DIGESTS_PER_QUERY = 500
#: Stored titles are read whole, instead of looked up by digest, while there are at most this
#: many per title asked for: reading a row costs far less than a lookup.
_SCAN_TITLES_BELOW = 4

_UPSERT_SPAN = """
    INSERT INTO span (start_ms, device_id, end_ms, app_id, title_id)
    VALUES (:start_ms, :device_id, :end_ms, :app_id, :title_id)
    ON CONFLICT (start_ms, device_id) DO UPDATE
    SET end_ms = excluded.end_ms, app_id = excluded.app_id, title_id = excluded.title_id
"""
_SPAN_COLUMNS = ("start_ms", "device_id", "end_ms", "app_id", "title_id")
_ADD_TO_HOUR = """
    INSERT INTO app_hour (hour, device_id, app_id, ms) VALUES (:hour, :device_id, :app_id, :ms)
    ON CONFLICT (hour, device_id, app_id) DO UPDATE SET ms = app_hour.ms + excluded.ms
"""


def title_digest(text: str) -> int:
    """A stable signed 64-bit digest of a title (fits a BIGINT column)."""
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def hour_pieces(start_ms: int, end_ms: int) -> Iterable[tuple[int, int]]:
    """Split [start, end) at UTC hour boundaries."""
    while start_ms < end_ms:
        boundary = (start_ms // HOUR_MS + 1) * HOUR_MS
        piece_end = min(end_ms, boundary)
        yield start_ms, piece_end
        start_ms = piece_end


class SpanWriter:
    """Writes one device's spans. Not thread-safe: one writer, one thread."""

    def __init__(
        self,
        db: Database,
        device_id: int,
        *,
        flush_every: float = 9.0,
        journal: SpanJournal | None = None,
        db_every: float = 300.0,
    ) -> None:
        """With a `journal`, what it holds from a run that ended without writing it (a crash)
        is written to the database first, before anything else."""
        self._db = db
        self._device_id = device_id
        self.flush_every = flush_every
        self.db_every = db_every
        self._journal = journal
        self._journaled = 0  # how many of the pending closed spans the journal already holds
        self._last_db_write: float | None = None
        self._pending: list[Span] = []
        # Pieces of the open span as last written: start_ms -> (end_ms, rollup app id).
        self._written: dict[int, tuple[int, int]] = {}
        self._last_flush: float | None = None
        self._apps: dict[tuple[str, str, str], int] = {}
        self._titles: dict[str, int] = {}
        if journal is not None:
            self._replay(journal)

    def _replay(self, journal: SpanJournal) -> None:
        spans = journal.pending()
        if spans:
            # The database may hold some of these already (a crash between writing it and
            # emptying the journal): start from what it holds, so nothing is counted twice.
            stored = self._db.rows(
                "SELECT start_ms, end_ms, app_id FROM span"
                " WHERE device_id = :device AND start_ms >= :first",
                {"device": self._device_id, "first": to_ms(spans[0].start)},
            )
            self._written = {
                start: (end, AWAY_APP_ID if app is None else app) for start, end, app in stored
            }
            self._write(spans, None)
        journal.clear()

    def forget_ids(self) -> None:
        """Drop the remembered app and title ids: call after rows may have been deleted
        (retention, `breather forget`), so new spans never point at a row that is gone."""
        self._apps.clear()
        self._titles.clear()

    def record(self, spans: Iterable[Span]) -> None:
        """Queue closed spans; they reach the database with the next flush."""
        self._pending.extend(spans)

    def due(self, mono: float) -> bool:
        """Whether `flush_every` has passed since the last flush (or none happened yet)."""
        return self._last_flush is None or mono - self._last_flush >= self.flush_every

    def flush(self, open_span: Span | None, mono: float, *, force: bool = False) -> None:
        """Keep the queued spans and the open span as it is now: in the journal, or (when
        `db_every` has passed, or `force`) in the database, in one transaction."""
        self._last_flush = mono
        journal = self._journal
        if (
            journal is not None
            and not force
            and self._last_db_write is not None
            and mono - self._last_db_write < self.db_every
        ):
            fresh = self._pending[self._journaled :]
            journal.append([*fresh, *([open_span] if open_span is not None else [])])
            self._journaled = len(self._pending)
            return
        self._last_db_write = mono
        if not self._pending and open_span is None and not self._written:
            if journal is not None:
                journal.clear()
            return
        closed, self._pending = self._pending, []
        journaled, self._journaled = self._journaled, 0
        try:
            self._write(closed, open_span)
        except Exception:
            self._pending = closed + self._pending  # nothing is lost: retried next flush
            self._journaled = journaled
            self._apps.clear()  # ids looked up or made in the failed transaction may not exist
            self._titles.clear()
            if journal is not None:
                # The database is out of reach (a network database at a clean exit, a full
                # disk): the journal keeps it for the next start, if it can.
                fresh = self._pending[self._journaled :]
                try:
                    journal.append([*fresh, *([open_span] if open_span is not None else [])])
                    self._journaled = len(self._pending)
                except OSError:
                    pass
            raise
        if journal is not None:
            journal.clear()  # everything it held is in the database now

    def close(self) -> None:
        """Let go of the journal file (after a final `flush(..., force=True)`)."""
        if self._journal is not None:
            self._journal.close()

    def _write(self, closed: list[Span], open_span: Span | None) -> None:
        # Work on a copy so a failed transaction leaves the record of what is stored intact.
        written = dict(self._written)
        with self._db.write() as conn:
            open_pieces = self._write_in(conn, written, closed, open_span)
        self._written = open_pieces

    def write_in(self, conn: Session, spans: list[Span]) -> None:
        """Write closed `spans` inside the caller's transaction `conn` (an import that must
        be all or nothing); nothing is remembered if that transaction is rolled back."""
        self._write_in(conn, {}, spans, None)
        self._apps.clear()  # ids made in a transaction that may yet be rolled back
        self._titles.clear()

    def write_pieces_in(
        self, conn: Session, pieces: Sequence[tuple[int, int, WindowInfo | None]]
    ) -> None:
        """Write closed spans given as (start_ms, end_ms, window) inside the caller's
        transaction `conn`: the bulk path of an import, which sends many thousands at once
        and so looks every distinct title up together, and keeps no datetimes.
        Nothing is remembered if that transaction is rolled back."""
        device = self._device_id
        try:
            ids = self._ids_by_window(conn, pieces)
            hour_ms: dict[tuple[int, int], int] = {}

            def rows() -> Iterator[tuple[int, int, int, int | None, int | None]]:
                # Made as the database takes them: a year's rows are never all held at once.
                for start, end, window in pieces:
                    app_id, title_id, rollup_app = ids[id(window)]
                    hour = start // HOUR_MS
                    if hour == (end - 1) // HOUR_MS:  # most spans lie within one hour
                        yield start, device, end, app_id, title_id
                        key = (hour, rollup_app)
                        hour_ms[key] = hour_ms.get(key, 0) + (end - start)
                        continue
                    for start_ms, end_ms in hour_pieces(start, end):
                        yield start_ms, device, end_ms, app_id, title_id
                        key = (start_ms // HOUR_MS, rollup_app)
                        hour_ms[key] = hour_ms.get(key, 0) + (end_ms - start_ms)

            conn.run_rows(_UPSERT_SPAN, _SPAN_COLUMNS, rows())
            conn.run_rows(
                _ADD_TO_HOUR,
                ("hour", "device_id", "app_id", "ms"),
                [(hour, device, app, ms) for (hour, app), ms in hour_ms.items()],
            )
            # Every hour written waits to be synced, as the live path's hours do.
            mark_hours(conn, device, (hour * HOUR_MS for hour, _ in hour_ms))
        finally:
            self._apps.clear()  # ids made in a transaction that may yet be rolled back
            self._titles.clear()

    def _ids_by_window(
        self, conn: Session, pieces: Sequence[tuple[int, int, WindowInfo | None]]
    ) -> dict[int, tuple[int | None, int | None, int]]:
        """(app id, title id, rollup app id) of each distinct window of `pieces`, by the
        window's `id()` (None's too: away), its app and title stored now if new.

        An import shares one WindowInfo between the spans of a window, so each is looked up
        once, and told apart by identity, cheaper than by value (`pieces` keeps each alive,
        so no id is reused meanwhile)."""
        windows = {id(w): w for _, _, w in pieces if w is not None}
        titles = self._title_ids_of(conn, (w.title for w in windows.values() if w.title))
        ids: dict[int, tuple[int | None, int | None, int]] = {id(None): (None, None, AWAY_APP_ID)}
        apps: dict[tuple[str, str, str], int | None] = {}
        for key, window in windows.items():
            identity = (window.app, window.process, window.exe)
            if identity in apps:
                app_id = apps[identity]
            else:
                app_id = apps[identity] = self._app_id(conn, window)
            title_id = titles.get(window.title) if window.title else None
            ids[key] = (app_id, title_id, AWAY_APP_ID if app_id is None else app_id)
        return ids

    def _write_in(
        self,
        conn: Session,
        written: dict[int, tuple[int, int]],
        closed: list[Span],
        open_span: Span | None,
    ) -> dict[int, tuple[int, int]]:
        """The pieces of the open span as written now."""
        hour_deltas: dict[tuple[int, int], int] = {}
        open_pieces: dict[int, tuple[int, int]] = {}
        rows = []  # one executemany for all, not one per span (an import writes thousands)
        titles: dict[str, int] = {}
        last = len(closed)
        for index, span in enumerate([*closed, open_span]):
            if span is None:
                continue
            is_open = index == last
            if index % _ROWS_PER_BATCH == 0 and last - index >= _TITLES_IN_BULK:
                titles = self._title_ids(conn, closed[index : index + _ROWS_PER_BATCH])
            app_id = self._app_id(conn, span.window)
            title_id = (
                titles.get(span.window.title) if span.window is not None else None
            ) or self._title_id(conn, span.window)
            rollup_app = AWAY_APP_ID if app_id is None else app_id
            for start_ms, end_ms in hour_pieces(to_ms(span.start), to_ms(span.end)):
                if is_open:
                    open_pieces[start_ms] = (end_ms, rollup_app)
                if written.get(start_ms) == (end_ms, rollup_app):
                    del written[start_ms]  # an earlier hour of a long span: unchanged
                    continue
                rows.append(
                    {
                        "start_ms": start_ms,
                        "device_id": self._device_id,
                        "end_ms": end_ms,
                        "app_id": app_id,
                        "title_id": title_id,
                    }
                )
                _count(written, hour_deltas, start_ms, end_ms, rollup_app)
            if len(rows) >= _ROWS_PER_BATCH:  # bounded memory for an import of years
                conn.run_many(_UPSERT_SPAN, rows)
                rows = []
        if rows:
            conn.run_many(_UPSERT_SPAN, rows)
        # Pieces written before and not rewritten now: the open span was cut back (idle).
        gone = list(written)
        for start_ms in gone:
            end_ms, rollup_app = written[start_ms]
            hour = start_ms // HOUR_MS
            key = (hour, rollup_app)
            hour_deltas[key] = hour_deltas.get(key, 0) - (end_ms - start_ms)
        if gone:
            starts, params = in_list("start", gone)
            conn.run(
                f"DELETE FROM span WHERE device_id = :device AND start_ms IN {starts}",
                {"device": self._device_id, **params},
            )
        rollup_rows = [
            {"hour": hour, "device_id": self._device_id, "app_id": app, "ms": ms}
            for (hour, app), ms in hour_deltas.items()
            if ms
        ]
        if rollup_rows:
            conn.run_many(_ADD_TO_HOUR, rollup_rows)
        # Every hour written or cut back waits to be synced (a no-op cost without sync).
        mark_hours(conn, self._device_id, (hour * HOUR_MS for hour, _ in hour_deltas))
        return open_pieces

    def _app_id(self, conn: Session, window: WindowInfo | None) -> int | None:
        if window is None:
            return None
        identity = (window.app, window.process, window.exe)
        found = self._apps.get(identity)
        if found is not None:
            return found
        app = {"name": window.app, "process": window.process, "exe": window.exe}
        row = conn.value(
            "SELECT id FROM app WHERE name = :name AND process = :process AND exe = :exe", app
        )
        if row is None:
            row = conn.value(
                "INSERT INTO app (name, process, exe) VALUES (:name, :process, :exe) RETURNING id",
                app,
            )
        self._apps[identity] = int(row)
        return int(row)

    def _title_ids(self, conn: Session, spans: list[Span]) -> dict[str, int]:
        """The ids of the titles of `spans`, stored now if new: an import's thousands of
        titles in a few queries per batch, instead of a query or two each."""
        return self._title_ids_of(
            conn, {s.window.title for s in spans if s.window is not None and s.window.title}
        )

    def _title_ids_of(self, conn: Session, texts: Iterable[str]) -> dict[str, int]:
        """The ids of these titles, stored now if new, in a few queries for many titles
        (the answer may hold other stored titles too)."""
        digests: dict[str, int] = {}
        for text in texts:
            if text not in digests:
                digests[text] = title_digest(text)
        # In digest order, the lookups and the new index entries go through the index from
        # one end to the other instead of hopping about it.
        in_order = sorted(digests, key=digests.__getitem__)
        # This transaction holds the write lock, so nobody else adds titles meanwhile (on a
        # server database another writer may: its rows hold the same texts, as good).
        before = int(conn.value("SELECT COALESCE(MAX(id), 0) FROM title"))
        if not before:
            found: dict[str, int] = {}  # no title stored yet (a first import)
        elif before <= _SCAN_TITLES_BELOW * len(digests):
            found = self._titles_among(conn, digests)
        else:
            found = self._stored_titles(conn, [digests[text] for text in in_order])
        new = [text for text in in_order if text not in found]
        del in_order
        if not new:
            return found
        if isinstance(self._db, SqliteDatabase):
            # The transaction began with the write lock (BEGIN IMMEDIATE), so the ids after
            # `before` are free: they are given, and nothing needs reading back.
            ids = range(before + 1, before + 1 + len(new))
            conn.run_rows(
                "INSERT INTO title (id, digest, text) VALUES (:id, :digest, :text)",
                ("id", "digest", "text"),
                zip(ids, map(digests.__getitem__, new), new, strict=True),
            )
            found.update(zip(new, ids, strict=True))
            return found
        # A server's sequence gives the ids: they are read back, the rows after `before`.
        conn.run_rows(
            "INSERT INTO title (digest, text) VALUES (:digest, :text)",
            ("digest", "text"),
            ((digests[text], text) for text in new),
        )
        del new, digests
        for row_id, text in conn.stream(
            "SELECT id, text FROM title WHERE id > :before ORDER BY id", {"before": before}
        ):
            found.setdefault(text, int(row_id))
        return found

    @staticmethod
    def _titles_among(conn: Session, texts: Container[str]) -> dict[str, int]:
        """Stored titles that are among `texts`, found by reading every stored title: for
        many titles asked of a table not much bigger, cheaper than looking each up."""
        found: dict[str, int] = {}
        for row_id, text in conn.stream("SELECT id, text FROM title ORDER BY id"):
            if text in texts:
                found.setdefault(text, int(row_id))
        return found

    @staticmethod
    def _stored_titles(conn: Session, digests: list[int]) -> dict[str, int]:
        """Stored titles with these digests: text -> id (the oldest row of a text)."""
        found: dict[str, int] = {}
        for first in range(0, len(digests), _DIGESTS_PER_QUERY):
            marks, params = in_list("digest", digests[first : first + _DIGESTS_PER_QUERY])
            for row_id, text in conn.rows(
                f"SELECT id, text FROM title WHERE digest IN {marks} ORDER BY id", params
            ):
                found.setdefault(text, int(row_id))
        return found

    def _title_id(self, conn: Session, window: WindowInfo | None) -> int | None:
        if window is None or not window.title:
            return None
        text = window.title
        found = self._titles.get(text)
        if found is not None:
            return found
        digest = title_digest(text)
        title_id = None
        for row_id, row_text in conn.rows(
            "SELECT id, text FROM title WHERE digest = :digest", {"digest": digest}
        ):
            if row_text == text:
                title_id = int(row_id)
                break
        if title_id is None:
            title_id = int(
                conn.value(
                    "INSERT INTO title (digest, text) VALUES (:digest, :text) RETURNING id",
                    {"digest": digest, "text": text},
                )
            )
        if len(self._titles) >= _CACHE_LIMIT:
            self._titles.clear()
        self._titles[text] = title_id
        return title_id


def _count(
    written: dict[int, tuple[int, int]],
    deltas: dict[tuple[int, int], int],
    start_ms: int,
    end_ms: int,
    rollup_app: int,
) -> None:
    """Add a piece to the hourly deltas, less what an earlier flush already counted for it."""
    hour = start_ms // HOUR_MS
    before = written.pop(start_ms, None)
    if before is not None:
        old_end, old_app = before
        key = (hour, old_app)
        deltas[key] = deltas.get(key, 0) - (old_end - start_ms)
    key = (hour, rollup_app)
    deltas[key] = deltas.get(key, 0) + (end_ms - start_ms)
