"""`breather experiment start|list|end`: try a limit or a break cadence for some days.

breather experiment start --limit "Social media" 30m --days 14
breather experiment start --breaks movement --every 30m --days 7
breather experiment list       every experiment, with before against during
breather experiment end        end the running one early
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    load_settings_for,
    local_time,
    open_store_for,
    say,
    show,
)
from breather.settings.paths import Paths

if TYPE_CHECKING:
    from breather.store.experiments import Experiment


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add `experiment` (start, list, end) to `sub`; returns its handler by name."""
    experiment = sub.add_parser(
        "experiment",
        help="try a daily limit or a break cadence for some days, and see before against after",
        description="A personal experiment applies a daily limit (on a category or an app) or "
        "a break cadence for some days, and compares your daily minutes and mood with as "
        "many days before it started. It changes nothing in your config file.",
    )
    actions = experiment.add_subparsers(dest="experiment_action", metavar="ACTION")
    actions.required = True
    start = actions.add_parser("start", help="start an experiment now")
    what = start.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--limit",
        nargs=2,
        metavar=("CATEGORY_OR_APP", "DURATION"),
        help='a daily limit, e.g. --limit "Social media" 30m (app:NAME or category:NAME '
        "to be explicit)",
    )
    what.add_argument(
        "--breaks", choices=("movement", "eyes"), help="a break cadence (with --every)"
    )
    start.add_argument("--every", type=_duration, metavar="DURATION", help="e.g. 30m")
    start.add_argument("--days", type=_days, default=14, metavar="N", help="default 14")
    actions.add_parser("list", help="every experiment, with before against during")
    actions.add_parser("end", help="end the running experiment early")
    return {"experiment": cmd_experiment}


def _duration(text: str) -> float:
    from breather.settings.durations import parse_duration

    try:
        return parse_duration(text)
    except ValueError as why:
        raise argparse.ArgumentTypeError(str(why)) from None


def _days(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"N is a whole number of days, not {text!r}") from None


def cmd_experiment(args: argparse.Namespace, paths: Paths) -> int:
    action = args.experiment_action
    if action == "start":
        return _start(args, paths)
    if action == "end":
        return _end(paths)
    return _list(paths)


def _start(args: argparse.Namespace, paths: Paths) -> int:
    from breather.categories.catalogue import Categorizer
    from breather.store.experiments import (
        BadExperiment,
        ExperimentLog,
        new_experiment,
        subject_for,
    )

    settings = load_settings_for(paths)
    if args.limit is not None:
        what, amount = args.limit
        try:
            value = _duration(amount)
        except argparse.ArgumentTypeError as why:
            say(f"--limit {amount}: {why}")
            return EXIT_PROBLEM
        kind, subject = "limit", subject_for(what, Categorizer(settings.categories).names)
    else:
        if args.every is None:
            say("--breaks needs --every, e.g. --breaks movement --every 30m")
            return EXIT_PROBLEM
        kind, subject, value = "breaks", args.breaks, args.every
    now = datetime.now(UTC)
    try:
        experiment = new_experiment(now, kind, subject, value, args.days)
    except BadExperiment as why:
        say(str(why))
        return EXIT_PROBLEM
    store = open_store_for(paths)
    if store is None:
        return EXIT_PROBLEM
    try:
        log = ExperimentLog(store.db, store.device_id)
        policy = settings.policy()
        running = [item for item in log.all() if item.running(now, policy)]
        if running:
            say(
                f"{running[0].label} is already running; end it first with "
                "`breather experiment end`"
            )
            return EXIT_PROBLEM
        log.start(experiment)
    finally:
        store.close()
    last = experiment.planned_last_day(policy)
    show(
        f"Started: {experiment.label} for {experiment.days} days, until {last:%a %d %b}. "
        f"It is compared with the {experiment.days} days before today."
    )
    show("A Breather that is already running applies it within a minute.")
    return EXIT_OK


def _end(paths: Paths) -> int:
    from breather.store.experiments import ExperimentLog

    settings = load_settings_for(paths)
    store = open_store_for(paths)
    if store is None:
        return EXIT_PROBLEM
    now = datetime.now(UTC)
    try:
        log = ExperimentLog(store.db, store.device_id)
        policy = settings.policy()
        running = [item for item in log.all() if item.running(now, policy)]
        if not running:
            say("no experiment is running")
            return EXIT_PROBLEM
        for item in running:
            log.end(item.uuid, now)
    finally:
        store.close()
    show(f"Ended early: {running[-1].label}. `breather experiment list` shows how it went.")
    return EXIT_OK


def describe(experiment: Experiment, days_so_far: int, running: bool, last: str) -> str:
    """One line naming an experiment and where it stands."""
    if running:
        state = f"running, day {days_so_far} of {experiment.days}"
    elif experiment.ended is not None:
        state = f"ended early after {days_so_far} of {experiment.days} days"
    else:
        state = f"finished, {experiment.days} days"
    return f"{experiment.label}, from {local_time(experiment.started)} to {last} ({state})"


def _list(paths: Paths) -> int:
    from breather.categories.catalogue import Categorizer
    from breather.data.experiment_results import experiment_result
    from breather.store.experiments import experiments

    settings = load_settings_for(paths)
    store = open_store_for(paths)
    if store is None:
        return EXIT_PROBLEM
    now = datetime.now(UTC)
    policy = settings.policy()
    categorizer = Categorizer(settings.categories)
    try:
        found = experiments(store.db)
        if not found:
            show(
                'No experiments yet. Try one: breather experiment start --limit "Social media" '
                "30m --days 14"
            )
            return EXIT_OK
        for number, item in enumerate(found, start=1):
            result = experiment_result(store.db, item, policy, categorizer, now)
            if number > 1:
                show("")
            show(describe(item, result.days_so_far, result.running, f"{result.last_day:%a %d %b}"))
            for sentence in result.sentences():
                show(f"  {sentence}")
    finally:
        store.close()
    return EXIT_OK
