"""`breather` (the app), `breather track` and `breather doctor`: running Breather."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    open_store_for,
    say,
    say_settings,
    show,
)
from breather.settings.paths import TRACKER_LOCK, Paths, ensure_private_dir, hold_lock, protect_file

if TYPE_CHECKING:
    from breather.clock import Clock
    from breather.monitor.base import IdleSource, WindowSource
    from breather.runtime.background_sync import BackgroundSync
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
    from breather.settings.live import SettingsFile

    settings_file = SettingsFile(paths.config_file)
    say_settings(settings_file.load())
    protect_file(paths.config_file)  # it can name what the person keeps private
    from breather.ui.app import run_app

    return run_app(paths, settings_file, sys.argv[:1], show_window=not args.tray)


def cmd_track(args: argparse.Namespace, paths: Paths) -> int:
    from breather.clock import SystemClock
    from breather.runtime.coordinator import ExperimentWatch
    from breather.runtime.recorder import Recorder
    from breather.settings.live import LoadedSettings, SettingsFile
    from breather.store.sql import safe_url

    settings_file = SettingsFile(paths.config_file)
    settings = say_settings(settings_file.load()).settings
    protect_file(paths.config_file)  # it can name what the person keeps private
    clock = SystemClock()
    ensure_private_dir(paths.data_dir)
    lock = hold_lock(paths.data_dir / TRACKER_LOCK)
    if lock is None:
        say(f"another Breather is already tracking with the data in {paths.data_dir}")
        return EXIT_PROBLEM
    desktop = _open_desktop(clock, settings, demo=getattr(args, "demo", False))
    if desktop is None:
        return EXIT_PROBLEM
    windows, idle = desktop
    store = open_store_for(paths, long_running=True, device_name=settings.device.name)
    if store is None:
        return EXIT_PROBLEM

    stop = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    boundaries = _start_boundaries(
        settings,
        store,
        clock,
        desktop=not getattr(args, "demo", False),
        fullscreen=getattr(windows, "fullscreen", None),
    )
    # The boundaries follow the settings, and the experiments however they are started.
    watch = ExperimentWatch(boundaries.coordinator if boundaries else None, settings, store, clock)

    def settings_changed(loaded: LoadedSettings) -> None:
        say_settings(loaded, changed=True)
        watch.apply(loaded.settings)

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
        settings_file=settings_file,
        on_settings=settings_changed,
    )

    background = _background_sync(settings, paths, boundaries, store, clock)
    should_stop = _polling(background, lambda: stop, watch.poll)

    interval = settings.tracking.interval
    # The URL may hold a password (a server, or a SQLCipher passphrase): never shown.
    say(f"tracking {windows.name} every {interval:g}s into {safe_url(store.url)} (Ctrl+C stops)")
    notice = getattr(windows, "notice", None)  # macOS: what to allow for window titles
    if notice:
        say(notice)
    try:
        ended = recorder.run(should_stop)
    finally:
        if boundaries is not None:
            boundaries.close()
        if background is not None:
            background.close()
        windows.close()
        idle.close()  # often the same object as windows (X11): closing twice is safe
        store.close()
    if ended:
        say(f"stopped: {ended}; everything up to then is saved")
    return EXIT_OK


def _polling(
    background: BackgroundSync | None,
    stopped: Callable[[], bool],
    also: Callable[[float], None] = lambda _mono: None,
) -> Callable[[], bool]:
    """`stopped`, which also starts a background sync round whenever one is due and runs
    `also` with the monotonic time (the recorder asks it once a sample)."""

    def should_stop() -> bool:
        now = time.monotonic()
        if background is not None:
            background.poll(now)
        also(now)
        return stopped()

    return should_stop


def _background_sync(
    settings: Settings,
    paths: Paths,
    boundaries: HeadlessBoundaries | None,
    store: Store,
    clock: Clock,
) -> BackgroundSync | None:
    """Sync rounds every `[sync] every` while tracking, when a server is set; the first soon
    after the start (what was recorded while away from the server goes then). After each,
    the limits count the other devices' time as the database holds it."""
    from breather.cli.common import sync_url_for

    if not sync_url_for(settings):
        return None
    from breather.runtime.background_sync import BackgroundSync

    def on_synced() -> None:
        if boundaries is not None:
            from breather.runtime.coordinator import seed_other_devices

            seed_other_devices(boundaries.coordinator, store, clock)

    return BackgroundSync(
        paths.data_dir,
        paths.config_file,
        paths.db_url,
        settings.sync.every,
        first_after=time.monotonic() + 30.0,
        on_synced=on_synced,
    )


def _open_desktop(
    clock: Clock, settings: Settings, *, demo: bool
) -> tuple[WindowSource, IdleSource] | None:
    """The window and idle sources `track` samples; None (and why, said) when there are none."""
    if demo:
        from breather.monitor.fake import ScriptedDesktop, demo_script

        scripted = ScriptedDesktop(clock, demo_script(), sleep=time.sleep, loop=600)
        return scripted, scripted
    from breather.monitor.base import BackendUnavailable
    from breather.monitor.select import open_desktop

    try:
        return open_desktop(idle_thresholds=settings.idle_thresholds())
    except BackendUnavailable as why:
        say(f"cannot see the desktop: {why}")
        say("`breather doctor` explains what works here; `breather track --demo` shows it")
        return None


def _start_boundaries(
    settings: Settings,
    store: Store,
    clock: Clock,
    *,
    desktop: bool,
    fullscreen: Callable[[], bool] | None = None,
) -> HeadlessBoundaries | None:
    """Breaks, limits, downtime and intention prompts as notifications; None if they cannot
    start (tracking goes on without them)."""
    from breather.runtime.coordinator import start_headless

    try:
        return start_headless(
            settings, store, clock, say=say, desktop=desktop, fullscreen=fullscreen
        )
    except Exception:  # a bug here must not cost the person their tracking
        log.exception("break and limit reminders could not start")
        say("break and limit reminders could not start (see the log); tracking goes on")
        return None


def cmd_doctor(args: argparse.Namespace, paths: Paths) -> int:
    from breather.monitor.select import BackendReport, chosen, diagnose
    from breather.notify.freedesktop import diagnose as diagnose_notifications
    from breather.settings.model import load_settings
    from breather.store.sql import safe_url
    from breather.ui.platform_check import chosen_platform, platform_problem

    settings, problems = load_settings(paths.config_file)
    reports = diagnose(settings.idle_thresholds())
    reports.append(BackendReport("notifications", *diagnose_notifications()))
    qt_problem = platform_problem()
    qt_works = f"Qt's {chosen_platform()} platform plugin loads"
    reports.append(BackendReport("app window", qt_problem is None, qt_problem or qt_works))
    width = max(len(report.name) for report in reports)
    show("Desktop backends:")
    for report in reports:
        mark = "ok " if report.works else "no "
        show(f"  {mark} {report.name:<{width}}  {report.detail}")
    windows, idle = chosen(reports)
    show(f"\nTracking uses: windows from {windows or 'nothing'}, idle from {idle or 'nothing'}")
    if windows is None and any(r.name == "gnome windows" for r in reports):
        show("To fix it: breather install-gnome-extension, then log out and in once.")
    show("\nFiles:")
    show(f"  data   {paths.data_dir}")
    state = f"{len(problems)} problem(s), see `breather config check`" if problems else "OK"
    exists = paths.config_file.exists()
    show(f"  config {paths.config_file} ({state if exists else 'not there: defaults'})")
    show(f"  db     {safe_url(paths.db_url)}")
    works = windows is not None and idle is not None and qt_problem is None
    return EXIT_OK if works else EXIT_PROBLEM
