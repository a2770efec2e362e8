"""The `breather` command as people and scripts use it."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from breather.cli.main import main


def breather(*args: str, data: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "BREATHER_DATA_DIR": str(data)}
    env.pop("DISPLAY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "breather", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float = 30) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen.append(line)
        if needle in line:
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"never saw {needle!r}; stderr was: {''.join(seen)}")


def recorded_seconds(data: Path, before: float | None = None) -> float:
    """Seconds stored in the database (of spans ending by `before`, a Unix time)."""
    db = sqlite3.connect(data / "breather.db")
    limit = 2**62 if before is None else int(before * 1000)
    try:
        query = "SELECT COALESCE(SUM(end_ms - start_ms), 0) FROM span WHERE end_ms <= ?"
        return db.execute(query, (limit,)).fetchone()[0] / 1000
    finally:
        db.close()


def test_sigterm_flushes_and_exits_zero(tmp_path: Path) -> None:
    proc = breather("track", "--demo", data=tmp_path)
    wait_for_line(proc, "tracking")
    started = time.monotonic()
    time.sleep(3)  # three seconds of someone using the demo desktop
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=15)
    ran = time.monotonic() - started
    assert proc.returncode == 0, err
    assert ran - 1.5 <= recorded_seconds(tmp_path) <= ran + 0.5


def test_kill_9_loses_at_most_ten_seconds_and_leaves_a_sound_database(tmp_path: Path) -> None:
    proc = breather("track", "--demo", data=tmp_path)
    wait_for_line(proc, "tracking")
    started = time.monotonic()
    time.sleep(17)  # long enough for a flush to be nearly due when the process dies
    proc.kill()
    proc.communicate(timeout=15)
    killed_at = time.time()
    ran = time.monotonic() - started
    # What the killed run kept is written when tracking starts again.
    again = breather("track", "--demo", data=tmp_path)
    wait_for_line(again, "tracking")
    again.send_signal(signal.SIGTERM)
    again.communicate(timeout=15)
    recorded = recorded_seconds(tmp_path, before=killed_at)
    assert ran - recorded <= 10.0, f"ran {ran:.1f}s, recorded {recorded:.1f}s"
    db = sqlite3.connect(tmp_path / "breather.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def test_a_second_tracker_on_the_same_data_is_refused(tmp_path: Path) -> None:
    first = breather("track", "--demo", data=tmp_path)
    wait_for_line(first, "tracking")
    second = breather("track", "--demo", data=tmp_path)
    _, err = second.communicate(timeout=30)
    first.send_signal(signal.SIGTERM)
    first.communicate(timeout=15)
    assert second.returncode == 1
    assert "already tracking" in err


def test_track_with_a_bad_config_says_so_and_runs_on_defaults(tmp_path: Path) -> None:
    config = tmp_path / "breather.toml"
    original = '# my settings\n[tracking]\nidle_after = "forever"\n'
    config.write_text(original)
    proc = breather("track", "--demo", data=tmp_path)
    problem = wait_for_line(proc, "idle_after")
    wait_for_line(proc, "tracking")
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=15)
    assert f"{config}:3: tracking.idle_after" in problem
    assert proc.returncode == 0
    assert config.read_text() == original


def test_config_check_names_file_line_and_key(tmp_path: Path, capsys) -> None:
    config = tmp_path / "breather.toml"
    config.write_text('[tracking]\ninterval = "1s"\nidle = "3m"\n')
    assert main(["config", "check", str(config)]) == 1
    out = capsys.readouterr().out
    assert f"{config}:3: tracking.idle: unknown key" in out
    config.write_text('[tracking]\ninterval = "1s"\n')
    assert main(["config", "check", str(config)]) == 0
    assert "OK" in capsys.readouterr().out


def test_report_and_export_on_no_data(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path), "report"]) == 0
    assert "Nothing tracked" in capsys.readouterr().out
    assert main(["--data-dir", str(tmp_path), "report", "--week", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["active_seconds"] == 0 and report["totals"] == []
    contract = ("due", "taken", "natural", "postponed", "skipped")  # keys are only ever added
    assert {key: report["breaks"][key] for key in contract} == dict.fromkeys(contract, 0)
    assert report["limits"] == []


def test_export_to_a_file_is_owner_only(tmp_path: Path, capsys) -> None:
    proc = breather("track", "--demo", data=tmp_path)
    wait_for_line(proc, "tracking")
    time.sleep(1.5)  # a moment of use to export
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=15)
    out = tmp_path / "spans.csv"
    assert main(["--data-dir", str(tmp_path), "export", "--output", str(out)]) == 0
    assert out.stat().st_mode & 0o077 == 0
    with out.open(encoding="utf-8") as exported:
        rows = list(csv.DictReader(exported))
    assert rows and rows[0]["app"] == "firefox"
    assert rows[0]["title"] == "Breather — calm screen time — Mozilla Firefox"


def test_an_unusable_database_is_kept_aside_and_named(tmp_path: Path, capsys) -> None:
    (tmp_path / "breather.db").write_text("not sqlite")
    assert main(["--data-dir", str(tmp_path), "report"]) == 0
    err = capsys.readouterr().err
    kept = next(tmp_path.glob("breather.db.damaged-*"))
    assert str(kept) in err
    assert kept.read_text() == "not sqlite"


@pytest.mark.parametrize("argv", [["report", "--day", "23/11/2026"], ["nonsense"]])
def test_bad_arguments_exit_2_with_a_message(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err


def test_the_app_without_a_desktop_says_what_to_do_instead(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["BREATHER_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "breather"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "no desktop" in done.stderr and "breather track" in done.stderr


def test_version_and_help_load_neither_the_store_nor_sockets() -> None:
    # `breather --version` is what scripts and packagers run; it costs a Python start, not
    # the store's imports (16 ms) and uuid/socket's (10 ms).
    probe = (
        "import sys\n"
        "from breather.cli.main import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(m for m in ('breather.store', 'socket', 'uuid') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[-2] == "", done.stdout


def test_a_report_by_app_never_reads_the_category_catalogue(tmp_path: Path) -> None:
    # Compiling its ~800 patterns costs ~34 ms that `--by app` and `--by title` have no use
    # for; `--by category` reads it.
    probe = (
        "import sys\n"
        "from breather.categories.catalogue import load_catalogue\n"
        "from breather.cli.main import main\n"
        f"for by in ('app', 'title', 'category'):\n"
        f"    main(['--data-dir', {str(tmp_path)!r}, 'report', '--by', by])\n"
        "    print(by, load_catalogue.cache_info().currsize, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.splitlines()[-3:] == ["app 0", "title 0", "category 1"], done.stderr
