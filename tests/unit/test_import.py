"""Importing: an ActivityWatch export keeps ActivityWatch's totals; our own export round-trips."""

from __future__ import annotations

import io
import itertools
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breather.categories.catalogue import Categorizer
from breather.cli.main import main
from breather.data.export import write_export
from breather.data.importers import (
    ImportFailed,
    ImportReport,
    import_devices,
    read_activitywatch,
    read_jsonl,
)
from breather.monitor.base import WindowInfo
from breather.store import Store, open_store, sqlite_url
from breather.store.queries import iter_spans
from breather.tracking.spans import Span

FIXTURES = Path(__file__).parents[1] / "fixtures" / "activitywatch"
AW_EXPORT = FIXTURES / "aw-buckets-export.json"
EXPECTED = json.loads((FIXTURES / "expected-totals.json").read_text(encoding="utf-8"))
NOW = datetime(2026, 4, 1, tzinfo=UTC)  # the fixture is from late March 2026


def seconds_per_device_and_app(store: Store) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in iter_spans(store.db, None, None):
        if row.app is not None:
            totals[row.device][row.app] += row.seconds
    return {device: dict(apps) for device, apps in totals.items()}


def import_aw(store: Store, path: Path = AW_EXPORT) -> ImportReport:
    report = ImportReport()
    devices = read_activitywatch(path, report)
    return import_devices(store.db, devices, report, keep_days=365, now=NOW)


@pytest.mark.both_drivers  # the bulk write path differs on a server database
def test_activitywatch_totals_match_activitywatchs_own_within_a_second(store: Store) -> None:
    report = import_aw(store)
    stored = seconds_per_device_and_app(store)
    assert set(stored) == set(EXPECTED["hosts"])
    for host, apps in EXPECTED["hosts"].items():
        assert set(stored[host]) == set(apps), host
        for app, seconds in apps.items():
            assert stored[host][app] == pytest.approx(seconds, abs=1.0), (host, app)
    assert report.imported > 100
    assert any("web.tab.current" in note for note in report.notes)  # reported, not imported


def test_activitywatch_afk_time_becomes_away_and_nothing_overlaps(store: Store) -> None:
    import_aw(store)
    rows = list(iter_spans(store.db, None, None))
    assert any(row.away for row in rows)
    by_device: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for row in rows:
        by_device[row.device].append((row.start, row.end))
    for spans in by_device.values():
        spans.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


@pytest.mark.both_drivers  # the bulk write path differs on a server database
def test_importing_the_same_export_again_adds_nothing(store: Store) -> None:
    first = import_aw(store)
    before = list(iter_spans(store.db, None, None))
    again = import_aw(store)
    assert again.imported == 0
    assert again.skipped["already recorded"] == first.imported
    assert list(iter_spans(store.db, None, None)) == before


def test_data_older_than_keep_days_is_skipped_and_said_so(store: Store) -> None:
    report = ImportReport()
    devices = read_activitywatch(AW_EXPORT, report)
    import_devices(store.db, devices, report, keep_days=30, now=NOW + timedelta(days=60))
    assert report.imported == 0
    assert report.skipped["older than keep_days (30 days)"] > 100


def corrupt(tmp_path: Path, change) -> Path:
    document = json.loads(AW_EXPORT.read_text(encoding="utf-8"))
    change(document["buckets"])
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda b: b["aw-watcher-window_jane-mac"]["events"][7].pop("duration"),
            "bucket 'aw-watcher-window_jane-mac', event 8 (",
        ),
        (
            lambda b: b["aw-watcher-window_jane-mac"]["events"][3]["data"].pop("app"),
            "event 4 (",
        ),
        (
            lambda b: b["aw-watcher-afk_jane-laptop"]["events"][2]["data"].update(status="x"),
            "'aw-watcher-afk_jane-laptop', event 3 (",
        ),
        (
            lambda b: b["aw-watcher-window_jane-mac"]["events"][5].update(timestamp="yesterday"),
            "event 6: timestamp: 'yesterday' is not an ISO 8601 time",
        ),
        (
            lambda b: b["aw-watcher-window_jane-mac"]["events"][2]["data"].update(title="\udc00"),
            "broken.json: not valid JSON text: a string in it holds half a character",
        ),
    ],
)
def test_a_malformed_export_names_the_first_bad_record_and_imports_nothing(
    tmp_path: Path, store: Store, change, message: str
) -> None:
    path = corrupt(tmp_path, change)
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(")):
        import_aw(store, path)
    assert list(iter_spans(store.db, None, None)) == []


def test_an_export_reads_the_same_whatever_its_key_order_bom_or_extra_fields(
    tmp_path: Path, store: Store
) -> None:
    """ActivityWatch writes a bucket's `type` and `hostname` before its events; other tools
    may not, may add fields (nested ones too), or start the file with a BOM."""
    document = json.loads(AW_EXPORT.read_text(encoding="utf-8"))
    reordered = {"buckets": {}, "exported_by": {"tool": ["x", {"y": [1, 2]}]}}
    for bucket_id, bucket in document["buckets"].items():
        events = [
            {**event, "data": {**event["data"], "extra": {"tabs": [1, [2]]}}, "id": [None]}
            for event in bucket["events"]
        ]
        rest = {key: value for key, value in bucket.items() if key != "events"}
        reordered["buckets"][bucket_id] = {"events": events, "meta": {"a": [{}]}, **rest}
    path = tmp_path / "reordered.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(reordered).encode())
    report = import_aw(store, path)
    stored = seconds_per_device_and_app(store)
    for host, apps in EXPECTED["hosts"].items():
        for app, seconds in apps.items():
            assert stored[host][app] == pytest.approx(seconds, abs=1.0), (host, app)
    assert report.imported > 100


def test_the_cli_reports_what_it_imported_and_skipped(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path)]
    # The fixture is from March 2026: keep everything, so the test does not age.
    (tmp_path / "breather.toml").write_text("[privacy]\nkeep_days = 0\n", encoding="utf-8")
    assert main([*data, "import", "activitywatch", str(AW_EXPORT), "--dry-run"]) == 0
    assert "Would import" in capsys.readouterr().out
    assert main([*data, "export"]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # a dry run wrote nothing: header only

    assert main([*data, "import", "activitywatch", str(AW_EXPORT)]) == 0
    out = capsys.readouterr().out
    assert "Imported" in out and "jane-laptop" in out and "jane-mac" in out
    assert "skipped bucket 'aw-watcher-web-firefox_jane-laptop'" in out
    assert main([*data, "import", "activitywatch", str(AW_EXPORT)]) == 0
    assert "Imported 0 spans" in capsys.readouterr().out

    broken = corrupt(tmp_path, lambda b: b["aw-watcher-afk_jane-mac"]["events"][0].pop("data"))
    assert main([*data, "import", "activitywatch", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "'aw-watcher-afk_jane-mac', event 1" in err and "nothing was imported" in err


# -- our own JSON Lines -------------------------------------------------------------------

T0 = datetime(2026, 11, 23, 8, 50, tzinfo=UTC)


def fill(store: Store) -> None:
    code = WindowInfo("Code", "importers.py - breather - Code", "code", "/usr/bin/code")
    news = WindowInfo("firefox", "Héatwave — «BBC» News 🌡 — Mozilla Firefox", "firefox", "")
    spans = [
        Span(T0, T0 + timedelta(minutes=25), code),  # crosses 09:00 UTC: stored in two pieces
        Span(T0 + timedelta(minutes=25), T0 + timedelta(minutes=31, seconds=0.5), news),
        Span(T0 + timedelta(minutes=31, seconds=0.5), T0 + timedelta(minutes=40), None),
        Span(T0 + timedelta(minutes=40), T0 + timedelta(minutes=41), WindowInfo("mpv", "")),
    ]
    writer = store.writer()
    writer.record(spans)
    writer.flush(None, 0.0)


def export_jsonl(store: Store) -> str:
    out = io.StringIO()
    write_export(iter_spans(store.db, None, None), out, "jsonl", Categorizer())
    return out.getvalue()


def test_our_own_jsonl_export_round_trips(tmp_path: Path, store: Store) -> None:
    fill(store)
    exported = export_jsonl(store)
    path = tmp_path / "export.jsonl"
    path.write_text(exported, encoding="utf-8")

    fresh = open_store(sqlite_url(tmp_path / "fresh.db"), device_uuid="other", device_name="o")
    try:
        report = ImportReport()
        import_devices(fresh.db, read_jsonl(path, report), report)
        assert report.imported == 4
        assert export_jsonl(fresh) == exported
        again = ImportReport()
        import_devices(fresh.db, read_jsonl(path, again), again)
        assert (again.imported, again.skipped["already recorded"]) == (0, 4)
    finally:
        fresh.close()
    # Into the database it came from: all of it is already there.
    same = ImportReport()
    import_devices(store.db, read_jsonl(path, same), same)
    assert same.imported == 0


def test_a_malformed_jsonl_line_is_named_and_nothing_is_imported(
    tmp_path: Path, store: Store
) -> None:
    good = {"start": "2026-11-23T09:00:00+00:00", "end": "2026-11-23T09:01:00+00:00", "app": "x"}
    lines = [good, {**good, "start": "2026-11-23T09:01:00+00:00", "end": "2026-11-23T09:02:00Z"}]
    bad = {**good, "start": "2026-11-23T09:03:00+00:00", "end": "2026-11-23T09:02:30+00:00"}
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in [*lines, bad, good]) + "\n")
    with pytest.raises(ImportFailed, match=r"bad\.jsonl:3: ends .* before it starts"):
        read_jsonl(path, ImportReport())
    path.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(ImportFailed, match=r"bad\.jsonl:2: not JSON"):
        read_jsonl(path, ImportReport())
    assert list(iter_spans(store.db, None, None)) == []
