"""How fast categories are worked out when reading, on the one-year benchmark database.

    python -m bench.category_bench            # uses bench/out/store-365d-seed1.sqlite
    python -m bench.category_bench --db PATH --runs 50

Categories are never stored: every report works them out again from the rules in force, so
they must stay fast on a year of data. Two questions are timed:

- the weekly review: seconds per category for each of the 7 days of a week (7 periods);
- the year: seconds per category over the whole year.

"cold" makes a new `Categorizer` for every run (what each `breather report` does: no answer
remembered); "warm" keeps one across runs (the desktop app, which keeps it between redraws).
The database is opened read-only; build it first with `python -m bench.store_bench`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/category_bench.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.usage import DEFAULT_START
from breather.categories.catalogue import Categorizer
from breather.settings.model import TrackingSettings
from breather.store.by_category import category_days, category_summary
from breather.store.queries import day_range, local_midnight
from breather.store.sql import Database, SqliteDatabase

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_DB = BENCH_DIR / "out" / "store-365d-seed1.sqlite"
DAY_STARTS = TrackingSettings().day_starts
TARGET_WEEK_MS = 300.0


def timed(runs: int, work: Any) -> dict[str, float]:
    """Median, 95th percentile and worst wall time of `work()` in milliseconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 2),
        "max_ms": round(samples[-1], 2),
    }


def measure(db: Database, runs: int) -> dict[str, Any]:
    monday = DEFAULT_START + timedelta(weeks=26)  # a week in the middle of the year
    week = [day_range(monday + timedelta(days=n), DAY_STARTS) for n in range(7)]
    year = (
        local_midnight(DEFAULT_START, DAY_STARTS),
        local_midnight(DEFAULT_START + timedelta(days=365), DAY_STARTS),
    )
    warm = Categorizer()
    category_days(db, week, warm)
    category_summary(db, *year, warm)

    spans = db.value("SELECT COUNT(*) FROM span")
    titles = db.value("SELECT COUNT(*) FROM title")
    days = category_days(db, week, Categorizer())
    summary = category_summary(db, *year, Categorizer())
    return {
        "database": {"spans": spans, "titles": titles},
        "week": {
            "monday": monday.isoformat(),
            "cold": timed(runs, lambda: category_days(db, week, Categorizer())),
            "warm": timed(runs, lambda: category_days(db, week, warm)),
            "hours_per_category": {
                name: round(sum(day.seconds.get(name, 0.0) for day in days) / 3600, 1)
                for name in warm.names
                if any(name in day.seconds for day in days)
            },
        },
        "year": {
            "cold": timed(max(3, runs // 4), lambda: category_summary(db, *year, Categorizer())),
            "warm": timed(max(3, runs // 4), lambda: category_summary(db, *year, warm)),
            "hours_per_category": {t.key: round(t.seconds / 3600, 1) for t in summary.totals},
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="benchmark database")
    parser.add_argument("--runs", type=int, default=20, help="timed runs (default 20)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} is not there: build it with `python -m bench.store_bench`")
        return 1
    db = SqliteDatabase(args.db)
    try:
        results = measure(db, args.runs)
    finally:
        db.close()
    week, year = results["week"], results["year"]
    verdict = "ok" if week["cold"]["p95_ms"] < TARGET_WEEK_MS else "OVER TARGET"
    print(f"Categories on {args.db.name} ({results['database']['spans']} spans, "
          f"{results['database']['titles']} titles), {date.today()}")  # fmt: skip
    print(
        f"  week, per day x category (7 periods): cold median {week['cold']['median_ms']} ms, "
        f"p95 {week['cold']['p95_ms']} ms ({verdict}, target < {TARGET_WEEK_MS:g} ms); "
        f"warm median {week['warm']['median_ms']} ms"
    )
    print(
        f"  year, per category: cold median {year['cold']['median_ms']} ms, "
        f"p95 {year['cold']['p95_ms']} ms; warm median {year['warm']['median_ms']} ms"
    )
    print(f"  the week's hours: {week['hours_per_category']}")
    print(f"  the year's hours: {year['hours_per_category']}")
    out = args.db.with_name(f"categories-{args.db.stem}.json")
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"  figures in {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
