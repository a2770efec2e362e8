"""Opening the database: where it lives, migrations, this device's row, and damaged files.

A damaged or unreadable SQLite file is never overwritten: it is renamed aside, a fresh database
is started beside it, and the notice says where the old one went.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from breather import APP_NAME, MIGRATE_COMMAND
from breather.files import UnsafeFile, check_not_link, private_dir
from breather.store.journal import SpanJournal
from breather.store.schema import HOUR_MS, to_ms
from breather.store.sql import (
    Database,
    SqliteDatabase,
    open_database,
    safe_url,
    sqlite_path,
    sqlite_url,
)
from breather.store.writer import SpanWriter

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseUnusable(Exception):
    """The database cannot be opened; the message says what to do."""


@dataclass
class Store:
    """An open database and this machine's device row in it."""

    db: Database
    device_id: int
    url: str
    notices: list[str] = field(default_factory=list)

    def writer(self, *, flush_every: float = 9.0, journal: SpanJournal | None = None) -> SpanWriter:
        """The single writer of spans for this device (see SpanWriter for the journal)."""
        return SpanWriter(self.db, self.device_id, flush_every=flush_every, journal=journal)

    def last_end(self) -> datetime | None:
        """Where this device's stored history ends, so new spans never overlap it."""
        # Spans of one device never overlap, so the latest start has the latest end; reading
        # it backwards along the primary key avoids scanning a year of rows.
        last = self.db.value(
            "SELECT end_ms FROM span WHERE device_id = :device ORDER BY start_ms DESC LIMIT 1",
            {"device": self.device_id},
        )
        return None if last is None else datetime.fromtimestamp(last / 1000, UTC)

    def history_bounds(
        self, now: datetime
    ) -> tuple[datetime | None, list[tuple[datetime, datetime]]]:
        """Where this device's stored history up to `now` ends, and the stretches of it dated
        after `now` (merged, oldest first): see `Tracker(not_before=, taken=)`.

        Only history that exists may hold tracking back: a stored end in the future (a clock
        that ran ahead and was corrected, an imported event from the future) is not a floor
        that stops recording until that date, only a stretch no new span may overlap.
        """
        now_ms = to_ms(now)
        last = self.db.rows(
            "SELECT start_ms, end_ms FROM span WHERE device_id = :device AND start_ms <= :now"
            " ORDER BY start_ms DESC LIMIT 1",
            {"device": self.device_id, "now": now_ms},
        )
        floor = None if not last else datetime.fromtimestamp(min(last[0]) / 1000, UTC)
        if last and last[0][1] <= now_ms:
            floor = datetime.fromtimestamp(last[0][1] / 1000, UTC)
        # Stored pieces never cross an hour, so any piece ending after now starts after
        # now - 1 h: the primary key's range, not a scan of the whole history.
        ahead = self.db.rows(
            "SELECT start_ms, end_ms FROM span WHERE device_id = :device"
            " AND start_ms > :since AND end_ms > :now ORDER BY start_ms",
            {"device": self.device_id, "since": now_ms - HOUR_MS, "now": now_ms},
        )
        taken: list[list[int]] = []
        for start, end in ahead:
            if taken and start <= taken[-1][1]:
                taken[-1][1] = max(taken[-1][1], end)
            else:
                taken.append([start, end])
        return floor, [
            (datetime.fromtimestamp(a / 1000, UTC), datetime.fromtimestamp(b / 1000, UTC))
            for a, b in taken
        ]

    def close(self) -> None:
        self.db.close()


def open_store(
    url: str,
    *,
    device_uuid: str,
    device_name: str,
    migrate_apart: bool = False,
    full_check: bool | None = None,
    rename_device: bool = False,
    migrating: Callable[[], None] | None = None,
) -> Store:
    """Open (creating and migrating as needed) the database at `url` for this device.

    `migrate_apart` runs a needed migration (the first start, or one after an upgrade) in a
    child process, for processes that run for hours: alembic and SQLAlchemy take ~60 MB that
    a process never gives back once it has imported them. `migrating` is called once that
    child has started, for a caller with other work to do meanwhile.

    A SQLite file is checked before use: cheaply always (its header, size and schema), and
    with SQLite's `quick_check` over every page when `full_check` (default: with
    `migrate_apart`, i.e. when tracking starts) or when the cheap look finds something odd.

    `device_name` names a device new to this database; with `rename_device` (the person
    chose it, `[device] name`) it renames a known one too.
    """
    notices: list[str] = []
    path = sqlite_path(url)
    if path is not None:
        try:
            full = migrate_apart if full_check is None else full_check
            notices += _prepare_sqlite_file(path, full_check=full)
        except UnsafeFile as why:
            raise DatabaseUnusable(str(why)) from None
        url = sqlite_url(path)
    try:
        db = open_database(url)
    except Exception as error:  # an unknown driver or a malformed URL
        raise DatabaseUnusable(f"cannot use the database at {safe_url(url)}: {error}") from error
    try:
        stored, head = _stored_revision(db), schema_head()
        if stored is not None and stored > head:  # revisions are numbered: 0001, 0002, ...
            raise DatabaseUnusable(
                f"the database at {safe_url(url)} was last used by a newer version of "
                f"{APP_NAME} (its schema is {stored}; this version knows up to {head}). "
                "Update Breather, or use another database with --db."
            )
        if stored != head and not (stored is None and _create_from_snapshot(db, head)):
            if migrate_apart:
                _migrate_in_child(url, migrating)
            else:
                _migrate(db)
        device_id = _device_id(db, device_uuid, device_name, rename=rename_device)
    except DatabaseUnusable:
        db.close()
        raise
    except Exception as error:
        db.close()
        raise DatabaseUnusable(f"cannot use the database at {safe_url(url)}: {error}") from error
    return Store(db, device_id, url, notices)


def _prepare_sqlite_file(path: Path, *, full_check: bool = True) -> list[str]:
    notices: list[str] = []
    if not path.parent.exists():
        private_dir(path.parent)
    # SQLite opens these by name and follows links: a database planted as a link (or one of
    # another user) would be read and written as if it were ours.
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        check_not_link(path.with_name(name))
    if path.exists():
        problem = _sqlite_problem(path, full_check=full_check or not _looks_sound(path))
        if problem:
            aside = _keep_aside(path)
            notices.append(
                f"The database {path} could not be used ({problem}). It was kept, untouched, "
                f"as {aside}; Breather started a new one."
            )
    if not path.exists():
        # Create it owner-only before SQLite does; SQLite gives its -wal and -shm files the
        # same permissions as the database.
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as error:
            raise DatabaseUnusable(
                f"cannot create the database {path}: {error.strerror}. Make its folder "
                "writable for you, or choose another with --data-dir or --db."
            ) from None
    else:
        with contextlib.suppress(PermissionError):
            path.chmod(0o600)
    return notices


#: SQLite's own words for a file that is damaged (its primary result codes): only these, and
#: an integrity check that fails, set a database aside. Busy, locked, read-only, cannot open,
#: a full disk or an I/O error say nothing about the file, and never cost its history.
_DAMAGED_CODES = {11: "SQLITE_CORRUPT", 26: "SQLITE_NOTADB"}
#: How long a database held by another program is waited for before giving up (saying so).
LOCK_WAIT = 10.0


def _looks_sound(path: Path) -> bool:
    """What a glance at the file says: SQLite's header, a size that is whole pages and the
    page count the header gives, and no rollback journal left by a crash. A few hundred
    bytes read, where `quick_check` reads every page (31 ms a year of data, 92 ms three)."""
    try:
        with path.open("rb") as source:
            header = source.read(100)
        size = path.stat().st_size
        hot_journal = path.with_name(path.name + "-journal").stat().st_size > 0
    except FileNotFoundError:
        hot_journal = False
    except OSError:
        return False
    if not header:
        return True  # an empty file: a database not yet begun
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0") or hot_journal:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is SQLite's own only while the change counter (offset 24) equals the
    # version-valid-for number (offset 92); otherwise an older SQLite wrote the file last.
    count_valid = pages > 0 and header[24:28] == header[92:96]
    if page_size < 512 or size % page_size:
        return False
    return not (count_valid and pages * page_size != size)


def _sqlite_problem(path: Path, *, full_check: bool = True) -> str | None:
    """Why the file at `path` is damaged, or None; raises DatabaseUnusable when it cannot be
    told (locked, read-only, unreadable) — never a reason to set a healthy file aside."""
    if not path.is_file():
        return "it is not a regular file"
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise DatabaseUnusable(
            f"cannot read the database {path}: {error.strerror}. Breather left it as it is; "
            "make it readable and writable for you (chmod u+rw), then try again."
        ) from None
    try:
        # Read-only, so nothing (not even the journal mode) is changed before it is judged.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=LOCK_WAIT)
        try:
            # Without the full check, reading the schema (below) is the look at the file.
            result = conn.execute("PRAGMA quick_check").fetchone() if full_check else ("ok",)
            tables = {
                str(name)
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            revision = (
                conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _DAMAGED_CODES:
            return str(error)
        if code is not None and code & 0xFF in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
            raise DatabaseUnusable(
                f"the database {path} is locked by another program (waited "
                f"{LOCK_WAIT:g} s). It is not damaged and was left as it is; try again when "
                "that program is done (is a backup or another Breather using it?)."
            ) from None
        raise DatabaseUnusable(
            f"cannot open the database {path}: {error}. It was left as it is: check that "
            "you may read and write it and its folder, then try again."
        ) from None
    if not result or result[0] != "ok":
        return f"integrity check failed: {result[0] if result else 'no answer'}"
    # Judged before anything writes to it (opening switches it to WAL, migrating rewrites it).
    head = schema_head()
    if revision is not None and str(revision[0]) > head:
        raise DatabaseUnusable(
            f"the database {path} was last used by a newer version of {APP_NAME} (its schema "
            f"is {revision[0]}; this version knows up to {head}). It was left as it is. "
            "Update Breather, or use another database with --db."
        )
    if tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:4]) + (", …" if len(tables) > 4 else "")
        raise DatabaseUnusable(
            f"{path} is not a Breather database (it holds the tables {shown}), so it was left "
            "as it is. Give Breather's own with --db, or move this one away."
        )
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        which = path if not os.access(path, os.W_OK) else path.parent
        raise DatabaseUnusable(
            f"the database {path} is healthy, but {which} is read-only for you, so nothing "
            "can be recorded in it. Make it writable (chmod u+w), or choose another with "
            "--data-dir or --db."
        )
    return None


def _keep_aside(path: Path) -> Path:
    """Rename `path` (and its -wal and -shm) beside itself; never over an earlier one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for attempt in range(1, 1000):
        aside = path.with_name(
            f"{path.name}.damaged-{stamp}" + (f"-{attempt}" if attempt > 1 else "")
        )
        try:
            # A hard link fails if the name is taken, where a rename would replace it.
            os.link(path, aside)
        except FileExistsError:
            continue
        except OSError as error:
            raise DatabaseUnusable(
                f"the database {path} is damaged and cannot be set aside ({error.strerror}); "
                "move it away yourself, then try again."
            ) from None
        break
    else:
        raise DatabaseUnusable(f"the database {path} is damaged; move it away, then try again.")
    path.unlink()
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(aside.with_name(aside.name + suffix))
    return aside


def schema_head() -> str:
    """The newest migration's revision, read from the file names (NNNN_what.py, revision NNNN).

    Alembic and SQLAlchemy cost ~60 MB of memory and ~200 ms to import; they are only needed
    when a migration has to run, so the common case compares this with the stored revision in
    plain SQL. A test checks that this agrees with alembic's own idea of the head.
    """
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return names[-1][:4]


def _create_from_snapshot(db: Database, head: str) -> bool:
    """Give a new, empty SQLite database the newest schema from its snapshot (see
    `breather.store.snapshot`), in one transaction: milliseconds, without alembic. False
    (nothing done) for another database, one that is not empty, or a snapshot of an older
    revision: those are migrated."""
    from breather.store.snapshot import snapshot_statements

    if not isinstance(db, SqliteDatabase):
        return False
    statements = snapshot_statements(head)
    if statements is None:
        return False
    with db.write() as session:
        # Checked inside the transaction: another process may have just created it.
        if session.value("SELECT COUNT(*) FROM sqlite_master"):
            return False
        for statement in statements:
            session.run(statement)
    return True


def _stored_revision(db: Database) -> str | None:
    if not db.has_table("alembic_version"):
        return None
    revision = db.value("SELECT version_num FROM alembic_version")
    return None if revision is None else str(revision)


def _migrate(db: Database) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = db.sqlalchemy_engine()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    finally:
        engine.dispose()


#: A migration rewrites tables; on a year of data that takes seconds, not minutes.
MIGRATE_TIMEOUT = 600.0


def _migrate_in_child(url: str, started: Callable[[], None] | None = None) -> None:
    # The same program as this one: the frozen bundle's executable, or this Python running
    # the package.
    program = (
        [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "breather"]
    )
    with subprocess.Popen(
        [*program, MIGRATE_COMMAND],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        if started is not None:
            started()
        try:
            # The URL goes in on its standard input, not in its command line, which other
            # users can read: it may hold a password.
            _, stderr = child.communicate(url, timeout=MIGRATE_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            raise
    if child.returncode != 0:
        said = stderr.strip().splitlines()
        raise RuntimeError(said[-1] if said else f"the migration exited with {child.returncode}")


def migrate_main(url: str) -> int:
    """The child process of `_migrate_in_child`: migrate the database at `url` (which it
    reads from its standard input)."""
    db = open_database(url)
    try:
        _migrate(db)
    except Exception as error:
        # One line: the parent passes the last line on (SQLAlchemy adds the SQL and a link).
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        print(f"the migration failed: {first_line}", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


def _device_id(db: Database, device_uuid: str, device_name: str, *, rename: bool) -> int:
    with db.write() as session:
        found = session.value("SELECT id FROM device WHERE uuid = :uuid", {"uuid": device_uuid})
        if found is None:
            found = session.value(
                "INSERT INTO device (uuid, name) VALUES (:uuid, :name) RETURNING id",
                {"uuid": device_uuid, "name": device_name},
            )
        elif rename and device_name:
            # `[device] name` may have changed since; reports and other devices show this one.
            session.run(
                "UPDATE device SET name = :name WHERE id = :id AND name <> :name",
                {"id": found, "name": device_name},
            )
        return int(found)
