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
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from breather import APP_ID, APP_NAME
from breather.desktop_entry import (
    DesktopEntryError,
    autostart_entry,
    config_home,
    quote_exec,
    read_entry,
    split_exec,
    unescape_string,
    write_atomically,
)


class AutostartError(Exception):
    """Autostart cannot be changed (or read) here; the message says why."""


@dataclass(frozen=True, slots=True)
class AutostartState:
    enabled: bool
    #: The file or registry value that decides it.
    where: str
    #: The command the login session runs, when there is an entry.
    command: Sequence[str] = ()
    #: Anything the person should know: disabled elsewhere, a command that is gone.
    note: str = ""

    def describe(self) -> str:
        if self.enabled:
            text = f"on: {' '.join(self.command)} starts at login ({self.where})"
        else:
            text = f"off ({self.where})"
        return f"{text}; {self.note}" if self.note else text


class Autostart(Protocol):
    def status(self) -> AutostartState: ...

    def enable(self, command: Sequence[str]) -> AutostartState: ...

    def disable(self) -> AutostartState: ...


def _missing_program(command: Sequence[str]) -> str:
    program = command[0] if command else ""
    if Path(program).is_absolute() and not Path(program).exists():
        return f"the program it starts is gone ({program}); `breather autostart on` fixes that"
    return ""


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
            note = _missing_program([try_exec] if try_exec else command)
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


RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
#: Where Task Manager's Startup tab records "Disabled": the first byte is odd when disabled.
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"


class WindowsRunKey:
    """`HKCU\\...\\Run\\Breather` = the command line. `registry` is `winreg` or a stand-in."""

    def __init__(self, registry: Any, value_name: str = APP_NAME) -> None:
        self.registry = registry
        self.value_name = value_name
        self.where = f"HKEY_CURRENT_USER\\{RUN_KEY}\\{value_name}"

    def _query(self, key_path: str) -> Any:
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path, 0, reg.KEY_READ) as key:
                return reg.QueryValueEx(key, self.value_name)[0]
        except FileNotFoundError:
            return None

    def _delete(self, key_path: str) -> None:
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key_path, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, self.value_name)
        except FileNotFoundError:
            pass

    def status(self) -> AutostartState:
        try:
            line = self._query(RUN_KEY)
            approved = self._query(APPROVED_KEY)
        except OSError as error:
            raise AutostartError(f"cannot read {self.where}: {error}") from error
        if not isinstance(line, str) or not line:
            return AutostartState(False, self.where)
        command = split_windows_command(line)
        if isinstance(approved, bytes) and approved[:1] and approved[0] & 1:
            return AutostartState(False, self.where, command, "switched off in Task Manager")
        return AutostartState(True, self.where, command, _missing_program(command))

    def enable(self, command: Sequence[str]) -> AutostartState:
        reg = self.registry
        try:
            with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.SetValueEx(key, self.value_name, 0, reg.REG_SZ, windows_command(command))
            self._delete(APPROVED_KEY)  # the person asked for it here: lift Task Manager's "off"
        except OSError as error:
            raise AutostartError(f"cannot write {self.where}: {error}") from error
        return self.status()

    def disable(self) -> AutostartState:
        try:
            self._delete(RUN_KEY)
            self._delete(APPROVED_KEY)
        except OSError as error:
            raise AutostartError(f"cannot remove {self.where}: {error}") from error
        return self.status()


def windows_command(argv: Sequence[str]) -> str:
    """The Run value for `argv`: the program in quotes, then arguments as Windows splits them."""
    program, *rest = argv
    return " ".join([f'"{program}"', *([subprocess.list2cmdline(rest)] if rest else [])])


def split_windows_command(line: str) -> list[str]:
    """The argv of a Run value: the program (quoted or not), then MSVCRT-style arguments."""
    line = line.strip()
    if line.startswith('"'):
        end = line.find('"', 1)
        program, rest = (line[1:], "") if end < 0 else (line[1:end], line[end + 1 :])
    else:
        program, _, rest = line.partition(" ")
    return [program, *_split_msvcrt(rest)]


def _split_msvcrt(text: str) -> list[str]:
    args: list[str] = []
    word: list[str] = []
    in_word = quoted = False
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "\\":
            run = 0
            while index + run < len(text) and text[index + run] == "\\":
                run += 1
            if index + run < len(text) and text[index + run] == '"':
                word.append("\\" * (run // 2))
                index += run
                if run % 2:
                    word.append('"')
                    index += 1
            else:
                word.append("\\" * run)
                index += run
            in_word = True
            continue
        if ch == '"':
            quoted = not quoted
            in_word = True
        elif ch in " \t" and not quoted:
            if in_word:
                args.append("".join(word))
                word, in_word = [], False
        else:
            word.append(ch)
            in_word = True
        index += 1
    if in_word:
        args.append("".join(word))
    return args


Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=10)


class MacLaunchAgent:
    """`~/Library/LaunchAgents/<APP_ID>.plist`; `launchctl` is run through `run`."""

    def __init__(self, agents: Path, *, uid: int, run: Runner = _run) -> None:
        self.plist = agents / f"{APP_ID}.plist"
        self.domain = f"gui/{uid}"
        self.run = run

    def _disabled_by_launchd(self) -> bool:
        """Whether System Settings (Login Items) or `launchctl disable` switched the agent off."""
        try:
            done = self.run(["launchctl", "print-disabled", self.domain])
        except (OSError, subprocess.SubprocessError):
            return False
        for line in done.stdout.splitlines():
            label, _, value = line.strip().partition("=>")
            if label.strip().strip('"') == APP_ID:
                return value.strip() in ("disabled", "true")
        return False

    def status(self) -> AutostartState:
        import plistlib  # macOS only

        try:
            with self.plist.open("rb") as source:
                agent = plistlib.load(source)
        except FileNotFoundError:
            return AutostartState(False, str(self.plist))
        except (OSError, plistlib.InvalidFileException, ValueError) as error:
            return AutostartState(False, str(self.plist), note=f"unreadable ({error})")
        arguments = agent.get("ProgramArguments") if isinstance(agent, dict) else None
        command = [str(arg) for arg in arguments] if isinstance(arguments, list) else []
        if not command or not agent.get("RunAtLoad"):
            return AutostartState(False, str(self.plist), command)
        if self._disabled_by_launchd():
            return AutostartState(False, str(self.plist), command, "switched off in Login Items")
        return AutostartState(True, str(self.plist), command, _missing_program(command))

    def enable(self, command: Sequence[str]) -> AutostartState:
        import plistlib  # macOS only

        agent = {
            "Label": APP_ID,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "KeepAlive": False,  # Quit means quit
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
        try:
            write_atomically(self.plist, plistlib.dumps(agent, sort_keys=True))
        except OSError as error:
            raise AutostartError(f"cannot write {self.plist}: {error}") from error
        # Clear an earlier "off" from Login Items; `enable` does not start anything now.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            self.run(["launchctl", "enable", f"{self.domain}/{APP_ID}"])
        return self.status()

    def disable(self) -> AutostartState:
        # Not `launchctl bootout`: launchd would stop this very Breather if it started it.
        try:
            self.plist.unlink(missing_ok=True)
        except OSError as error:
            raise AutostartError(f"cannot remove {self.plist}: {error}") from error
        return self.status()


PortalRequest = Callable[[bool, Sequence[str], str], bool]


class PortalAutostart:
    """Inside Flatpak: the sandbox cannot reach the host's autostart folder, so it asks the
    Background portal (xdg-desktop-portal), which writes or removes the entry on the host.

    The portal cannot be asked what it did earlier, so the last answer is kept in `record`.
    `request(autostart, commandline, reason)` returns whether autostart is now on.
    """

    def __init__(self, record: Path, request: PortalRequest | None = None) -> None:
        self.record = record
        self.request = request or request_background
        self.where = "the Background portal (your desktop's background apps settings)"

    def status(self) -> AutostartState:
        try:
            command = split_exec(self.record.read_text(encoding="utf-8").strip())
        except FileNotFoundError:
            return AutostartState(False, self.where)
        except (OSError, DesktopEntryError) as error:
            return AutostartState(False, self.where, note=f"unreadable record ({error})")
        note = "as last granted; the desktop's settings can change it"
        return AutostartState(bool(command), self.where, command, note)

    def _ask(self, enable: bool, command: Sequence[str]) -> bool:
        reason = f"Start {APP_NAME} in the tray when you log in" if enable else "No autostart"
        try:
            return self.request(enable, command, reason)
        except AutostartError:
            raise
        except Exception as error:  # no bus, no portal, a refusal: say it, change nothing
            raise AutostartError(f"the Background portal did not answer: {error}") from error

    def enable(self, command: Sequence[str]) -> AutostartState:
        if not self._ask(True, command):
            raise AutostartError("the desktop did not allow Breather to start at login")
        write_atomically(self.record, (quote_exec(command) + "\n").encode("utf-8"), 0o600)
        return self.status()

    def disable(self) -> AutostartState:
        self._ask(False, ["breather"])
        self.record.unlink(missing_ok=True)
        return self.status()


PORTAL_TIMEOUT = 300.0  # the desktop may show the person a question first


def request_background(autostart: bool, commandline: Sequence[str], reason: str) -> bool:
    """org.freedesktop.portal.Background.RequestBackground over the session bus (jeepney)."""
    import secrets

    from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import unwrap_msg

    with open_dbus_connection(bus="SESSION") as conn:
        token = f"breather_{secrets.token_hex(8)}"
        sender = str(conn.unique_name).lstrip(":").replace(".", "_")
        rule = MatchRule(
            type="signal",
            interface="org.freedesktop.portal.Request",
            member="Response",
            path=f"/org/freedesktop/portal/desktop/request/{sender}/{token}",
        )
        unwrap_msg(conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5))
        portal = DBusAddress(
            "/org/freedesktop/portal/desktop",
            bus_name="org.freedesktop.portal.Desktop",
            interface="org.freedesktop.portal.Background",
        )
        options = {
            "handle_token": ("s", token),
            "reason": ("s", reason),
            "autostart": ("b", autostart),
            "commandline": ("as", list(commandline)),
            "dbus-activatable": ("b", False),
        }
        call = new_method_call(portal, "RequestBackground", "sa{sv}", ("", options))
        with conn.filter(rule) as answers:
            unwrap_msg(conn.send_and_get_reply(call, timeout=10))
            response, results = conn.recv_until_filtered(answers, timeout=PORTAL_TIMEOUT).body
    if response != 0:
        raise AutostartError("the request was cancelled" if response == 1 else "it was refused")
    return bool(results.get("autostart", ("b", False))[1])


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

        return WindowsRunKey(winreg)
    if platform == "darwin":
        return MacLaunchAgent(Path.home() / "Library" / "LaunchAgents", uid=os.getuid())
    if in_flatpak(env):
        return PortalAutostart(config_home(env) / "breather" / "autostart-granted")
    return XdgAutostart.from_environment(env)
