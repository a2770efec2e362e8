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
    from breather.settings.live import LoadedSettings
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
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        # A week or a day is counted from the day before to the day after, in local time:
        # year 1 and 9999 are beyond what a datetime can hold, and beyond any recorded time.
        raise argparse.ArgumentTypeError(
            f"{text} is outside the days Breather counts ({FIRST_DAY} to {LAST_DAY})"
        )
    return day


FIRST_DAY = date(1970, 1, 2)
LAST_DAY = date(9998, 12, 24)


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


def say_settings(loaded: LoadedSettings, *, changed: bool = False) -> LoadedSettings:
    """Say what is wrong with the settings file and what Breather does about it."""
    if changed:
        say("the settings file changed; its settings apply now")
    for problem in loaded.problems:
        say(str(problem))
    for note in loaded.notes:
        say(note)
    if loaded.problems and not loaded.notes:
        say("carrying on with the defaults for those settings (the file was left as it is)")
    return loaded


def open_store_for(
    paths: Paths,
    *,
    long_running: bool = False,
    settle: bool = False,
    device_name: str = "",
    migrate_apart: bool = False,
    migrating: Callable[[], None] | None = None,
) -> Store | None:
    """The database, with its notices said; None (and why, said) when it cannot be used.

    A `long_running` process migrates in a child process (see `open_store`), and so does one
    that asks to `migrate_apart` (to keep its own peak memory low; `migrating` is called when
    that child has started); `settle` first writes what a crashed tracker left in its journal
    (for reports and exports). `device_name` is `[device] name` (default: the host name)."""
    from breather.store import DatabaseUnusable, open_store

    device_uuid, host_name = device_identity(paths.data_dir)
    try:
        store = open_store(
            paths.db_url,
            device_uuid=device_uuid,
            device_name=device_name or host_name,
            migrate_apart=long_running or migrate_apart,
            full_check=long_running,
            migrating=migrating,
            rename_device=bool(device_name),
        )
    except DatabaseUnusable as why:
        say(str(why))
        return None
    for notice in store.notices:
        say(notice)
    if settle:
        _settle_journal(paths, store)
    return store


def _settle_journal(paths: Paths, store: Store) -> None:
    """Write what a crashed tracker left in its journal, as its next start would, so a report
    right after a crash shows it; nothing while a tracker runs (it writes its own)."""
    from breather.settings.paths import TRACKER_LOCK, hold_lock
    from breather.store.journal import JOURNAL_NAME, SpanJournal

    journal = paths.data_dir / JOURNAL_NAME
    try:
        if not journal.exists() or journal.stat().st_size == 0:
            return
    except OSError:
        return
    lock = hold_lock(paths.data_dir / TRACKER_LOCK)
    if lock is None:
        return
    try:
        store.writer(journal=SpanJournal(journal)).close()
    finally:
        close = getattr(lock, "close", None)
        if close is not None:
            close()


def sync_url_for(settings: Settings) -> str:
    """The sync server's URL: BREATHER_SYNC_URL, else `[sync] url`; "" when sync is off."""
    from breather.runtime.background_sync import sync_url

    return sync_url(settings)


def person_today(settings: Settings) -> date:
    """Today as the person counts it: before `day_starts`, still yesterday."""
    now = datetime.now().astimezone()
    day_starts = settings.tracking.day_starts
    return (now - timedelta(hours=day_starts.hour, minutes=day_starts.minute)).date()
