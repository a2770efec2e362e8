"""Linux and other freedesktop desktops: `$XDG_CONFIG_HOME/autostart/<APP_ID>.desktop`, the
entry every desktop's "Startup Applications" settings show and can switch off."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from breather import APP_ID
from breather.desktop.autostart.base import AutostartError, AutostartState, missing_program
from breather.desktop.entry import (
    DesktopEntryError,
    autostart_entry,
    config_home,
    read_entry,
    split_exec,
    unescape_string,
    write_atomically,
)


class XdgAutostart:
    """The per-user XDG autostart entry (freedesktop Desktop Application Autostart spec)."""

    def __init__(self, config: Path, system_dirs: Sequence[Path] = ()) -> None:
        self.entry = config / "autostart" / f"{APP_ID}.desktop"
        #: $XDG_CONFIG_DIRS: a package may have put an entry there for everyone.
        self.system_entries = [d / "autostart" / f"{APP_ID}.desktop" for d in system_dirs]

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> XdgAutostart:
        env = os.environ if env is None else env
        dirs = [d for d in env.get("XDG_CONFIG_DIRS", "").split(":") if Path(d).is_absolute()]
        return cls(config_home(env), [Path(d) for d in dirs or ["/etc/xdg"]])

    def status(self) -> AutostartState:
        for entry in (self.entry, *self.system_entries):
            if entry.exists():  # the user's entry hides a system one of the same name
                return self._read(entry)
        return AutostartState(False, str(self.entry))

    def _read(self, entry: Path) -> AutostartState:
        try:
            keys = read_entry(entry)
            command = split_exec(keys.get("Exec", ""))
        except (OSError, DesktopEntryError) as error:
            return AutostartState(False, str(entry), note=f"unreadable ({error})")
        hidden = keys.get("Hidden", "false").lower() == "true"
        gnome_off = keys.get("X-GNOME-Autostart-enabled", "true").lower() == "false"
        enabled = not hidden and not gnome_off and bool(command)
        note = ""
        if gnome_off and not hidden:
            note = "switched off in the desktop's startup settings"
        elif enabled:
            try_exec = unescape_string(keys.get("TryExec", ""))
            note = missing_program([try_exec] if try_exec else command)
        if entry != self.entry:
            note = "; ".join(filter(None, ["installed for every user of this computer", note]))
        return AutostartState(enabled, str(entry), command, note)

    def enable(self, command: Sequence[str]) -> AutostartState:
        try:
            write_atomically(self.entry, autostart_entry(command).encode("utf-8"))
        except OSError as error:
            raise AutostartError(f"cannot write {self.entry}: {error}") from error
        return self.status()

    def disable(self) -> AutostartState:
        try:
            if any(entry.exists() for entry in self.system_entries):
                # Only the administrator can remove that one; a hidden user entry overrides it.
                text = autostart_entry(["breather"]).replace(
                    "[Desktop Entry]\n", "[Desktop Entry]\nHidden=true\n", 1
                )
                write_atomically(self.entry, text.encode("utf-8"))
            else:
                self.entry.unlink(missing_ok=True)
        except OSError as error:
            raise AutostartError(f"cannot change {self.entry}: {error}") from error
        return self.status()
