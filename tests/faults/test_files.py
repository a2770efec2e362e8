"""Breather's own files: no link is followed, no file or folder of another user is used.

Another real user plants symbolic links and files in a data folder that was shared, before its
owner made it private again; every command must leave the link's target exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.faults.conftest import as_user, breather, no_traceback, run, stop, wait_for_line

OWN_FILES = [
    "pending-spans.jsonl",
    "device-id",
    "breather.db",
    "breather.db-wal",
    "tracker.lock",
    "paused-until",
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def victim_file(where: Path) -> tuple[Path, bytes]:
    victim = where / "victim.txt"
    content = b"years of someone's notes\n"
    victim.write_bytes(content)
    victim.chmod(0o644)
    return victim, content


def track_briefly(data: Path) -> str:
    """Start `breather track --demo`; stop it once it tracks (or see it refuse); all it said."""
    proc = breather("track", "--demo", data=data)
    try:
        wait_for_line(proc, "tracking", timeout=20)
    except AssertionError:
        _, err = proc.communicate(timeout=30)
        return "".join(proc.__dict__.get("said", [])) + err
    _, said = stop(proc)
    return said


@pytest.mark.parametrize("name", OWN_FILES)
def test_a_link_planted_by_another_user_is_never_followed(
    shared: Path, stranger: str, name: str
) -> None:
    data = shared / "data"
    data.mkdir(mode=0o700)
    data.chmod(0o777)  # shared for a while...
    victim, content = victim_file(shared)
    as_user(stranger, "ln", "-s", str(victim), str(data / name))
    data.chmod(0o700)  # ...then made private again, with the link still in it

    said = track_briefly(data)
    said += run("report", data=data).stderr
    paused = run("pause", "30m", data=data)
    said += paused.stderr
    said += run("pause", "off", data=data).stderr

    no_traceback(said)
    assert victim.read_bytes() == content
    assert mode(victim) == 0o644
    if name == "paused-until":
        # A pause note that cannot be read counts as no pause; a new one replaces the link
        # (a rename, which never writes through it).
        assert paused.returncode == 0, paused.stderr
    else:
        assert "symbolic link" in said
        assert (data / name).is_symlink()  # refused, not removed behind the person's back


def test_a_folder_others_can_write_into_is_refused(shared: Path) -> None:
    data = shared / "data"
    data.mkdir()
    data.chmod(0o777)
    result = run("report", data=data)
    assert result.returncode == 1
    no_traceback(result.stderr)
    assert "others can write into the folder" in result.stderr
    assert "chmod 700" in result.stderr
    assert list(data.iterdir()) == []  # nothing was written into it


def test_a_folder_of_another_user_is_refused(shared: Path, stranger: str) -> None:
    data = shared / "data"
    data.mkdir(mode=0o700)
    shutil.chown(data, user=stranger)
    result = run("report", data=data)
    assert result.returncode == 1
    no_traceback(result.stderr)
    assert "belongs to another user" in result.stderr


def test_a_database_of_another_user_is_not_used(shared: Path, stranger: str) -> None:
    data = shared / "data"
    data.mkdir(mode=0o700)
    planted = data / "breather.db"
    sqlite3.connect(planted).close()
    planted.chmod(0o666)
    shutil.chown(planted, user=stranger)
    result = run("report", data=data)
    assert result.returncode == 1
    no_traceback(result.stderr)
    assert "belongs to another user" in result.stderr


def test_a_folder_that_is_merely_too_open_is_tightened_and_so_are_its_files(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    assert run("report", data=data).returncode == 0
    (data / "breather.db").chmod(0o644)
    (data / "device-id").chmod(0o644)
    assert run("report", data=data).returncode == 0
    assert mode(data) == 0o700
    assert mode(data / "breather.db") == 0o600
    assert mode(data / "device-id") == 0o600


def test_new_parent_folders_are_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "a" / "b" / "data"
    assert run("report", data=data).returncode == 0
    for folder in (tmp_path / "a", tmp_path / "a" / "b", data):
        assert mode(folder) == 0o700, folder


def test_export_never_writes_through_a_link_and_is_owner_only_over_an_old_file(
    shared: Path, stranger: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    victim, content = victim_file(shared)
    drop = shared / "drop"
    drop.mkdir()
    drop.chmod(0o777)
    link = drop / "spans.csv"
    as_user(stranger, "ln", "-s", str(victim), str(link))
    result = run("export", "--output", str(link), data=data)
    assert result.returncode == 1
    no_traceback(result.stderr)
    assert "symbolic link" in result.stderr
    assert victim.read_bytes() == content

    old = tmp_path / "old.csv"
    old.write_text("an old export everyone could read\n")
    old.chmod(0o644)
    assert run("export", "--output", str(old), data=data).returncode == 0
    assert mode(old) == 0o600
    assert "everyone could read" not in old.read_text()


def test_a_fifo_as_the_device_id_is_refused_without_hanging(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    os.mkfifo(data / "device-id")
    result = run("report", data=data)
    assert result.returncode == 1
    no_traceback(result.stderr)
    assert "not a regular file" in result.stderr
