"""How the desktop app feels: cold start to the tray, and opening the weekly review and the
Trends page on a year.

    python -m bench.app_bench     # needs the year database of `python -m bench.store_bench`

The weekly review is timed in-process (offscreen Qt): from asking for the page to the charts
drawn, first with the chart stack still unloaded (what a person meets on first open), then
warm (moving to another week). Cold start is timed on a real Xvfb + jwm desktop, from starting
the process to Breather's icon appearing in the tray: with its database there (every login)
and on the very first start, which creates the database in a child process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
#: The benchmark database's own device, so viewing it adds no device row.
DEVICE_UUID = "00000000-0000-4000-8000-00000000bench"
TARGET_WEEK_MS = 300.0
#: Fresh processes timed for the first open of the weekly review.
FIRST_OPENS = 5


def week_review_times(db: Path, week: date, runs: int) -> dict[str, Any]:
    """Milliseconds to show the weekly review on `db`: first open, then warm week changes."""
    script = f"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from datetime import date, datetime, UTC
from pathlib import Path
from typing import Any
from PySide6.QtWidgets import QApplication
from breather.clock import FakeClock
from breather.settings.model import Settings
from breather.settings.paths import Paths
from breather.store import open_store, sqlite_url
from breather.ui.app import BreatherApp
qt = QApplication([])
store = open_store(sqlite_url(Path({str(db)!r})), device_uuid={DEVICE_UUID!r}, device_name="v")
tmp = Path({tempfile.gettempdir()!r})
week = date.fromisoformat({week.isoformat()!r})
clock = FakeClock(datetime.combine(week, datetime.min.time(), UTC).replace(hour=12))
app = BreatherApp(store=store, settings=Settings(), paths=Paths(tmp, tmp / "none.toml", store.url),
                  clock=clock, tray_available=False, track=False)
app.window.resize(1280, 800)
app.window.show()
qt.processEvents()
began = time.perf_counter()
app.window.show_page(app.window.page_index("This week"))
qt.processEvents()
first = (time.perf_counter() - began) * 1000
while app.week.observations_pending:  # what the last 12 weeks say follows the page
    qt.processEvents()
observed = (time.perf_counter() - began) * 1000
warm = []
for offset in range({runs}):
    began = time.perf_counter()
    app.week.show_week(week - __import__("datetime").timedelta(days=7 * (offset % 4 + 1)))
    qt.processEvents()
    warm.append((time.perf_counter() - began) * 1000)
print(json.dumps({{"first_ms": first, "observed_ms": observed, "warm": warm}}), flush=True)
os._exit(0)  # the numbers are out; skip tearing Qt down
"""
    # A first open happens once per process: start a few and take the median.
    results = []
    for _ in range(FIRST_OPENS):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    firsts = sorted(result["first_ms"] for result in results)
    return {
        "first_ms": statistics.median(firsts),
        "first_range_ms": (firsts[0], firsts[-1]),
        "observed_ms": statistics.median(result["observed_ms"] for result in results),
        "warm_median_ms": statistics.median(results[0]["warm"]),
    }


def trends_times(db: Path, today: date, runs: int) -> dict[str, Any]:
    """Milliseconds to show the Trends page (twelve weeks ending with `today`'s) on `db`, with
    a 30-minute social-media limit set (each day's categories are then needed): first open in
    a fresh process, then warm refreshes."""
    script = f"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from datetime import date, datetime, UTC
from pathlib import Path
from PySide6.QtWidgets import QApplication
from breather.clock import FakeClock
from breather.rules.policy import Limit
from breather.settings.model import Settings
from breather.settings.paths import Paths
from breather.store import open_store, sqlite_url
from breather.ui.app import BreatherApp
qt = QApplication([])
store = open_store(sqlite_url(Path({str(db)!r})), device_uuid={DEVICE_UUID!r}, device_name="v")
tmp = Path({tempfile.gettempdir()!r})
today = date.fromisoformat({today.isoformat()!r})
clock = FakeClock(datetime.combine(today, datetime.min.time(), UTC).replace(hour=12))
settings = Settings(limits=(Limit(category="Social media", daily=1800),))
app = BreatherApp(store=store, settings=settings, paths=Paths(tmp, tmp / "none.toml", store.url),
                  clock=clock, tray_available=False, track=False)
app.window.resize(1280, 800)
app.window.show()
qt.processEvents()
began = time.perf_counter()
app.window.show_page(app.window.page_index("Trends"))
qt.processEvents()
first = (time.perf_counter() - began) * 1000
warm = []
for _ in range({runs}):
    began = time.perf_counter()
    app.trends.refresh()
    qt.processEvents()
    warm.append((time.perf_counter() - began) * 1000)
print(json.dumps({{"first_ms": first, "warm": warm}}), flush=True)
os._exit(0)
"""
    results = []
    for _ in range(FIRST_OPENS):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    firsts = sorted(result["first_ms"] for result in results)
    return {
        "first_ms": statistics.median(firsts),
        "first_range_ms": (firsts[0], firsts[-1]),
        "warm_median_ms": statistics.median(results[0]["warm"]),
    }


def cold_start_to_tray(runs: int, *, first: bool = False) -> list[float]:
    """Seconds from starting `breather` to its tray icon, on a real desktop: with its database
    already there, as at every login, or (`first`) the very first start, which creates it."""
    from tests.desktop.harness import Desktop, wait_until

    from breather.store import open_store, sqlite_url

    times: list[float] = []
    with Desktop(notifications=False) as desktop:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as data:
                Path(data, "welcomed").touch()
                if not first:
                    database = sqlite_url(Path(data, "breather.db"))
                    open_store(database, device_uuid="bench", device_name="bench").close()
                env = {**desktop.process_env, "BREATHER_DATA_DIR": data}
                began = time.perf_counter()
                proc = subprocess.Popen(
                    [sys.executable, "-m", "breather", "--tray"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                try:
                    wait_until(
                        lambda: _tray_icon_present(desktop), 30, "the tray icon", interval=0.01
                    )
                    times.append(time.perf_counter() - began)
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
    return times


def _tray_icon_present(desktop: object) -> bool:
    env = desktop.process_env  # type: ignore[attr-defined]
    found = subprocess.run(
        ["xdotool", "search", "--class", "breather"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    for window in found:
        shell = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", window],
            check=False,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
        values = dict(line.split("=", 1) for line in shell.split() if "=" in line)
        if values and int(values["WIDTH"]) <= 64 and int(values["Y"]) > 700:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=OUT / "store-365d-seed1.sqlite")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} is missing: run `python -m bench.store_bench` first", file=sys.stderr)
        return 1
    meta = json.loads(args.db.with_name(args.db.name + ".json").read_text())
    first_day = date.fromisoformat(meta["start"]) if "start" in meta else date(2025, 1, 6)
    week = first_day + timedelta(days=26 * 7)  # the middle of the year
    review = week_review_times(args.db, week, args.runs)
    trends = trends_times(args.db, week, args.runs)
    desktop = os.environ.get("BENCH_NO_DESKTOP") is None
    starts = cold_start_to_tray(args.starts) if desktop else []
    first_starts = cold_start_to_tray(args.starts, first=True) if desktop else []
    rows = [
        (
            f"weekly review, first open (median of {FIRST_OPENS})",
            review["first_ms"],
            TARGET_WEEK_MS,
        ),
        ("  ... with what the last 12 weeks say", review["observed_ms"], TARGET_WEEK_MS),
        ("weekly review, another week (warm)", review["warm_median_ms"], TARGET_WEEK_MS),
        (
            f"trends, 12 weeks, first open (median of {FIRST_OPENS})",
            trends["first_ms"],
            TARGET_WEEK_MS,
        ),
        ("trends, 12 weeks, again (warm)", trends["warm_median_ms"], TARGET_WEEK_MS),
    ]
    print(f"{'what':<44} {'ms':>8}  target")
    print("-" * 64)
    low, high = review["first_range_ms"]
    for index, (name, value, target) in enumerate(rows):
        print(f"{name:<44} {value:>8.0f}  ≤ {target:.0f} ms")
        if index in (0, 3):
            low, high = (review if index == 0 else trends)["first_range_ms"]
            print(f"{'  the fastest and the slowest of them':<44} {low:>8.0f} – {high:.0f} ms")
    for name, times in (
        ("cold start to the tray", starts),
        ("first start to the tray", first_starts),
    ):
        if times:
            label = f"{name} (median of {len(times)})"
            print(f"{label:<44} {statistics.median(times) * 1000:>8.0f}")
    OUT.mkdir(exist_ok=True)
    (OUT / "app.json").write_text(
        json.dumps(
            {
                "measured_at": datetime.now().isoformat(timespec="seconds"),
                **review,
                "trends": trends,
                "cold_start_s": starts,
                "first_start_s": first_starts,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
