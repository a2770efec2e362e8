"""The active window on KDE Plasma's KWin (Wayland or X11 session), through a KWin script.

KWin tells ordinary clients nothing about other windows, so Breather owns a name on the
session bus, loads a small script into KWin over D-Bus (`org.kde.KWin /Scripting`) and the
script calls Breather back with the active window, once at load and on every activation,
title change and fullscreen change (`resources/kwin/breather-focus.js`). The script is
unloaded again on `close`. One script serves KWin 5 and 6: it picks the API it finds.

What KWin reports: caption, resourceClass, desktopFileName, resourceName, pid, fullscreen.
The app is the resourceClass, which for a native Wayland window is its app id; KWin
lowercases X11 classes (an xterm started with `-class Chat` is reported as "chat").
Process name and executable come from the pid.

Idle time on KDE comes from `breather.monitor.wayland.idle` (ext-idle-notify / KDE idle).
Uses jeepney, imported when `open_kwin` runs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.processes import process_info
from breather.resources import resource

#: The name Breather owns on the session bus while it follows KWin, and what the script calls.
BUS_NAME = "io.github.breather.Breather.KWin"
OBJECT_PATH = "/io/github/breather/Breather/KWin"
INTERFACE = "io.github.breather.Breather.KWin1"
METHOD = "ActiveWindow"
METHOD_SIGNATURE = "ssssss"
#: The name the script is loaded under in KWin (one per session: Breather owns BUS_NAME).
SCRIPT_PLUGIN = "breather-focus"
SCRIPT_RESOURCE = ("kwin", "breather-focus.js")

KWIN = "org.kde.KWin"
SCRIPTING_PATH = "/Scripting"
SCRIPTING_INTERFACE = "org.kde.kwin.Scripting"
SCRIPT_INTERFACE = "org.kde.kwin.Script"
TITLE_MAX_CHARS = 1024
CALL_TIMEOUT = 5.0
FIRST_REPORT_TIMEOUT = 5.0
SWITCH_SETTLE = 0.05
_DO_NOT_QUEUE = 4  # RequestName flag: fail at once when the name is taken
_PRIMARY_OWNER = 1


def focus_script() -> str:
    """The KWin script's source, with Breather's bus name, path, interface and method in it."""
    text = resource(*SCRIPT_RESOURCE).read_text(encoding="utf-8")
    for key, value in (
        ("@SERVICE@", BUS_NAME),
        ("@PATH@", OBJECT_PATH),
        ("@INTERFACE@", INTERFACE),
        ("@METHOD@", METHOD),
    ):
        text = text.replace(key, value)
    return text


def kwin_major_version(support_information: str, session_version: str | None = None) -> int:
    """KWin's major version: $KDE_SESSION_VERSION when set, else the "KWin version:" line of
    `org.kde.KWin.supportInformation`; 6 when neither tells (the current API)."""
    if session_version and session_version.strip().isdigit():
        return int(session_version)
    for line in support_information.splitlines():
        if line.startswith("KWin version:"):
            number = line.split(":", 1)[1].strip().split(".", 1)[0]
            if number.isdigit():
                return int(number)
    return 6


def script_object_path(number: int, major_version: int) -> str:
    """Where KWin exports loaded script `number`: `/<n>` on KWin 5, `/Scripting/Script<n>` on 6."""
    return f"/{number}" if major_version < 6 else f"/Scripting/Script{number}"


@dataclass(frozen=True, slots=True)
class KWinWindow:
    """One report from the script."""

    caption: str
    resource_class: str
    desktop_file: str
    resource_name: str
    pid: int
    fullscreen: bool

    @classmethod
    def from_call(cls, body: tuple[Any, ...]) -> KWinWindow | None:
        """Parse the script's arguments; None when no window is active (or the call is odd)."""
        if len(body) != len(METHOD_SIGNATURE) or not all(isinstance(v, str) for v in body):
            return None
        caption, klass, desktop_file, resource_name, pid, fullscreen = body
        if not (caption or klass or desktop_file or resource_name):
            return None
        return cls(
            caption=caption,
            resource_class=klass,
            desktop_file=desktop_file,
            resource_name=resource_name,
            pid=int(pid) if pid.isdigit() else 0,
            fullscreen=fullscreen == "true",
        )


def window_info(window: KWinWindow | None) -> WindowInfo | None:
    """What Breather records for a KWin report; process and exe from its pid."""
    if window is None:
        return None
    process, exe = process_info(window.pid)
    app = window.resource_class or window.desktop_file or window.resource_name or process
    return WindowInfo(app=app, title=window.caption[:TITLE_MAX_CHARS], process=process, exe=exe)


class KWinWindows:
    """The active window as KWin reports it through Breather's script; a WindowSource.

    Make one with `open_kwin`. Use from one thread. `bus` is a jeepney blocking
    connection (or anything with its methods). Every method but `close` raises SourceLost
    once KWin or the session bus has gone away.
    """

    name = "kwin"

    def __init__(
        self,
        bus: Any,
        *,
        environ: dict[str, str] | None = None,
        first_report_timeout: float = FIRST_REPORT_TIMEOUT,
    ) -> None:
        """Own the bus name, load and run the script, and wait for its first report."""
        from jeepney import MatchRule, message_bus

        self._bus = bus
        self._environ = dict(os.environ if environ is None else environ)
        self._closed = False
        self._script_file: Path | None = None
        self._loaded = False
        self._window: KWinWindow | None = None
        self._seen: tuple[str, str] | None = None
        self._calls: deque[Any] = deque()
        self._owner_changes: deque[Any] = deque()
        self._filters: list[Any] = []
        self.major_version = 0
        self.script_path = ""
        try:
            if not self._call(message_bus.NameHasOwner(KWIN))[0]:
                raise BackendUnavailable(f"KWin ({KWIN}) is not running on this session bus")
            reply = self._call(message_bus.RequestName(BUS_NAME, _DO_NOT_QUEUE))[0]
            if reply != _PRIMARY_OWNER:
                raise BackendUnavailable(
                    f"the bus name {BUS_NAME} is taken: another Breather follows KWin already"
                )
            kwin_gone = MatchRule(
                type="signal",
                sender="org.freedesktop.DBus",
                interface="org.freedesktop.DBus",
                member="NameOwnerChanged",
                path="/org/freedesktop/DBus",
            )
            kwin_gone.add_arg_condition(0, KWIN)
            self._call(message_bus.AddMatch(kwin_gone))
            self._kwin_owner = str(self._call(message_bus.GetNameOwner(KWIN))[0])
            # Calls to us that come while we wait for a reply (the script's first report
            # arrives during run()) are kept only by a filter that is already in place.
            calls = MatchRule(type="method_call", path=OBJECT_PATH, interface=INTERFACE)
            self._filters.append(bus.filter(calls, queue=self._calls))
            self._filters.append(bus.filter(kwin_gone, queue=self._owner_changes))
            self._load_script()
            self._wait_for_first_report(first_report_timeout)
        except BackendUnavailable:
            self.close()
            raise
        except (SourceLost, OSError, TimeoutError) as exc:
            self.close()
            raise BackendUnavailable(
                f"KWin could not be asked for the active window: {exc}"
            ) from exc
        except BaseException:
            self.close()
            raise

    # -- public API ------------------------------------------------------------------------

    def describe(self) -> str:
        """One line for diagnostics: KWin version and how focus is read."""
        return (
            f"KWin {self.major_version}: a KWin script ({SCRIPT_PLUGIN}) reports the active "
            f"window to {BUS_NAME}; process from its pid"
        )

    def active_window(self) -> WindowInfo | None:
        """The active window KWin last reported, or None when none is active."""
        self._pump(0.0)
        self._seen = self._focus_key()
        return window_info(self._window)

    def fullscreen(self) -> bool:
        """Whether the active window is fullscreen (False when none is active)."""
        self._pump(0.0)
        return self._window is not None and self._window.fullscreen

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to `timeout` s; True as soon as the active window or its title changed."""
        deadline = time.monotonic() + max(0.0, timeout)
        pumped = False
        while True:
            current = self._focus_key()
            if current != self._seen:
                self._seen = current
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 and pumped:
                return False
            self._pump(max(0.0, remaining))  # with no time left, still what has arrived
            pumped = True

    def close(self) -> None:
        """Unload the script, give up the bus name, disconnect. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        from jeepney import message_bus

        if self._loaded:
            with contextlib.suppress(Exception):  # KWin or the bus may be gone already
                self._call(self._scripting("unloadScript", "s", (SCRIPT_PLUGIN,)))
        with contextlib.suppress(Exception):
            self._call(message_bus.ReleaseName(BUS_NAME))
        for handle in self._filters:
            handle.close()
        self._filters.clear()
        with contextlib.suppress(Exception):
            self._bus.close()
        if self._script_file is not None:
            self._script_file.unlink(missing_ok=True)
            self._script_file = None

    # -- internals -------------------------------------------------------------------------

    def _focus_key(self) -> tuple[str, str] | None:
        window = self._window
        if window is None:
            return None
        return (f"{window.pid}:{window.resource_class}", window.caption)

    def _call(self, message: Any) -> tuple[Any, ...]:
        from jeepney.low_level import HeaderFields
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        reply = self._bus.send_and_get_reply(message, timeout=CALL_TIMEOUT)
        try:
            return tuple(unwrap_msg(reply))
        except DBusErrorResponse as error:
            method = message.header.fields.get(HeaderFields.member)
            raise BackendUnavailable(f"the D-Bus call {method} failed: {error}") from error

    def _scripting(self, method: str, signature: str | None, body: tuple[Any, ...]) -> Any:
        from jeepney import DBusAddress, new_method_call

        address = DBusAddress(SCRIPTING_PATH, bus_name=KWIN, interface=SCRIPTING_INTERFACE)
        return new_method_call(address, method, signature, body)

    def _load_script(self) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        # A script left by a Breather that was killed would report to us twice.
        self._call(self._scripting("unloadScript", "s", (SCRIPT_PLUGIN,)))
        self._script_file = _write_private(focus_script(), self._environ)
        number = int(
            self._call(
                self._scripting("loadScript", "ss", (str(self._script_file), SCRIPT_PLUGIN))
            )[0]
        )
        if number < 0:
            raise BackendUnavailable(f"KWin would not load the script {self._script_file}")
        self._loaded = True
        support = ""
        if not self._environ.get("KDE_SESSION_VERSION"):
            kwin = DBusAddress("/KWin", bus_name=KWIN, interface=KWIN)
            support = str(self._call(new_method_call(kwin, "supportInformation"))[0])
        self.major_version = kwin_major_version(support, self._environ.get("KDE_SESSION_VERSION"))
        paths = [script_object_path(number, self.major_version)]
        paths.append(script_object_path(number, 5 if self.major_version >= 6 else 6))
        for path in paths:  # a wrong version guess costs one "unknown object" error
            script = DBusAddress(path, bus_name=KWIN, interface=SCRIPT_INTERFACE)
            reply = self._bus.send_and_get_reply(
                new_method_call(script, "run"), timeout=CALL_TIMEOUT
            )
            try:
                unwrap_msg(reply)
            except DBusErrorResponse:
                continue
            self.script_path = path
            return
        raise BackendUnavailable(f"KWin loaded the script but did not run it (tried {paths})")

    def _wait_for_first_report(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._calls:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BackendUnavailable(
                    f"KWin ran the script but it did not report the active window in {timeout:g} s"
                )
            self._receive(remaining)
        self._handle_queued()
        self._seen = self._focus_key()

    def _receive(self, timeout: float) -> bool:
        """Take in one message within `timeout` s; False if none came. Raises SourceLost."""
        if self._closed:
            raise SourceLost("the KWin window source is closed")
        try:
            self._bus.recv_messages(timeout=timeout)
        except TimeoutError:
            return False
        except (OSError, EOFError, ValueError) as exc:
            raise SourceLost(f"the session bus closed the connection: {exc}") from exc
        return True

    def _pump(self, timeout: float) -> None:
        """Handle what has arrived, waiting up to `timeout` s for the first message."""
        got = self._receive(timeout)
        while got:
            cleared = self._handle_queued()
            # KWin announces "no window" just before each activation: give the activation
            # a moment to follow, so a switch is not read as a gap without a window.
            got = self._receive(SWITCH_SETTLE if cleared else 0.0)
        self._handle_queued()

    def _handle_queued(self) -> bool:
        """Apply the reports that came in; True if the last one said no window is active."""
        from jeepney import new_method_return
        from jeepney.low_level import HeaderFields

        while self._owner_changes:
            _name, _old, new = self._owner_changes.popleft().body
            if new != self._kwin_owner:
                raise SourceLost("KWin has left the session bus")
        cleared = False
        while self._calls:
            message = self._calls.popleft()
            with contextlib.suppress(OSError):
                self._bus.send(new_method_return(message))
            fields = message.header.fields
            if fields.get(HeaderFields.sender) != self._kwin_owner:
                continue  # only KWin tells us what is active
            if fields.get(HeaderFields.member) != METHOD:
                continue
            self._window = KWinWindow.from_call(tuple(message.body))
            cleared = self._window is None
        return cleared


def _write_private(text: str, environ: dict[str, str]) -> Path:
    """Write the script where KWin (the same user) can read it and nobody else can.

    Inside Flatpak the sandbox's runtime folder is its own, except `app/$FLATPAK_ID` in it,
    which the host sees at the same path: KWin, outside, can read the script only there.
    """
    runtime = environ.get("XDG_RUNTIME_DIR")
    folder = runtime if runtime and Path(runtime).is_dir() else None
    app_id = environ.get("FLATPAK_ID")
    if folder and app_id and (Path(folder) / "app" / app_id).is_dir():
        folder = str(Path(folder) / "app" / app_id)
    fd, name = tempfile.mkstemp(prefix="breather-kwin-", suffix=".js", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    return Path(name)


def open_kwin(*, bus: str = "SESSION", environ: dict[str, str] | None = None) -> KWinWindows:
    """Follow the active window through KWin; reads it once before returning.

    Raises BackendUnavailable, with a reason fit for `breather doctor`, when jeepney is
    missing, there is no session bus, KWin is not on it, another Breather holds the bus
    name, or the script does not run or report.
    """
    try:
        from jeepney.io.blocking import open_dbus_connection
    except ImportError as exc:
        raise BackendUnavailable(
            f"jeepney is not installed ({exc}); it is needed for KWin"
        ) from exc
    try:
        connection = open_dbus_connection(bus=bus)
    except KeyError:
        raise BackendUnavailable(
            "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so KWin cannot be asked"
        ) from None
    except (OSError, TimeoutError, ValueError) as exc:
        raise BackendUnavailable(f"cannot connect to the session bus: {exc}") from exc
    return KWinWindows(connection, environ=environ)
