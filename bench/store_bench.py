"""How the store holds up after a year of 1 Hz tracking: CPU per sample, bytes, summary latency.

    python -m bench.store_bench               # a year (reuses the database if it is current)
    python -m bench.store_bench --quick       # 14 days, a smoke check
    python -m bench.store_bench --rebuild     # build the year again even if it is current
    python -m bench.store_bench --profile     # where the store path spends its time

The year is built exactly the way `breather track` writes: every sample goes through
`Tracker.feed` into `SpanWriter.record`, and `SpanWriter.flush` runs whenever `due` says so.
The generator's own cost is measured apart: samples are pulled in batches and only the time
spent feeding them is counted as the store path.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import itertools
import json
import os
import platform
import pstats
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/store_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import breather
from bench.machine import cpu_name
from bench.usage import (
    DEFAULT_START,
    GENERATOR_VERSION,
    MOOD_MODEL_VERSION,
    generate,
    mood_checkins,
    tracked_seconds,
)
from breather.categories.catalogue import Categorizer
from breather.monitor.base import Sample
from breather.settings.model import TrackingSettings
from breather.store import Store, open_store, sqlite_url
from breather.store.checkins import Checkin, add_checkins
from breather.store.queries import iter_spans, local_midnight, summarize, week_range
from breather.store.review import week_usage
from breather.store.sql import Database, StoreError
from breather.tracking.spans import Tracker

IDLE_AFTER = 180.0
MAX_GAP = 5.0
FLUSH_EVERY = 9.0
DAY_STARTS = TrackingSettings().day_starts
QUICK_DAYS = 14
BATCH = 4096
DEVICE_UUID = "00000000-0000-4000-8000-00000000bench"

TARGET_BYTES_PER_HOUR = 4096
TARGET_MS_PER_SAMPLE = 0.05
TARGET_WEEK_MS = 5.0
TARGET_YEAR_MS = 50.0

BENCH_DIR = Path(__file__).resolve().parent
APP_DIR = Path(breather.__file__).resolve().parent
# The code whose output the cached database is: a change to any of it means building again.
BUILT_BY = (
    "tracking/spans.py",
    "store/database.py",
    "store/models.py",
    "store/writer.py",
    "store/migrations/versions/*.py",
)


# -------------------------------------------------------------------------------------------
# Building the year.


@dataclass
class Build:
    """What building the database cost."""

    samples: int
    tracked_hours: float
    generator_cpu_s: float
    store_cpu_s: float
    store_wall_s: float
    flushes: int
    flush_cpu_s: float
    bytes_written: int | None  # write() bytes during the build (Linux), WAL and checkpoints
    built_at: str

    @property
    def store_us_per_sample(self) -> float:
        return 1e6 * self.store_cpu_s / self.samples

    @property
    def generator_us_per_sample(self) -> float:
        return 1e6 * self.generator_cpu_s / self.samples


def _batches(samples: Iterator[Sample], size: int) -> Iterator[tuple[list[Sample], float]]:
    """Lists of up to `size` samples, each with the CPU seconds it took to generate."""
    while True:
        began = time.process_time()
        batch = list(itertools.islice(samples, size))
        spent = time.process_time() - began
        if not batch:
            return
        yield batch, spent


def build(db: Path, days: int, seed: int, start: date, *, progress: bool = True) -> Build:
    """Track `days` days of generated usage into a new database at `db`."""
    _remove_database(db)
    store = open_store(sqlite_url(db), device_uuid=DEVICE_UUID, device_name="bench")
    try:
        writer = store.writer(flush_every=FLUSH_EVERY)
        tracker = Tracker(idle_after=IDLE_AFTER, max_gap=MAX_GAP)
        expected = tracked_seconds(days, seed, start)
        feed, record, due, flush = tracker.feed, writer.record, writer.due, writer.flush
        samples = generator_cpu = store_cpu = store_wall = flush_cpu = 0.0
        flushes = 0
        mono = 0.0
        report_every = max(expected // 20, 1)
        next_report = report_every
        written_before = _bytes_written()
        began = time.perf_counter()
        for batch, generated_in in _batches(generate(days, seed, start), BATCH):
            generator_cpu += generated_in
            cpu = time.process_time()
            wall = time.perf_counter()
            for sample in batch:
                record(feed(sample))
                if due(sample.mono):
                    flush_began = time.process_time()
                    flush(tracker.open_span, sample.mono)
                    flush_cpu += time.process_time() - flush_began
                    flushes += 1
            store_cpu += time.process_time() - cpu
            store_wall += time.perf_counter() - wall
            samples += len(batch)
            mono = batch[-1].mono
            if progress and samples >= next_report:
                next_report += report_every
                elapsed = time.perf_counter() - began
                left = elapsed * (expected - samples) / samples
                print(
                    f"  {samples / expected:4.0%}  {samples:>11,.0f} samples"
                    f"  {elapsed:6.0f} s  ~{left:.0f} s to go",
                    file=sys.stderr,
                    flush=True,
                )
        cpu = time.process_time()
        wall = time.perf_counter()
        record(tracker.close())
        flush(None, mono)
        store_cpu += time.process_time() - cpu
        store_wall += time.perf_counter() - wall
        written_after = _bytes_written()
        # The evening check-ins of the same person: reviews and trends show mood as well.
        with store.db.write() as conn:
            add_checkins(
                conn,
                store.device_id,
                (
                    Checkin(str(uuid.UUID(int=index)), item.at, item.mood, item.note)
                    for index, item in enumerate(mood_checkins(days, seed, start))
                ),
            )
    finally:
        store.close()
    return Build(
        samples=int(samples),
        tracked_hours=expected / 3600,
        generator_cpu_s=generator_cpu,
        store_cpu_s=store_cpu,
        store_wall_s=store_wall,
        flushes=flushes,
        flush_cpu_s=flush_cpu,
        bytes_written=(
            None
            if written_before is None or written_after is None
            else written_after - written_before
        ),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _bytes_written() -> int | None:
    """Bytes this process has passed to write() so far (Linux), or None where unknown."""
    try:
        text = Path("/proc/self/io").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return None


def _remove_database(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".json"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def _code_digest() -> str:
    digest = hashlib.sha256()
    for pattern in BUILT_BY:
        for path in sorted(APP_DIR.glob(pattern)):
            digest.update(path.relative_to(APP_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _identity(days: int, seed: int, start: date) -> dict[str, Any]:
    """What the cached database must have been built from to be reused."""
    return {
        "days": days,
        "seed": seed,
        "start": start.isoformat(),
        "generator_version": GENERATOR_VERSION,
        "mood_model": MOOD_MODEL_VERSION,
        "store_code": _code_digest(),
        "idle_after": IDLE_AFTER,
        "max_gap": MAX_GAP,
        "flush_every": FLUSH_EVERY,
    }


def _cached_build(db: Path, identity: dict[str, Any]) -> tuple[Build | None, str]:
    """The build that made `db` if it can be reused, else None; and why not."""
    meta_path = db.with_name(db.name + ".json")
    if not db.exists() or not meta_path.exists():
        return None, "no database built yet"
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return None, "its build record is unreadable"
    if meta.get("identity") != identity:
        old = meta.get("identity", {})
        changed = sorted(k for k in identity if old.get(k) != identity[k])
        return None, f"built from a different {', '.join(changed)}"
    return Build(**meta["build"]), "reused"


def _write_meta(db: Path, identity: dict[str, Any], result: Build) -> None:
    meta = {"identity": identity, "build": result.__dict__}
    db.with_name(db.name + ".json").write_text(json.dumps(meta, indent=2) + "\n")


# -------------------------------------------------------------------------------------------
# Measuring the database.


def checkpoint(db: Database) -> None:
    db.run_alone("PRAGMA wal_checkpoint(TRUNCATE)")


def sizes(db: Path) -> dict[str, int]:
    wal = db.with_name(db.name + "-wal")
    return {"db": db.stat().st_size, "wal": wal.stat().st_size if wal.exists() else 0}


def table_bytes(db: Database) -> dict[str, int]:
    """Bytes per table and index (SQLite's dbstat), largest first; {} if dbstat is missing."""
    try:
        rows = db.rows("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")
    except StoreError:
        return {}
    return {str(name): int(size) for name, size in rows}


def row_counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            table: int(conn.value(f"SELECT COUNT(*) FROM {table}") or 0)
            for table in ("span", "app_hour", "title", "app")
        }


def consistency(db: Database) -> dict[str, Any]:
    """Whether the hourly rollup equals the spans it sums (the writer keeps both)."""
    with db.read() as conn:
        spans = dict(
            conn.rows("SELECT COALESCE(app_id, 0), SUM(end_ms - start_ms) FROM span GROUP BY 1")
        )
        rollup = dict(conn.rows("SELECT app_id, SUM(ms) FROM app_hour GROUP BY 1"))
        bad_rows = conn.value(
            "SELECT COUNT(*) FROM span WHERE end_ms <= start_ms"
            " OR end_ms / 3600000 > start_ms / 3600000 AND end_ms % 3600000 != 0"
        )
        overlaps = conn.value(
            "SELECT COUNT(*) FROM (SELECT start_ms, LAG(end_ms) OVER (ORDER BY start_ms) AS prev"
            " FROM span) WHERE prev > start_ms"
        )
    differing = {
        app: (spans.get(app, 0), rollup.get(app, 0))
        for app in set(spans) | set(rollup)
        if spans.get(app, 0) != rollup.get(app, 0)
    }
    return {
        "span_ms": sum(spans.values()),
        "rollup_ms": sum(rollup.values()),
        "apps_differing": len(differing),
        "bad_rows": int(bad_rows or 0),
        "overlapping_rows": int(overlaps or 0),
    }


@dataclass
class Timing:
    name: str
    runs: int
    median_ms: float  # wall time
    min_ms: float
    max_ms: float
    cpu_median_ms: float  # CPU time of this process: less disturbed by a busy machine
    target_ms: float | None = None


def timed(
    name: str, action: Callable[[], object], runs: int, target: float | None = None
) -> Timing:
    """Median wall (and CPU) time of `runs` calls of `action` after one warm-up call."""
    action()
    walls, cpus = [], []
    for _ in range(runs):
        cpu = time.process_time()
        began = time.perf_counter()
        action()
        walls.append(1000 * (time.perf_counter() - began))
        cpus.append(1000 * (time.process_time() - cpu))
    median = statistics.median
    return Timing(name, runs, median(walls), min(walls), max(walls), median(cpus), target)


def query_timings(
    db: Path, days: int, start: date, runs: int
) -> tuple[list[Timing], dict[str, Any]]:
    """Times of the summaries reports ask for, on a freshly opened store."""
    began = time.perf_counter()
    store = open_store(sqlite_url(db), device_uuid=DEVICE_UUID, device_name="bench")
    open_ms = 1000 * (time.perf_counter() - began)
    try:
        db = store.db
        middle = start + timedelta(days=days // 2)
        week = week_range(middle, DAY_STARTS)
        year = (
            local_midnight(start, DAY_STARTS),
            local_midnight(start + timedelta(days), DAY_STARTS),
        )
        day = (
            local_midnight(middle, DAY_STARTS),
            local_midnight(middle + timedelta(1), DAY_STARTS),
        )
        few = max(3, runs // 4)
        timings = [
            timed("day summary by app", lambda: summarize(db, *day), runs),
            timed("week summary by app", lambda: summarize(db, *week), runs, TARGET_WEEK_MS),
            timed("week summary by title", lambda: summarize(db, *week, by="title"), runs),
            timed("year summary by app", lambda: summarize(db, *year), runs, TARGET_YEAR_MS),
            timed("year summary by title", lambda: summarize(db, *year, by="title"), few),
            timed(
                "weekly review (7 days + week + grid)",
                lambda: week_usage(db, middle, DAY_STARTS, Categorizer()),
                runs,
            ),
            timed("last_end (run at every tracker start)", store.last_end, runs),
            timed("export a week (iter_spans)", lambda: sum(1 for _ in iter_spans(db, *week)), few),
        ]
        year_summary = summarize(db, *year)
        week_summary = summarize(db, *week)
        facts = {
            "open_store_ms": open_ms,
            "week": [week[0].isoformat(), week[1].isoformat()],
            "week_active_hours": week_summary.active_seconds / 3600,
            "year_active_hours": year_summary.active_seconds / 3600,
            "year_away_hours": year_summary.away_seconds / 3600,
            "year_top_apps": [(t.key, round(t.seconds / 3600, 1)) for t in year_summary.totals[:8]],
        }
    finally:
        store.close()
    return timings, facts


# -------------------------------------------------------------------------------------------
# Profiling the store path.


def profile(out: Path, days: int, seed: int, start: date, top: int) -> str:
    """Profile the tracking+store path (not the generator) over `days` days; the report.

    First the same path unprofiled, split into the tracker alone and the flushes, to put the
    profile (which inflates Python-heavy code several times) in scale.
    """
    db = out / f"profile-{days}d-seed{seed}.sqlite"
    plain = build(db, days, seed, start, progress=False)
    tracker_cpu = 0.0
    alone = Tracker(idle_after=IDLE_AFTER, max_gap=MAX_GAP)
    for batch, _ in _batches(generate(days, seed, start), BATCH):
        began = time.process_time()
        for sample in batch:
            alone.feed(sample)
        tracker_cpu += time.process_time() - began

    _remove_database(db)
    store = open_store(sqlite_url(db), device_uuid=DEVICE_UUID, device_name="bench")
    profiler = cProfile.Profile()
    samples = 0
    try:
        writer = store.writer(flush_every=FLUSH_EVERY)
        tracker = Tracker(idle_after=IDLE_AFTER, max_gap=MAX_GAP)
        mono = 0.0
        for batch, _ in _batches(generate(days, seed, start), BATCH):
            profiler.enable()
            for sample in batch:
                writer.record(tracker.feed(sample))
                if writer.due(sample.mono):
                    writer.flush(tracker.open_span, sample.mono)
            profiler.disable()
            samples += len(batch)
            mono = batch[-1].mono
        profiler.enable()
        writer.record(tracker.close())
        writer.flush(None, mono)
        profiler.disable()
    finally:
        store.close()
        _remove_database(db)
    profiler.dump_stats(out / f"store-path-{days}d.prof")

    per = 1e6 / samples
    feed_us = tracker_cpu * per
    flush_us = plain.flush_cpu_s * per
    rest_us = plain.store_us_per_sample - feed_us - flush_us
    lines = [
        f"Store path over {days} days ({samples:,} samples), unprofiled CPU per sample:",
        f"  {plain.store_us_per_sample:6.2f} us  all (Tracker.feed + SpanWriter.record/due/flush)",
        f"  {feed_us:6.2f} us  Tracker.feed alone",
        f"  {rest_us:6.2f} us  SpanWriter.record + due, and the loop",
        f"  {flush_us:6.2f} us  SpanWriter.flush: {plain.flushes:,} flushes,"
        f" {1e6 * plain.flush_cpu_s / max(plain.flushes, 1):.1f} us each,"
        f" one per {samples / max(plain.flushes, 1):.1f} samples",
        "",
        f"cProfile of the same path (written to {out.name}/store-path-{days}d.prof)",
        "",
    ]
    lines += _profile_table(pstats.Stats(profiler), samples, top)
    return "\n".join(lines)


def _profile_table(stats: pstats.Stats, samples: int, top: int) -> list[str]:
    entries = stats.stats.items()  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [
        "cum % is of the whole profiled path",
        f"{'cum us/sample':>13} {'own us/sample':>13} {'calls/sample':>12} {'cum %':>6}  function",
    ]
    for (path, line, name), (_cc, calls, own, cum, _callers) in sorted(
        entries, key=lambda item: -item[1][3]
    )[:top]:
        lines.append(
            f"{1e6 * cum / samples:13.2f} {1e6 * own / samples:13.2f} {calls / samples:12.3f}"
            f" {100 * cum / total:5.1f}%  {_label(path, line, name)}"
        )
    lines += ["", f"{'own us/sample':>13} {'calls/sample':>12}  function (by own time)"]
    for (path, line, name), (_cc, calls, own, _cum, _callers) in sorted(
        entries, key=lambda item: -item[1][2]
    )[:top]:
        lines.append(
            f"{1e6 * own / samples:13.2f} {calls / samples:12.3f}  {_label(path, line, name)}"
        )
    return lines


def _label(path: str, line: int, name: str) -> str:
    return f"{_short_path(path)}:{line}({name})" if line else name


def _short_path(path: str) -> str:
    """A profiled file's path from its package down: "breather/tracking/spans.py", "sqlite3/..."."""
    for marker in ("/site-packages/", "/app/"):
        if marker in path:
            return path.split(marker, 1)[1]
    stdlib = re.search(r"/lib/python3\.\d+/(.*)", path)
    return stdlib.group(1) if stdlib else path


# -------------------------------------------------------------------------------------------
# Reporting.


def _environment() -> dict[str, str]:
    import sqlite3

    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpu": cpu_name(),
        "platform": platform.platform(terse=True),
        "load": _load(),
    }


def _load() -> str:
    """The 1-minute load average: a busy machine stretches wall times."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return "unknown"
    return f"{load:.1f}"


def _verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER"


@dataclass
class Measured:
    """Everything one benchmark run found out."""

    days: int
    seed: int
    start: date
    db: Path
    build: Build
    how: str  # "built" or "reused"
    size: dict[str, int]
    tables: dict[str, int]
    rows: dict[str, int]
    checks: dict[str, Any]
    timings: list[Timing]
    facts: dict[str, Any]

    @property
    def total_bytes(self) -> int:
        return self.size["db"] + self.size["wal"]

    @property
    def bytes_per_hour(self) -> float:
        return self.total_bytes / self.build.tracked_hours

    @property
    def store_ms(self) -> float:
        return self.build.store_us_per_sample / 1000


def report(run: Measured) -> tuple[str, dict[str, Any]]:
    """The printed table and the same figures as JSON."""
    env = _environment()
    result, size, tables, rows, checks = run.build, run.size, run.tables, run.rows, run.checks
    timings, facts = run.timings, run.facts
    total_bytes, per_hour, store_ms = run.total_bytes, run.bytes_per_hour, run.store_ms
    rows_out: list[tuple[str, str, str, str, str]] = []

    def row(name: str, value: str, target: str = "", verdict: str = "", note: str = "") -> None:
        rows_out.append((name, value, target, verdict, note))

    def section(title: str) -> None:
        rows_out.append(("", "", "", "", ""))
        rows_out.append((title, "", "", "", ""))

    section("Tracking and writing (build)")
    row("samples fed", f"{result.samples:,}", note="1 Hz, machine-on time only")
    row("tracked hours", f"{result.tracked_hours:,.1f} h")
    row(
        "CPU per sample, store path",
        f"{store_ms:.4f} ms",
        f"<= {TARGET_MS_PER_SAMPLE} ms",
        _verdict(store_ms, TARGET_MS_PER_SAMPLE),
        "Tracker.feed + SpanWriter.record/due/flush",
    )
    row(
        "  of which in flush",
        f"{result.flush_cpu_s / result.samples * 1000:.4f} ms",
        note=f"{100 * result.flush_cpu_s / result.store_cpu_s:.0f}%: {result.flushes:,} flushes"
        f" x {1000 * result.flush_cpu_s / max(result.flushes, 1):.3f} ms",
    )
    row(
        "CPU per sample, generator alone",
        f"{result.generator_us_per_sample / 1000:.4f} ms",
        note="not in the figure above",
    )
    row("samples/s, store path (CPU)", f"{result.samples / result.store_cpu_s:,.0f}")
    row("samples/s, store path (wall)", f"{result.samples / result.store_wall_s:,.0f}")
    row(
        "samples/s, generator + store (CPU)",
        f"{result.samples / (result.store_cpu_s + result.generator_cpu_s):,.0f}",
    )
    if result.bytes_written is not None:
        row(
            "bytes written per tracked hour",
            f"{result.bytes_written / result.tracked_hours / 1024:,.0f} KiB",
            note=f"write() calls: WAL frames + checkpoints,"
            f" {result.bytes_written / max(result.flushes, 1) / 1024:.1f} KiB per flush",
        )

    section("Database")
    row(
        "bytes per tracked hour",
        f"{per_hour:,.0f} B",
        f"<= {TARGET_BYTES_PER_HOUR:,} B",
        _verdict(per_hour, TARGET_BYTES_PER_HOUR),
        "file + WAL after a TRUNCATE checkpoint",
    )
    row("file + WAL", f"{total_bytes / 2**20:,.1f} MiB", note=f"WAL {size['wal']:,} B")
    for name, value in list(tables.items())[:6]:
        count = rows.get(name)
        note = f"{count:,} rows" if count is not None else ""
        row(f"  {name}", f"{value / result.tracked_hours:,.0f} B/h", note=note)
    row("open_store (quick_check, migrations)", f"{facts['open_store_ms']:.0f} ms")

    section("Queries (wall time, median after a warm-up)")
    for timing in timings:
        target = f"<= {timing.target_ms:g} ms" if timing.target_ms is not None else ""
        verdict = _verdict(timing.median_ms, timing.target_ms) if timing.target_ms else ""
        spread = (
            f"{timing.runs} runs, {timing.min_ms:.2f}-{timing.max_ms:.2f} ms;"
            f" CPU {timing.cpu_median_ms:.2f} ms"
        )
        row(timing.name, f"{timing.median_ms:.2f} ms", target, verdict, spread)

    section("Checks")
    tracked_s = result.tracked_hours * 3600
    accounted = facts["year_active_hours"] + facts["year_away_hours"]
    row(
        "active + away / tracked",
        f"{100 * accounted * 3600 / tracked_s:.1f}%",
        note=f"{facts['year_active_hours']:,.0f} h active + {facts['year_away_hours']:,.0f} h"
        " away; the rest had no focused window",
    )
    rollup_ok = (
        checks["span_ms"] == checks["rollup_ms"]
        and not checks["apps_differing"]
        and not checks["bad_rows"]
        and not checks["overlapping_rows"]
    )
    row(
        "rollup = spans, pieces within hours",
        "ok" if rollup_ok else "FAILED",
        note=f"span {checks['span_ms']:,} ms, rollup {checks['rollup_ms']:,} ms,"
        f" {checks['apps_differing']} apps differ, {checks['bad_rows']} bad rows,"
        f" {checks['overlapping_rows']} overlaps",
    )

    widths = [max(len(r[i]) for r in rows_out if r[1]) for i in range(4)]
    head = _header(run, env)
    body = []
    for name, value, target, verdict, note in rows_out:
        if not value:
            body.append(name)
            continue
        body.append(
            f"{name:<{widths[0]}}  {value:>{widths[1]}}  {target:<{widths[2]}}"
            f"  {verdict:<{widths[3]}}  {note}".rstrip()
        )
    return "\n".join(head + body), _as_json(run, env)


def _header(run: Measured, env: dict[str, str]) -> list[str]:
    result = run.build
    built = (
        f"built now in {result.store_wall_s + result.generator_cpu_s:,.0f} s"
        if run.how == "built"
        else f"reused, built {result.built_at} (--rebuild to build again); build figures from then"
    )
    return [
        f"Breather store benchmark: {run.days} days from {run.start}"
        f" (seed {run.seed}, generator v{GENERATOR_VERSION})",
        f"Python {env['python']}, SQLite {env['sqlite']},"
        f" {env['cpu']}, 1-minute load {env['load']}",
        f"Database {run.db.name}: {built}",
        f"Tracker(idle_after={IDLE_AFTER:g}, max_gap={MAX_GAP:g}), flush every {FLUSH_EVERY:g} s;"
        f" week of {run.facts['week'][0][:10]}; day start {DAY_STARTS:%H:%M}",
    ]


def _as_json(run: Measured, env: dict[str, str]) -> dict[str, Any]:
    per_hour, store_ms = run.bytes_per_hour, run.store_ms
    return {
        "days": run.days,
        "seed": run.seed,
        "start": run.start.isoformat(),
        "generator_version": GENERATOR_VERSION,
        "mood_model": MOOD_MODEL_VERSION,
        "environment": env,
        "database": {"how": run.how, **run.size, "tables": run.tables, "rows": run.rows},
        "build": {
            **run.build.__dict__,
            "store_ms_per_sample": store_ms,
            "generator_ms_per_sample": run.build.generator_us_per_sample / 1000,
        },
        "bytes_per_tracked_hour": per_hour,
        "queries": [t.__dict__ for t in run.timings],
        "facts": run.facts,
        "checks": run.checks,
        "targets": {
            "bytes_per_tracked_hour": [TARGET_BYTES_PER_HOUR, per_hour <= TARGET_BYTES_PER_HOUR],
            "store_ms_per_sample": [TARGET_MS_PER_SAMPLE, store_ms <= TARGET_MS_PER_SAMPLE],
            **{
                t.name: [t.target_ms, t.median_ms <= t.target_ms]
                for t in run.timings
                if t.target_ms is not None
            },
        },
    }


# -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.store_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--days", type=int, default=365, help="days of usage (default 365)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--start", type=date.fromisoformat, default=DEFAULT_START, help="first day")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="output directory")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_DAYS} days instead")
    parser.add_argument(
        "--rebuild", action="store_true", help="build even if the database is current"
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument(
        "--profile",
        nargs="?",
        const=QUICK_DAYS,
        type=int,
        metavar="DAYS",
        help=f"profile the store path over DAYS days (default {QUICK_DAYS}) and stop",
    )
    parser.add_argument("--top", type=int, default=30, help="functions in the profile (default 30)")
    args = parser.parse_args(argv)
    days = QUICK_DAYS if args.quick else args.days
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    if args.profile:
        print(profile(out, args.profile, args.seed, args.start, args.top))
        return 0

    db = out / f"store-{days}d-seed{args.seed}.sqlite"
    identity = _identity(days, args.seed, args.start)
    cached, why = (None, "--rebuild") if args.rebuild else _cached_build(db, identity)
    if cached is None:
        print(f"Building {db.name} ({why}) ...", file=sys.stderr, flush=True)
        result, how = build(db, days, args.seed, args.start), "built"
    else:
        print(
            f"Reusing {db.name}: it was built {cached.built_at} from the same seed, days and code.",
            file=sys.stderr,
        )
        result, how = cached, "reused"

    store: Store = open_store(sqlite_url(db), device_uuid=DEVICE_UUID, device_name="bench")
    try:
        checkpoint(store.db)
        size = sizes(db)
        tables = table_bytes(store.db)
        rows = row_counts(store.db)
        checks = consistency(store.db)
    finally:
        store.close()
    if how == "built":
        _write_meta(db, identity, result)
    timings, facts = query_timings(db, days, args.start, args.runs)
    measured = Measured(
        days, args.seed, args.start, db, result, how, size, tables, rows, checks, timings, facts
    )
    text, data = report(measured)
    print(text)
    results = out / f"results-{days}d-seed{args.seed}.json"
    results.write_text(json.dumps(data, indent=2, default=str) + "\n")
    print(f"\nFigures as JSON: {os.path.relpath(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
