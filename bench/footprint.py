"""What Breather costs while it runs: CPU seconds, resident memory and disk writes per hour.

Starts a private desktop (Xvfb + jwm, as the real-desktop tests do), opens a few windows,
and plays a person at work for a few minutes: a window switch every 30 s on average, key
taps and pointer motion (through XTEST, from this process, so the input itself costs
Breather nothing it would not pay on a real desktop). Meanwhile it samples the measured
process from /proc and prints a table, extrapolated to one hour, with how often its threads
woke up (voluntary context switches) while the person typed.

`--desktop sway` does the same for `breather track` on headless sway (wlroots), run as the
Wayland tests run it: as an unprivileged user in private namespaces (so as root), with four
native Wayland windows. Keys go to sway through its virtual-keyboard protocol (one `wtype`
per run, which plays the whole typing script: one keyboard for the run, as a real one),
pointer motion through `swaymsg seat - cursor move`, focus changes through swaymsg. After
the typing it also counts wake-ups during a pause with no input at all: Breather learns
idleness from the compositor's idle notifications, so typing should wake it no more than
sitting still does.

Two ways of working (`--input`):

- `typing` (the default): someone writing, about four keys a second with a capital every
  dozen keys, and the pointer moving now and then.
- `busy`: a worst case, five Shift taps and five pointer moves a second without a pause.
  Every Shift press and release changes the keyboard's modifier state, which X sends to
  every client that follows the keyboard, Qt included; ordinary keys change no state.

    python -m bench.footprint                 # `breather track`, then the tray app, 5 min each
    python -m bench.footprint --what app --input busy --minutes 3
    python -m bench.footprint --what app --first-run   # the very first start
    python -m bench.footprint --desktop sway --minutes 3   # `breather track` on sway (root)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.desktop.harness import Desktop, wait_until
from tests.wayland.compositors import Sway, Window
from tests.wayland.session import UserProcess, UserSession, missing_tools
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
    desktop: str = "x11"
    #: Voluntary context switches per second (all threads) while the person typed, and in a
    #: pause with no input at all (measured on sway only).
    wakeups_per_s_typing: float = 0.0
    wakeups_per_s_idle: float | None = None
    wakeups_per_s_by_thread_typing: dict[str, float] = field(default_factory=dict)
    wakeups_per_s_by_thread_idle: dict[str, float] = field(default_factory=dict)
    keys_per_s: float = 0.0


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


def thread_wakeups(pid: int) -> dict[str, int]:
    """Voluntary context switches per thread ("main", else name and thread id): how often
    each went to sleep, and so was woken again. Threads that ended are not counted."""
    counts: dict[str, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            status = (task / "status").read_text()
        except OSError:  # the thread ended meanwhile
            continue
        values = {}
        for line in status.splitlines():
            key, _, value = line.partition(":")
            values[key] = value.strip()
        label = "main" if task.name == str(pid) else f"{values.get('Name', '?')} {task.name}"
        counts[label] = int(values.get("voluntary_ctxt_switches", "0"))
    return counts


def wakeup_rates(before: dict[str, int], after: dict[str, int], seconds: float) -> dict[str, float]:
    """Wake-ups per second per thread between two `thread_wakeups` readings, most first;
    threads that never woke are listed too (a listener that typing does not wake shows 0)."""
    rates = {name: (count - before.get(name, 0)) / seconds for name, count in after.items()}
    return {name: round(rate, 2) for name, rate in sorted(rates.items(), key=lambda i: -i[1])}


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
            wakeups0 = thread_wakeups(proc.pid)
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
            wakeups = wakeup_rates(wakeups0, thread_wakeups(proc.pid), elapsed)
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
        wakeups_per_s_typing=round(sum(wakeups.values()), 2),
        wakeups_per_s_by_thread_typing=wakeups,
    )


#: What the sway run needs beyond the Wayland tests' session tools (Debian: sway, wtype).
SWAY_TOOLS = ("sway", "swaymsg", "wtype")
SWAY_WINDOWS = (
    ("editor", "notes.md — Editor"),
    ("browser", "Home / X — Browser"),
    ("chat", "#general — Chat"),
    ("terminal", "~/src — Terminal"),
)


def input_plan(rng: random.Random, inputs: str, ticks: int) -> list[str]:
    """Per step (1 / TICK s) of input: "key", "shift" (a capital), "move" or "" (nothing),
    at the `INPUTS` pace; the sway run plays keys and motion from this one plan."""
    key, shifted, move = INPUTS[inputs]
    plan = []
    for _ in range(ticks):
        roll = rng.random()
        if roll < key:
            plan.append("key")
        elif roll < key + shifted:
            plan.append("shift")
        elif roll < key + shifted + move:
            plan.append("move")
        else:
            plan.append("")
    return plan


def wtype_script(plan: list[str]) -> list[str]:
    """wtype's arguments that type the plan's keys at their times, from when wtype starts:
    a sleep (-s, ms) before each key, Shift held around the capitals."""
    argv: list[str] = []
    waited_ms = 0
    for step in plan:
        if step in ("key", "shift"):
            if waited_ms:
                argv += ["-s", str(waited_ms)]
            argv += ["-k", "e"] if step == "key" else ["-M", "shift", "-k", "e", "-m", "shift"]
            waited_ms = 0
        waited_ms += round(1000 / TICK)
    return argv


def start_tracker(
    session: UserSession, env: dict[str, str], what: str, *, first_run: bool
) -> UserProcess:
    """Start the measured process in the session, on a data dir as the X11 run has it."""
    data = session.data_dir
    Path(data, "welcomed").touch()
    if not first_run:
        open_store(
            sqlite_url(Path(data, "breather.db")), device_uuid="bench", device_name="bench"
        ).close()
    for path in data.iterdir():  # made by root here; the tracker runs as the test user
        os.chown(path, session.user.pw_uid, session.user.pw_gid)
    tracker = session.spawn(
        "track",
        [session.python(), "-m", "breather", *TARGETS[what]],
        env={**env, "BREATHER_DATA_DIR": str(data)},
    )
    wait_until(
        lambda: "tracking wayland-wlroots every" in tracker.output() or not tracker.running(),
        30,
        "breather track to start on sway",
    )
    if not tracker.running() or not tracker.pid:
        tracker.stop()
        raise RuntimeError(f"breather track did not start: {tracker.output()}")
    return tracker


def play(
    sway: Sway, windows: list[Window], plan: list[str], rng: random.Random, pid: int
) -> tuple[int, list[float]]:
    """The plan's pointer moves and a window switch every 10-50 s, at the plan's pace (wtype
    plays its keys); returns the switches made and the measured process's RSS every 5 s."""
    began = time.monotonic()
    next_switch = began + rng.uniform(10, 50)
    switches = 0
    rss_samples: list[float] = []
    for tick, step in enumerate(plan):
        time.sleep(max(0.0, began + tick / TICK - time.monotonic()))
        now = time.monotonic()
        if now >= next_switch:
            sway.focus(rng.choice(windows))
            switches += 1
            next_switch = now + rng.uniform(10, 50)
        if step == "move":
            sway.input()
        if tick % int(TICK * 5) == 0:
            rss_samples.append(proc_rss_mb(pid)[0])
    time.sleep(max(0.0, began + len(plan) / TICK - time.monotonic()))
    return switches, rss_samples


def measure_sway(
    what: str,
    minutes: float,
    seed: int,
    warmup: float = 60.0,
    *,
    first_run: bool = False,
    inputs: str = "typing",
    pause: float = 60.0,
) -> Footprint:
    """`breather track` on headless sway while a person types and switches windows, then
    `pause` seconds with no input; see the module docstring."""
    rng = random.Random(seed)
    with UserSession() as session:
        sway = Sway(session).start()
        windows = [sway.open_qt(app_id, title) for app_id, title in SWAY_WINDOWS]
        sway.wait_mapped()
        sway.focus(windows[0])
        tracker = start_tracker(session, sway.env, what, first_run=first_run)
        try:
            pid = tracker.pid
            time.sleep(warmup)
            ticks = round(minutes * 60 * TICK)
            plan = input_plan(rng, inputs, ticks)
            keys = sum(step in ("key", "shift") for step in plan)
            cpu0, written0 = proc_cpu_seconds(pid), proc_written(pid)
            threads0, wakeups0 = thread_cpu_seconds(pid), thread_wakeups(pid)
            # One virtual keyboard plays all the keys: wtype sleeps between them itself.
            typist = session.spawn("wtype", ["wtype", *wtype_script(plan)], env=sway.env)
            began = time.monotonic()
            switches, rss_samples = play(sway, windows, plan, rng, pid)
            elapsed = time.monotonic() - began
            cpu = proc_cpu_seconds(pid) - cpu0
            written = proc_written(pid) - written0
            threads = {
                name: seconds - threads0.get(name, 0.0)
                for name, seconds in thread_cpu_seconds(pid).items()
            }
            rss, peak = proc_rss_mb(pid)
            wakeups1 = thread_wakeups(pid)
            typing = wakeup_rates(wakeups0, wakeups1, elapsed)
            if typist.running():  # wtype's own pace lags the plan by a few ms a key
                typist.wait(timeout=30)
            # Nobody touches anything now: how often does the tracker wake on its own?
            paused = time.monotonic()
            time.sleep(pause)
            idle = wakeup_rates(wakeups1, thread_wakeups(pid), time.monotonic() - paused)
            if not tracker.running():
                raise RuntimeError(f"breather track ended early: {tracker.output()}")
        finally:
            tracker.stop(timeout=30)
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
        input_events=sum(bool(step) for step in plan),
        cpu_s_per_hour_by_thread={
            name: round(seconds * per_hour, 2)
            for name, seconds in sorted(threads.items(), key=lambda item: -item[1])
            if seconds
        },
        desktop="sway",
        wakeups_per_s_typing=round(sum(typing.values()), 2),
        wakeups_per_s_idle=round(sum(idle.values()), 2),
        wakeups_per_s_by_thread_typing=typing,
        wakeups_per_s_by_thread_idle=idle,
        keys_per_s=round(keys / elapsed, 2),
    )


def table(results: list[Footprint]) -> str:
    lines = [
        f"{'process':<16} {'desktop':<7} {'input':<7} {'minutes':>7} {'CPU s/h':>8} "
        f"{'written MB/h':>13} {'RSS MB':>7} {'peak MB':>8}  targets",
        "-" * 102,
    ]
    for r in results:
        cpu_t, write_t, rss_t = BUDGET[r.what]
        target = f"≤{cpu_t:g} CPU s/h, ≤{write_t:g} MB/h" + (f", ≤{rss_t:g} MB" if rss_t else "")
        name = "breather track" if r.what == "track" else "breather (tray)"
        lines.append(
            f"{name:<16} {r.desktop:<7} {r.inputs:<7} {r.seconds / 60:>7.1f} "
            f"{r.cpu_s_per_hour:>8.2f} {r.written_mb_per_hour:>13.3f} {r.rss_mb:>7.1f} "
            f"{r.rss_peak_mb:>8.1f}  {target}"
        )
        by_thread = ", ".join(f"{n} {s:.2f}" for n, s in r.cpu_s_per_hour_by_thread.items())
        lines.append(f"{'':<16} CPU s/h by thread: {by_thread}; {r.input_events} input events")
        lines.append(f"{'':<16} {wakeup_line(r)}")
    return "\n".join(lines)


def wakeup_line(r: Footprint) -> str:
    """Wake-ups (voluntary context switches) per second, typing against sitting still."""
    typing = ", ".join(f"{n} {s:.2f}" for n, s in r.wakeups_per_s_by_thread_typing.items())
    keys = f" ({r.keys_per_s:.2f} keys/s)" if r.keys_per_s else ""
    line = f"wake-ups/s while typing{keys}: {r.wakeups_per_s_typing:.2f} [{typing}]"
    if r.wakeups_per_s_idle is not None:
        idle = ", ".join(f"{n} {s:.2f}" for n, s in r.wakeups_per_s_by_thread_idle.items())
        line += f"; with no input: {r.wakeups_per_s_idle:.2f} [{idle}]"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--desktop",
        choices=("x11", "sway"),
        default="x11",
        help="x11: Xvfb + jwm (the default); sway: headless sway as a test user (needs root)",
    )
    parser.add_argument(
        "--what", choices=("track", "app", "both"), help="default: both on x11, track on sway"
    )
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before measuring")
    parser.add_argument(
        "--first-run", action="store_true", help="start on no database, as the very first launch"
    )
    parser.add_argument("--input", choices=sorted(INPUTS), default="typing")
    parser.add_argument(
        "--pause",
        type=float,
        default=60.0,
        help="sway: seconds with no input after the typing, to count wake-ups in (default 60)",
    )
    args = parser.parse_args(argv)
    what = args.what or ("track" if args.desktop == "sway" else "both")
    if args.desktop == "sway":
        if what != "track":
            parser.error("on sway only `breather track` is measured (headless sway has no tray)")
        if os.geteuid() != 0:
            parser.error("the sway run needs root: it runs sway as a test user in namespaces")
        if missing := missing_tools(SWAY_TOOLS):
            parser.error(f"the sway run needs {', '.join(missing)} (Debian: sway wtype)")
    whats = ["track", "app"] if what == "both" else [what]
    results = [
        measure_sway(
            what,
            args.minutes,
            args.seed,
            args.warmup,
            first_run=args.first_run,
            inputs=args.input,
            pause=args.pause,
        )
        if args.desktop == "sway"
        else measure(
            what, args.minutes, args.seed, args.warmup, first_run=args.first_run, inputs=args.input
        )
        for what in whats
    ]
    print(table(results))
    OUT.mkdir(exist_ok=True)
    name = "footprint.json" if args.desktop == "x11" else f"footprint-{args.desktop}.json"
    (OUT / name).write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
