"""What Breather costs while it runs: CPU seconds, resident memory and disk writes per hour.

Starts a private desktop (Xvfb + jwm, as the real-desktop tests do), opens a few windows,
and plays a person at work for a few minutes: a window switch every 30 s on average, key
taps and pointer motion (through XTEST, from this process, so the input itself costs
Breather nothing it would not pay on a real desktop). Meanwhile it samples the measured
process from /proc and prints a table, extrapolated to one hour.

Two ways of working (`--input`):

- `typing` (the default): someone writing, about four keys a second with a capital every
  dozen keys, and the pointer moving now and then.
- `busy`: a worst case, five Shift taps and five pointer moves a second without a pause.
  Every Shift press and release changes the keyboard's modifier state, which X sends to
  every client that follows the keyboard, Qt included; ordinary keys change no state.

    python -m bench.footprint                 # `breather track`, then the tray app, 5 min each
    python -m bench.footprint --what app --input busy --minutes 3
    python -m bench.footprint --what app --first-run   # the very first start
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.desktop.harness import Desktop, wait_until
from Xlib import XK, X
from Xlib import display as xdisplay
from Xlib.ext import xtest

from breather.store import open_store, sqlite_url

OUT = Path(__file__).resolve().parent / "out"
TARGETS = {"track": ["track"], "app": ["--tray"]}  # the app as login starts it: in the tray
BUDGET = {"track": (5.0, 2.0, None), "app": (5.0, 2.0, 80.0)}  # CPU s/h, MB written/h, MB RSS
TICK = 10.0  # input steps per second
#: Per step: the chance of a plain key tap, of a Shift tap (with a key) and of a pointer move.
INPUTS = {"typing": (0.37, 0.03, 0.15), "busy": (0.0, 0.5, 0.5)}


@dataclass
class Footprint:
    what: str
    inputs: str
    seconds: float
    cpu_s_per_hour: float
    written_mb_per_hour: float
    rss_mb: float
    rss_peak_mb: float
    switches: int
    input_events: int
    cpu_s_per_hour_by_thread: dict[str, float]


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / 100.0


class Hands:
    """Key taps and pointer moves through XTEST, at one of the `INPUTS` paces."""

    def __init__(self, conn: xdisplay.Display, rng: random.Random, inputs: str) -> None:
        self._conn = conn
        self._rng = rng
        self._shift = conn.keysym_to_keycode(XK.string_to_keysym("Shift_L"))
        self._letter = conn.keysym_to_keycode(XK.string_to_keysym("e"))
        self._key, self._shifted, self._move = INPUTS[inputs]

    def act(self) -> int:
        """One step (1 / TICK s) of input; returns how many input events it made."""
        conn, roll = self._conn, self._rng.random()
        made = 1
        if roll < self._key:
            self._tap(self._letter)
        elif roll < self._key + self._shifted:
            xtest.fake_input(conn, X.KeyPress, self._shift)
            self._tap(self._letter)
            xtest.fake_input(conn, X.KeyRelease, self._shift)
        elif roll < self._key + self._shifted + self._move:
            x, y = self._rng.randrange(200, 1000), self._rng.randrange(150, 600)
            xtest.fake_input(conn, X.MotionNotify, x=x, y=y)
        else:
            made = 0
        conn.flush()
        return made

    def _tap(self, keycode: int) -> None:
        xtest.fake_input(self._conn, X.KeyPress, keycode)
        xtest.fake_input(self._conn, X.KeyRelease, keycode)


def thread_cpu_seconds(pid: int) -> dict[str, float]:
    """CPU seconds per thread name (threads of one name added up); threads that ended are
    not counted, so this is for seeing where the time goes, not for the total."""
    seconds: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        seconds[name] = seconds.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / 100.0
    return seconds


def proc_written(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def proc_rss_mb(pid: int) -> tuple[float, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def measure(
    what: str,
    minutes: float,
    seed: int,
    warmup: float = 60.0,
    *,
    first_run: bool = False,
    inputs: str = "typing",
) -> Footprint:
    rng = random.Random(seed)
    with Desktop(notifications=False) as desktop, tempfile.TemporaryDirectory() as data:
        windows = [
            desktop.open_window(cls, title)
            for cls, title in (
                ("Editor", "notes.md — Editor"),
                ("Browser", "Home / X — Browser"),
                ("Chat", "#general — Chat"),
                ("Terminal", "~/src — Terminal"),
            )
        ]
        Path(data, "welcomed").touch()
        if not first_run:
            # Every start but the very first finds its database up to date; the first one
            # has a child process create it (`--first-run` measures that start).
            open_store(
                sqlite_url(Path(data, "breather.db")), device_uuid="bench", device_name="bench"
            ).close()
        env = {**desktop.process_env, "BREATHER_DATA_DIR": data}
        proc = subprocess.Popen(
            [sys.executable, "-m", "breather", *TARGETS[what]],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until(lambda: Path(data, "breather.db").exists(), 30, "Breather to start")
            # Start-up (imports compiled to .pyc, retention, the first flushes) is a one-time
            # cost measured elsewhere; the figures here are the steady state, so wait it out.
            time.sleep(warmup)
            conn = xdisplay.Display(desktop.display)
            person = Hands(conn, rng, inputs)
            cpu0, written0 = proc_cpu_seconds(proc.pid), proc_written(proc.pid)
            threads0 = thread_cpu_seconds(proc.pid)
            began = time.monotonic()
            end = began + minutes * 60
            next_switch = began + rng.uniform(10, 50)
            switches = events = ticks = 0
            rss_samples: list[float] = []
            while time.monotonic() < end:
                now = time.monotonic()
                if now >= next_switch:
                    desktop.focus(rng.choice(windows), wait=False)
                    switches += 1
                    next_switch = now + rng.uniform(10, 50)
                events += person.act()
                ticks += 1
                if ticks % int(TICK * 5) == 0:
                    rss_samples.append(proc_rss_mb(proc.pid)[0])
                time.sleep(1 / TICK)
            elapsed = time.monotonic() - began
            cpu = proc_cpu_seconds(proc.pid) - cpu0
            written = proc_written(proc.pid) - written0
            threads = {
                name: seconds - threads0.get(name, 0.0)
                for name, seconds in thread_cpu_seconds(proc.pid).items()
            }
            rss, peak = proc_rss_mb(proc.pid)
            conn.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    per_hour = 3600 / elapsed
    steady = sorted(rss_samples)[len(rss_samples) // 2] if rss_samples else rss
    return Footprint(
        what=what,
        inputs=inputs,
        seconds=round(elapsed, 1),
        cpu_s_per_hour=round(cpu * per_hour, 2),
        written_mb_per_hour=round(written * per_hour / 1e6, 3),
        rss_mb=round(steady, 1),
        rss_peak_mb=round(peak, 1),
        switches=switches,
        input_events=events,
        cpu_s_per_hour_by_thread={
            name: round(seconds * per_hour, 2)
            for name, seconds in sorted(threads.items(), key=lambda item: -item[1])
            if seconds
        },
    )


def table(results: list[Footprint]) -> str:
    lines = [
        f"{'process':<16} {'input':<7} {'minutes':>7} {'CPU s/h':>8} {'written MB/h':>13} "
        f"{'RSS MB':>7} {'peak MB':>8}  targets",
        "-" * 94,
    ]
    for r in results:
        cpu_t, write_t, rss_t = BUDGET[r.what]
        target = f"≤{cpu_t:g} CPU s/h, ≤{write_t:g} MB/h" + (f", ≤{rss_t:g} MB" if rss_t else "")
        name = "breather track" if r.what == "track" else "breather (tray)"
        lines.append(
            f"{name:<16} {r.inputs:<7} {r.seconds / 60:>7.1f} {r.cpu_s_per_hour:>8.2f} "
            f"{r.written_mb_per_hour:>13.3f} {r.rss_mb:>7.1f} {r.rss_peak_mb:>8.1f}  {target}"
        )
        by_thread = ", ".join(f"{n} {s:.2f}" for n, s in r.cpu_s_per_hour_by_thread.items())
        lines.append(f"{'':<16} CPU s/h by thread: {by_thread}; {r.input_events} input events")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--what", choices=("track", "app", "both"), default="both")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before measuring")
    parser.add_argument(
        "--first-run", action="store_true", help="start on no database, as the very first launch"
    )
    parser.add_argument("--input", choices=sorted(INPUTS), default="typing")
    args = parser.parse_args(argv)
    whats = ["track", "app"] if args.what == "both" else [args.what]
    results = [
        measure(
            what, args.minutes, args.seed, args.warmup, first_run=args.first_run, inputs=args.input
        )
        for what in whats
    ]
    print(table(results))
    OUT.mkdir(exist_ok=True)
    (OUT / "footprint.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
