"""The data commands as people use them: report by category, export, pause, forget, config."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from breather.cli.main import main
from breather.monitor.base import WindowInfo
from breather.store import open_store, sqlite_url
from breather.tracking.spans import Span

DAY = datetime.now(UTC).astimezone().replace(hour=10, minute=0, second=0, microsecond=0)


def seed(data: Path) -> None:
    """An hour of a morning: news, video, code and a break."""
    store = open_store(sqlite_url(data / "breather.db"), device_uuid="d", device_name="desk")
    firefox = "{} — Mozilla Firefox"
    spans = [
        (0, 10, WindowInfo("firefox", firefox.format("Heatwave warning - BBC News"))),
        (10, 25, WindowInfo("firefox", firefox.format("Lo-fi beats - YouTube"))),
        (25, 45, WindowInfo("Code", "main.py - notes - Code", "code")),
        (45, 55, None),
        (55, 60, WindowInfo("Slack", "Slack | #general")),
    ]
    writer = store.writer()
    writer.record(
        Span(DAY + timedelta(minutes=a), DAY + timedelta(minutes=b), window)
        for a, b, window in spans
    )
    writer.flush(None, 0.0)
    store.close()


def test_report_by_category_follows_the_persons_rules(tmp_path: Path, capsys) -> None:
    seed(tmp_path)
    day = DAY.date().isoformat()
    assert main(["--data-dir", str(tmp_path), "report", "--day", day, "--by", "category"]) == 0
    text = capsys.readouterr().out
    assert "Category" in text and "Video" in text and "News" in text

    assert main(["--data-dir", str(tmp_path), "report", "--day", day, "--by", "category",
                 "--json"]) == 0  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    totals = {total["key"]: total["seconds"] for total in report["totals"]}
    assert totals == {"Work": 1200, "Video": 900, "News": 600, "Messaging": 300}
    assert report["away_seconds"] == 600

    (tmp_path / "breather.toml").write_text(
        '[[categories]]\ncategory = "Music"\ntitles = ["*lo-fi*"]\n', encoding="utf-8"
    )
    assert main(["--data-dir", str(tmp_path), "report", "--day", day, "--by", "category",
                 "--json"]) == 0  # fmt: skip
    totals = {t["key"]: t["seconds"] for t in json.loads(capsys.readouterr().out)["totals"]}
    assert totals["Music"] == 900 and "Video" not in totals  # the past re-coloured


def test_export_has_a_category_per_span(tmp_path: Path, capsys) -> None:
    seed(tmp_path)
    assert main(["--data-dir", str(tmp_path), "export"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["category"] for row in rows] == ["News", "Video", "Work", "", "Messaging"]
    assert main(["--data-dir", str(tmp_path), "export", "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[1]["category"] == "Video" and records[3]["away"] is True


def test_pause_says_how_long_and_off_resumes(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "pause"]) == 0
    assert "Recording is on" in capsys.readouterr().out
    assert main([*data, "pause", "45m"]) == 0
    assert "Paused for 45m," in capsys.readouterr().out
    assert (tmp_path / "paused-until").stat().st_mode & 0o777 == 0o600
    assert main([*data, "pause"]) == 0
    assert "Paused until" in capsys.readouterr().out
    assert main([*data, "pause", "off"]) == 0
    assert "Recording again" in capsys.readouterr().out
    assert main([*data, "pause", "soon"]) == 1


def test_forget_shows_first_and_deletes_with_yes(tmp_path: Path, capsys) -> None:
    seed(tmp_path)
    data = ["--data-dir", str(tmp_path)]
    day = DAY.date().isoformat()
    assert main([*data, "forget", "--from", day]) == 0
    assert "This would delete 1h 00m" in capsys.readouterr().out
    assert main([*data, "report", "--day", day, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["active_seconds"] == 3000
    assert main([*data, "forget", "--from", day, "--to", day, "--yes"]) == 0
    assert "Deleted 1h 00m" in capsys.readouterr().out
    assert main([*data, "report", "--day", day, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["active_seconds"] == 0


def test_forget_waits_for_a_pause_while_tracking_runs(tmp_path: Path) -> None:
    env = {**os.environ, "BREATHER_DATA_DIR": str(tmp_path)}
    env.pop("DISPLAY", None)
    tracker = subprocess.Popen(
        [sys.executable, "-m", "breather", "track", "--demo"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert tracker.stderr is not None
        assert "tracking" in tracker.stderr.readline()
        refused = subprocess.run(
            [sys.executable, "-m", "breather", "forget", "--all", "--yes"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert refused.returncode == 1
        assert "breather pause" in refused.stderr
    finally:
        tracker.send_signal(signal.SIGTERM)
        tracker.communicate(timeout=30)


def test_the_config_file_is_made_owner_only(tmp_path: Path, capsys) -> None:
    config = tmp_path / "breather.toml"
    config.write_text('[privacy]\nexclude_apps = ["keepassxc"]\n', encoding="utf-8")
    config.chmod(0o644)
    assert main(["--data-dir", str(tmp_path), "categories"]) == 0
    assert config.stat().st_mode & 0o777 == 0o600
    assert "Categories: " in capsys.readouterr().out


def test_db_takes_a_plain_file_path_as_people_write_it(tmp_path: Path, capsys, monkeypatch) -> None:
    from breather.cli.main import main

    monkeypatch.chdir(tmp_path)
    target = tmp_path / "elsewhere" / "my.db"
    target.parent.mkdir()
    assert main(["--data-dir", str(tmp_path), "--db", str(target), "report", "--json"]) == 0
    assert target.exists()
    assert main(["--data-dir", str(tmp_path), "--db", "x.db", "report"]) == 0
    assert (tmp_path / "x.db").exists()
    assert "Traceback" not in capsys.readouterr().err


def test_break_counts_read_as_a_sentence_whose_parts_add_up() -> None:
    from breather.data.report import break_sentence

    assert break_sentence({}) == ""
    counts = {"due": 4, "taken": 2, "natural": 1, "skipped": 0, "ignored": 1, "postponed": 1}
    assert break_sentence(counts) == (
        "Breaks: 4 came due: 2 taken, 1 taken on your own, 1 worked through; 1 postponed once first"
    )
    # A break from the tray ends without having come due.
    assert break_sentence({"due": 0, "taken": 1}) == (
        "Breaks: 0 came due: 1 taken (with 1 you asked for)"
    )


def test_csv_says_true_and_false_as_spreadsheets_do(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from breather.data.export import write_export
    from breather.store.queries import ExportRow

    moment = datetime(2026, 11, 23, 9, tzinfo=UTC)
    row = ExportRow(moment, moment, None, "", "", "", "laptop")
    out = io.StringIO()
    write_export([row], out, "csv")
    assert out.getvalue().splitlines()[1].split(",")[3] == "true"
