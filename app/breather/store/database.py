"""Opening the database: where it lives, how SQLite is tuned, migrations, and damaged files.

A damaged or unreadable SQLite file is never overwritten: it is renamed aside, a fresh database
is started beside it, and the notice says where the old one went.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url

from breather.store.journal import SpanJournal
from breather.store.models import Device, SpanRow
from breather.store.writer import SpanWriter

MIGRATIONS = Path(__file__).with_name("migrations")

# Small pages keep the bytes written per commit small: the tracker commits every few seconds
# and each commit appends every page it touched to the WAL.
SQLITE_PAGE_SIZE = 1024


class DatabaseUnusable(Exception):
    """The database cannot be opened; the message says what to do."""


@dataclass
class Store:
    """An open database and this machine's device row in it."""

    engine: Engine
    device_id: int
    url: str
    notices: list[str] = field(default_factory=list)

    def writer(self, *, flush_every: float = 9.0, journal: SpanJournal | None = None) -> SpanWriter:
        """The single writer of spans for this device (see SpanWriter for the journal)."""
        return SpanWriter(self.engine, self.device_id, flush_every=flush_every, journal=journal)

    def last_end(self) -> datetime | None:
        """Where this device's stored history ends, so new spans never overlap it."""
        table = SpanRow.__table__  # type: ignore[attr-defined]
        # Spans of one device never overlap, so the latest start has the latest end; reading
        # it backwards along the primary key avoids scanning a year of rows.
        query = (
            select(table.c.end_ms)
            .where(table.c.device_id == self.device_id)
            .order_by(table.c.start_ms.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            last = conn.execute(query).scalar()
        return None if last is None else datetime.fromtimestamp(last / 1000, UTC)

    def close(self) -> None:
        self.engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def open_store(url: str, *, device_uuid: str, device_name: str) -> Store:
    """Open (creating and migrating as needed) the database at `url` for this device."""
    notices: list[str] = []
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).expanduser()
        notices += _prepare_sqlite_file(path)
        url = sqlite_url(path)
    engine = create_engine(url, future=True)
    if is_sqlite:
        event.listen(engine, "connect", _tune_sqlite)
    try:
        _migrate(engine)
        device_id = _device_id(engine, device_uuid, device_name)
    except Exception as error:
        engine.dispose()
        raise DatabaseUnusable(f"cannot use the database at {_safe_url(url)}: {error}") from error
    return Store(engine, device_id, url, notices)


def _prepare_sqlite_file(path: Path) -> list[str]:
    notices: list[str] = []
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        problem = _sqlite_problem(path)
        if problem:
            aside = _keep_aside(path)
            notices.append(
                f"The database {path} could not be used ({problem}). It was kept, untouched, "
                f"as {aside}; Breather started a new one."
            )
    if not path.exists():
        # Create it owner-only before SQLite does; SQLite gives its -wal and -shm files the
        # same permissions as the database.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    else:
        with contextlib.suppress(PermissionError):
            path.chmod(0o600)
    return notices


def _sqlite_problem(path: Path) -> str | None:
    if not path.is_file():
        return "it is not a regular file"
    if not os.access(path, os.R_OK | os.W_OK):
        return "it is not readable and writable by this user"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    if not result or result[0] != "ok":
        return f"integrity check failed: {result[0] if result else 'no answer'}"
    return None


def _keep_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(aside.with_name(aside.name + suffix))
    return aside


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")  # only takes on a new file
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; a crash loses < 1 commit
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def schema_head() -> str:
    """The newest migration's revision, read from the file names (NNNN_what.py, revision NNNN).

    Importing alembic costs ~12 MB of memory and ~100 ms; it is only needed when a migration
    has to run, so the common case compares this with the stored revision in plain SQL.
    A test checks that this agrees with alembic's own idea of the head.
    """
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return names[-1][:4]


def _stored_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if revision is None else str(revision)


def _migrate(engine: Engine) -> None:
    if _stored_revision(engine) == schema_head():
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _device_id(engine: Engine, device_uuid: str, device_name: str) -> int:
    with engine.begin() as conn:
        table = Device.__table__  # type: ignore[attr-defined]
        found = conn.execute(select(table.c.id).where(table.c.uuid == device_uuid)).scalar()
        if found is None:
            insert = table.insert().values(uuid=device_uuid, name=device_name)
            found = conn.execute(insert.returning(table.c.id)).scalar_one()
        return int(found)


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
