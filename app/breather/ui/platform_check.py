"""Before Qt starts: can its platform plugin load on this machine?

Qt aborts when a library its platform plugin needs is missing, with a message that names one
of them at best ("xcb-cursor0 is needed") and a core dump. Ubuntu and Debian desktops often
lack a few of the small xcb libraries the PySide6 wheels need. This looks first, without
loading Qt, and names every missing library with the package that brings it on apt, dnf and
pacman systems. Imports no Qt: `breather doctor` asks too.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: The libraries PySide6's platform plugins need that desktops do not always have, and the
#: package that brings each: (apt, dnf, pacman).
PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
    ),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor", "wayland"),
}

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)


def plugin_path(platform: str) -> Path | None:
    """PySide6's plugin for `platform` ("xcb", "wayland"), or None where there is none."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
        if candidate.exists():
            return candidate
    return None


def missing_libraries(library: Path) -> list[str]:
    """The shared libraries `library` needs that the dynamic loader cannot find here."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []  # no way to tell without loading it: Qt will say what it finds
    try:
        done = subprocess.run(
            [ldd, str(library)], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(set(_NOT_FOUND.findall(done.stdout)))


def chosen_platform(environ: Mapping[str, str] | None = None) -> str:
    """The platform plugin Qt will try first in this session."""
    env = os.environ if environ is None else environ
    forced = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if forced:
        return forced
    native = {"win32": "windows", "darwin": "cocoa"}.get(sys.platform)
    if native is not None:
        return native  # Qt's own plugin there, nothing the desktop has to bring
    if env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb"


def platform_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why Qt's platform plugin cannot load here, with what to install; None when it can."""
    platform = chosen_platform(environ)
    if platform not in ("xcb", "wayland"):
        return None  # offscreen, vnc…: nothing the desktop has to bring
    plugin = plugin_path(platform)
    if plugin is None:
        return None
    missing = missing_libraries(plugin)
    if not missing:
        return None
    return install_advice(platform, missing)


def install_advice(platform: str, missing: list[str]) -> str:
    """One paragraph: what is missing and the command that installs it on each family."""
    known = [PACKAGES[name] for name in missing if name in PACKAGES]
    text = (
        f"the desktop libraries Qt needs for {platform} are not installed here "
        f"({', '.join(missing)})."
    )
    if known:
        apt, dnf, pacman = (sorted({names[i] for names in known}) for i in range(3))
        text += (
            f" Install them with: sudo apt install {' '.join(apt)}  (Debian, Ubuntu) · "
            f"sudo dnf install {' '.join(dnf)}  (Fedora) · "
            f"sudo pacman -S {' '.join(pacman)}  (Arch)"
        )
    return text
