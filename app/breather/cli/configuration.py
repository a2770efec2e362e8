"""`breather config check` and `breather categories`: the person's settings, explained."""

from __future__ import annotations

import argparse
from pathlib import Path

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    load_settings_for,
    say,
    show,
)
from breather.settings.paths import Paths


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add `config` and `categories` to `sub`; returns their handlers by name."""
    config = sub.add_parser("config", help="check the settings file")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = config_sub.add_parser("check", help="validate; problems name the file, line and key")
    check.add_argument("file", nargs="?", help="the file to check (default: the one in use)")
    categories = sub.add_parser(
        "categories", help="the categories and your rules; which category a window gets"
    )
    categories.add_argument("--app", help="show the category of this app ...")
    categories.add_argument("--title", default="", help="... with this window title")
    return {"config": cmd_config, "categories": cmd_categories}


def cmd_config(args: argparse.Namespace, paths: Paths) -> int:
    from breather.settings.model import load_settings

    target = Path(args.file) if args.file else paths.config_file
    if not target.exists():
        if args.file:
            say(f"{target}: no such file")
            return EXIT_PROBLEM
        show(f"{target}: not there, so every setting has its default")
        return EXIT_OK
    _settings_found, problems = load_settings(target)
    for problem in problems:
        show(str(problem))
    if problems:
        count = len(problems)
        show(f"{count} problem{'s' if count > 1 else ''} in {target}")
        return EXIT_PROBLEM
    show(f"{target}: OK")
    return EXIT_OK


def cmd_categories(args: argparse.Namespace, paths: Paths) -> int:
    from breather.categories.catalogue import Categorizer, describe

    settings = load_settings_for(paths)
    categorizer = Categorizer(settings.categories)
    if args.app:
        show(categorizer.category(args.app, args.title))
        return EXIT_OK
    show("Categories: " + ", ".join(categorizer.names))
    if settings.categories:
        show(f"\nYour rules ({paths.config_file}), tried first:")
        for line in describe(settings.categories):
            show(f"  {line}")
    else:
        show(f"\nNo rules of your own yet: add [[categories]] to {paths.config_file}.")
    show("\n`breather categories --app APP --title TITLE` shows what a window gets.")
    return EXIT_OK
