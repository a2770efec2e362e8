"""One sync round between this device's database and the server (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from breather.store import DatabaseUnusable, Store, open_store
from breather.store.maintenance import delete_range
from breather.store.schema import HOUR_MS
from breather.store.sql import Database, Session, StoreError, safe_url
from breather.sync.kinds import RECORD_KINDS, Names, Ranges, Row

#: Hours of records sent or received in one transaction: short enough that the tracker's
#: writes to the local database never wait long, long enough that a year takes few.
BATCH_HOURS = 500


class SyncFailed(Exception):
    """The round could not finish; the message is one line for the person (no password).
    What was sent or received before the failure stays done; the rest goes next round."""


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What a round moved: hours of this device's records sent, hours of others' received,
    and deletions sent."""

    sent_hours: int
    received_hours: int
    forgotten: int

    def summary(self) -> str:
        return (
            f"sent {self.sent_hours} hour(s) of records, received {self.received_hours}, "
            f"{self.forgotten} deletion(s) sent"
        )


#: Called between steps with what was just done (tests stop a round there).
Progress = Callable[[str], None]


def sync_round(
    local: Store,
    server_url: str,
    *,
    batch_hours: int = BATCH_HOURS,
    progress: Progress | None = None,
) -> SyncResult:
    """Send this device's changes to the server at `server_url`, and receive the others'.

    Raises SyncFailed (one line, password hidden) when the server cannot be reached or
    refuses; the local database is never left half-changed."""
    uuid, name = local.db.rows(
        "SELECT uuid, name FROM device WHERE id = :id", {"id": local.device_id}
    )[0]
    shown = safe_url(server_url)
    try:
        server = open_store(
            with_connect_timeout(server_url),
            device_uuid=str(uuid),
            device_name=str(name),
            rename_device=True,
        )
    except DatabaseUnusable as why:
        if isinstance(why.__cause__, ImportError):  # SQLAlchemy found no driver for the URL
            raise SyncFailed(
                "the PostgreSQL driver is not installed: pip install 'breather[postgresql]'"
            ) from None
        raise SyncFailed(_one_line(f"cannot reach the sync server: {why}")) from None
    step = progress or (lambda _: None)
    try:
        forgotten = _send_deletions(local.db, server.db)
        step("deletions sent")
        received = _receive(
            local.db, server.db, str(uuid), shown, batch_hours=batch_hours, step=step
        )
        sent = _send(local.db, server.db, batch_hours, step)
    except StoreError as error:
        raise SyncFailed(
            _one_line(f"the sync with {shown} stopped: {error}; the rest goes next round")
        ) from None
    finally:
        server.close()
    return SyncResult(sent, received, forgotten)


#: Seconds to wait for a PostgreSQL server that does not answer (a laptop on another network
#: would otherwise wait for the system's TCP timeout, minutes).
CONNECT_TIMEOUT = 10


def with_connect_timeout(url: str) -> str:
    """A PostgreSQL URL with libpq's `connect_timeout`, unless it sets its own."""
    if not url.startswith("postgresql") or "connect_timeout=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}connect_timeout={CONNECT_TIMEOUT}"


def _one_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else text
    return first.removeprefix("(psycopg.OperationalError) ")


# -- the server's change numbers ----------------------------------------------------------------


def _next_change(conn: Session) -> int:
    """The next change number. Its row stays locked until the transaction ends, so rounds
    that write to the server take turns and commit in the order of their numbers: a device
    that has read up to N has seen every change up to N."""
    return int(
        conn.value("UPDATE sync_clock SET change = change + 1 WHERE id = 1 RETURNING change")
    )


def _forgotten(conn: Session) -> list[tuple[int, int]]:
    """Every stretch forgotten on the server, overlapping ones merged (retention's [0, cutoff)
    of every start, and each `forget`, cut a pushed hour once each, not once per deletion)."""
    merged: list[list[int]] = []
    for lo, hi in conn.rows("SELECT start_ms, end_ms FROM sync_forgotten ORDER BY start_ms"):
        if merged and int(lo) <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], int(hi))
        else:
            merged.append([int(lo), int(hi)])
    return [(lo, hi) for lo, hi in merged]


# -- 1. deletions -------------------------------------------------------------------------------


def _send_deletions(local: Database, server: Database) -> int:
    waiting = [
        (int(lo), int(hi))
        for lo, hi in local.rows("SELECT start_ms, end_ms FROM sync_forget_pending")
    ]
    if not waiting:
        return 0
    with server.write() as conn:
        for lo, hi in waiting:
            if conn.value(
                "SELECT 1 FROM sync_forgotten WHERE start_ms <= :lo AND end_ms >= :hi",
                {"lo": lo, "hi": hi},
            ):
                continue  # forgotten there already (another device's retention, say)
            change = _next_change(conn)
            conn.run(
                "INSERT INTO sync_forgotten (change, start_ms, end_ms) VALUES (:change, :lo, :hi)",
                {"change": change, "lo": lo, "hi": hi},
            )
            delete_range(server, lo, hi, everywhere=False)  # joins this transaction
    with local.write() as conn:
        conn.run_many(
            "DELETE FROM sync_forget_pending WHERE start_ms = :lo AND end_ms = :hi",
            [{"lo": lo, "hi": hi} for lo, hi in waiting],
        )
    return len(waiting)


# -- 2. receiving -------------------------------------------------------------------------------


def _receive(
    local: Database,
    server: Database,
    me: str,
    server_key: str,
    *,
    batch_hours: int,
    step: Progress,
) -> int:
    received = 0
    while True:
        cursor = int(
            local.value(
                "SELECT change FROM sync_pulled WHERE server = :server", {"server": server_key}
            )
            or 0
        )
        with server.read() as conn:
            deletions = conn.rows(
                "SELECT change, start_ms, end_ms FROM sync_forgotten WHERE change > :cursor"
                " ORDER BY change",
                {"cursor": cursor},
            )
            # Up to `batch_hours` hours, and never part of a change: a device that read a
            # change has read all of it (one change may replace many hours).
            last = conn.value(
                "SELECT sync_hour.change FROM sync_hour JOIN device ON device.id ="
                " sync_hour.device_id WHERE sync_hour.change > :cursor AND device.uuid <> :me"
                " ORDER BY sync_hour.change LIMIT 1 OFFSET :skip",
                {"cursor": cursor, "me": me, "skip": batch_hours - 1},
            )
            more = last is not None
            top = int(last) if more else int(conn.value("SELECT change FROM sync_clock") or 0)
            changed = conn.rows(
                "SELECT sync_hour.change, device.uuid, device.name, sync_hour.device_id,"
                " sync_hour.hour FROM sync_hour JOIN device ON device.id = sync_hour.device_id"
                " WHERE sync_hour.change > :cursor AND sync_hour.change <= :top"
                " AND device.uuid <> :me",
                {"cursor": cursor, "top": top, "me": me},
            )
            contents = _read_hours(conn, [(int(row[3]), int(row[4])) for row in changed])
        # A deletion from the server is applied here as it was there (never sent back).
        # The hours read are as the server holds them now, after every deletion so far.
        for change, lo, hi in deletions:
            if int(change) <= top:
                delete_range(local, int(lo), int(hi), everywhere=False)
        with local.write() as conn:
            names = Names(conn)
            local_ids: dict[int, int] = {}
            for _, uuid, name, server_device, _ in changed:
                if server_device not in local_ids:
                    local_ids[server_device] = _device_row(conn, str(uuid), str(name))
            for (server_device, lo, hi), per_kind in contents.items():
                for kind, rows in zip(RECORD_KINDS, per_kind, strict=True):
                    kind.replace(conn, names, local_ids[server_device], (lo, hi), rows)
            conn.run(
                "INSERT INTO sync_pulled (server, change) VALUES (:server, :change)"
                " ON CONFLICT (server) DO UPDATE SET change = excluded.change",
                {"server": server_key, "change": top},
            )
        received += len(changed)
        step(f"received {len(changed)} hour(s)")
        if not more:
            return received


def _device_row(conn: Session, uuid: str, name: str) -> int:
    """The local id of the device `uuid`, made if new; its name follows the device's own."""
    found = conn.value("SELECT id FROM device WHERE uuid = :uuid", {"uuid": uuid})
    if found is None:
        return int(
            conn.value(
                "INSERT INTO device (uuid, name) VALUES (:uuid, :name) RETURNING id",
                {"uuid": uuid, "name": name},
            )
        )
    conn.run(
        "UPDATE device SET name = :name WHERE id = :id AND name <> :name",
        {"id": found, "name": name},
    )
    return int(found)


def _runs(hours: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Sorted hours as [lo_ms, hi_ms) stretches of consecutive hours."""
    start = previous = None
    for hour in sorted(set(hours)):
        if previous is not None and hour == previous + 1:
            previous = hour
            continue
        if start is not None and previous is not None:
            yield start * HOUR_MS, (previous + 1) * HOUR_MS
        start = previous = hour
    if start is not None and previous is not None:
        yield start * HOUR_MS, (previous + 1) * HOUR_MS


def _read_hours(
    conn: Session, device_hours: Sequence[tuple[int, int]]
) -> dict[tuple[int, int, int], list[list[Row]]]:
    """Each kind's records of the (device, hour)s, by (device, lo_ms, hi_ms) stretch."""
    by_device: dict[int, list[int]] = {}
    for device, hour in device_hours:
        by_device.setdefault(device, []).append(hour)
    contents: dict[tuple[int, int, int], list[list[Row]]] = {}
    for device, hours in by_device.items():
        for lo, hi in _runs(hours):
            contents[(device, lo, hi)] = [kind.read(conn, device, lo, hi) for kind in RECORD_KINDS]
    return contents


# -- 3. sending ---------------------------------------------------------------------------------


def _send(local: Database, server: Database, batch_hours: int, step: Progress) -> int:
    sent = 0
    while True:
        # Take the hours to send before reading them: a change made from now on marks its
        # hour pending again, for a later batch or round. Hours a killed round took first.
        with local.write() as conn:
            taken = conn.rows(
                "SELECT device_id, hour FROM sync_sending ORDER BY device_id, hour LIMIT :limit",
                {"limit": batch_hours},
            )
            if len(taken) < batch_hours:
                fresh = conn.rows(
                    "SELECT device_id, hour FROM sync_pending ORDER BY device_id, hour"
                    " LIMIT :limit",
                    {"limit": batch_hours - len(taken)},
                )
                moved = [{"device": d, "hour": h} for d, h in fresh]
                conn.run_many(
                    "INSERT INTO sync_sending (device_id, hour) VALUES (:device, :hour)"
                    " ON CONFLICT (device_id, hour) DO NOTHING",
                    moved,
                )
                conn.run_many(
                    "DELETE FROM sync_pending WHERE device_id = :device AND hour = :hour", moved
                )
                taken += fresh
        if not taken:
            return sent
        hours = [(int(device), int(hour)) for device, hour in taken]
        with local.read() as conn:
            devices = {
                int(device_id): (str(uuid), str(name))
                for device_id, uuid, name in conn.rows("SELECT id, uuid, name FROM device")
            }
            contents = _read_hours(conn, hours)
        with server.write() as conn:
            change = _next_change(conn)
            forgotten = _forgotten(conn)
            names = Names(conn)
            server_ids = {
                device: _device_row(conn, *devices[device]) for device in {d for d, _ in hours}
            }
            for (device, lo, hi), per_kind in contents.items():
                for kind, rows in zip(RECORD_KINDS, per_kind, strict=True):
                    kind.replace(
                        conn, names, server_ids[device], (lo, hi), kind.outside(rows, forgotten)
                    )
            conn.run_many(
                "INSERT INTO sync_hour (device_id, hour, change) VALUES (:device, :hour, :change)"
                " ON CONFLICT (device_id, hour) DO UPDATE SET change = excluded.change",
                [
                    {"device": server_ids[device], "hour": hour, "change": change}
                    for device, hour in hours
                ],
            )
        step(f"sent {len(hours)} hour(s)")
        with local.write() as conn:  # the server keeps them: done
            conn.run_many(
                "DELETE FROM sync_sending WHERE device_id = :device AND hour = :hour",
                [{"device": device, "hour": hour} for device, hour in hours],
            )
        sent += len(hours)
        if len(hours) < batch_hours:
            # What changes while this round runs goes in the next one: a round never chases
            # a tracker that keeps writing.
            return sent


__all__ = ["Ranges", "SyncFailed", "SyncResult", "sync_round"]
