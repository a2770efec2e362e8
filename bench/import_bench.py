"""How long importing a year of ActivityWatch history takes, and the memory it needs.

Builds a seeded ActivityWatch export of a year (window events every 5-120 s over eight hours a
day, ~19k distinct titles, not-afk stretches with breaks between) once into `bench/out/`, then
runs `breather import activitywatch` on it in a fresh data folder, as a person would, and
prints the wall time and the peak resident memory of that process (median of `--runs`), and
its CPU time (with that of any child process that migrates the database meanwhile).

    .venv/bin/python -m bench.import_bench            # a year, median of 5 (builds ~22 MB once)
    .venv/bin/python -m bench.import_bench --days 30  # a smoke check
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from bench.machine import cpu_name

OUT = Path(__file__).resolve().parent / "out"
APPS = [
    ("firefox", "{} — Mozilla Firefox"),
    ("code", "{} — breather — Visual Studio Code"),
    ("Slack", "Slack | #{} | Breather"),
    ("kitty", "~/src/{}"),
    ("thunderbird", "{} - Mozilla Thunderbird"),
]


def build(path: Path, days: int, seed: int = 1) -> None:
    chance = Random(seed)
    words = [f"page {n}" for n in range(19_000)]
    windows, afk = [], []
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    first = today - timedelta(days=days - 1)  # all within a year: none too old to keep
    for day in range(days):
        moment = first + timedelta(days=day)
        end_of_day = moment + timedelta(hours=8)
        while moment < end_of_day:
            active = timedelta(minutes=chance.uniform(20, 70))
            afk.append((moment, active, "not-afk"))
            stop = moment + active
            while moment < stop:
                length = timedelta(seconds=chance.uniform(5, 120))
                app, pattern = chance.choice(APPS)
                title = pattern.format(chance.choice(words))
                windows.append((moment, length, {"app": app, "title": title}))
                moment += length
            away = timedelta(minutes=chance.uniform(3, 15))
            afk.append((moment, away, "afk"))
            moment += away

    def events(rows: list[tuple[datetime, timedelta, object]]) -> list[dict[str, object]]:
        return [
            {"timestamp": at.isoformat(), "duration": length.total_seconds(), "data": data}
            for at, length, data in rows
        ]

    buckets = {
        "aw-watcher-window_laptop": {
            "type": "currentwindow",
            "hostname": "laptop",
            "events": events(windows),
        },
        "aw-watcher-afk_laptop": {
            "type": "afkstatus",
            "hostname": "laptop",
            "events": events([(at, length, {"status": s}) for at, length, s in afk]),
        },
    }
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"buckets": buckets}))


def run_once(export: Path) -> tuple[float, float, float, float]:
    """(seconds, peak MiB, CPU seconds, the migration child's peak MiB) of one
    `breather import` in a fresh data folder."""
    with tempfile.TemporaryDirectory() as data:
        code = (
            "import resource, sys\n"
            "from breather.cli.main import main\n"
            f"status = main(['--data-dir', {data!r}, 'import', 'activitywatch', {str(export)!r}])\n"
            "me = resource.getrusage(resource.RUSAGE_SELF)\n"
            "child = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "cpu = me.ru_utime + me.ru_stime + child.ru_utime + child.ru_stime\n"
            "print(me.ru_maxrss, cpu, child.ru_maxrss, file=sys.stderr)\n"
            "sys.exit(status)\n"
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        peak, cpu, child_peak = done.stderr.strip().splitlines()[-1].split()
        return seconds, int(peak) / 1024, float(cpu), int(child_peak) / 1024


def machine() -> str:
    """The CPU, how many there are, and the 1-minute load: a busy machine stretches wall time."""
    return f"{cpu_name()}, 1-minute load {os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    export = OUT / f"aw-export-{args.days}d.json"
    if not export.exists():
        build(export, args.days)
    size = export.stat().st_size / 1e6
    print(f"Python {platform.python_version()}, {machine()}")
    runs = [run_once(export) for _ in range(args.runs)]
    seconds = [run[0] for run in runs]
    peak = statistics.median(run[1] for run in runs)
    cpu = statistics.median(run[2] for run in runs)
    child_peak = statistics.median(run[3] for run in runs)
    # A new database gets its schema from a snapshot, with no child process; only when the
    # snapshot is behind the migrations does a child migrate it meanwhile.
    child = f"; a migration child peaked at {child_peak:.0f} MiB" if child_peak else ""
    print(
        f"import of {args.days} days ({size:.0f} MB export): {statistics.median(seconds):.2f} s"
        f" (median of {args.runs}, {min(seconds):.2f}-{max(seconds):.2f} s), peak {peak:.0f} MiB"
        f" (CPU {cpu:.2f} s{child})"
    )
    print(f"load afterwards: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
