"""What Breather prints: no secret from a URL, and no title that drives the terminal.

Titles with terminal escapes go in through a real import; reports and exports come out on a
real pseudo-terminal, as a person sees them, and through a pipe, as a script reads them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from breather.store.sql import safe_url
from tests.faults.conftest import ROOT, breather, env_for, no_traceback, run, stop, wait_for_line

EVIL_TITLE = "\x1b]0;you were hacked\x07\x1b[31mred\x1b[0m \x9b2J \u202eevil"
EVIL_APP = "term\x1b[5m"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def with_evil_titles(data: Path) -> None:
    start = datetime.now(UTC) - timedelta(hours=2)
    record = {
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=30)).isoformat(),
        "app": EVIL_APP,
        "title": EVIL_TITLE,
    }
    export = data.parent / "evil.jsonl"
    export.write_text(json.dumps(record) + "\n")
    imported = run("import", "jsonl", str(export), data=data)
    assert imported.returncode == 0, imported.stderr


def on_terminal(data: Path, *args: str) -> str:
    """What `breather ARGS` shows on a real pseudo-terminal."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "breather", *args],
        env=env_for(data),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0, shown
    return shown.decode("utf-8", "replace")


def test_reports_escape_control_characters_on_a_terminal(data: Path) -> None:
    with_evil_titles(data)
    for by in ("title", "app"):
        shown = on_terminal(data, "report", "--day", "today", "--by", by)
        assert "30m" in shown or "30 m" in shown or "0:30" in shown, shown
        for raw in RAW:
            assert raw not in shown, (by, shown)
    shown = on_terminal(data, "report", "--day", "today", "--by", "title")
    assert "\\x1b]0;you were hacked\\x07" in shown
    exported = on_terminal(data, "export")
    assert "\\x1b" in exported
    for raw in RAW:
        assert raw not in exported


def test_json_keeps_the_data_and_no_raw_control_character(data: Path) -> None:
    with_evil_titles(data)
    result = run("report", "--day", "today", "--by", "title", "--json", data=data)
    for raw in RAW:
        assert raw not in result.stdout
    keys = [total["key"] for total in json.loads(result.stdout)["totals"]]
    assert EVIL_TITLE in keys
    lines = run("export", "--format", "jsonl", data=data).stdout
    for raw in RAW:
        assert raw not in lines
    assert json.loads(lines.splitlines()[0])["title"] == EVIL_TITLE


def test_an_export_to_a_file_keeps_titles_as_they_were(data: Path) -> None:
    with_evil_titles(data)
    target = data.parent / "spans.csv"
    assert run("export", "--output", str(target), data=data).returncode == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0]["title"] == EVIL_TITLE


def test_track_never_prints_the_password_of_its_database_url(data: Path) -> None:
    url = f"sqlite+pysqlite:///{data / 'other.db'}?password=hunter2"
    proc = breather("--db", url, "track", "--demo", data=data)
    wait_for_line(proc, "tracking")
    code, said = stop(proc)
    assert code == 0, said
    no_traceback(said)
    assert "hunter2" not in said


def test_safe_url_hides_sqlite_passphrases_too() -> None:
    assert "s3cret" not in safe_url("sqlite+pysqlcipher://:s3cret@//home/me/breather.db")
    assert "s3cret" not in safe_url("sqlite+pysqlcipher:///b.db?cipher_passphrase=s3cret")
    assert "s3cret" not in safe_url("postgresql://me:s3cret@db.example/breather")
    assert safe_url("sqlite:////home/me/breather.db") == "sqlite:////home/me/breather.db"
