"""Sync under real faults: two devices tracking at once, a server that goes away, `kill -9`.

Each device is a real `breather track --demo` with its own data folder; the server is a real
PostgreSQL of this test's own (tests/postgres.py), so stopping it touches no other test.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breather.monitor.base import WindowInfo
from breather.settings.paths import device_identity
from breather.store import open_store, sqlite_url
from breather.tracking.spans import Span
from tests.faults.conftest import breather, env_for, no_traceback, stop, wait_for_line
from tests.postgres import PrivateServer, psycopg_missing, server_programs

#: Days of history the device whose rounds are killed has to send.
DAYS = 365
#: How many sync rounds are killed with SIGKILL at a random moment (the issue asks for 20+).
KILLS = 20

pytestmark = pytest.mark.postgresql

Record = tuple[str, int, int, str | None, str | None]


@pytest.fixture
def server() -> Iterator[PrivateServer]:
    """A PostgreSQL server for this test alone (it is stopped and started again)."""
    programs = server_programs()
    if programs is None or psycopg_missing():
        from tests.faults.conftest import missing

        missing(psycopg_missing() or "PostgreSQL is not installed (apt-get install postgresql)")
        raise AssertionError
    folder = Path(tempfile.mkdtemp(prefix="breather-pg-"))
    private = PrivateServer(programs, folder)
    private.start()
    try:
        yield private
    finally:
        private.stop()
        shutil.rmtree(folder, ignore_errors=True)


def computer(root: Path, name: str, url: str, extra: str = "") -> Path:
    """A data folder whose settings name the device and the sync server."""
    data = root / name
    data.mkdir(mode=0o700)
    (data / "breather.toml").write_text(
        f'[device]\nname = "{name}"\n\n[sync]\nurl = "{url}"\n{extra}'
    )
    return data


def sync(data: Path, **env: str) -> tuple[int, str]:
    proc = breather("sync", data=data, env=env_for(data, **env) if env else None)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def records(data: Path) -> list[Record]:
    """Every span in the device's database, by what it says (device, times, app, title)."""
    db = sqlite3.connect(f"file:{data / 'breather.db'}?mode=ro", uri=True)
    try:
        found = db.execute(
            "SELECT device.uuid, span.start_ms, span.end_ms, app.name, title.text FROM span"
            " JOIN device ON device.id = span.device_id LEFT JOIN app ON app.id = span.app_id"
            " LEFT JOIN title ON title.id = span.title_id"
        ).fetchall()
    finally:
        db.close()
    return sorted(found, key=lambda row: (row[0], row[1]))


def pending(data: Path) -> int:
    """Hours of the device's records not yet sent."""
    db = sqlite3.connect(f"file:{data / 'breather.db'}?mode=ro", uri=True)
    try:
        return int(
            db.execute(
                "SELECT (SELECT COUNT(*) FROM sync_pending) + (SELECT COUNT(*) FROM sync_sending)"
            ).fetchone()[0]
        )
    finally:
        db.close()


def report(data: Path) -> dict[str, object]:
    proc = breather("report", "--json", data=data)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    found: dict[str, object] = json.loads(out)
    return found


def union_seconds(rows: list[Record]) -> float:
    """Seconds at which at least one device was active, worked out from the spans alone."""
    total, reach = 0, 0
    for _, start, end, app, _ in sorted(rows, key=lambda row: row[1]):
        if app is None:
            continue
        begin = max(start, reach)
        if end > begin:
            total += end - begin
            reach = end
    return total / 1000


def test_two_devices_track_at_once_and_sync_through_a_server_that_goes_away(
    tmp_path: Path, server: PrivateServer
) -> None:
    url = server.new_database()
    # The laptop keeps app names only: no title of it may reach the server either.
    laptop = computer(tmp_path, "laptop", url, "\n[privacy]\ntitles = false\n")
    desktop = computer(tmp_path, "desktop", url)
    trackers = [breather("track", "--demo", data=data) for data in (laptop, desktop)]
    for proc in trackers:
        wait_for_line(proc, "tracking")
    time.sleep(4)  # both in use at once: the scenario, not a wait for something
    for data in (laptop, desktop, laptop):
        code, said = sync(data)
        assert code == 0, said
    server.stop()
    time.sleep(2)  # tracking goes on while the server is away
    code, said = sync(laptop)
    assert code == 1
    assert said.count("\n") == 1 and said.startswith("breather: "), said
    no_traceback(said)
    for proc in trackers:
        code, said = stop(proc)
        assert code == 0, said
        no_traceback(said)
    truth = {name: records(data) for name, data in (("laptop", laptop), ("desktop", desktop))}
    server.start()
    for data in (laptop, desktop, laptop):
        code, said = sync(data)
        assert code == 0, said

    own = {
        name: [row for row in rows if row[0] == device_identity(data)[0]]
        for (name, rows), data in zip(truth.items(), (laptop, desktop), strict=True)
    }
    everything = sorted(own["laptop"] + own["desktop"], key=lambda row: (row[0], row[1]))
    for data in (laptop, desktop):
        assert records(data) == everything  # nothing lost, nothing twice
        found = report(data)
        devices = {d["name"]: d["active_seconds"] for d in found["devices"]}  # type: ignore[attr-defined]
        for name, rows in own.items():
            mine = sum(end - start for _, start, end, app, _ in rows if app is not None) / 1000
            assert devices[name] == pytest.approx(mine, abs=0.002)
        assert found["active_seconds"] == pytest.approx(union_seconds(everything), abs=0.002)
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as server_db:
        titled = server_db.execute(
            "SELECT device.name, COUNT(span.title_id) FROM span"
            " JOIN device ON device.id = span.device_id GROUP BY device.name"
        ).fetchall()
    assert dict(titled)["laptop"] == 0
    assert dict(titled)["desktop"] > 0


def fill_history(data: Path, name: str, days: int) -> None:
    """`days` of history ending yesterday: a window every 10 minutes, titles that differ."""
    data.mkdir(mode=0o700)
    (data / "breather.toml").write_text(f'[device]\nname = "{name}"\n')
    uuid, _ = device_identity(data)
    store = open_store(sqlite_url(data / "breather.db"), device_uuid=uuid, device_name=name)
    writer = store.writer()
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
    spans = []
    for index in range(days * 24 * 6):
        at = start + timedelta(minutes=10 * index)
        window = WindowInfo(f"app{index % 7}", f"{name} document {index % 400}", "p", "/e")
        spans.append(Span(at, at + timedelta(minutes=9), window if index % 5 else None))
    writer.record(spans)
    writer.flush(None, 0.0, force=True)
    store.close()


def test_sync_rounds_killed_with_sigkill_then_one_clean_round_leave_everything_once(
    tmp_path: Path, server: PrivateServer
) -> None:
    url = server.new_database()
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    fill_history(laptop, "laptop", DAYS)
    fill_history(desktop, "desktop", 30)
    started = time.monotonic()
    code, said = sync(tmp_path / "timing", BREATHER_SYNC_URL=url)  # a round with nothing to do
    assert code == 0, said
    floor = time.monotonic() - started
    chance = random.Random(14)
    hours = DAYS * 24
    partly_sent = []  # hours still to send after each kill of the laptop's round
    for index in range(KILLS):
        data = (laptop, desktop)[index % 2]
        proc = breather("sync", data=data, env=env_for(data, BREATHER_SYNC_URL=url))
        # A moment from its start to about when a round with nothing to do ends: a round
        # with a year to send is still under way then.
        time.sleep(chance.uniform(0.3 * floor, 1.5 * floor))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        no_traceback(err)
        if data == laptop:
            partly_sent.append(pending(laptop))
    print(f"hours left to send after each kill: {partly_sent} of {hours}")
    assert any(0 < left < hours for left in partly_sent), "no kill landed mid-round"
    for data in (laptop, desktop, laptop):
        code, said = sync(data, BREATHER_SYNC_URL=url)
        assert code == 0, said
        print(said.strip())  # how much the killed rounds had left: they did get some way
    mine = {
        data: [row for row in records(data) if row[0] == device_identity(data)[0]]
        for data in (laptop, desktop)
    }
    everything = sorted(mine[laptop] + mine[desktop], key=lambda row: (row[0], row[1]))
    assert len(mine[laptop]) == DAYS * 24 * 6  # none lost locally either
    for data in (laptop, desktop):
        assert records(data) == everything
