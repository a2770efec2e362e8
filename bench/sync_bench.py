"""How long sync rounds take with the store benchmark's year, through a real PostgreSQL.

    python -m bench.sync_bench                 # the year store_bench builds (builds it if needed)
    python -m bench.sync_bench --quick         # 14 days, a smoke check
    python -m bench.sync_bench --server URL    # an existing, empty PostgreSQL database

Without `--server`, a private PostgreSQL server is started for the run (Debian's `postgresql`
package, a Unix socket in a temporary folder; see tests/postgres.py) and removed after.

The rounds, in order, each a real `sync_round` on freshly opened stores:

- first push of a year: the device with the year sends all of it to an empty server;
- new device pulls a year: an empty device receives it all (the issue's target: <= 10 s);
- push a day: the year device's last 24 hours changed (as a day of tracking changes them);
- pull a day: the other device receives that day;
- a round with nothing to do: what every background round costs when nothing changed.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/sync_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import store_bench
from breather.store import Store, open_store, sqlite_url
from breather.sync import SyncResult, sync_round

YEAR_DEVICE = "6f1c2b9e-0000-4000-8000-000000000365"
NEW_DEVICE = "6f1c2b9e-0000-4000-8000-000000000001"
#: The issue's target for a new device's first round with a year from another.
PULL_YEAR_TARGET = 10.0


@contextmanager
def private_server() -> Iterator[str]:
    """A private PostgreSQL for the run; yields the URL of an empty database on it."""
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from tests.postgres import PrivateServer, psycopg_missing, server_programs

    programs = server_programs()
    missing = psycopg_missing()
    if programs is None or missing:
        raise SystemExit(
            f"cannot start PostgreSQL: {missing or 'it is not installed'}; give one with --server"
        )
    folder = Path(tempfile.mkdtemp(prefix="breather-pg-"))
    server = PrivateServer(programs, folder)
    server.start()
    try:
        yield server.new_database()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def year_database(days: int, out: Path) -> Path:
    """The store benchmark's database for `days` (built by it when missing or stale)."""
    db = out / f"store-{days}d-seed1.sqlite"
    identity = store_bench._identity(days, 1, store_bench.DEFAULT_START)
    cached, _ = store_bench._cached_build(db, identity)
    if cached is None:
        print(f"building {db.name} with bench.store_bench ...", file=sys.stderr, flush=True)
        store_bench.main(["--days", str(days), "--runs", "1", "--out", str(out)])
    return db


def timed_round(open_device: Callable[[], Store], url: str) -> tuple[float, SyncResult]:
    store = open_device()
    try:
        started = time.perf_counter()
        result = sync_round(store, url)
        return time.perf_counter() - started, result
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_bench", description=__doc__)
    parser.add_argument("--days", type=int, default=365, help="days of history (default 365)")
    parser.add_argument("--quick", action="store_true", help="14 days instead")
    parser.add_argument("--server", metavar="URL", help="an empty PostgreSQL database to use")
    parser.add_argument("--out", type=Path, default=store_bench.BENCH_DIR / "out")
    args = parser.parse_args(argv)
    days = store_bench.QUICK_DAYS if args.quick else args.days
    args.out.mkdir(parents=True, exist_ok=True)
    source = year_database(days, args.out)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        year, fresh = work / "year.db", work / "new.db"
        with sqlite3.connect(source) as original, sqlite3.connect(year) as copy:
            original.backup(copy)
            # The store benchmark's device id is longer than a real uuid (a server's column
            # holds 36 characters): this copy's device gets a real one.
            copy.execute("UPDATE device SET uuid = :uuid", {"uuid": YEAR_DEVICE})

        def year_device() -> Store:
            return open_store(sqlite_url(year), device_uuid=YEAR_DEVICE, device_name="bench")

        def new_device() -> Store:
            return open_store(sqlite_url(fresh), device_uuid=NEW_DEVICE, device_name="new")

        new_device().close()  # created and migrated before the clock starts
        with private_server() if args.server is None else _given(args.server) as url:
            rows = []
            seconds, result = timed_round(year_device, url)
            rows.append(("first push of the history", seconds, f"{result.sent_hours} hours sent"))
            seconds, result = timed_round(new_device, url)
            verdict = "ok" if seconds <= PULL_YEAR_TARGET else "OVER"
            rows.append(
                (
                    "new device pulls it all",
                    seconds,
                    f"{result.received_hours} hours; <= {PULL_YEAR_TARGET:g} s {verdict}",
                )
            )
            store = year_device()
            with store.db.write() as conn:  # a day of tracking changed the last 24 hours
                conn.run(
                    "INSERT INTO sync_pending (device_id, hour)"
                    " SELECT device_id, hour FROM app_hour WHERE device_id = :d"
                    " AND hour > (SELECT MAX(hour) FROM app_hour) - 24 GROUP BY device_id, hour",
                    {"d": store.device_id},
                )
            store.close()
            seconds, result = timed_round(year_device, url)
            rows.append(("push a day", seconds, f"{result.sent_hours} hours sent"))
            seconds, result = timed_round(new_device, url)
            rows.append(("pull a day", seconds, f"{result.received_hours} hours received"))
            seconds, result = timed_round(year_device, url)
            rows.append(("a round with nothing to do", seconds, result.summary()))
    spans = sqlite3.connect(source).execute("SELECT COUNT(*) FROM span").fetchone()[0]
    print(f"Breather sync benchmark: {days} days ({spans:,} span rows), PostgreSQL on a socket")
    for name, seconds, note in rows:
        print(f"{name:<28} {seconds:>8.2f} s   {note}")
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    raise SystemExit(main())
