"""`breather checkin MOOD [--note TEXT]`: a mood check-in from the command line."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from breather.cli.common import EXIT_OK, EXIT_PROBLEM, Handler, Subcommands, open_store_for, show
from breather.settings.paths import Paths

# Said here rather than read from `breather.store.checkins`: `breather --help` must not load
# the store (a test holds it to that); a test checks the two agree.
SCALE = "1 very low, 2 low, 3 okay, 4 good, 5 very good"


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add `checkin` to `sub`; returns its handler by name."""
    checkin = sub.add_parser(
        "checkin",
        help="note how you feel, from 1 (very low) to 5 (very good)",
        description=f"Record a mood check-in now. The scale: {SCALE}. It stays on this "
        "machine and goes with export, import and forget like everything else.",
    )
    checkin.add_argument("mood", type=_mood, metavar="MOOD", help="1 to 5")
    checkin.add_argument("--note", default="", metavar="TEXT", help="a word or a sentence")
    return {"checkin": cmd_checkin}


def _mood(text: str) -> int:
    from breather.store.checkins import BadCheckin, check_mood

    try:
        return check_mood(int(text.strip()))
    except ValueError as why:  # BadCheckin is one
        if isinstance(why, BadCheckin):
            raise argparse.ArgumentTypeError(str(why)) from None
        raise argparse.ArgumentTypeError(
            f"MOOD is a whole number from 1 to 5 ({SCALE}), not {text!r}"
        ) from None


def cmd_checkin(args: argparse.Namespace, paths: Paths) -> int:
    from breather.store.checkins import LOW_MOOD, MOOD_WORDS, CheckinLog, new_checkin

    store = open_store_for(paths)
    if store is None:
        return EXIT_PROBLEM
    try:
        checkin = new_checkin(datetime.now(UTC), args.mood, args.note)
        CheckinLog(store.db, store.device_id).record(checkin)
    finally:
        store.close()
    show(f"Noted: {checkin.mood} ({MOOD_WORDS[checkin.mood]}). Thank you for checking in.")
    if checkin.mood <= LOW_MOOD:
        # An offer, never a push: where help is, in one line.
        show("If things are hard right now, Breather's Support page lists people you can talk to.")
    return EXIT_OK
