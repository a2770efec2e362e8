"""The names people know their apps by, from the desktop's own application entries.

Trackers see WM_CLASS classes and Wayland app ids ("Gnome-terminal", "org.gnome.Nautilus",
"firefox"); the applications menu shows "Terminal", "Files", "Firefox". Each installed
`.desktop` file ties the two together through its file name (the Wayland app id, by the
freedesktop convention) and its `StartupWMClass` (the X11 class), and gives the `Name` and
`Icon` to show. Entries are read once, on first use, from the XDG data folders, Flatpak's
exports included; `NoDisplay` and hidden entries still name their app.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from breather.desktop.entry import DesktopEntryError, read_entry, unescape_string

#: Where the applications menu's entries live, besides $XDG_DATA_HOME and $XDG_DATA_DIRS.
FLATPAK_EXPORTS = (
    Path("/var/lib/flatpak/exports/share"),
    Path("~/.local/share/flatpak/exports/share").expanduser(),
)
#: An entry bigger than this is no application entry.
MAX_ENTRY_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class AppInfo:
    """How the desktop presents one app: its name, its icon (a theme name or a path) and the
    id of its entry (the file name without `.desktop`)."""

    name: str
    icon: str = ""
    entry_id: str = ""


def data_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """The XDG data folders, the person's own first, then Flatpak's exports."""
    env = os.environ if env is None else env
    home = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    system = env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    folders = [home, *(Path(part) for part in system.split(":") if part), *FLATPAK_EXPORTS]
    return list(dict.fromkeys(folders))


class AppDirectory:
    """Finds an app's entry by its tracked name, case-insensitively. Not thread-safe."""

    def __init__(self, folders: Sequence[Path] | None = None) -> None:
        self._folders = list(folders) if folders is not None else data_dirs()
        self._index: dict[str, AppInfo] | None = None

    def lookup(self, app: str) -> AppInfo | None:
        """The entry for a tracked app name (class or app id), or None."""
        index = self._load()
        key = app.casefold()
        found = index.get(key)
        if found is None and "." in key:  # "org.gnome.Nautilus" without its own entry
            found = index.get(key.rsplit(".", 1)[1])
        return found

    def display_name(self, app: str) -> str:
        """What the applications menu calls `app`; `app` itself when nothing says."""
        found = self.lookup(app)
        return found.name if found is not None else app

    def same_app(self, names: Iterable[str]) -> dict[str, str]:
        """For each name, the entry id it belongs to (names of one app share it)."""
        return {
            name: (info.entry_id if (info := self.lookup(name)) is not None else name)
            for name in names
        }

    def _load(self) -> dict[str, AppInfo]:
        if self._index is not None:
            return self._index
        index: dict[str, AppInfo] = {}
        for folder in self._folders:
            for path in sorted((folder / "applications").glob("*.desktop")):
                info, classes = _read(path)
                if info is None:
                    continue
                stem = path.stem.casefold()
                # The person's own entries come first and win; a class beats a file name.
                for key in (*classes, stem, stem.rsplit(".", 1)[-1]):
                    index.setdefault(key, info)
        self._index = index
        return index


def _read(path: Path) -> tuple[AppInfo | None, tuple[str, ...]]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_ENTRY_BYTES:
            return None, ()
        keys = read_entry(path)
    except (OSError, DesktopEntryError):
        return None, ()
    if keys.get("Type", "Application") != "Application" or not keys.get("Name"):
        return None, ()
    info = AppInfo(unescape_string(keys["Name"]), keys.get("Icon", ""), path.stem)
    wm_class = keys.get("StartupWMClass", "").casefold()
    return info, (wm_class,) if wm_class else ()
