"""`breather sync`: one sync round with the shared server now."""

from __future__ import annotations

import argparse

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    load_settings_for,
    open_store_for,
    say,
    sync_url_for,
)
from breather.runtime.background_sync import SYNC_URL_ENV
from breather.settings.paths import Paths

#: `breather sync` when no server is set: nothing failed, but nothing was synced either.
EXIT_SYNC_OFF = 2


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add `sync` to `sub`; returns its handler by name."""
    sync = sub.add_parser(
        "sync", help="send this device's records to the [sync] server and receive the others'"
    )
    sync.add_argument("--quiet", action="store_true", help="say nothing when it works")
    return {"sync": cmd_sync}


def cmd_sync(args: argparse.Namespace, paths: Paths) -> int:
    from breather.store.sql import safe_url
    from breather.sync import SyncFailed, sync_round

    settings = load_settings_for(paths, quiet=args.quiet)
    url = sync_url_for(settings)
    if not url:
        say(f"sync is off: set `[sync] url` in {paths.config_file} or {SYNC_URL_ENV}")
        return EXIT_SYNC_OFF
    store = open_store_for(paths, settle=True, device_name=settings.device.name)
    if store is None:
        return EXIT_PROBLEM
    try:
        result = sync_round(store, url)
    except SyncFailed as why:
        say(str(why))
        return EXIT_PROBLEM
    finally:
        store.close()
    if not args.quiet:
        say(f"synced with {safe_url(url)}: {result.summary()}")
    return EXIT_OK
