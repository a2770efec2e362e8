"""The kinds of records a sync round carries, and how one hour of each is read and replaced.

A record travels as a plain tuple of what it says (times, app name, title text, ...), never
of a database's own row ids: the same app has different ids in each database. `Names` finds
or makes those ids on the receiving side.

To sync another kind of record (as check-ins and experiments do): write a `RecordKind` for
its table, add it to `RECORD_KINDS`, and mark the hours its writer changes with
`breather.store.changes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Protocol

from breather.store.schema import AWAY_APP_ID, HOUR_MS
from breather.store.sql import Session, in_list
from breather.store.writer import title_digest

Row = tuple[Any, ...]
#: [lo_ms, hi_ms): whole UTC hours.
Stretch = tuple[int, int]
#: Forgotten stretches [start_ms, end_ms): no record inside one is sent or kept.
Ranges = Sequence[tuple[int, int]]

#: Titles looked up in one statement.
_LOOKUP_CHUNK = 500


class Names:
    """Ids of apps and titles in one database, found or made inside one transaction."""

    def __init__(self, conn: Session) -> None:
        self._conn = conn
        self._apps: dict[tuple[str, str, str], int] | None = None
        self._titles: dict[str, int] = {}

    def app_ids(self, apps: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
        """The id of each (name, process, exe), made where missing."""
        if self._apps is None:  # a few hundred rows: read them all once
            self._apps = {
                (name, process, exe): int(app_id)
                for app_id, name, process, exe in self._conn.rows(
                    "SELECT id, name, process, exe FROM app"
                )
            }
        known = self._apps
        missing = sorted({app for app in apps if app not in known})
        if missing:
            self._conn.run_many(
                "INSERT INTO app (name, process, exe) VALUES (:name, :process, :exe)"
                " ON CONFLICT (name, process, exe) DO NOTHING",
                [{"name": n, "process": p, "exe": e} for n, p, e in missing],
            )
            for app_id, name, process, exe in self._conn.rows(
                "SELECT id, name, process, exe FROM app"
            ):
                known[(name, process, exe)] = int(app_id)
        return known

    def title_ids(self, texts: Iterable[str]) -> dict[str, int]:
        """The id of each title text, made where missing (by digest, as the writer does)."""
        wanted = sorted({text for text in texts if text not in self._titles})
        for _ in range(2):  # look up; make what is missing; look up again
            missing: list[str] = []
            for index in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[index : index + _LOOKUP_CHUNK]
                digests = sorted({title_digest(text) for text in chunk})
                marks, params = in_list("digest", digests)
                found: dict[str, int] = {}
                for title_id, text in self._conn.rows(
                    f"SELECT id, text FROM title WHERE digest IN {marks} ORDER BY id", params
                ):
                    found.setdefault(text, int(title_id))
                for text in chunk:
                    if text in found:
                        self._titles[text] = found[text]
                    else:
                        missing.append(text)
            if not missing:
                break
            self._conn.run_many(
                "INSERT INTO title (digest, text) VALUES (:digest, :text)",
                [{"digest": title_digest(text), "text": text} for text in missing],
            )
            wanted = missing
        return self._titles


class RecordKind(Protocol):
    """One table of a device's records, synced an hour at a time."""

    name: str

    def read(self, conn: Session, device_id: int, lo_ms: int, hi_ms: int) -> list[Row]:
        """`device_id`'s records starting in [lo_ms, hi_ms), as portable tuples."""

    def replace(
        self, conn: Session, names: Names, device_id: int, hours: Stretch, rows: list[Row]
    ) -> None:
        """Make `device_id`'s records starting in `hours` ([lo_ms, hi_ms)) exactly `rows`."""

    def outside(self, rows: list[Row], forgotten: Ranges) -> list[Row]:
        """`rows` less what lies in a forgotten stretch."""


class Spans:
    """Time on windows and away; the hourly rollup is summed again for each replaced hour."""

    name = "spans"

    def read(self, conn: Session, device_id: int, lo_ms: int, hi_ms: int) -> list[Row]:
        return conn.rows(
            "SELECT span.start_ms, span.end_ms, app.name, app.process, app.exe, title.text"
            " FROM span LEFT JOIN app ON app.id = span.app_id"
            " LEFT JOIN title ON title.id = span.title_id"
            " WHERE span.device_id = :device AND span.start_ms >= :lo AND span.start_ms < :hi",
            {"device": device_id, "lo": lo_ms, "hi": hi_ms},
        )

    def replace(
        self, conn: Session, names: Names, device_id: int, hours: Stretch, rows: list[Row]
    ) -> None:
        lo_ms, hi_ms = hours
        bounds = {"device": device_id, "lo": lo_ms, "hi": hi_ms}
        conn.run(
            "DELETE FROM span WHERE device_id = :device AND start_ms >= :lo AND start_ms < :hi",
            bounds,
        )
        apps = names.app_ids((row[2], row[3] or "", row[4] or "") for row in rows if row[2])
        titles = names.title_ids(row[5] for row in rows if row[5])
        conn.run_many(
            "INSERT INTO span (start_ms, device_id, end_ms, app_id, title_id)"
            " VALUES (:start_ms, :device_id, :end_ms, :app_id, :title_id)",
            [
                {
                    "start_ms": start,
                    "device_id": device_id,
                    "end_ms": end,
                    "app_id": apps[(app, process or "", exe or "")] if app else None,
                    "title_id": titles[title] if title else None,
                }
                for start, end, app, process, exe, title in rows
            ],
        )
        conn.run(
            "DELETE FROM app_hour WHERE device_id = :device AND hour >= :first AND hour < :last",
            {"device": device_id, "first": lo_ms // HOUR_MS, "last": hi_ms // HOUR_MS},
        )
        conn.run(
            "INSERT INTO app_hour (hour, device_id, app_id, ms)"
            f" SELECT start_ms / {HOUR_MS}, device_id, COALESCE(app_id, {AWAY_APP_ID}),"
            "  SUM(end_ms - start_ms) FROM span"
            " WHERE device_id = :device AND start_ms >= :lo AND start_ms < :hi"
            f" GROUP BY start_ms / {HOUR_MS}, device_id, COALESCE(app_id, {AWAY_APP_ID})",
            bounds,
        )

    def outside(self, rows: list[Row], forgotten: Ranges) -> list[Row]:
        kept = rows
        for lo, hi in forgotten:
            cut: list[Row] = []
            for row in kept:
                start, end = row[0], row[1]
                if end <= lo or start >= hi:
                    cut.append(row)
                    continue
                if start < lo:
                    cut.append((start, lo, *row[2:]))
                if end > hi:
                    cut.append((hi, end, *row[2:]))
            kept = cut
        return kept


class _AtMoments:
    """Records that happen at a moment, one row each in `table`: read and replaced by the
    moment column (their first field, in ms), and one inside a forgotten stretch is left out
    whole. A kind `named_by_uuid` may already be here under its UUID (imported from an export
    of the device it was made on): the device's own copy is the one kept."""

    table: ClassVar[str]
    #: The fields of a row, in order; the first is the moment, in ms.
    columns: ClassVar[tuple[str, ...]]
    order_by: ClassVar[str]
    named_by_uuid: ClassVar[bool] = False

    def outside(self, rows: list[Row], forgotten: Ranges) -> list[Row]:
        return [row for row in rows if not any(lo <= row[0] < hi for lo, hi in forgotten)]

    def read(self, conn: Session, device_id: int, lo_ms: int, hi_ms: int) -> list[Row]:
        return conn.rows(
            f"SELECT {', '.join(self.columns)} FROM {self.table}"
            f" WHERE device_id = :device AND {self._between()} ORDER BY {self.order_by}",
            {"device": device_id, "lo": lo_ms, "hi": hi_ms},
        )

    def replace(
        self, conn: Session, names: Names, device_id: int, hours: Stretch, rows: list[Row]
    ) -> None:
        lo_ms, hi_ms = hours
        conn.run(
            f"DELETE FROM {self.table} WHERE device_id = :device AND {self._between()}",
            {"device": device_id, "lo": lo_ms, "hi": hi_ms},
        )
        fields = ("device_id", *self.columns)
        insert = (
            f"INSERT INTO {self.table} ({', '.join(fields)})"
            f" VALUES ({', '.join(':' + field for field in fields)})"
        )
        if self.named_by_uuid:
            updated = (field for field in fields if field != "uuid")
            insert += " ON CONFLICT (uuid) DO UPDATE SET " + ", ".join(
                f"{field} = excluded.{field}" for field in updated
            )
        conn.run_many(
            insert,
            [{"device_id": device_id, **dict(zip(self.columns, row, strict=True))} for row in rows],
        )

    def _between(self) -> str:
        return f"{self.columns[0]} >= :lo AND {self.columns[0]} < :hi"


class BoundaryEvents(_AtMoments):
    """Breaks due and taken, limits reached, answers to prompts."""

    name = "boundary events"
    table = "boundary_event"
    columns = ("at_ms", "kind", "outcome", "subject", "detail")
    order_by = "at_ms, id"


class Checkins(_AtMoments):
    """Mood check-ins, each named by its UUID wherever it is stored."""

    name = "check-ins"
    table = "checkin"
    columns = ("at_ms", "uuid", "mood", "note")
    order_by = "at_ms, uuid"
    named_by_uuid = True


class Experiments(_AtMoments):
    """Personal experiments, each named by its UUID, in the hour they started (ending one
    early marks that hour again, so the end travels too)."""

    name = "experiments"
    table = "experiment"
    columns = ("started_ms", "uuid", "days", "kind", "subject", "value", "ended_ms")
    order_by = "started_ms, uuid"
    named_by_uuid = True


#: Every kind of record a round carries, in the order they are replaced.
RECORD_KINDS: tuple[RecordKind, ...] = (Spans(), BoundaryEvents(), Checkins(), Experiments())
