"""Start Breather when the person logs in: their own choice, off until they turn it on.

One backend per system, each behind the smallest boundary a test can stand in for:

- Linux and other freedesktop desktops: `$XDG_CONFIG_HOME/autostart/<APP_ID>.desktop`, the
  entry every desktop's "Startup Applications" settings show and can switch off.
- Windows: the `Breather` value under `HKCU\\...\\CurrentVersion\\Run` (through `winreg`), read
  together with the "disabled in Task Manager" flag Windows keeps beside it.
- macOS: `~/Library/LaunchAgents/<APP_ID>.plist`, loaded by launchd at the next login; it is
  never loaded now, which would start a second Breather (`launchctl` only clears a disable).
- Inside Flatpak the host's autostart folder is out of reach of the sandbox: the Background
  portal is asked instead, and writes the host's entry itself.

Nothing is ever written for every user of the machine.

Each system's backend is a module of its own (`xdg`, `windows`, `macos`, `portal`) behind
`base.Autostart`; `for_this_system` picks one. Imports only `breather.desktop.entry` and the
standard library (jeepney for the portal, winreg on Windows), never Qt.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from breather.desktop.autostart.base import Autostart
from breather.desktop.entry import config_home


def in_flatpak(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("FLATPAK_ID")) or Path("/.flatpak-info").exists()


def for_this_system(
    *, platform: str = sys.platform, env: Mapping[str, str] | None = None
) -> Autostart:
    """The autostart backend for the running system."""
    env = os.environ if env is None else env
    if platform == "win32":
        import winreg

        from breather.desktop.autostart.windows import WindowsRunKey

        return WindowsRunKey(winreg)
    if platform == "darwin":
        from breather.desktop.autostart.macos import MacLaunchAgent

        return MacLaunchAgent(Path.home() / "Library" / "LaunchAgents", uid=os.getuid())
    if in_flatpak(env):
        from breather.desktop.autostart.portal import PortalAutostart

        return PortalAutostart(config_home(env) / "breather" / "autostart-granted")
    from breather.desktop.autostart.xdg import XdgAutostart

    return XdgAutostart.from_environment(env)
