"""`breather report` and `breather export`: the person's time, read back."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    load_settings_for,
    open_store_for,
    parse_date,
    person_today,
    say,
)
from breather.data.text import json_text
from breather.files import open_private
from breather.settings.paths import Paths


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add `report` and `export` to `sub`; returns their handlers by name."""
    report = sub.add_parser("report", help="time per app or title for a day or a week")
    when = report.add_mutually_exclusive_group()
    when.add_argument("--day", type=parse_date, metavar="DATE", help="YYYY-MM-DD (default today)")
    when.add_argument(
        "--week",
        type=parse_date,
        nargs="?",
        const="today",
        metavar="DATE",
        help="the Monday-to-Sunday week holding DATE (default this week)",
    )
    report.add_argument("--by", choices=("app", "title", "category"), default="app")
    report.add_argument("--json", action="store_true", help="machine-readable output")
    report.add_argument(
        "--device", metavar="NAME", help="only this device's time (default: every device)"
    )

    export = sub.add_parser(
        "export", help="every span as CSV, or spans and mood check-ins as JSON Lines"
    )
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    export.add_argument("--since", type=parse_date, metavar="DATE")
    export.add_argument("--until", type=parse_date, metavar="DATE", help="up to the end of DATE")
    export.add_argument("--output", "-o", metavar="FILE", help="write here (default stdout)")

    return {"report": cmd_report, "export": cmd_export}


def cmd_report(args: argparse.Namespace, paths: Paths) -> int:
    from breather.data.report import boundary_figures, summary_json, summary_text
    from breather.store.checkins import mood_by_day
    from breather.store.queries import day_range, device_times, summarize, week_range

    settings = load_settings_for(paths, quiet=args.json)
    day_starts = settings.tracking.day_starts
    if args.week is not None:
        start, end = week_range(args.week, day_starts)
        title = f"Week of {start:%A %d %B %Y}"
    else:
        day = args.day or person_today(settings)
        start, end = day_range(day, day_starts)
        title = f"{start:%A %d %B %Y} (from {day_starts:%H:%M})"
    store = open_store_for(paths, settle=True)
    if store is None:
        return EXIT_PROBLEM
    from breather.categories.catalogue import Categorizer

    def categorizer() -> Categorizer:
        # Only `--by category` and limits on a category need it: the catalogue's ~800
        # patterns take ~34 ms to compile, which `--by app` has no use for.
        return Categorizer(settings.categories)

    if args.week is not None:
        monday = args.week - timedelta(days=args.week.weekday())
        days = [monday + timedelta(days=offset) for offset in range(7)]
    else:
        days = [args.day or person_today(settings)]
    try:
        if args.by == "category":
            from breather.store.by_category import category_summary
            from breather.store.queries import named_devices

            with store.db.read() as conn:
                only = named_devices(conn, args.device)
            summary = category_summary(store.db, start, end, categorizer(), device_ids=only)
        else:
            summary = summarize(store.db, start, end, args.by, device=args.device)
        if args.by == "app":
            from breather.data.report import merge_same_apps
            from breather.desktop.apps import AppDirectory

            # One app tracked under its X11 class and its Wayland app id is one app.
            same = AppDirectory().same_app(total.key for total in summary.totals)
            summary = merge_same_apps(summary, same)
        figures = boundary_figures(
            store.db, days, day_starts, settings.limits, categorizer, this_device=store.device_id
        )
        mood = mood_by_day(store.db, days, day_starts)
        devices = device_times(store.db, start, end, args.device)
    finally:
        store.close()
    if args.json:
        print(json_text(summary_json(summary, figures, mood, devices), indent=2))
    else:
        print(summary_text(summary, title, figures=figures, mood=mood, devices=devices))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, paths: Paths) -> int:
    from breather.data.export import write_export
    from breather.store.checkins import checkins
    from breather.store.experiments import experiments
    from breather.store.queries import day_range, iter_spans

    settings = load_settings_for(paths, quiet=True)
    day_starts = settings.tracking.day_starts
    since = day_range(args.since, day_starts)[0] if args.since else None
    until = day_range(args.until, day_starts)[1] if args.until else None
    store = open_store_for(paths, settle=True)
    if store is None:
        return EXIT_PROBLEM
    try:
        from breather.categories.catalogue import Categorizer

        categorizer = Categorizer(settings.categories)
        rows = iter_spans(store.db, since, until)
        moods = checkins(store.db, since, until) if args.format == "jsonl" else []
        tried = [
            item
            for item in (experiments(store.db) if args.format == "jsonl" else [])
            if (since is None or item.started >= since) and (until is None or item.started < until)
        ]
        if args.output:
            target = Path(args.output)
            # Not through a link, and owner-only even over an existing file: it holds titles.
            fd = open_private(target, os.O_CREAT | os.O_WRONLY, truncate=True)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                written = write_export(
                    rows, out, args.format, categorizer, moods, experiments=tried
                )
            spans = f"{written.spans} span{'s' if written.spans != 1 else ''}"
            if written.checkins:
                plural = "s" if written.checkins != 1 else ""
                spans += f" and {written.checkins} mood check-in{plural}"
            if written.experiments:
                plural = "s" if written.experiments != 1 else ""
                spans += f" and {written.experiments} experiment{plural}"
            say(f"wrote {spans} to {target}")
        else:
            write_export(rows, sys.stdout, args.format, categorizer, moods, experiments=tried)
    finally:
        store.close()
    return EXIT_OK
