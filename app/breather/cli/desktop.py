"""`breather autostart`, `install-desktop-entry` and `install-gnome-extension`: fitting
Breather into the desktop."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from breather.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Handler,
    Subcommands,
    say,
    show,
)

if TYPE_CHECKING:
    from breather.settings.paths import Paths


def add_commands(sub: Subcommands) -> dict[str, Handler]:
    """Add the subcommands to `sub`; returns their handlers by name."""
    autostart = sub.add_parser(
        "autostart",
        help="start Breather in the tray when you log in: on, off or status",
        description="Start Breather when you log in (off until you turn it on). Linux: an entry "
        "in your autostart folder; Windows: your Run key; macOS: a LaunchAgent.",
    )
    autostart.add_argument("action", nargs="?", choices=("on", "off", "status"), default="status")
    entry = sub.add_parser(
        "install-desktop-entry",
        help="add Breather to your applications menu (for pip, pipx and uv installs)",
        description="Write a menu entry and icons into your data folder "
        "($XDG_DATA_HOME, usually ~/.local/share) that start this installation.",
    )
    entry.add_argument("--remove", action="store_true", help="take them out again")
    gnome = sub.add_parser(
        "install-gnome-extension",
        help="let Breather see windows on GNOME (Wayland): install its GNOME Shell extension",
    )
    gnome.add_argument("--remove", action="store_true", help="disable and delete it instead")
    return {
        "autostart": cmd_autostart,
        "install-desktop-entry": cmd_install_desktop_entry,
        "install-gnome-extension": cmd_install_gnome_extension,
    }


def cmd_autostart(args: argparse.Namespace, paths: Paths) -> int:
    from breather.desktop.autostart import for_this_system
    from breather.desktop.autostart.base import AutostartError
    from breather.desktop.entry import login_command

    backend = for_this_system()
    try:
        if args.action == "on":
            state = backend.enable(login_command())
        elif args.action == "off":
            state = backend.disable()
        else:
            state = backend.status()
    except AutostartError as why:
        say(str(why))
        return EXIT_PROBLEM
    show(f"Start at login: {state.describe()}")
    if args.action == "on" and not state.enabled:
        return EXIT_PROBLEM
    return EXIT_OK


def cmd_install_desktop_entry(args: argparse.Namespace, paths: Paths) -> int:
    from breather.desktop.autostart import in_flatpak
    from breather.desktop.entry import (
        ICON_SIZES,
        data_home,
        install_desktop_entry,
        launch_command,
        remove_desktop_entry,
    )

    if sys.platform in ("win32", "darwin"):
        say("menu entries are for Linux desktops; the installer adds Breather to this system's")
        return EXIT_PROBLEM
    if in_flatpak():
        say("the Flatpak already brings its own menu entry")
        return EXIT_PROBLEM
    data = data_home()
    if args.remove:
        removed = remove_desktop_entry(data)
        for path in removed:
            show(f"removed {path}")
        if not removed:
            show(f"no menu entry of Breather's in {data}")
        return EXIT_OK

    from breather.ui.icons import app_icon_svg, render_pngs

    svg = app_icon_svg()
    try:
        written = install_desktop_entry(
            data, launch_command(), svg=svg.read_bytes(), pngs=render_pngs(svg, ICON_SIZES)
        )
    except OSError as why:
        say(f"could not write the menu entry: {why}")
        return EXIT_PROBLEM
    show(f"Breather is in your applications menu: {written[-1]}")
    show(f"icons: {len(written) - 1} files under {data / 'icons' / 'hicolor'}")
    return EXIT_OK


def cmd_install_gnome_extension(args: argparse.Namespace, paths: Paths) -> int:
    from breather.monitor.gnome import ExtensionInstallError, install_extension

    try:
        print(install_extension(remove=args.remove))
    except ExtensionInstallError as why:
        say(str(why))
        return EXIT_PROBLEM
    return EXIT_OK
