"""Plain SQL to the store's database, through the lightest driver that can run it.

Every statement in the store is written once, as text with `:name` parameters, in the SQL that
SQLite and PostgreSQL share (`ON CONFLICT ... DO UPDATE`, `RETURNING`, integer division).
A SQLite file, the default, is spoken to through the standard library's `sqlite3`; any other
SQLAlchemy URL goes through SQLAlchemy, imported only then. This keeps the always-running
tray process small: importing SQLAlchemy, SQLModel and pydantic costs about 60 MB of memory,
most of the app's budget, and the app's own statements need none of what they add. The
migrations (alembic) still run on SQLAlchemy, and only when the schema is behind.

Use `Database.read()` for a consistent view over several statements and `Database.write()`
for one transaction that is committed at the end of the block, or rolled back on an error.
Driver errors come out as `StoreError`, whichever driver raised them.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection

Row = tuple[Any, ...]
Params = Mapping[str, Any]

# Small pages keep the bytes written per commit small: each commit appends every page it
# touched to the write-ahead log.
SQLITE_PAGE_SIZE = 1024

#: How long a statement waits for another process's write lock before failing, in seconds.
BUSY_TIMEOUT = 5.0

_FILE_PREFIX = "sqlite:///"

#: Rows sent to a driver that needs them as dicts (`run_rows` through SQLAlchemy) at a time.
_ROWS_PER_BATCH = 5_000
#: A `:name` parameter in a statement (not a PostgreSQL `::type` cast).
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class StoreError(Exception):
    """The database refused or failed a statement (locked by another writer, disk full, ...)."""


class Session(ABC):
    """Statements inside one transaction: see `Database.read` and `Database.write`."""

    @abstractmethod
    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        """Every row the statement returns."""

    @abstractmethod
    def run(self, sql: str, params: Params | None = None) -> int:
        """Run a statement that changes rows; returns how many it changed."""

    @abstractmethod
    def run_many(self, sql: str, rows: Sequence[Params]) -> None:
        """Run one statement once per parameter set, as a batch."""

    @abstractmethod
    def run_rows(self, sql: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement once per row of values, each row giving the values of the
        statement's `:name` parameters in the order of `names`: the bulk path (an import's
        hundreds of thousands of rows), with no dict per row. `rows` may be an iterator; it is
        consumed as the rows are sent, so they need not all be held at once. (The statement
        is rewritten for SQLite's numbered parameters: no text in quotes may hold a colon.)"""

    @abstractmethod
    def stream(self, sql: str, params: Params | None = None, *, batch: int = 2000) -> Iterator[Row]:
        """The statement's rows, fetched `batch` at a time, for results too big to hold."""

    def value(self, sql: str, params: Params | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        found = self.rows(sql, params)
        return found[0][0] if found else None


class Database(ABC):
    """One database, opened by URL (see `open_database`). Safe to use from several threads."""

    #: The SQL dialect: "sqlite", "postgresql", ...
    backend: str

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent view of the database for the statements in the block."""
        with self._session(write=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        Inside another `read` or `write` block on the same thread, it joins that one.
        """
        with self._session(write=True) as session:
            yield session

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        """Run one query on its own."""
        with self.read() as session:
            return session.rows(sql, params)

    def value(self, sql: str, params: Params | None = None) -> Any:
        """Run one query on its own: the first column of its first row, or None."""
        with self.read() as session:
            return session.value(sql, params)

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        with self._transaction(write=write) as session:
            self._local.session = session
            try:
                yield session
            finally:
                self._local.session = None

    @abstractmethod
    def _transaction(self, *, write: bool) -> Any:
        """A context manager giving a Session inside a new transaction."""

    @abstractmethod
    def has_table(self, name: str) -> bool:
        """Whether the table exists."""

    @abstractmethod
    def run_alone(self, sql: str) -> None:
        """Run a statement outside any transaction (VACUUM, checkpoints)."""

    @abstractmethod
    def sqlalchemy_engine(self) -> Engine:
        """An SQLAlchemy engine on this database, for alembic; imports SQLAlchemy. Dispose
        of it when done (this object stays usable)."""

    @abstractmethod
    def close(self) -> None:
        """Close every connection this object opened."""


def open_database(url: str, *, busy_timeout: float = BUSY_TIMEOUT) -> Database:
    """The database at an SQLAlchemy URL; plain `sqlite:///path` URLs use `sqlite3` directly.

    Opening does not touch the file yet: connections are made by the first statement.
    """
    path = sqlite_path(url)
    if path is not None:
        return SqliteDatabase(path, busy_timeout=busy_timeout)
    return SqlAlchemyDatabase(url)


def sqlite_path(url: str) -> Path | None:
    """The file of a plain `sqlite:///path` URL; None for anything else (in memory, with
    options, other drivers or databases: those go through SQLAlchemy)."""
    if not url.startswith(_FILE_PREFIX) or "?" in url or url == "sqlite:///:memory:":
        return None
    return Path(url.removeprefix(_FILE_PREFIX)).expanduser()


def sqlite_url(path: Path) -> str:
    return f"{_FILE_PREFIX}{path}"


#: The password of a URL (`scheme://user:password@host`), and query values that may be secret
#: (`?key=...`, SQLCipher's `cipher_passphrase=...`).
_URL_PASSWORD = re.compile(r"^([^:/?#]+://[^:/?#@]*):([^@/?#]*)@")
_URL_SECRET = re.compile(r"([?&][^=&]*(?:pass|key|secret|token|pwd)[^=&]*=)[^&]*", re.IGNORECASE)


def safe_url(url: str) -> str:
    """The URL with any password, passphrase or key hidden, for messages.

    Plain text, without SQLAlchemy: any URL may carry one, `sqlite+pysqlcipher://:pass@/db`
    included, and a URL that does not parse must not be shown whole either.
    """
    hidden = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:***@", url)
    return _URL_SECRET.sub(lambda m: f"{m.group(1)}***", hidden)


def in_list(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`(:name0, :name1, ...)` and its parameters, for `column IN ...` with a list."""
    params = {f"{name}{index}": value for index, value in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params


# -- SQLite through the standard library --------------------------------------------------------


class _SqliteSession(Session):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        try:
            return self._connection.execute(sql, params or {}).fetchall()
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error

    def run(self, sql: str, params: Params | None = None) -> int:
        try:
            return self._connection.execute(sql, params or {}).rowcount
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error

    def run_many(self, sql: str, rows: Sequence[Params]) -> None:
        try:
            self._connection.executemany(sql, rows)
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error

    def run_rows(self, sql: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        try:
            self._connection.executemany(_numbered(sql, tuple(names)), rows)
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error

    def stream(self, sql: str, params: Params | None = None, *, batch: int = 2000) -> Iterator[Row]:
        try:
            cursor = self._connection.execute(sql, params or {})
            while chunk := cursor.fetchmany(batch):
                yield from chunk
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error


@lru_cache(maxsize=32)
def _numbered(sql: str, names: tuple[str, ...]) -> str:
    """`sql` with each `:name` written as SQLite's `?N`, N its place in `names` (from 1), so
    that a row of values binds by position: cheaper than a dict per row bound by name."""

    def number(match: re.Match[str]) -> str:
        try:
            return f"?{names.index(match.group(1)) + 1}"
        except ValueError:
            raise StoreError(f"no value given for the parameter :{match.group(1)}") from None

    return _NAMED_PARAMETER.sub(number, sql)


class SqliteDatabase(Database):
    """A SQLite file, in WAL mode with small pages (see SQLITE_PAGE_SIZE).

    Each thread gets its own connection, so the tracker's writes never wait for a query
    that the window is running, and the other way round.
    """

    backend = "sqlite"

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        super().__init__(sqlite_url(path))
        self.path = path
        self._busy_timeout = busy_timeout
        self._connections: list[sqlite3.Connection] = []
        self._guard = threading.Lock()

    def connect(self) -> sqlite3.Connection:
        """A new tuned connection, in autocommit mode (transactions are begun explicitly)."""
        try:
            connection = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,
                check_same_thread=False,  # only so that close() can close every thread's
            )
            connection.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")  # takes on a new file
            connection.execute("PRAGMA journal_mode = WAL")
            # With WAL the file stays consistent; a power cut loses at most the last commit.
            connection.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error
        return connection

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self.connect()
            self._local.connection = connection
            with self._guard:
                self._connections.append(connection)
        return connection

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Session]:
        connection = self._connection()
        try:
            # IMMEDIATE takes the write lock up front, so a writer waits (busy_timeout) at
            # BEGIN rather than failing halfway when another process holds the lock.
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error
        try:
            yield _SqliteSession(connection)
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise StoreError(str(error)) from error

    def has_table(self, name: str) -> bool:
        found = self.value(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name", {"name": name}
        )
        return found is not None

    def run_alone(self, sql: str) -> None:
        try:
            self._connection().execute(sql).fetchall()
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error

    def sqlalchemy_engine(self) -> Engine:
        from sqlalchemy import create_engine, event
        from sqlalchemy.pool import NullPool

        engine = create_engine("sqlite://", creator=self.connect, poolclass=NullPool)

        # The connections are in autocommit mode: begin explicitly, so that a migration is
        # one transaction (SQLite can roll back schema changes too).
        def begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")

        event.listen(engine, "begin", begin)
        return engine

    def close(self) -> None:
        with self._guard:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()


# -- anything else through SQLAlchemy -----------------------------------------------------------


class _AlchemySession(Session):
    def __init__(self, connection: Connection, wrap: Callable[[], Any]) -> None:
        from sqlalchemy import text

        self._connection = connection
        self._text = text
        self._errors = wrap

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        with self._errors():
            result = self._connection.execute(self._text(sql), dict(params or {}))
            return [tuple(row) for row in result] if result.returns_rows else []

    def run(self, sql: str, params: Params | None = None) -> int:
        with self._errors():
            return int(self._connection.execute(self._text(sql), dict(params or {})).rowcount)

    def run_many(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            with self._errors():
                self._connection.execute(self._text(sql), [dict(row) for row in rows])

    def run_rows(self, sql: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        statement = self._text(sql)
        remaining = iter(rows)
        with self._errors():
            while batch := [
                dict(zip(names, row, strict=True)) for row in islice(remaining, _ROWS_PER_BATCH)
            ]:
                self._connection.execute(statement, batch)

    def stream(self, sql: str, params: Params | None = None, *, batch: int = 2000) -> Iterator[Row]:
        with self._errors():
            # Options for this statement only: Connection.execution_options() would change
            # the connection in place, and every later INSERT ... RETURNING would then run
            # through a server-side cursor, which PostgreSQL refuses.
            result = self._connection.execute(
                self._text(sql), dict(params or {}), execution_options={"yield_per": batch}
            )
            for row in result:
                yield tuple(row)


class SqlAlchemyDatabase(Database):
    """Any database SQLAlchemy has a driver for (PostgreSQL, ...), at its URL."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        super().__init__(url)
        self._engine = create_engine(url)
        self.backend = self._engine.dialect.name

    @contextmanager
    def _errors(self) -> Iterator[None]:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            yield
        except SQLAlchemyError as error:
            raise StoreError(str(error)) from error

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Session]:
        with self._errors(), self._engine.begin() as connection:
            yield _AlchemySession(connection, self._errors)

    def has_table(self, name: str) -> bool:
        from sqlalchemy import inspect

        with self._errors(), self._engine.connect() as connection:
            return bool(inspect(connection).has_table(name))

    def run_alone(self, sql: str) -> None:
        from sqlalchemy import text

        with (
            self._errors(),
            self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
        ):
            connection.execute(text(sql))

    def sqlalchemy_engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()
