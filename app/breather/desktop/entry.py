"""Freedesktop desktop entries: the menu launcher, the login autostart entry, and how to start us.

The launcher shipped in `packaging/linux/` is `launcher_entry(["breather"])`, byte for byte (a
test holds them together); `breather install-desktop-entry` writes the same entry with the
absolute path of this installation's command, for pip, pipx and uv installs that have no menu
entry of their own.

Exec values are quoted as the Desktop Entry spec (1.4, "The Exec key") asks: arguments holding a
reserved character go in double quotes with `"`, `` ` ``, `$` and `\\` escaped, `%` is doubled,
and then the value gets the general string escapes (`\\\\`, `\\n`, ...) on top.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from breather import APP_ID, APP_NAME

#: The X11 WM_CLASS class of Breather's windows: Qt uses the application name, which the app
#: sets to APP_NAME. The launcher's StartupWMClass must say the same.
WINDOW_CLASS = APP_NAME
#: The command a package puts on PATH (pyproject `[project.scripts]`, the bundle's executable).
COMMAND = "breather"
#: hicolor sizes rendered from the SVG for menus, docks and task switchers.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

GENERIC_NAME = "Screen Time Companion"
COMMENT = "See where your screen time goes and take kind breaks, all on your computer"
KEYWORDS = "screen time;break;rest;focus;wellbeing;mindful;tracker;"

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = set('"`$\\')
_STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


class DesktopEntryError(ValueError):
    """An entry that cannot be read as a desktop entry."""


def quote_exec(argv: Sequence[str]) -> str:
    """The Exec value that runs exactly `argv` (no field codes)."""
    if not argv:
        raise ValueError("an Exec line needs a program")
    words = []
    for arg in argv:
        if arg and not (_RESERVED & set(arg)):
            words.append(arg.replace("%", "%%"))
            continue
        inner = "".join("\\" + ch if ch in _ESCAPED_IN_QUOTES else ch for ch in arg)
        words.append('"' + inner.replace("%", "%%") + '"')
    return escape_string(" ".join(words))


def split_exec(value: str) -> list[str]:
    """The argv an Exec value runs, with field codes (%f, %U, ...) left out, as launchers do."""
    text = unescape_string(value)
    argv: list[str] = []
    word: list[str] = []
    in_word = False
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == '"':
            in_word = True
            index += 1
            while index < len(text) and text[index] != '"':
                if text[index] == "\\" and index + 1 < len(text):
                    index += 1
                if text[index] == "%" and text[index + 1 : index + 2] == "%":
                    index += 1
                word.append(text[index])
                index += 1
            if index >= len(text):
                raise DesktopEntryError(f"unterminated quote in Exec value {value!r}")
        elif ch in " \t\n":
            if in_word:
                argv.append("".join(word))
                word, in_word = [], False
        elif ch == "%":
            code = text[index + 1 : index + 2]
            if code == "%":
                word.append("%")
                in_word = True
            index += 1  # any other field code expands to nothing here
        else:
            word.append(ch)
            in_word = True
        index += 1
    if in_word:
        argv.append("".join(word))
    return argv


def escape_string(value: str) -> str:
    """A value of type string as a desktop entry stores it."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def unescape_string(value: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(value):
        ch = value[index]
        if ch == "\\" and index + 1 < len(value) and value[index + 1] in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[value[index + 1]])
            index += 2
            continue
        out.append(ch)
        index += 1
    return "".join(out)


def read_entry(path: Path) -> dict[str, str]:
    """The keys of a file's `[Desktop Entry]` group, values as written (still escaped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DesktopEntryError(f"{path}: not UTF-8 ({error})") from None
    keys: dict[str, str] = {}
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        if group == "Desktop Entry" and "=" in line:
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), value.strip())
    if group is None:
        raise DesktopEntryError(f"{path}: no [Desktop Entry] group")
    return keys


def _render(keys: Sequence[tuple[str, str]], comment: str = "") -> str:
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + "[Desktop Entry]\n" + "".join(f"{key}={value}\n" for key, value in keys)


def launcher_entry(argv: Sequence[str], *, try_exec: str | None = None) -> str:
    """The menu entry that starts Breather with `argv`."""
    keys = [
        ("Type", "Application"),
        ("Version", "1.4"),  # Debian 12's desktop-file-validate rejects 1.5
        ("Name", APP_NAME),
        ("GenericName", GENERIC_NAME),
        ("Comment", COMMENT),
        ("Exec", quote_exec(argv)),
        ("TryExec", escape_string(try_exec or argv[0])),
        ("Icon", APP_ID),
        ("Terminal", "false"),
        ("Categories", "Utility;Qt;"),
        ("Keywords", KEYWORDS),
        # Breather starts in the tray without a window, so no startup notification would ever
        # be answered and the launcher would show a busy cursor until it timed out.
        ("StartupNotify", "false"),
        ("StartupWMClass", WINDOW_CLASS),
    ]
    return _render(keys)


def autostart_entry(argv: Sequence[str]) -> str:
    """The entry in the autostart folder that starts Breather in the tray at login."""
    keys = [
        ("Type", "Application"),
        ("Version", "1.4"),
        ("Name", APP_NAME),
        ("Comment", f"Start {APP_NAME} in the tray when you log in"),
        ("Exec", quote_exec(argv)),
        ("TryExec", escape_string(argv[0])),
        ("Icon", APP_ID),
        ("Terminal", "false"),
        ("StartupNotify", "false"),
        ("X-GNOME-Autostart-enabled", "true"),
        # A moment's delay lets the panel's tray come up first.
        ("X-GNOME-Autostart-Delay", "5"),
        ("X-KDE-autostart-phase", "2"),
    ]
    return _render(
        keys, f"Written by `{COMMAND} autostart on`; `{COMMAND} autostart off` removes it."
    )


def launch_command(
    *,
    executable: str | None = None,
    frozen: bool | None = None,
    platform: str = sys.platform,
) -> list[str]:
    """How something outside Breather (a menu, the login session) starts this installation.

    Absolute paths, so that a login session whose PATH lacks `~/.local/bin` still finds it.
    """
    exe = Path(executable or sys.executable)
    if frozen if frozen is not None else bool(getattr(sys, "frozen", False)):
        return [str(exe)]  # the bundle's own executable
    if platform == "win32":
        pythonw = exe.with_name("pythonw.exe")  # no console window at login
        return [str(pythonw if pythonw.exists() else exe), "-m", "breather"]
    script = exe.parent / COMMAND  # the venv's (pipx's, uv tool's) console script
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which(COMMAND)
    if found:
        return [str(Path(found).absolute())]
    return [str(exe), "-m", "breather"]


#: What a login session adds to the launch command: start quietly in the tray.
TRAY_FLAG = "--tray"


def login_command() -> list[str]:
    """How the login session starts Breather: in the tray, with no window."""
    return [*launch_command(), TRAY_FLAG]


def data_home(env: Mapping[str, str] | None = None) -> Path:
    """`$XDG_DATA_HOME`, or `~/.local/share` (relative values are invalid and ignored)."""
    value = (os.environ if env is None else env).get("XDG_DATA_HOME", "")
    return Path(value) if Path(value).is_absolute() else Path.home() / ".local" / "share"


def config_home(env: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME`, or `~/.config`."""
    value = (os.environ if env is None else env).get("XDG_CONFIG_HOME", "")
    return Path(value) if Path(value).is_absolute() else Path.home() / ".config"


def installed_paths(data: Path, sizes: Sequence[int] = ICON_SIZES) -> list[Path]:
    """Every file `install_desktop_entry` may write under the data home `data`."""
    icons = data / "icons" / "hicolor"
    return [
        data / "applications" / f"{APP_ID}.desktop",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in sizes),
    ]


def install_desktop_entry(
    data: Path, argv: Sequence[str], *, svg: bytes, pngs: Mapping[int, bytes]
) -> list[Path]:
    """Write the menu entry and icons into the data home `data`; returns what was written."""
    written = []
    entry, scalable, *_ = installed_paths(data)
    for target, content in (
        (scalable, svg),
        *(
            (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png", png)
            for size, png in sorted(pngs.items())
        ),
        # The entry last: a menu that sees it finds its icon already there.
        (entry, launcher_entry(argv).encode("utf-8")),
    ):
        write_atomically(target, content)
        written.append(target)
    return written


def remove_desktop_entry(data: Path) -> list[Path]:
    """Remove what `install_desktop_entry` wrote; returns what was there."""
    removed = []
    for target in installed_paths(data):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        removed.append(target)
    return removed


def write_atomically(target: Path, content: bytes, mode: int = 0o644) -> None:
    """Replace `target` with `content` in one step, so no reader ever sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        temporary.chmod(mode)  # whatever the umask says
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
