"""`breather sync` and `report --json`'s devices, as a person runs them on two computers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breather.cli.main import main
from breather.settings.paths import device_identity, resolve_paths
from breather.store import open_store
from tests.unit.test_sync import EDITOR, GAME, T0, track


def record(data: Path, name: str, first: int, last: int) -> None:
    """What `breather track` would have recorded on the device whose data is in `data`."""
    data.mkdir(mode=0o700)
    (data / "breather.toml").write_text(f'[device]\nname = "{name}"\n')
    uuid, _ = device_identity(data)
    store = open_store(resolve_paths(str(data)).db_url, device_uuid=uuid, device_name=name)
    track(store, first, last, EDITOR if name == "laptop" else GAME)
    store.close()


def report(data: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["--data-dir", str(data), "report", "--json", "--day", str(T0.date()), *extra]) == 0
    found: dict[str, object] = json.loads(capsys.readouterr().out)
    return found


def test_two_computers_sync_and_report_every_device(
    tmp_path: Path,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    record(laptop, "laptop", 0, 3600)
    record(desktop, "desktop", 1800, 5400)
    monkeypatch.setenv("BREATHER_SYNC_URL", postgres_url)
    for data in (laptop, desktop, laptop):
        assert main(["--data-dir", str(data), "sync"]) == 0
    for data in (laptop, desktop):
        found = report(data, capsys)
        assert found["devices"] == [
            {"name": "desktop", "active_seconds": 3600.0},
            {"name": "laptop", "active_seconds": 3600.0},
        ]
        assert found["active_seconds"] == 5400.0
        only = report(data, capsys, "--device", "desktop")
        assert only["active_seconds"] == 3600.0
        assert only["devices"] == [{"name": "desktop", "active_seconds": 3600.0}]
        by_category = report(data, capsys, "--device", "laptop", "--by", "category")
        assert by_category["active_seconds"] == 3600.0
        assert [t["key"] for t in by_category["totals"]] == ["Work"]  # type: ignore[index]


def test_sync_says_in_one_line_when_the_server_is_away_or_not_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "laptop"
    record(data, "laptop", 0, 60)
    monkeypatch.delenv("BREATHER_SYNC_URL", raising=False)
    assert main(["--data-dir", str(data), "sync"]) == 2
    assert "sync is off" in capsys.readouterr().err
    away = f"postgresql+psycopg://me:s3cret@/breather?host={tmp_path / 'no-server'}"
    monkeypatch.setenv("BREATHER_SYNC_URL", away)
    assert main(["--data-dir", str(data), "sync"]) == 1
    said = capsys.readouterr().err
    assert said.count("\n") == 1
    assert said.startswith("breather: cannot reach the sync server")
    assert "s3cret" not in said
