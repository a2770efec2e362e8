"""A database that is busy, read-only or out of reach is not damaged: its history stays.

Real SQLite files, a real lock held by another process, and real permissions as a process
without root's power over them.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from breather.cli.main import main
from breather.store import open_store
from breather.store.database import LOCK_WAIT
from tests.faults.conftest import no_traceback, run, run_unprivileged, spans

HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode = EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))  # what another program does with the file: hold it, then let go
db.execute("COMMIT")
db.close()
"""


def with_history(data: Path) -> int:
    """A real database with a few spans in it; how many."""
    export = data.parent / "history.jsonl"
    start = datetime.now(UTC) - timedelta(days=1)
    lines = []
    for i in range(3):
        begin = start + timedelta(minutes=10 * i)
        end = begin + timedelta(minutes=5)
        record = {"start": begin.isoformat(), "end": end.isoformat(), "app": "code"}
        lines.append(json.dumps({**record, "title": f"notes {i}"}))
    export.write_text("\n".join(lines) + "\n")
    assert run("import", "jsonl", str(export), data=data).returncode == 0
    return len(spans(data))


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_database_locked_for_a_moment_is_waited_for(data: Path) -> None:
    count = with_history(data)
    holder = hold_lock(data / "breather.db", 2.0)
    result = run("report", "--day", "yesterday", data=data)
    holder.communicate(timeout=30)
    no_traceback(result.stderr)
    assert result.returncode == 0, result.stderr
    assert not list(data.glob("*.damaged-*"))
    assert len(spans(data)) == count


def test_a_database_locked_for_long_is_not_set_aside(data: Path) -> None:
    count = with_history(data)
    holder = hold_lock(data / "breather.db", LOCK_WAIT + 8)
    try:
        result = run("report", data=data)
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert "locked by another program" in result.stderr
    assert "damaged" not in result.stderr.replace("not damaged", "")
    assert not list(data.glob("*.damaged-*"))
    assert len(spans(data)) == count


def test_two_set_asides_in_one_second_keep_both(data: Path, capsys) -> None:
    now = datetime.now(UTC)
    # Someone's earlier damaged copies, from this second and the next: never overwritten.
    for moment in (now, now + timedelta(seconds=1)):
        stamp = moment.strftime("%Y%m%dT%H%M%SZ")
        (data / f"breather.db.damaged-{stamp}").write_text(f"kept from {stamp}")
    for attempt in ("first", "second"):
        (data / "breather.db").write_text(f"not sqlite: {attempt}")
        assert main(["--data-dir", str(data), "report"]) == 0
    kept = sorted(path.read_text() for path in data.glob("breather.db.damaged-*"))
    assert len(kept) == 4
    assert "not sqlite: first" in kept and "not sqlite: second" in kept
    capsys.readouterr()


def test_a_healthy_database_in_a_read_only_folder_is_not_called_damaged(data: Path) -> None:
    count = with_history(data)
    data.chmod(0o500)
    try:
        result = run_unprivileged("report", data=data)
    finally:
        data.chmod(0o700)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert "damaged" not in result.stderr.replace("not damaged", "")
    assert str(data) in result.stderr
    assert not list(data.glob("*.damaged-*"))
    assert len(spans(data)) == count


def test_a_read_only_database_is_named_and_left_alone(data: Path) -> None:
    count = with_history(data)
    (data / "breather.db").chmod(0o400)
    result = run_unprivileged("track", "--demo", data=data)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert "read-only" in result.stderr
    assert "chmod u+w" in result.stderr
    assert not list(data.glob("*.damaged-*"))
    (data / "breather.db").chmod(0o600)
    assert len(spans(data)) == count


def test_a_data_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("not a folder")
    result = run("report", data=data)
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert f"{data} is not a folder" in result.stderr
    assert data.read_text() == "not a folder"


def test_an_unwritable_parent_is_named(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir(mode=0o500)
    result = run_unprivileged("report", data=parent / "data")
    no_traceback(result.stderr)
    assert result.returncode == 1
    assert f"cannot create the folder {parent / 'data'}" in result.stderr


def damaged_inside(data: Path) -> Path:
    """A real database with one page deep inside overwritten, its size still whole pages."""
    with_history(data)
    path = data / "breather.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    assert pages > 3
    with path.open("r+b") as file:
        file.seek(page_size * (pages - 2))
        file.write(b"\xff" * page_size)
    return path


def test_commands_glance_and_tracking_checks_every_page(data: Path) -> None:
    path = damaged_inside(data)
    # A report glances at the header and the schema (0.3 ms, where every page takes 33 ms
    # on a year of data): the damage deep inside is left for the full check.
    glance = open_store(f"sqlite:///{path}", device_uuid="me", device_name="me", full_check=False)
    glance.close()
    assert not list(data.glob("*.damaged-*"))
    # Tracking starts with the full check, which finds it and sets the file aside.
    full = open_store(f"sqlite:///{path}", device_uuid="me", device_name="me", full_check=True)
    full.close()
    assert full.notices and "could not be used" in full.notices[0]
    assert list(data.glob("*.damaged-*"))


def test_a_file_that_looks_odd_gets_the_full_check_anyway(data: Path) -> None:
    path = damaged_inside(data)
    with path.open("ab") as file:
        file.write(b"\0" * 100)  # no longer whole pages: a torn write
    store = open_store(f"sqlite:///{path}", device_uuid="me", device_name="me", full_check=False)
    store.close()
    assert store.notices
    assert list(data.glob("*.damaged-*"))
