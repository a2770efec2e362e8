"""`breather pause`, `forget` and `import`: what is recorded, and what is kept."""

from __future__ import annotations

import argparse
import glob
import os
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    load_settings_for,
    local_time,
    open_store_for,
    parse_date,
    say,
    show,
    sync_url_for,
)
from breather.settings.durations import format_duration, parse_duration

if TYPE_CHECKING:
    from breather.settings.paths import Paths
    from breather.store.sql import Database


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add the subcommands to `sub`; returns their handlers by name."""
    pause = sub.add_parser(
        "pause",
        help="stop recording for a while: 30m, 1h, 'indefinitely' or 'off'",
        description="Record nothing for a while (apps, titles and away time alike). "
        "Without an argument, says whether recording is paused.",
    )
    pause.add_argument("duration", nargs="?", metavar="30m|1h|indefinitely|off")

    forget = sub.add_parser(
        "forget",
        help="delete recorded time: everything, some days, or the last while",
        description="Delete recorded time for good. Shows what would go; --yes deletes it.",
    )
    what = forget.add_mutually_exclusive_group(required=True)
    what.add_argument("--all", action="store_true", help="everything ever recorded")
    what.add_argument("--from", dest="since", type=parse_date, metavar="DATE", help="first day")
    what.add_argument("--last", metavar="DURATION", help="the last while, e.g. 30m or 2h")
    forget.add_argument("--to", dest="until", type=parse_date, metavar="DATE", help="last day")
    forget.add_argument("--yes", action="store_true", help="really delete")

    imports = sub.add_parser("import", help="bring in history from ActivityWatch or an export")
    imports.add_argument(
        "source",
        choices=("activitywatch", "jsonl"),
        help="activitywatch: its JSON export of all buckets; jsonl: `breather export` as JSONL",
    )
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("--dry-run", action="store_true", help="say what would be imported")

    return {
        "pause": cmd_pause,
        "forget": cmd_forget,
        "import": cmd_import,
    }


# -- pause --------------------------------------------------------------------------------


def cmd_pause(args: argparse.Namespace, paths: Paths) -> int:
    from breather.settings.paths import ensure_private_dir
    from breather.tracking.privacy import pause_until, read_pause, resume

    ensure_private_dir(paths.data_dir)
    choice = (args.duration or "").strip().lower()
    now = datetime.now(UTC)
    if not choice:
        paused, until = read_pause(paths.data_dir)
        if not paused or (until is not None and until <= now):
            show("Recording is on.")
        elif until is None:
            show("Paused until you resume it (`breather pause off`).")
        else:
            show(f"Paused until {local_time(until)} (`breather pause off` resumes now).")
        return EXIT_OK
    if choice in ("off", "resume", "0"):
        show("Recording again." if resume(paths.data_dir) else "Recording was not paused.")
        return EXIT_OK
    if choice in ("indefinitely", "on", "forever"):
        pause_until(paths.data_dir, None)
        show("Paused until you resume it with `breather pause off`. Nothing is recorded.")
        return EXIT_OK
    try:
        seconds = parse_duration(choice)
    except ValueError as error:
        say(str(error))
        return EXIT_PROBLEM
    if not 0 < seconds <= 366 * 86400:
        say("pause for between a second and a year, or 'indefinitely'")
        return EXIT_PROBLEM
    until = now + timedelta(seconds=seconds)
    pause_until(paths.data_dir, until)
    show(
        f"Paused for {format_duration(seconds)}, until {local_time(until)}. Nothing is recorded "
        "until then; `breather pause off` resumes now."
    )
    return EXIT_OK


# -- forget -------------------------------------------------------------------------------


def _besides_time(db: Database, lo: int, hi: int) -> tuple[int, str]:
    """How many check-ins and experiments in [lo, hi) go with the time, and " and 2 mood
    check-ins and 1 experiment" (empty for none)."""
    from breather.store.checkins import count_checkins
    from breather.store.experiments import count_experiments

    checkins = count_checkins(db, lo, hi)
    experiments = count_experiments(db, lo, hi)
    also = f" and {checkins} mood check-in{'s' if checkins != 1 else ''}" if checkins else ""
    if experiments:
        also += f" and {experiments} experiment{'s' if experiments != 1 else ''}"
    return checkins + experiments, also


def cmd_forget(args: argparse.Namespace, paths: Paths) -> int:
    from breather.files import open_private
    from breather.settings.paths import TRACKER_LOCK, hold_lock
    from breather.store.journal import JOURNAL_NAME
    from breather.store.maintenance import delete_everything, delete_range, measure
    from breather.tracking.privacy import read_pause

    if args.until is not None and args.since is None:
        say("--to goes with --from")
        return EXIT_PROBLEM
    settings = load_settings_for(paths, quiet=True)
    chosen = _forget_range(args, settings.tracking.day_starts)
    if chosen is None:
        return EXIT_PROBLEM
    lo, hi, what = chosen

    store = open_store_for(paths)
    if store is None:
        return EXIT_PROBLEM
    lock: object | None = None
    try:
        if args.yes:
            lock = hold_lock(paths.data_dir / TRACKER_LOCK)
            paused, _until = read_pause(paths.data_dir)
            if lock is None and not paused:
                say(
                    "Breather is recording right now. Pause it first (`breather pause 5m`), "
                    "then forget, then `breather pause off`."
                )
                return EXIT_PROBLEM
        found = measure(store.db, lo, hi)
        besides, also = _besides_time(store.db, lo, hi)
        # Databases set aside as damaged still hold every title they had: "everything" is
        # them too.
        copies = _set_aside_copies(paths) if args.all else []
        nothing = "Nothing is recorded." if args.all else f"Nothing recorded in {what}."
        if not args.yes:
            pieces = f"{found.spans} piece{'s' if found.spans != 1 else ''}"
            amount = f"{format_duration(found.seconds)} of recorded time ({pieces}){also}"
            show(
                f"This would delete {amount}: {what}. Run again with --yes to delete it."
                if found or besides
                else nothing
            )
            if copies:
                show(f"It would also delete {len(copies)} damaged copies set aside earlier:")
                for copy in copies:
                    show(f"  {copy}")
            return EXIT_OK
        # Even with no time in the range, break and prompt answers and check-ins in it go too.
        deleted = delete_everything(store.db) if args.all else delete_range(store.db, lo, hi)
        if args.all and lock is not None:
            # No tracker runs: what a crashed one left to replay would bring it all back.
            journal = paths.data_dir / JOURNAL_NAME
            if journal.exists() or journal.is_symlink():
                os.close(open_private(journal, os.O_WRONLY, truncate=True))
        show(
            f"Deleted {format_duration(deleted.seconds)} of recorded time{also}: {what}."
            if deleted or besides
            else ("Nothing was recorded." if copies else nothing)
        )
        if sync_url_for(settings):
            show(
                "With the next sync round it is forgotten on the server and on every other "
                "device too."
            )
        for copy in copies:
            copy.unlink()
            show(f"Deleted the damaged copy {copy}.")
    finally:
        store.close()
        close = getattr(lock, "close", None)
        if close is not None:
            close()
    return EXIT_OK


def _set_aside_copies(paths: Paths) -> list[Path]:
    """The damaged databases set aside beside the database (and their -wal and -shm)."""
    from breather.store.sql import sqlite_path

    path = sqlite_path(paths.db_url)
    if path is None:
        return []
    return sorted(path.parent.glob(f"{glob.escape(path.name)}.damaged-*"))


def _forget_range(args: argparse.Namespace, day_starts: time) -> tuple[int, int, str] | None:
    """[start ms, end ms) and a description of what `forget` was asked to delete."""
    from breather.store.maintenance import END_OF_TIME
    from breather.store.queries import day_range
    from breather.store.schema import to_ms

    if args.all:
        return 0, END_OF_TIME, "everything recorded"
    if args.last:
        try:
            seconds = parse_duration(args.last)
        except ValueError as error:
            say(str(error))
            return None
        start = datetime.now(UTC) - timedelta(seconds=seconds)
        return to_ms(start), END_OF_TIME, f"the last {format_duration(seconds)}"
    last_day = args.until or args.since
    if last_day < args.since:
        say("--to comes before --from")
        return None
    start, _ = day_range(args.since, day_starts)
    _, end = day_range(last_day, day_starts)
    return to_ms(start), to_ms(end), f"{local_time(start)} to {local_time(end)}"


# -- import -------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, paths: Paths) -> int:
    import gc

    # An import makes a million small objects (a year's events, spans and rows) and keeps
    # many of them to the end: the cycle collector's passes over them cost ~0.1 s of a 1.5 s
    # import, and find nothing (tuples, strings and windows form no cycles). This process
    # ends with the import, so it goes without them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(args, paths)
    finally:
        if collecting:
            gc.enable()


def _import(args: argparse.Namespace, paths: Paths) -> int:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from breather.data.importers import (
        ImportFailed,
        ImportReport,
        import_devices,
        read_activitywatch,
        read_jsonl,
    )
    from breather.store.sql import StoreError
    from breather.tracking.privacy import PrivacyFilter

    settings = load_settings_for(paths, quiet=True)
    source = Path(args.file)
    report = ImportReport()
    # A first import creates the database. Its migrations run in a child process (SQLAlchemy
    # and alembic take ~60 MB a process never gives back, not to be added to the history
    # held here), and while they run, this process reads the file. The reading starts once
    # that child has (or the store is open): a thread busy reading would hold up the few
    # steps before it for a long time.
    ready = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as opener:
        opening = opener.submit(open_store_for, paths, migrate_apart=True, migrating=ready.set)
        opening.add_done_callback(lambda _opened: ready.set())
        ready.wait()
        try:
            if args.source == "activitywatch":
                devices = read_activitywatch(source, report)
            else:
                devices = read_jsonl(source, report)
        except ImportFailed as failed:
            unused = opening.result()
            if unused is not None:
                unused.close()
            say(str(failed))
            say("nothing was imported")
            return EXIT_PROBLEM
        store = opening.result()
    if store is None:
        return EXIT_PROBLEM
    try:
        import_devices(
            store.db,
            devices,
            report,
            keep_days=settings.privacy.keep_days,
            dry_run=args.dry_run,
            privacy=PrivacyFilter(settings.privacy),
        )
    except StoreError as error:
        say(f"the import could not be written ({error})")
        say("nothing was imported: the database is as it was")
        return EXIT_PROBLEM
    finally:
        store.close()
    verb = "Would import" if args.dry_run else "Imported"
    where = f" for {', '.join(report.devices)}" if report.devices else ""
    spans = "span" if report.imported == 1 else "spans"
    moods = ""
    if report.checkins:
        plural = "s" if report.checkins != 1 else ""
        moods = f" and {report.checkins} mood check-in{plural}"
    if report.experiments:
        plural = "s" if report.experiments != 1 else ""
        moods += f" and {report.experiments} experiment{plural}"
    show(f"{verb} {report.imported} {spans} ({format_duration(report.seconds)}){moods}{where}.")
    if report.skipped:
        show("Skipped: " + "; ".join(f"{n} {why}" for why, n in report.skipped.most_common()))
    for note in report.notes:
        show(f"Note: {note}")
    return EXIT_OK
