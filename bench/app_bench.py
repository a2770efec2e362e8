"""How the desktop app feels: cold start to the tray, and opening the weekly review and the
Trends page on a year.

    python -m bench.app_bench     # needs the year database of `python -m bench.store_bench`

The weekly review and Trends are timed in-process (offscreen Qt), each first open in a fresh
process (the chart stack still unloaded, nothing categorised yet), from asking for the page to
its last paint: "drawn" when the page was painted, "complete" when what follows it (the week's
observations and note, worked out just after the first paint) was painted too. Each first open
is reached two ways (`OPENINGS`): with the window open on Today a moment before, as a person
clicks, or at once. Then warm: another week, Trends again. Cold start is timed on a real
Xvfb + jwm desktop, from starting the process to Breather's icon appearing in the tray: with
its database there (every login) and on the very first start, which creates the database in a
child process.
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
#: Fresh processes timed for each first open.
FIRST_OPENS = 5


#: Shared by the in-process timings: paints inside the main window's pages are noted as they
#: happen, so "drawn" is when the page was last painted before what follows it arrived, and
#: "complete" when everything on it was painted.
PAINT_WATCH = """
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class PaintWatch(QObject):
    def __init__(self, pages):
        super().__init__()
        self.pages = pages
        self.times = []

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            if watched is self.pages or self.pages.isAncestorOf(watched):
                self.times.append(time.perf_counter())
        return False

    def settle(self, qt):
        # Let every repaint that is due happen (a pass with no paint ends it).
        while True:
            seen = len(self.times)
            qt.processEvents()
            if len(self.times) == seen:
                return
"""


#: How a page is reached in a fresh process: with the window open on Today a moment first
#: (until the app has loaded the charts and named the last weeks' categories, which it does
#: once its window is drawn: ~250 ms), or at once, nothing loaded or named yet: the week
#: straight from `show_week` (what "Open the week" calls when the note was not seen on
#: screen), Trends clicked before the window was drawn.
OPENINGS = ("after a moment", "at once")
#: The week also the way the weekly note opens it: the note loads the charts and names ahead
#: while it waits to be clicked, then the window opens on the week.
FROM_THE_NOTE = "from the weekly note"


def _medians(script: str, how: str) -> list[dict[str, Any]]:
    """The script's results in FIRST_OPENS fresh processes (a first open happens once each)."""
    results = []
    for _ in range(FIRST_OPENS):
        done = subprocess.run(
            [sys.executable, "-c", script, how], capture_output=True, text=True, check=True
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def _spread(values: list[float]) -> tuple[float, tuple[float, float]]:
    ordered = sorted(values)
    return statistics.median(ordered), (ordered[0], ordered[-1])


def week_review_times(db: Path, week: date, runs: int) -> dict[str, Any]:
    """Milliseconds to show the weekly review on `db`: drawn, and complete with what the last
    twelve weeks say, on a first open reached both ways (`OPENINGS`); then week changes."""
    script = f"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from datetime import date, datetime, UTC
from pathlib import Path
from typing import Any
{PAINT_WATCH}
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
watch = PaintWatch(app.window.pages)
observed = []  # when the week's observations and note were in (painted just after)
if sys.argv[1] in ("at once", {FROM_THE_NOTE!r}):  # the window opens on the week
    if sys.argv[1] == {FROM_THE_NOTE!r}:
        app.warm_up()  # as the note does when it is shown
        while app.warmup is not None and app.warmup.running:
            qt.processEvents()
    qt.installEventFilter(watch)
    began = time.perf_counter()
    app.show_week()
else:
    app.window.show()
    qt.processEvents()
    while app.warmup is not None and app.warmup.running:  # Today is on screen meanwhile
        qt.processEvents()
    qt.installEventFilter(watch)
    began = time.perf_counter()
    app.window.show_page(app.window.page_index("This week"))
app.week.observed.connect(lambda _monday: observed.append(time.perf_counter()))
while not observed:  # what the last 12 weeks say follows the page's first paint
    qt.processEvents()
watch.settle(qt)


def drawn_and_complete():
    drawn = max([t for t in watch.times if t < observed[0]], default=observed[0])
    return (drawn - began) * 1000, (max([*watch.times, *observed]) - began) * 1000


first, complete = drawn_and_complete()
warm, warm_complete = [], []
for offset in range({runs}):
    watch.times.clear()
    observed.clear()
    began = time.perf_counter()
    app.week.show_week(week - __import__("datetime").timedelta(days=7 * (offset % 4 + 1)))
    while not observed:
        qt.processEvents()
    watch.settle(qt)
    drawn, done = drawn_and_complete()
    warm.append(drawn)
    warm_complete.append(done)
print(json.dumps({{"first_ms": first, "observed_ms": complete, "warm": warm,
                  "warm_complete": warm_complete}}), flush=True)
os._exit(0)  # the numbers are out; skip tearing Qt down
"""
    found: dict[str, Any] = {}
    for how in (*OPENINGS, FROM_THE_NOTE):
        results = _medians(script, how)
        found[how] = {
            "drawn": _spread([result["first_ms"] for result in results]),
            "complete": _spread([result["observed_ms"] for result in results]),
        }
        if how == OPENINGS[0]:
            found["another week"] = {
                "drawn": statistics.median(results[0]["warm"]),
                "complete": statistics.median(results[0]["warm_complete"]),
            }
    return found


def trends_times(db: Path, today: date, runs: int) -> dict[str, Any]:
    """Milliseconds to show the Trends page (twelve weeks ending with `today`'s) on `db`, with
    a 30-minute social-media limit set (each day's categories are then needed): first open in
    a fresh process, then warm refreshes."""
    script = f"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from datetime import date, datetime, UTC
from pathlib import Path
{PAINT_WATCH}
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
if sys.argv[1] != "at once":  # at once: clicked before the window was even drawn
    qt.processEvents()
    while app.warmup is not None and app.warmup.running:
        qt.processEvents()  # Today is on screen meanwhile
watch = PaintWatch(app.window.pages)
qt.installEventFilter(watch)
began = time.perf_counter()
app.window.show_page(app.window.page_index("Trends"))
watch.settle(qt)
first = (max(watch.times, default=time.perf_counter()) - began) * 1000
warm = []
for _ in range({runs}):
    watch.times.clear()
    began = time.perf_counter()
    app.trends.refresh()
    watch.settle(qt)
    warm.append((max(watch.times, default=time.perf_counter()) - began) * 1000)
print(json.dumps({{"first_ms": first, "warm": warm}}), flush=True)
os._exit(0)
"""
    found: dict[str, Any] = {}
    for how in OPENINGS:
        results = _medians(script, how)
        found[how] = _spread([result["first_ms"] for result in results])
        if how == OPENINGS[0]:
            found["again"] = statistics.median(results[0]["warm"])
    return found


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
    identity = meta.get("identity", meta)
    first_day = date.fromisoformat(identity.get("start", "2025-01-06"))
    week = first_day + timedelta(days=26 * 7)  # the middle of the year
    review = week_review_times(args.db, week, args.runs)
    trends = trends_times(args.db, week, args.runs)
    desktop = os.environ.get("BENCH_NO_DESKTOP") is None
    starts = cold_start_to_tray(args.starts) if desktop else []
    first_starts = cold_start_to_tray(args.starts, first=True) if desktop else []
    rows: list[tuple[str, float, tuple[float, float] | None]] = []
    for how in (*OPENINGS, FROM_THE_NOTE):
        drawn, drawn_spread = review[how]["drawn"]
        complete, complete_spread = review[how]["complete"]
        rows += [
            (f"weekly review, {how}: drawn", drawn, drawn_spread),
            ("  ... complete (what 12 weeks say)", complete, complete_spread),
        ]
    rows += [
        ("weekly review, another week: drawn", review["another week"]["drawn"], None),
        ("  ... complete", review["another week"]["complete"], None),
    ]
    for how in OPENINGS:
        value, spread = trends[how]
        rows.append((f"trends, 12 weeks, {how}", value, spread))
    rows.append(("trends, 12 weeks, again", trends["again"], None))
    print(f"first opens: median of {FIRST_OPENS} fresh processes, fastest - slowest below")
    print(f"{'what':<44} {'ms':>8}  target")
    print("-" * 64)
    for name, value, spread in rows:
        print(f"{name:<44} {value:>8.0f}  ≤ {TARGET_WEEK_MS:.0f} ms")
        if spread is not None:
            low, high = spread
            print(f"{'':<44} {low:>8.0f} – {high:.0f}")
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
                "week": review,
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
