"""What every `breather` subcommand shares: exit codes, messages, dates, settings and the store.

Each command module (`run`, `reports`, `data`, `settings`, `desktop`) adds its subcommands with
`add_commands(sub)` and imports only from here, never from another command module.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

from breather.data.text import printable
from breather.settings.paths import Paths, device_identity, protect_file

if TYPE_CHECKING:
    from breather.settings.model import Settings
    from breather.store import Store

#: A subcommand: the parsed arguments and the resolved paths in, an exit code out.
Handler = Callable[[argparse.Namespace, Paths], int]
#: The subparsers object each command module adds its commands to.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

EXIT_OK = 0
EXIT_PROBLEM = 1


def say(message: str) -> None:
    """One line for the person, on stderr, so that stdout stays the command's output."""
    print(f"breather: {printable(message)}", file=sys.stderr)


def show(text: str) -> None:
    """Text for the person on stdout, with control characters escaped (`printable`)."""
    print(printable(text))


def parse_date(text: str) -> date:
    """A date argument: YYYY-MM-DD, 'today' or 'yesterday'."""
    if text == "today":
        return date.today()
    if text == "yesterday":
        return date.today() - timedelta(days=1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def local_time(moment: datetime) -> str:
    """A moment as the person reads it on their clock, e.g. 'Mon 23 Nov 14:05'."""
    return moment.astimezone().strftime("%a %d %b %H:%M")


def load_settings_for(paths: Paths, *, quiet: bool = False) -> Settings:
    """The person's settings; each problem is said (unless `quiet`) and costs only its key."""
    from breather.settings.model import load_settings

    settings, problems = load_settings(paths.config_file)
    protect_file(paths.config_file)  # it can name what the person keeps private
    if problems and not quiet:
        for problem in problems:
            say(str(problem))
        say("carrying on with the defaults for those settings (the file was left as it is)")
    return settings


def open_store_for(paths: Paths, *, long_running: bool = False) -> Store | None:
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
        say(str(why))
        return None
    for notice in store.notices:
        say(notice)
    return store


def person_today(settings: Settings) -> date:
    """Today as the person counts it: before `day_starts`, still yesterday."""
    now = datetime.now().astimezone()
    day_starts = settings.tracking.day_starts
    return (now - timedelta(hours=day_starts.hour, minutes=day_starts.minute)).date()
