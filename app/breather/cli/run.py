"""`breather` (the app), `breather track` and `breather doctor`: running Breather."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from typing import TYPE_CHECKING

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    load_settings_for,
    open_store_for,
    say,
    show,
)
from breather.settings.paths import TRACKER_LOCK, Paths, ensure_private_dir, hold_lock

if TYPE_CHECKING:
    from breather.clock import Clock
    from breather.runtime.coordinator import HeadlessBoundaries
    from breather.settings.model import Settings
    from breather.store import Store

log = logging.getLogger("breather")


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add `track` and `doctor` to `sub`; returns their handlers by name."""
    track = sub.add_parser("track", help="track the desktop without a window (Ctrl+C stops)")
    track.add_argument(
        "--demo", action="store_true", help="track scripted windows instead of the desktop"
    )
    sub.add_parser("doctor", help="which desktop backends work here, and why not")
    return {"track": cmd_track, "doctor": cmd_doctor}


def cmd_app(args: argparse.Namespace, paths: Paths) -> int:
    # The settings first: their problems are said before anything else, and the modules
    # they need load before Qt, which reads the source of every module imported after it
    # (see breather.ui.binding).
    settings = load_settings_for(paths)
    from breather.ui.app import run_app

    return run_app(paths, settings, sys.argv[:1], show_window=not args.tray)


def cmd_track(args: argparse.Namespace, paths: Paths) -> int:
    from breather.clock import SystemClock
    from breather.monitor.base import BackendUnavailable, IdleSource, WindowSource
    from breather.runtime.recorder import Recorder
    from breather.store.sql import safe_url

    settings = load_settings_for(paths)
    clock = SystemClock()
    ensure_private_dir(paths.data_dir)
    lock = hold_lock(paths.data_dir / TRACKER_LOCK)
    if lock is None:
        say(f"another Breather is already tracking with the data in {paths.data_dir}")
        return EXIT_PROBLEM
    windows: WindowSource
    idle: IdleSource
    if getattr(args, "demo", False):
        from breather.monitor.fake import ScriptedDesktop, demo_script

        demo = ScriptedDesktop(clock, demo_script(), sleep=time.sleep, loop=600)
        windows, idle = demo, demo
    else:
        from breather.monitor.select import open_desktop

        try:
            windows, idle = open_desktop()
        except BackendUnavailable as why:
            say(f"cannot see the desktop: {why}")
            say("`breather doctor` explains what works here; `breather track --demo` shows it")
            return EXIT_PROBLEM
    store = open_store_for(paths, long_running=True)
    if store is None:
        return EXIT_PROBLEM

    stop = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    boundaries = _start_boundaries(settings, store, clock, desktop=not getattr(args, "demo", False))
    recorder = Recorder.for_store(
        store,
        settings.tracking,
        clock=clock,
        windows=windows,
        idle=idle,
        sleep=time.sleep,
        privacy=settings.privacy,
        data_dir=paths.data_dir,
        on_sample=boundaries.coordinator.observe if boundaries is not None else None,
    )
    interval = settings.tracking.interval
    # The URL may hold a password (a server, or a SQLCipher passphrase): never shown.
    say(f"tracking {windows.name} every {interval:g}s into {safe_url(store.url)} (Ctrl+C stops)")
    try:
        ended = recorder.run(lambda: stop)
    finally:
        if boundaries is not None:
            boundaries.close()
        windows.close()
        store.close()
    if ended:
        say(f"stopped: {ended}; everything up to then is saved")
    return EXIT_OK


def _start_boundaries(
    settings: Settings, store: Store, clock: Clock, *, desktop: bool
) -> HeadlessBoundaries | None:
    """Breaks, limits, downtime and intention prompts as notifications; None if they cannot
    start (tracking goes on without them)."""
    from breather.runtime.coordinator import start_headless

    try:
        return start_headless(settings, store, clock, say=say, desktop=desktop)
    except Exception:  # a bug here must not cost the person their tracking
        log.exception("break and limit reminders could not start")
        say("break and limit reminders could not start (see the log); tracking goes on")
        return None


def cmd_doctor(args: argparse.Namespace, paths: Paths) -> int:
    from breather.monitor.select import BackendReport, diagnose
    from breather.notify.freedesktop import diagnose as diagnose_notifications
    from breather.settings.model import load_settings
    from breather.store.sql import safe_url

    reports = diagnose()
    reports.append(BackendReport("notifications", *diagnose_notifications()))
    width = max(len(report.name) for report in reports)
    show("Desktop backends:")
    for report in reports:
        mark = "ok " if report.works else "no "
        show(f"  {mark} {report.name:<{width}}  {report.detail}")
    _settings_found, problems = load_settings(paths.config_file)
    show("\nFiles:")
    show(f"  data   {paths.data_dir}")
    state = f"{len(problems)} problem(s), see `breather config check`" if problems else "OK"
    exists = paths.config_file.exists()
    show(f"  config {paths.config_file} ({state if exists else 'not there: defaults'})")
    show(f"  db     {safe_url(paths.db_url)}")
    tracking_works = any(r.works for r in reports if r.name == "x11 windows")
    return EXIT_OK if tracking_works else EXIT_PROBLEM
