"""The `breather` command: the app by default, subcommands for tracking, reports and upkeep."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from breather import __version__
from breather.paths import (
    TRACKER_LOCK,
    Paths,
    device_identity,
    ensure_private_dir,
    hold_lock,
    protect_file,
    resolve_paths,
)

if TYPE_CHECKING:
    from breather.clock import Clock
    from breather.config import Settings
    from breather.coordinator import HeadlessBoundaries
    from breather.store import Store

log = logging.getLogger("breather")

EXIT_OK = 0
EXIT_PROBLEM = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breather",
        description="Mindful screen use: see where your time goes and take kind breaks. "
        "Everything stays on this machine.",
    )
    parser.add_argument("--version", action="version", version=f"breather {__version__}")
    parser.add_argument("--data-dir", help="where data lives (env BREATHER_DATA_DIR)")
    parser.add_argument("--config", help="settings file (env BREATHER_CONFIG)")
    parser.add_argument("--db", help="SQLAlchemy database URL (env BREATHER_DB)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    parser.add_argument(
        "--tray",
        action="store_true",
        help="start the app quietly in the tray, without its window (what login uses)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    track = sub.add_parser("track", help="track the desktop without a window (Ctrl+C stops)")
    track.add_argument(
        "--demo", action="store_true", help="track scripted windows instead of the desktop"
    )

    report = sub.add_parser("report", help="time per app or title for a day or a week")
    when = report.add_mutually_exclusive_group()
    when.add_argument("--day", type=_parse_date, metavar="DATE", help="YYYY-MM-DD (default today)")
    when.add_argument(
        "--week",
        type=_parse_date,
        nargs="?",
        const="today",
        metavar="DATE",
        help="the Monday-to-Sunday week holding DATE (default this week)",
    )
    report.add_argument("--by", choices=("app", "title", "category"), default="app")
    report.add_argument("--json", action="store_true", help="machine-readable output")

    export = sub.add_parser("export", help="every span as CSV or JSON Lines")
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    export.add_argument("--since", type=_parse_date, metavar="DATE")
    export.add_argument("--until", type=_parse_date, metavar="DATE", help="up to the end of DATE")
    export.add_argument("--output", "-o", metavar="FILE", help="write here (default stdout)")

    config = sub.add_parser("config", help="check the settings file")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = config_sub.add_parser("check", help="validate; problems name the file, line and key")
    check.add_argument("file", nargs="?", help="the file to check (default: the one in use)")

    sub.add_parser("doctor", help="which desktop backends work here, and why not")
    gnome = sub.add_parser(
        "install-gnome-extension",
        help="let Breather see windows on GNOME (Wayland): install its GNOME Shell extension",
    )
    gnome.add_argument("--remove", action="store_true", help="disable and delete it instead")
    from breather.cli_data import add_commands
    from breather.cli_desktop import add_commands as add_desktop_commands

    handlers = {**add_commands(sub, _parse_date), **add_desktop_commands(sub)}
    parser.set_defaults(data_handlers=handlers)
    return parser


def main(argv: list[str] | None = None) -> int:
    from breather.store.database import MIGRATE_COMMAND, migrate_main

    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == [MIGRATE_COMMAND]:  # a child process of the app or `track`
        return migrate_main(sys.stdin.read().strip())
    args = build_parser().parse_args(arguments)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    paths = resolve_paths(args.data_dir, args.config, args.db)
    handlers: dict[str, Callable[[argparse.Namespace, Paths], int]] = {
        "track": cmd_track,
        "report": cmd_report,
        "export": cmd_export,
        "config": cmd_config,
        "doctor": cmd_doctor,
        "install-gnome-extension": cmd_install_gnome_extension,
        **args.data_handlers,
    }
    handler = handlers.get(args.command or "", cmd_app)
    try:
        return handler(args, paths)
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:  # `breather export | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _parse_date(text: str) -> date:
    if text == "today":
        return date.today()
    if text == "yesterday":
        return date.today() - timedelta(days=1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def _say(message: str) -> None:
    print(f"breather: {message}", file=sys.stderr)


def _settings(paths: Paths, *, quiet: bool = False) -> Settings:
    from breather.config import load_settings

    settings, problems = load_settings(paths.config_file)
    protect_file(paths.config_file)  # it can name what the person keeps private
    if problems and not quiet:
        for problem in problems:
            _say(str(problem))
        _say("carrying on with the defaults for those settings (the file was left as it is)")
    return settings


def _open_store(paths: Paths, *, long_running: bool = False) -> Store | None:
    """The database, with its notices said; None (and why, said) when it cannot be used.

    A `long_running` process migrates in a child process (see `open_store`)."""
    from breather.store import DatabaseUnusable, open_store

    device_uuid, device_name = device_identity(paths.data_dir)
    try:
        store = open_store(
            paths.db_url,
            device_uuid=device_uuid,
            device_name=device_name,
            migrate_apart=long_running,
        )
    except DatabaseUnusable as why:
        _say(str(why))
        return None
    for notice in store.notices:
        _say(notice)
    return store


def _person_today(settings: Settings) -> date:
    now = datetime.now().astimezone()
    day_starts = settings.tracking.day_starts
    return (now - timedelta(hours=day_starts.hour, minutes=day_starts.minute)).date()


def cmd_app(args: argparse.Namespace, paths: Paths) -> int:
    # The settings first: their problems are said before anything else, and the modules
    # they need load before Qt, which reads the source of every module imported after it
    # (see breather.ui.binding).
    settings = _settings(paths)
    from breather.ui.app import run_app

    return run_app(paths, settings, sys.argv[:1], show_window=not args.tray)


def cmd_track(args: argparse.Namespace, paths: Paths) -> int:
    from breather.clock import SystemClock
    from breather.monitor.base import BackendUnavailable, IdleSource, WindowSource
    from breather.recorder import Recorder

    settings = _settings(paths)
    clock = SystemClock()
    ensure_private_dir(paths.data_dir)
    lock = hold_lock(paths.data_dir / TRACKER_LOCK)
    if lock is None:
        _say(f"another Breather is already tracking with the data in {paths.data_dir}")
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
            windows, idle = open_desktop(idle_thresholds=_idle_thresholds(settings))
        except BackendUnavailable as why:
            _say(f"cannot see the desktop: {why}")
            _say("`breather doctor` explains what works here; `breather track --demo` shows it")
            return EXIT_PROBLEM
    store = _open_store(paths, long_running=True)
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
    _say(f"tracking {windows.name} every {interval:g}s into {paths.db_url} (Ctrl+C stops)")
    try:
        ended = recorder.run(lambda: stop)
    finally:
        if boundaries is not None:
            boundaries.close()
        windows.close()
        idle.close()  # often the same object as windows (X11): closing twice is safe
        store.close()
    if ended:
        _say(f"stopped: {ended}; everything up to then is saved")
    return EXIT_OK


def _idle_thresholds(settings: Settings) -> tuple[float, ...]:
    """Every idle time tracking and breaks compare with: where event-based idle is exact."""
    from breather.rules.policy import TYPING_PAUSE

    rests = (rule.rest_threshold for rule in settings.breaks.rules())
    return (settings.tracking.idle_after, TYPING_PAUSE, *rests)


def _start_boundaries(
    settings: Settings, store: Store, clock: Clock, *, desktop: bool
) -> HeadlessBoundaries | None:
    """Breaks, limits, downtime and intention prompts as notifications; None if they cannot
    start (tracking goes on without them)."""
    from breather.coordinator import start_headless

    try:
        return start_headless(settings, store, clock, say=_say, desktop=desktop)
    except Exception:  # a bug here must not cost the person their tracking
        log.exception("break and limit reminders could not start")
        _say("break and limit reminders could not start (see the log); tracking goes on")
        return None


def cmd_report(args: argparse.Namespace, paths: Paths) -> int:
    from breather.report import boundary_figures, summary_json, summary_text
    from breather.store.queries import day_range, summarize, week_range

    settings = _settings(paths, quiet=args.json)
    day_starts = settings.tracking.day_starts
    if args.week is not None:
        start, end = week_range(args.week, day_starts)
        title = f"Week of {start:%A %d %B %Y}"
    else:
        day = args.day or _person_today(settings)
        start, end = day_range(day, day_starts)
        title = f"{start:%A %d %B %Y} (from {day_starts:%H:%M})"
    store = _open_store(paths)
    if store is None:
        return EXIT_PROBLEM
    from breather.categories import Categorizer

    categorizer = Categorizer(settings.categories)
    if args.week is not None:
        monday = args.week - timedelta(days=args.week.weekday())
        days = [monday + timedelta(days=offset) for offset in range(7)]
    else:
        days = [args.day or _person_today(settings)]
    try:
        if args.by == "category":
            from breather.store.by_category import category_summary

            summary = category_summary(store.db, start, end, categorizer)
        else:
            summary = summarize(store.db, start, end, args.by)
        figures = boundary_figures(store.db, days, day_starts, settings.limits, categorizer)
    finally:
        store.close()
    if args.json:
        print(json.dumps(summary_json(summary, figures), ensure_ascii=False, indent=2))
    else:
        print(summary_text(summary, title, figures=figures))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, paths: Paths) -> int:
    from breather.export import write_export
    from breather.store.queries import day_range, iter_spans

    settings = _settings(paths, quiet=True)
    day_starts = settings.tracking.day_starts
    since = day_range(args.since, day_starts)[0] if args.since else None
    until = day_range(args.until, day_starts)[1] if args.until else None
    store = _open_store(paths)
    if store is None:
        return EXIT_PROBLEM
    try:
        from breather.categories import Categorizer

        categorizer = Categorizer(settings.categories)
        rows = iter_spans(store.db, since, until)
        if args.output:
            target = Path(args.output)
            fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                count = write_export(rows, out, args.format, categorizer)
            _say(f"wrote {count} spans to {target}")
        else:
            write_export(rows, sys.stdout, args.format, categorizer)
    finally:
        store.close()
    return EXIT_OK


def cmd_config(args: argparse.Namespace, paths: Paths) -> int:
    from breather.config import load_settings

    target = Path(args.file) if args.file else paths.config_file
    if not target.exists():
        if args.file:
            _say(f"{target}: no such file")
            return EXIT_PROBLEM
        print(f"{target}: not there, so every setting has its default")
        return EXIT_OK
    _settings_found, problems = load_settings(target)
    for problem in problems:
        print(problem)
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count > 1 else ''} in {target}")
        return EXIT_PROBLEM
    print(f"{target}: OK")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, paths: Paths) -> int:
    from breather.config import load_settings
    from breather.monitor.select import BackendReport, diagnose
    from breather.notify.freedesktop import diagnose as diagnose_notifications

    reports = diagnose()
    reports.append(BackendReport("notifications", *diagnose_notifications()))
    width = max(len(report.name) for report in reports)
    print("Desktop backends:")
    for report in reports:
        mark = "ok " if report.works else "no "
        print(f"  {mark} {report.name:<{width}}  {report.detail}")
    _settings_found, problems = load_settings(paths.config_file)
    print("\nFiles:")
    print(f"  data   {paths.data_dir}")
    state = f"{len(problems)} problem(s), see `breather config check`" if problems else "OK"
    exists = paths.config_file.exists()
    print(f"  config {paths.config_file} ({state if exists else 'not there: defaults'})")
    print(f"  db     {paths.db_url}")
    tracking_works = any(r.works for r in reports if r.name == "x11 windows")
    return EXIT_OK if tracking_works else EXIT_PROBLEM


def cmd_install_gnome_extension(args: argparse.Namespace, paths: Paths) -> int:
    from breather.monitor.gnome import ExtensionInstallError, install_extension

    try:
        print(install_extension(remove=args.remove))
    except ExtensionInstallError as why:
        _say(str(why))
        return EXIT_PROBLEM
    return EXIT_OK
