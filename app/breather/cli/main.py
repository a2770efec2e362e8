"""The `breather` command: the app by default, subcommands for tracking, reports and upkeep.

The subcommands live in one module per group; each adds its own with `add_commands`.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys

from breather import MIGRATE_COMMAND, __version__
from breather.cli import configuration, data, desktop, experiments, mood, reports, run, syncing
from breather.cli.common import EXIT_OK, EXIT_PROBLEM, Handler, say
from breather.files import UnsafeFile
from breather.settings.paths import resolve_paths


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    """The parser, and each subcommand's handler by name."""
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
    handlers: dict[str, Handler] = {}
    for group in (run, reports, configuration, data, desktop, mood, experiments, syncing):
        handlers.update(group.add_commands(sub))
    return parser, handlers


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == [MIGRATE_COMMAND]:  # a child process of the app or `track`
        from breather.store.database import migrate_main

        return migrate_main(sys.stdin.read().strip())
    parser, handlers = build_parser()
    args = parser.parse_args(arguments)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    paths = resolve_paths(args.data_dir, args.config, args.db)
    handler = handlers.get(args.command or "", run.cmd_app)
    try:
        return handler(args, paths)
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:  # `breather export | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except UnsafeFile as why:
        say(str(why))
        return EXIT_PROBLEM
    except OSError as error:
        # A read-only folder, a full disk, a file that is not there: say which and why.
        where = error.filename or paths.data_dir
        if error.errno == errno.ENOSPC:
            say(f"the disk is full ({where}: {error.strerror})")
            say("nothing was lost that was saved before; free some space, then try again")
        else:
            say(f"cannot go on: {where}: {error.strerror or error}")
            say("check that it is there and that you may read and write it, then try again")
        logging.getLogger("breather").debug("the error in full", exc_info=True)
        return EXIT_PROBLEM
    except Exception as error:  # no traceback for a person; --verbose shows it
        say(f"something went wrong ({type(error).__name__}: {error})")
        say("nothing more was changed; run the command again with --verbose for the details")
        logging.getLogger("breather").debug("the error in full", exc_info=True)
        return EXIT_PROBLEM
