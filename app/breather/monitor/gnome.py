"""GNOME (Wayland): the focused window from Breather's GNOME Shell extension, idle time from
Mutter's IdleMonitor, and installing that extension.

GNOME has no Wayland protocol and no D-Bus call open to apps that names the focused window
(`org.gnome.Shell.Eval` is refused since GNOME 41, `Introspect` is for the portals only), so
Breather ships a small Shell extension (`resources/gnome-shell-extension`) that exports the
focused window on the session bus and signals each change. Idle time comes from
`org.gnome.Mutter.IdleMonitor` watches: Mutter says when a pause reaches each threshold and
when input comes back; nothing here hooks input.

jeepney is imported inside the functions that talk to the bus, so importing this module needs
neither jeepney nor a session bus.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import psutil

from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.idle_events import IdleFromEvents
from breather.monitor.processes import process_info

EXTENSION_UUID = "breather@breather.github.io"
SHELL_BUS_NAME = "org.gnome.Shell"
EXTENSION_PATH = "/io/github/breather/Breather/Shell"
EXTENSION_INTERFACE = "io.github.breather.Breather.Shell1"
FOCUS_METHOD = "FocusedWindow"
FOCUS_SIGNAL = "FocusedWindowChanged"

IDLE_BUS_NAME = "org.gnome.Mutter.IdleMonitor"
IDLE_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
IDLE_INTERFACE = "org.gnome.Mutter.IdleMonitor"

#: The first GNOME release whose extensions are ES modules (the "esm" flavour).
FIRST_ESM_MAJOR = 45
TITLE_MAX_CHARS = 1024
"""Titles longer than this are cut, as on X11."""
CALL_TIMEOUT = 5.0
"""Seconds to wait for the Shell or Mutter to answer; a busy Shell takes a second at worst."""

ENABLE_HINT = "run `breather install-gnome-extension`, then log out and in once"

Flavour = Literal["legacy", "esm"]
#: Returns a jeepney blocking DBusConnection to the session bus (tests pass a fake bus).
Connect = Callable[[], Any]
#: Runs a command (argv) and returns its CompletedProcess (tests record the calls).
Run = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]

_GVARIANT_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_NOT_THERE = {
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
}
_NOT_EXPORTED = {
    "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownInterface",
}


class ExtensionInstallError(Exception):
    """Installing or removing the extension failed; the message is one line for the person."""


# -- the session bus -----------------------------------------------------------------------


def _connect(connect: Connect | None) -> Any:
    """A blocking connection to the session bus; BackendUnavailable when there is none."""
    if connect is not None:
        return connect()
    try:
        from jeepney.io.blocking import open_dbus_connection
    except ImportError as exc:
        raise BackendUnavailable(f"jeepney is not installed ({exc}); it talks to GNOME") from exc
    try:
        return open_dbus_connection(bus="SESSION")
    except (KeyError, OSError, ValueError) as exc:  # KeyError: DBUS_SESSION_BUS_ADDRESS unset
        raise BackendUnavailable(f"cannot reach the D-Bus session bus ({exc!s})") from exc


def _call(conn: Any, message: Any) -> tuple[Any, ...]:
    """Send a method call and return the reply's body; raises jeepney's DBusErrorResponse,
    TimeoutError, or OSError (the bus went away)."""
    from jeepney.wrappers import unwrap_msg

    body: tuple[Any, ...] = unwrap_msg(conn.send_and_get_reply(message, timeout=CALL_TIMEOUT))
    return body


def _watch_name(conn: Any, name: str, queue: Any) -> None:
    """Queue NameOwnerChanged for `name`, so its owner quitting is noticed."""
    from jeepney import MatchRule, message_bus

    rule = MatchRule(
        type="signal",
        sender="org.freedesktop.DBus",
        interface="org.freedesktop.DBus",
        member="NameOwnerChanged",
        path="/org/freedesktop/DBus",
    )
    rule.add_arg_condition(0, name)
    _call(conn, message_bus.AddMatch(rule))
    conn.filter(rule, queue=queue)


def _subscribe(conn: Any, interface: str, member: str, path: str, queue: Any) -> None:
    """Have the bus send us this signal and file it into `queue`.

    No sender in the rule: the signal comes from the owner's unique name, and jeepney's own
    filter compares names literally.
    """
    from jeepney import MatchRule, message_bus

    rule = MatchRule(type="signal", interface=interface, member=member, path=path)
    _call(conn, message_bus.AddMatch(rule))
    conn.filter(rule, queue=queue)


def _pump(conn: Any, what: str) -> None:
    """File every message already received into its queue, without waiting."""
    try:
        while True:
            conn.recv_messages(timeout=0)
    except TimeoutError:
        return
    except (OSError, ValueError) as exc:  # ConnectionResetError and friends; a closed socket
        raise SourceLost(f"the session bus closed the connection to {what}") from exc


def _member(message: Any) -> str:
    from jeepney.low_level import HeaderFields

    return str(message.header.fields.get(HeaderFields.member, ""))


def _is_name_lost(message: Any) -> bool:
    """Whether `message` says a watched name's owner left the bus (new owner "")."""
    return _member(message) == "NameOwnerChanged" and not message.body[2]


def _close_quietly(conn: Any) -> None:
    with contextlib.suppress(OSError):
        conn.close()


def shell_on_bus(connect: Connect | None = None) -> bool:
    """Whether GNOME Shell owns `org.gnome.Shell` on the session bus (False without a bus)."""
    try:
        conn = _connect(connect)
    except BackendUnavailable:
        return False
    try:
        from jeepney import message_bus

        return bool(_call(conn, message_bus.NameHasOwner(SHELL_BUS_NAME))[0])
    except Exception:  # any failure to ask means we cannot say it is there
        return False
    finally:
        _close_quietly(conn)


def _shell_version_on_bus(conn: Any) -> str | None:
    from jeepney import DBusAddress, Properties

    shell = DBusAddress("/org/gnome/Shell", bus_name=SHELL_BUS_NAME, interface="org.gnome.Shell")
    try:
        _signature, value = _call(conn, Properties(shell).get("ShellVersion"))[0]
    except Exception:  # an old or absent Shell: the caller falls back to the command
        return None
    return str(value) if value else None


# -- the focused window --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Focus:
    """What the extension said about the focused window."""

    window: WindowInfo | None
    fullscreen: bool = False


class GnomeShellWindows:
    """The focused window as Breather's GNOME Shell extension reports it; a WindowSource.

    Make one with `open_gnome_windows`. Use it from one thread. The extension signals every
    focus, title and fullscreen change, so a read between changes costs no round trip.
    Every method raises SourceLost once the session bus or GNOME Shell has gone away.
    """

    name = "gnome"

    def __init__(self, conn: Any) -> None:
        """Subscribe to the extension's signal, then read the focused window once.

        Raises BackendUnavailable when GNOME Shell is not on the bus, or is but does not
        export the extension's object (not installed, not enabled, or installed after login).
        """
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import DBusErrorResponse

        self._conn = conn
        self._pids: dict[int, tuple[str, str]] = {}
        # Bounded: only the newest focus matters, and nothing follows the Shell quitting.
        self._changes: collections.deque[Any] = collections.deque(maxlen=64)
        self._closed = False
        address = DBusAddress(
            EXTENSION_PATH, bus_name=SHELL_BUS_NAME, interface=EXTENSION_INTERFACE
        )
        self._focused_call = new_method_call(address, FOCUS_METHOD)
        try:
            _watch_name(conn, SHELL_BUS_NAME, self._changes)
            _subscribe(conn, EXTENSION_INTERFACE, FOCUS_SIGNAL, EXTENSION_PATH, self._changes)
            # After subscribing: a change from here on is either in this answer or signalled.
            self._focus = self._parse(_call(conn, self._focused_call)[0])
            self.shell_version = _shell_version_on_bus(conn)
        except DBusErrorResponse as exc:
            raise BackendUnavailable(self._why_not(exc.name)) from exc
        except (TimeoutError, OSError) as exc:
            raise BackendUnavailable(
                f"GNOME Shell did not answer on the session bus ({exc!s})"
            ) from exc
        self._seen = self._focus.window  # what the caller last saw, for wait_for_change

    @staticmethod
    def _why_not(error_name: str) -> str:
        if error_name in _NOT_THERE:
            return "GNOME Shell is not running on this session bus"
        if error_name in _NOT_EXPORTED:
            return f"GNOME Shell does not have Breather's extension enabled: {ENABLE_HINT}"
        return f"GNOME Shell refused to name the focused window ({error_name})"

    # -- public API ------------------------------------------------------------------------

    def describe(self) -> str:
        """One line for diagnostics: the Shell's version and where windows come from."""
        version = f"GNOME Shell {self.shell_version}" if self.shell_version else "GNOME Shell"
        return f"{version}, focused window from Breather's Shell extension ({EXTENSION_UUID})"

    def active_window(self) -> WindowInfo | None:
        """The focused window, or None when nothing has focus (or the screen is locked)."""
        self._update()
        self._seen = self._focus.window
        return self._seen

    def fullscreen(self) -> bool:
        """Whether the focused window is fullscreen."""
        self._update()
        return self._focus.fullscreen

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to `timeout` s; True as soon as the focused window or its title differs
        from what `active_window` last returned (a change since then counts too)."""
        import time

        deadline = time.monotonic() + max(0.0, timeout)
        self._update()
        while self._focus.window == self._seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                self._conn.recv_messages(timeout=remaining)
            except TimeoutError:
                return False
            except (OSError, ValueError) as exc:
                raise SourceLost("the session bus closed the connection to GNOME Shell") from exc
            self._handle_queued()
        return True

    def close(self) -> None:
        """Close the connection. Safe to call twice."""
        if not self._closed:
            self._closed = True
            _close_quietly(self._conn)

    # -- inside ----------------------------------------------------------------------------

    def _update(self) -> None:
        _pump(self._conn, "GNOME Shell")
        self._handle_queued()

    def _handle_queued(self) -> None:
        while self._changes:
            message = self._changes.popleft()
            if _is_name_lost(message):
                raise SourceLost("GNOME Shell has quit")
            if _member(message) == FOCUS_SIGNAL:
                self._focus = self._parse(message.body[0])

    def _parse(self, text: str) -> _Focus:
        """The extension's JSON as a _Focus; an unreadable answer counts as no window."""
        try:
            data = json.loads(text)
        except ValueError:
            return _Focus(None)
        if not isinstance(data, dict) or not data:
            return _Focus(None)
        pid = data.get("pid")
        pid = pid if isinstance(pid, int) else 0
        process, exe = self._process(pid)
        app = str(data.get("app_id") or data.get("wm_class") or process)
        title = str(data.get("title") or "")[:TITLE_MAX_CHARS]
        return _Focus(
            WindowInfo(app, title, process, exe),
            fullscreen=bool(data.get("fullscreen")),
        )

    def _process(self, pid: int) -> tuple[str, str]:
        known = self._pids.get(pid)
        if known is None or not psutil.pid_exists(pid):
            known = process_info(pid)
            if len(self._pids) >= 256:
                self._pids.clear()
            self._pids[pid] = known
        return known


def open_gnome_windows(connect: Connect | None = None) -> GnomeShellWindows:
    """Connect to the session bus and to Breather's GNOME Shell extension.

    Raises BackendUnavailable, with a reason fit for `breather doctor`, when there is no
    session bus, no GNOME Shell, or the Shell does not have the extension enabled.
    """
    conn = _connect(connect)
    try:
        return GnomeShellWindows(conn)
    except BaseException:
        _close_quietly(conn)
        raise


# -- idle ----------------------------------------------------------------------------------


class MutterIdle:
    """Idle time from Mutter's IdleMonitor watches; an IdleSource.

    One idle watch per threshold, and a one-shot user-active watch armed after a pause
    starts: Mutter sends two messages per pause, none while the person types. Messages are
    read, without waiting, when `idle_seconds` is called, and each pause is measured once
    with GetIdletime when it is noticed, so the value is exact however late it is read.
    Use it from one thread.
    """

    name = "mutter-idle"

    def __init__(self, conn: Any, idle_thresholds: Sequence[float]) -> None:
        """Register the watches; raises BackendUnavailable if Mutter's IdleMonitor does not
        answer a first GetIdletime, and ValueError without a threshold."""
        from jeepney.wrappers import DBusErrorResponse

        self._conn = conn
        self._events = IdleFromEvents(idle_thresholds)
        self._fired: collections.deque[Any] = collections.deque()
        self._closed = False
        self._idle_watches: dict[int, float] = {}
        self._active_watch: int | None = None
        try:
            _watch_name(conn, IDLE_BUS_NAME, self._fired)
            _subscribe(conn, IDLE_INTERFACE, "WatchFired", IDLE_PATH, self._fired)
            idle_ms = self._idle_ms()  # the first real call: Mutter is there and answers
            for threshold in self._events.thresholds:
                milliseconds = round(threshold * 1000)
                (watch,) = _call(conn, _idle_monitor("AddIdleWatch", "t", milliseconds))
                self._idle_watches[int(watch)] = threshold
        except DBusErrorResponse as exc:
            self._remove_watches()
            raise BackendUnavailable(f"Mutter's IdleMonitor does not answer ({exc.name})") from exc
        except (TimeoutError, OSError) as exc:
            raise BackendUnavailable(f"Mutter's IdleMonitor did not answer ({exc!s})") from exc
        if idle_ms / 1000 >= self._events.thresholds[0]:
            # Already in a pause: measure it now; Mutter does not promise to fire a watch
            # whose time has already passed.
            self._measure_pause()

    def describe(self) -> str:
        """One line for diagnostics."""
        at = ", ".join(f"{threshold:g} s" for threshold in self._events.thresholds)
        return f"Mutter IdleMonitor watches at {at}; input is not hooked"

    def idle_seconds(self) -> float:
        """Seconds since the last input: exact from the smallest threshold on, and at the
        read that notices a pause has ended; 0.0 otherwise."""
        _pump(self._conn, "Mutter's IdleMonitor")
        pause_started = pause_ended = False
        while self._fired:
            message = self._fired.popleft()
            if _is_name_lost(message):
                raise SourceLost("Mutter's IdleMonitor has quit (GNOME Shell ended)")
            if _member(message) != "WatchFired":
                continue
            watch = int(message.body[0])
            if watch == self._active_watch:
                self._active_watch = None
                self._events.resumed()
                pause_started, pause_ended = False, True
            elif watch in self._idle_watches:
                pause_started = True
        if pause_started:
            self._measure_pause()
        elif pause_ended:
            # Read when the sampler comes by, the input may be a second old: say how old,
            # so tracking puts the person's return where it happened, as on X11.
            since_input = self._idle_seconds_now()
            if since_input >= self._events.thresholds[0]:  # touched once, and away again
                self._measure_pause()
            else:
                return since_input
        return self._events.idle_seconds()

    def close(self) -> None:
        """Remove the watches and close the connection. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._remove_watches()
        _close_quietly(self._conn)

    def _idle_ms(self) -> int:
        return int(_call(self._conn, _idle_monitor("GetIdletime"))[0])

    def _idle_seconds_now(self) -> float:
        from jeepney.wrappers import DBusErrorResponse

        try:
            return self._idle_ms() / 1000
        except (DBusErrorResponse, TimeoutError, OSError) as exc:
            raise SourceLost(f"Mutter's IdleMonitor stopped answering ({exc!s})") from exc

    def _measure_pause(self) -> None:
        """A pause reached a threshold: arm the resume watch, then measure the pause.

        Measuring after arming closes the gap where input between the watch firing and
        this call would go unseen: then the pause measures shorter than any threshold.
        """
        from jeepney.wrappers import DBusErrorResponse

        try:
            if self._active_watch is None:
                (watch,) = _call(self._conn, _idle_monitor("AddUserActiveWatch"))
                self._active_watch = int(watch)
        except (DBusErrorResponse, TimeoutError, OSError) as exc:
            raise SourceLost(f"Mutter's IdleMonitor stopped answering ({exc!s})") from exc
        idle = self._idle_seconds_now()
        if idle >= self._events.thresholds[0]:
            # Mutter's own measure of this pause: "idle for at least `idle` seconds".
            self._events.idled(idle)
        else:
            self._events.resumed()

    def _remove_watches(self) -> None:
        watches = [*self._idle_watches, *([self._active_watch] if self._active_watch else [])]
        self._idle_watches.clear()
        self._active_watch = None
        for watch in watches:
            # The watches die with our connection anyway; removing them is good manners.
            with contextlib.suppress(Exception):
                _call(self._conn, _idle_monitor("RemoveWatch", "u", watch))


def _idle_monitor(method: str, signature: str | None = None, *body: Any) -> Any:
    """A method call to Mutter's IdleMonitor."""
    from jeepney import DBusAddress, new_method_call

    address = DBusAddress(IDLE_PATH, bus_name=IDLE_BUS_NAME, interface=IDLE_INTERFACE)
    return new_method_call(address, method, signature, body)


def open_mutter_idle(
    idle_thresholds: Sequence[float], connect: Connect | None = None
) -> MutterIdle:
    """Connect to Mutter's IdleMonitor with one watch per threshold (seconds).

    Raises BackendUnavailable when there is no session bus or Mutter does not answer.
    """
    conn = _connect(connect)
    try:
        return MutterIdle(conn, idle_thresholds)
    except BaseException:
        _close_quietly(conn)
        raise


# -- installing the extension --------------------------------------------------------------


def extension_flavour(shell_version: str) -> Flavour:
    """Which build of the extension GNOME Shell `shell_version` ("43.9", "46.rc") loads:
    "esm" (ES modules) from GNOME 45, "legacy" (imports.gi and init()) before.

    Raises ValueError for a version that does not start with a number.
    """
    match = re.match(r"\s*(\d+)", shell_version)
    if match is None:
        raise ValueError(f"not a GNOME Shell version: {shell_version!r}")
    return "esm" if int(match.group(1)) >= FIRST_ESM_MAJOR else "legacy"


def extensions_dir(environ: dict[str, str] | None = None) -> Path:
    """Where GNOME Shell looks for this user's extensions ($XDG_DATA_HOME respected)."""
    env = os.environ if environ is None else environ
    data_home = env.get("XDG_DATA_HOME") or ""
    base = Path(data_home) if Path(data_home).is_absolute() else Path.home() / ".local" / "share"
    return base / "gnome-shell" / "extensions"


def running_shell_version(connect: Connect | None = None, run: Run | None = None) -> str | None:
    """GNOME Shell's version: from the running Shell, else from `gnome-shell --version`."""
    try:
        conn = _connect(connect)
    except BackendUnavailable:
        conn = None
    if conn is not None:
        try:
            version = _shell_version_on_bus(conn)
        finally:
            _close_quietly(conn)
        if version:
            return version
    try:
        result = (run or _run)(["gnome-shell", "--version"])
    except (OSError, subprocess.SubprocessError):  # not installed, or hung
        return None
    match = re.search(r"(\d+(?:\.\w+)*)", result.stdout or "")
    return match.group(1) if match else None


def install_extension(
    remove: bool = False,
    *,
    shell_version: str | None = None,
    environ: dict[str, str] | None = None,
    run: Run | None = None,
) -> str:
    """Install (or with `remove`, disable and delete) Breather's GNOME Shell extension for
    this user, and return what happened in a few sentences for the person.

    The flavour follows `shell_version` (default: the running or installed GNOME Shell).
    Raises ExtensionInstallError, with one line saying why, when it cannot.
    """
    from breather.resources import resource

    run = run or _run
    env = os.environ if environ is None else environ
    if env.get("FLATPAK_ID"):
        # The sandbox's home and settings are its own: an install would seem to work, and
        # GNOME Shell on the host would never see it.
        raise ExtensionInstallError(
            "inside the Flatpak sandbox, Breather cannot reach GNOME Shell's extensions folder "
            "or settings; install the extension once with Breather installed outside Flatpak "
            "(pip): `breather install-gnome-extension`"
        )
    target = extensions_dir(environ) / EXTENSION_UUID
    if remove:
        problem = _set_enabled(False, run)
        _delete_tree(target)
        gone = f"Removed Breather's GNOME Shell extension from {target}"
        if problem:
            return f"{gone}; could not disable it ({problem}). It stops at the next log-in."
        return f"{gone}. GNOME Shell lets go of it at the next log-in."
    version = shell_version or running_shell_version(run=run)
    if not version:
        raise ExtensionInstallError(
            "GNOME Shell was not found (not running and no `gnome-shell` command); "
            "the extension is only for GNOME"
        )
    try:
        flavour = extension_flavour(version)
    except ValueError as exc:
        raise ExtensionInstallError(str(exc)) from exc
    source = resource("gnome-shell-extension", flavour)
    _copy_tree(source, target)
    major = version.split(".")[0]
    supported = json.loads((source / "metadata.json").read_text(encoding="utf-8"))["shell-version"]
    problem = _set_enabled(True, run)
    said = [f"Installed Breather's GNOME Shell extension for GNOME {major} in {target}."]
    if problem:
        said.append(
            f"It could not be enabled ({problem}); after logging in again, run "
            f"`gnome-extensions enable {EXTENSION_UUID}`."
        )
    else:
        said.append("It is enabled.")
    if _user_extensions_off(run):
        said.append(
            "User extensions are switched off in GNOME (the Extensions app, or "
            "`gsettings set org.gnome.shell disable-user-extensions false`, turns them on)."
        )
    if major not in supported:
        said.append(
            f"GNOME {major} is not among the releases it was made for "
            f"({', '.join(supported)}), so GNOME may refuse to load it."
        )
    said.append(
        "On Wayland, GNOME finds a new extension only when it starts: log out and in once, "
        "then Breather sees every window."
    )
    return " ".join(said)


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=30, check=False)


def _set_enabled(enabled: bool, run: Run) -> str | None:
    """Enable or disable the extension; None on success, else what went wrong.

    A running Shell does not know an extension copied after it started (on Wayland it cannot
    reload), and then `gnome-extensions enable` fails: the `enabled-extensions` setting is
    what the next log-in reads, so it is written whenever the command did not do it.
    """
    action = "enable" if enabled else "disable"
    with contextlib.suppress(OSError, subprocess.SubprocessError):  # not installed, or hung
        if run(["gnome-extensions", action, EXTENSION_UUID]).returncode == 0:
            return None
    try:
        got = run(["gsettings", "get", "org.gnome.shell", "enabled-extensions"])
        if got.returncode != 0:
            return (got.stderr or "gsettings failed").strip().splitlines()[0]
        uuids = _parse_string_list(got.stdout)
        if (EXTENSION_UUID in uuids) == enabled:
            return None
        uuids = [*uuids, EXTENSION_UUID] if enabled else [u for u in uuids if u != EXTENSION_UUID]
        value = "[" + ", ".join(json.dumps(u) for u in uuids) + "]"
        put = run(["gsettings", "set", "org.gnome.shell", "enabled-extensions", value])
    except FileNotFoundError:
        return "neither `gnome-extensions` nor `gsettings` is installed"
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    if put.returncode != 0:
        return (put.stderr or "gsettings failed").strip().splitlines()[0]
    return None


def _user_extensions_off(run: Run) -> bool:
    """Whether GNOME is set to load no user extensions at all."""
    try:
        got = run(["gsettings", "get", "org.gnome.shell", "disable-user-extensions"])
    except (OSError, subprocess.SubprocessError):
        return False
    return got.returncode == 0 and got.stdout.strip() == "true"


def _parse_string_list(text: str) -> list[str]:
    """A GVariant `as` as gsettings prints it: "['a', 'b']" or "@as []"."""
    return [single or double for single, double in _GVARIANT_STRING.findall(text)]


def _make_dir(path: Path, mode: int) -> None:
    """Create `path` (and missing parents, 0700) unless it is there; never through a link."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        if not path.parent.exists():
            _make_dir(path.parent, 0o700)
        path.mkdir(mode=mode)
        path.chmod(mode)  # mkdir's mode is cut by the umask
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise ExtensionInstallError(f"{path} is in the way (not a folder); move it aside first")


def _copy_tree(source: Path, target: Path) -> None:
    """Copy the extension's files into `target`: files 0644, the folder 0755, owner's.

    Each file is written to a new name and renamed over the old one, so a link planted at a
    file's name is replaced, never followed.
    """
    try:
        _make_dir(target, 0o755)
        for item in sorted(source.iterdir()):
            if not item.is_file():
                continue
            temporary = target / f".{item.name}.new"
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(temporary, flags, 0o644)
            with os.fdopen(fd, "wb") as out:
                os.fchmod(out.fileno(), 0o644)
                out.write(item.read_bytes())
            temporary.replace(target / item.name)
    except OSError as exc:
        raise ExtensionInstallError(
            f"cannot write the extension into {target}: {exc.strerror}"
        ) from exc


def _delete_tree(target: Path) -> None:
    try:
        if target.is_symlink():
            target.unlink()  # someone's own link (a development copy): drop the link only
        elif target.exists():
            shutil.rmtree(target)
    except OSError as exc:
        raise ExtensionInstallError(f"cannot delete {target}: {exc.strerror}") from exc
