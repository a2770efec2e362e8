"""Tables. Apps, titles and devices are stored once and referenced, so a year stays small.

Times are integer milliseconds since the Unix epoch, UTC. A span row never crosses an hour
boundary (the writer splits at UTC hours): that bounds how far back a range query must look
and lets `app_hour` hold exact per-hour totals that week and year summaries add up.

These declarations are what the migrations are checked against (a test compares them) and what
alembic compares when a new migration is written; the app itself reads and writes the tables
in plain SQL (`breather.store.sql`), so running it never imports SQLModel.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class Device(SQLModel, table=True):
    """A machine whose spans are in this database; several may share one database."""

    __tablename__ = "device"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True, max_length=36)
    name: str = Field(default="")


class App(SQLModel, table=True):
    """An application as reports group it: `name` is the WM_CLASS class or process name."""

    __tablename__ = "app"
    __table_args__ = (UniqueConstraint("name", "process", "exe", name="uq_app_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    process: str = Field(default="")
    exe: str = Field(default="")


class Title(SQLModel, table=True):
    """A window title, stored once; found by a 64-bit digest so the text is not indexed twice."""

    __tablename__ = "title"
    __table_args__ = (Index("ix_title_digest", "digest"),)

    id: int | None = Field(default=None, primary_key=True)
    digest: int = Field(sa_column=Column(BigInteger, nullable=False))
    text: str


class SpanRow(SQLModel, table=True):
    """Time on one window (`app_id` set) or away from the machine (`app_id` NULL)."""

    __tablename__ = "span"
    __table_args__ = {"sqlite_with_rowid": False}

    start_ms: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    device_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    end_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
    app_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    title_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))


class AppHour(SQLModel, table=True):
    """Milliseconds per app (or away, `AWAY_APP_ID`) per UTC hour: the rollup reports read."""

    __tablename__ = "app_hour"
    __table_args__ = {"sqlite_with_rowid": False}

    hour: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    device_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    app_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    ms: int = Field(sa_column=Column(BigInteger, nullable=False))


class BoundaryEvent(SQLModel, table=True):
    """Something a boundary did and how the person answered: a break taken, a limit reached.

    `kind` is eyes, movement, limit, downtime or intention; `outcome` one of
    `breather.rules.Outcome` (due, taken, natural, postponed, skipped, ignored, ...);
    `subject` says which limit or category; `detail` holds numbers or an intention's words.
    """

    __tablename__ = "boundary_event"
    __table_args__ = (Index("ix_boundary_event_at", "at_ms"),)

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(sa_column=Column(Integer, nullable=False))
    at_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
    kind: str
    outcome: str
    subject: str = Field(default="")
    detail: str = Field(default="")


class Checkin(SQLModel, table=True):
    """A mood check-in: `mood` from 1 (low) to 5 (good) and the person's optional note.

    `uuid` is the check-in's name wherever it is copied (export, import, sync), so a copy is
    recognised and never added twice; `id` is only this database's row number.
    """

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("uuid", name="uq_checkin_uuid"),
        Index("ix_checkin_at", "at_ms"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36)
    device_id: int = Field(sa_column=Column(Integer, nullable=False))
    at_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
    mood: int = Field(sa_column=Column(Integer, nullable=False))
    note: str = Field(default="")


class Experiment(SQLModel, table=True):
    """A personal experiment: a daily limit (`kind` "limit", `subject` "category:NAME" or
    "app:NAME") or a break cadence (`kind` "breaks", `subject` "movement" or "eyes") of
    `value` seconds, tried for `days` days from `started_ms`; `ended_ms` if ended early.

    `uuid` is its name wherever it is copied (export, import), so a copy is never added twice.
    """

    __tablename__ = "experiment"
    __table_args__ = (UniqueConstraint("uuid", name="uq_experiment_uuid"),)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(max_length=36)
    device_id: int = Field(sa_column=Column(Integer, nullable=False))
    started_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
    days: int = Field(sa_column=Column(Integer, nullable=False))
    kind: str
    subject: str
    value: float = Field(sa_column=Column(Float, nullable=False))
    ended_ms: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


# -- sync (breather.sync): every database has these; a device and a server use different ones --


class SyncPending(SQLModel, table=True):
    """An hour of a device's records changed since a sync round last took it to send."""

    __tablename__ = "sync_pending"
    __table_args__ = {"sqlite_with_rowid": False}

    device_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    hour: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))


class SyncSending(SQLModel, table=True):
    """An hour a sync round took to send; gone once the server has kept it. A round killed
    in between leaves it here, and the next round sends it again."""

    __tablename__ = "sync_sending"
    __table_args__ = {"sqlite_with_rowid": False}

    device_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    hour: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))


class SyncPulled(SQLModel, table=True):
    """How far this device has read a server's changes (by the server's URL, password hidden)."""

    __tablename__ = "sync_pulled"

    server: str = Field(primary_key=True)
    change: int = Field(sa_column=Column(BigInteger, nullable=False))


class SyncForgetPending(SQLModel, table=True):
    """A deletion (`forget`, retention) not yet sent: [start_ms, end_ms) on every device."""

    __tablename__ = "sync_forget_pending"

    start_ms: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    end_ms: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))


class SyncClock(SQLModel, table=True):
    """On a server, one row: the last change number given out (its row lock orders rounds)."""

    __tablename__ = "sync_clock"

    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    change: int = Field(sa_column=Column(BigInteger, nullable=False))


class SyncHour(SQLModel, table=True):
    """On a server: the change that last replaced a device's hour of records."""

    __tablename__ = "sync_hour"
    __table_args__ = (Index("ix_sync_hour_change", "change"),)

    device_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    hour: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    change: int = Field(sa_column=Column(BigInteger, nullable=False))


class SyncForgotten(SQLModel, table=True):
    """On a server: a deletion every device applies, and that no record sent later undoes."""

    __tablename__ = "sync_forgotten"

    change: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    start_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
    end_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
