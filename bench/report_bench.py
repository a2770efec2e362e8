"""Whether `breather report --week` grows with the history: a month against three years.

    .venv/bin/python -m bench.report_bench              # builds both databases once (~4 min)
    .venv/bin/python -m bench.report_bench --runs 21

Two databases are built once into `bench/out/` with `store_bench`'s own build (the usage
generator through `Tracker` and `SpanWriter`, as `breather track` writes) and reused while that
code is unchanged: a month (30 days) and three years (1,095 days), the same seed, so the month
is the first month of the three years. The real command, `breather --db URL report --week DAY`,
is then run as a fresh process on the same week in both (the month's last whole week, so the
data reported on is identical and only the history around it differs), alternating between
the two, and the median wall time of each is printed, with the difference. Below each, the
report's own query timed in-process on an open store: all a longer history may add. The same
command also runs with `--by category` (which compiles the category catalogue). A fresh data
folder keeps the person's own settings out of it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/report_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store_bench import (
    BENCH_DIR,
    DEVICE_UUID,
    _cached_build,
    _identity,
    _write_meta,
    build,
)
from bench.usage import DEFAULT_START
from breather.store import open_store, sqlite_url
from breather.store.queries import summarize, week_range

SEED = 1
SIZES = {"one month": 30, "three years": 3 * 365}


def database(out: Path, days: int) -> Path:
    """The store_bench database of `days` days, built when missing or out of date.

    Unlike store_bench, which measures the writer, a change to the writing code alone does
    not build again here: what is measured is reading the same data, which any correct
    writer stores alike."""
    db = out / f"store-{days}d-seed{SEED}.sqlite"
    identity = _identity(days, SEED, DEFAULT_START)
    meta = db.with_name(db.name + ".json")
    if meta.exists():
        built_from = json.loads(meta.read_text()).get("identity", {})
        identity["store_code"] = built_from.get("store_code")
    cached, why = _cached_build(db, identity)
    if cached is None:
        print(f"Building {db.name} ({why}) ...", file=sys.stderr, flush=True)
        _write_meta(db, identity, build(db, days, SEED, DEFAULT_START, progress=False))
    return db


def last_full_week(days: int) -> date:
    """A day in the last Monday-to-Sunday week the database covers whole."""
    last = DEFAULT_START + timedelta(days=days - 1)
    sunday = last - timedelta(days=(last.weekday() + 1) % 7)
    return sunday - timedelta(days=6)


def run_report(db: Path, week: date, data: Path, by: str) -> float:
    """Wall seconds of one `breather report --week` process."""
    command = [
        *(sys.executable, "-m", "breather", "--data-dir", str(data)),
        *("--db", sqlite_url(db), "report", "--week", week.isoformat(), "--by", by),
    ]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return took


def in_process_ms(db: Path, week: date, data: Path, by: str, runs: int) -> float:
    """Median milliseconds of the whole command run again in this process, its imports done:
    opening the database, settings, query and output, without the interpreter's start-up,
    whose noise would hide a few milliseconds' growth."""
    from breather.cli.main import main as breather

    argv = ["--data-dir", str(data), "--db", sqlite_url(db)]
    argv += ["report", "--week", week.isoformat(), "--by", by]
    times = []
    with contextlib.redirect_stdout(io.StringIO()):
        breather(argv)
        for _ in range(runs):
            began = time.perf_counter()
            breather(argv)
            times.append(time.perf_counter() - began)
    return 1000 * statistics.median(times)


def query_ms(db: Path, week: date, by: str, runs: int) -> float:
    """Median milliseconds of the report's own query, in this process on an open store: what
    a bigger history may fairly add to the command."""
    from breather.categories.catalogue import Categorizer
    from breather.settings.model import Settings
    from breather.store.by_category import category_summary

    settings = Settings()
    start, end = week_range(week, settings.tracking.day_starts)
    store = open_store(sqlite_url(db), device_uuid=DEVICE_UUID, device_name="bench")
    try:

        def query() -> None:
            if by == "category":
                # A new Categorizer each time, as each `breather report` process makes one.
                category_summary(store.db, start, end, Categorizer(settings.categories))
            else:
                summarize(store.db, start, end, "app")

        query()
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            query()
            times.append(time.perf_counter() - began)
    finally:
        store.close()
    return 1000 * statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--runs", type=int, default=15, help="processes per case (default 15)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="output directory")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    # The same week in both (the month's last whole one; the month is the three years' first),
    # so the data reported on is the same and only the history around it differs.
    week = last_full_week(min(SIZES.values()))
    cases = {name: (database(args.out, days), week) for name, days in SIZES.items()}
    rows = []
    with tempfile.TemporaryDirectory() as data:
        for by in ("app", "category"):
            times: dict[str, list[float]] = {name: [] for name in cases}
            for db, week in cases.values():
                run_report(db, week, Path(data), by)  # warm the page cache, as a second run is
            for _ in range(args.runs):
                for name, (db, week) in cases.items():
                    times[name].append(run_report(db, week, Path(data), by))
            medians = {name: 1000 * statistics.median(runs) for name, runs in times.items()}
            whole = {
                name: in_process_ms(db, week, Path(data), by, 30)
                for name, (db, week) in cases.items()
            }
            queries = {name: query_ms(db, week, by, 30) for name, (db, week) in cases.items()}
            rows.append((by, medians, whole, queries))
    sizes = {name: db.stat().st_size / 2**20 for name, (db, _) in cases.items()}
    print(f"`breather report --week`, one fresh process each, median of {args.runs} (ms)")
    print(f"{'':24}" + "".join(f"{name:>16}" for name in cases) + f"{'difference':>14}")
    print(f"{'database':24}" + "".join(f"{sizes[name]:>13.1f} MB" for name in cases))
    for by, medians, whole, queries in rows:
        for label, figures, digits in (
            (f"--by {by}", medians, 0),
            ("  in-process, no start-up", whole, 1),
            ("  of which the query", queries, 1),
        ):
            month, years = figures["one month"], figures["three years"]
            print(
                f"{label:24}{month:>16.{digits}f}{years:>16.{digits}f}"
                f"{years - month:>+11.{digits}f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
