"""A real, private, headless GNOME Shell session on Wayland for tests.

    with GnomeSession(install=["breather", "install-gnome-extension"]) as gnome:
        qt = gnome.spawn(["python", "qt_client.py", "notes", "Notes"])
        gnome.wait_for_window("Notes")
        gnome.activate("Notes")
        gnome.input()  # pointer motion: the person is here

Runs as root, and runs everything of the session as an unprivileged user (created if
missing), inside private mount, network and PID namespaces: a tmpfs /tmp (so Xwayland's
display number and sockets cannot meet anyone else's), a tmpfs over /run/systemd (there is
no logind here; GNOME Shell 43 asks it whenever that folder exists), and a private system bus
(GNOME Shell 43 exits without one). The session bus, the user's home and XDG_RUNTIME_DIR live
in a fresh folder under /var/tmp, which the test can read. Stopping kills the namespace's
first process, and with it every process of the session.

The test drives the Shell from outside over the session bus (its policy lets root in): the
test-only extension in `gnome-test-extension/` focuses windows, since a headless Shell
starts in the overview and focuses nothing by itself, and org.gnome.Mutter.RemoteDesktop
moves the pointer, since there are no input devices.

Needs the Debian packages gnome-shell, mutter, xwayland, dbus, dbus-daemon and util-linux.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
TEST_EXTENSION = HERE / "gnome-test-extension"
TEST_EXTENSION_UUID = "breather-test@breather.github.io"
TEST_DRIVER_PATH = "/io/github/breather/Breather/ShellTest"
TEST_DRIVER_INTERFACE = "io.github.breather.Breather.ShellTest"
USER = "breather-e2e"
TOOLS = ("gnome-shell", "Xwayland", "dbus-daemon", "gsettings", "unshare", "nsenter", "setpriv")
PACKAGES = "gnome-shell mutter xwayland dbus dbus-daemon"
WAYLAND_DISPLAY = "breather-e2e"
STARTUP_TIMEOUT = 30.0
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=@SOCKET@</listen>
  <standard_session_servicedirs/>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <!-- the test, as root, drives the session over this bus -->
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
# Runs as root in the new namespaces, and stays as their first process: when it dies, the
# kernel kills everything else in the PID namespace.
NAMESPACE_SETUP = """
set -e
mount -t tmpfs -o mode=1777 none /tmp
mkdir -m 1777 /tmp/.X11-unix /tmp/.ICE-unix
ip link set lo up 2>/dev/null || true
mkdir -p /run/systemd
mount -t tmpfs -o mode=755 none /run/systemd
mkdir -p /run/dbus
mount -t tmpfs -o mode=755 none /run/dbus
dbus-daemon --system --fork --nopidfile
echo ready
exec sleep infinity
"""

T = TypeVar("T")


class SessionError(RuntimeError):
    """The test session could not do what was asked; the message says what and why."""


def missing_requirements() -> list[str]:
    """What this machine lacks to run the session: programs on PATH, or root."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if os.geteuid() != 0:
        missing.append("root (to make the test user and the namespaces)")
    return missing


def wait_until(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.05) -> T:
    """Poll `condition` until it returns something truthy, and return that.

    Raises SessionError naming `what` after `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise SessionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def ensure_user() -> pwd.struct_passwd:
    """The unprivileged test user, created (without a home) if missing."""
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(USER)


def _children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
        return [int(child) for child in text.split()]
    return []


class GnomeSession:
    """A headless GNOME Shell on Wayland; use as a context manager or `start()`/`stop()`.

    `install` is a command run as the user before the Shell starts (to install the
    extension under test); the test-only driver extension is installed and enabled after
    it. `env` holds what a program of this session needs (home, runtime dir, buses,
    WAYLAND_DISPLAY, DISPLAY and XAUTHORITY for Xwayland).
    """

    def __init__(self, *, install: Sequence[str] = ()) -> None:
        self._install = list(install)
        self.work = Path()
        self.home = Path()
        self.runtime_dir = Path()
        self.env: dict[str, str] = {}
        self.startup_seconds = 0.0
        self._holder: subprocess.Popen[str] | None = None
        self._holder_pid = 0
        self._spawned: list[subprocess.Popen[Any]] = []
        self._bus: Any = None
        self._remote: Any = None
        self._user = ensure_user()
        self.install_output = ""

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> GnomeSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> GnomeSession:
        """Start the namespaces, the session bus and GNOME Shell; install the extensions."""
        began = time.monotonic()
        try:
            self._make_work_dir()
            self._start_namespaces()
            self._start_session_bus()
            if self._install:
                self.install_output = self.run(self._install)
            self._install_test_driver()
            self._start_shell()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop every process of the session and delete its files."""
        for closing in (self._remote, self._bus):
            with contextlib.suppress(Exception):
                if closing is not None:
                    closing.close()
        self._remote = self._bus = None
        if self._holder_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._holder_pid, signal.SIGKILL)  # takes the whole namespace along
        if self._holder is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._holder.communicate(timeout=10)  # reaps it and closes its pipes
        for process in self._spawned:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
                process.communicate(timeout=10)
        self._spawned.clear()
        self._holder = None
        self._holder_pid = 0
        if self.work != Path() and self.work.exists():
            shutil.rmtree(self.work, ignore_errors=True)

    # -- running programs in the session ---------------------------------------------------

    def command(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> list[str]:
        """`argv` wrapped to run as the test user inside the session's namespaces."""
        environment = {**self.env, **(env or {})}
        uid, gid = self._user.pw_uid, self._user.pw_gid
        return [
            "nsenter", f"--target={self._holder_pid}", "--mount", "--net", "--pid", "--",
            "setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--",
            "env", "-i", *(f"{key}={value}" for key, value in environment.items()),
            *argv,
        ]  # fmt: skip

    def spawn(
        self, argv: Sequence[str], env: Mapping[str, str] | None = None, **options: Any
    ) -> subprocess.Popen[Any]:
        """Start `argv` in the session (stopped with it); Popen `options` pass through."""
        options.setdefault("stdout", subprocess.DEVNULL)
        options.setdefault("stderr", subprocess.DEVNULL)
        process = subprocess.Popen(self.command(argv, env), **options)
        self._spawned.append(process)
        return process

    def run(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> str:
        """Run `argv` in the session to its end; its stdout, or SessionError with stderr."""
        result = subprocess.run(
            self.command(argv, env), capture_output=True, text=True, timeout=60, check=False
        )
        if result.returncode != 0:
            raise SessionError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr}")
        return result.stdout

    def give(self, *paths: Path) -> None:
        """Make files the test made the test user's."""
        for path in paths:
            os.chown(path, self._user.pw_uid, self._user.pw_gid)

    @staticmethod
    def pid_in_session(process: subprocess.Popen[Any], timeout: float = 5.0) -> int:
        """The pid (as seen from here) of the program `spawn` started in `process`.

        nsenter forks once to enter the PID namespace; the program is that child.
        """
        (child,) = wait_until(lambda: _children(process.pid), timeout, "the program to start")
        return child

    # -- driving the Shell -----------------------------------------------------------------

    def windows(self) -> list[str]:
        """The titles of every window the Shell manages."""
        titles: list[str] = json.loads(self._driver("Windows")[0])
        return titles

    def open_window(
        self, argv: Sequence[str], title: str, env: Mapping[str, str] | None = None, **options: Any
    ) -> subprocess.Popen[Any]:
        """Start a client and return once its window titled `title` is up and focused.

        Mutter gives a new window focus when it is shown, once some window has had focus:
        focusing each new window before the next one opens means none can take focus away
        from the window the test chooses later.
        """
        process = self.spawn(argv, env, **options)
        self.wait_for_window(title)
        self.activate(title)
        return process

    def wait_for_window(self, title: str, timeout: float = 20.0) -> None:
        """Wait until a window with exactly this title is mapped."""
        wait_until(lambda: title in self.windows(), timeout, f"a window titled {title!r}")

    def activate(self, title: str) -> None:
        """Focus the window with exactly this title, as a click on it would; returns once
        the Shell says it has focus."""
        if not self._driver("Activate", "s", (title,))[0]:
            raise SessionError(f"no window titled {title!r}: {self.windows()}")
        wait_until(lambda: self.focused() == title, 5, f"{title!r} to have focus")

    def focused(self) -> str:
        """The title of the focused window, "" when none has focus."""
        title: str = self._driver("Focused")[0]
        return title

    def input(self) -> None:
        """Move the pointer a little: input that ends idleness, as a person's hand would."""
        from jeepney import DBusAddress, new_method_call

        if self._remote is None:
            self._remote = self._connect()
            desktop = DBusAddress(
                "/org/gnome/Mutter/RemoteDesktop",
                bus_name="org.gnome.Mutter.RemoteDesktop",
                interface="org.gnome.Mutter.RemoteDesktop",
            )
            (path,) = self._call(self._remote, new_method_call(desktop, "CreateSession"))
            self._session = DBusAddress(
                path,
                bus_name="org.gnome.Mutter.RemoteDesktop",
                interface="org.gnome.Mutter.RemoteDesktop.Session",
            )
            self._call(self._remote, new_method_call(self._session, "Start"))
        motion = new_method_call(self._session, "NotifyPointerMotionRelative", "dd", (1.0, 1.0))
        self._call(self._remote, motion)

    def idle_ms(self) -> int:
        """Mutter's own idle time, in milliseconds."""
        from jeepney import DBusAddress, new_method_call

        monitor = DBusAddress(
            "/org/gnome/Mutter/IdleMonitor/Core",
            bus_name="org.gnome.Mutter.IdleMonitor",
            interface="org.gnome.Mutter.IdleMonitor",
        )
        return int(self._call(self._shell_bus(), new_method_call(monitor, "GetIdletime"))[0])

    # -- inside ----------------------------------------------------------------------------

    def _make_work_dir(self) -> None:
        # Not under /tmp: the namespaces mount their own /tmp, which the test could not see.
        self.work = Path(tempfile.mkdtemp(prefix="breather-gnome-", dir="/var/tmp"))
        self.home = self.work / "home"
        self.runtime_dir = self.work / "run"
        uid, gid = self._user.pw_uid, self._user.pw_gid
        for folder in (self.work, self.home, self.runtime_dir):
            folder.mkdir(mode=0o700, exist_ok=True)
            os.chown(folder, uid, gid)
        self.work.chmod(0o711)  # the test user's programs reach home and run dir through it
        self.env = {
            "HOME": str(self.home),
            "USER": USER,
            "LOGNAME": USER,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "XDG_SESSION_TYPE": "wayland",
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={self.runtime_dir / 'bus'}",
            "NO_AT_BRIDGE": "1",  # no accessibility bus here; GTK would wait for it
        }

    def _start_namespaces(self) -> None:
        self._holder = subprocess.Popen(
            # If this test process dies without stopping the session, unshare and then the
            # namespace's first process get SIGKILL: nothing is left running.
            ["setpriv", "--pdeathsig=KILL", "--",
             "unshare", "--mount", "--net", "--pid", "--fork", "--mount-proc", "--kill-child",
             "--propagation", "private", "bash", "-c", NAMESPACE_SETUP],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self._holder.stdout is not None
        line = self._holder.stdout.readline()
        if line.strip() != "ready":
            self._holder.kill()
            _, err = self._holder.communicate(timeout=10)
            raise SessionError(f"could not set up the namespaces: {line}{err}")
        (self._holder_pid,) = wait_until(
            lambda: _children(self._holder.pid) if self._holder else [], 5, "the namespace"
        )

    def _start_session_bus(self) -> None:
        config = self.work / "session-bus.conf"
        config.write_text(
            BUS_CONFIG.replace("@SOCKET@", str(self.runtime_dir / "bus")), encoding="utf-8"
        )
        config.chmod(0o644)
        self.spawn(["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile"])
        wait_until((self.runtime_dir / "bus").exists, 10, "the session bus")

    def _install_test_driver(self) -> None:
        target = self.home / ".local/share/gnome-shell/extensions" / TEST_EXTENSION_UUID
        self.run(["mkdir", "-p", str(target)])
        for item in TEST_EXTENSION.iterdir():
            self.run(["cp", str(item), str(target / item.name)])
        enabled = self.run(["gsettings", "get", "org.gnome.shell", "enabled-extensions"])
        uuids = [*re.findall(r"'([^']*)'", enabled), TEST_EXTENSION_UUID]
        value = "[" + ", ".join(f"'{uuid}'" for uuid in uuids) + "]"
        self.run(["gsettings", "set", "org.gnome.shell", "enabled-extensions", value])

    def _start_shell(self) -> None:
        log = (self.work / "shell.log").open("w")
        with log:
            self.spawn(
                ["gnome-shell", "--headless", "--wayland", "--virtual-monitor", "1280x800",
                 f"--wayland-display={WAYLAND_DISPLAY}"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

        def driver_answers() -> bool:
            try:
                self.windows()
            except Exception:
                shell = self._spawned[-1]
                if shell.poll() is not None:
                    raise SessionError(f"gnome-shell exited: {self.shell_log()}") from None
                return False
            return True

        wait_until(driver_answers, STARTUP_TIMEOUT, "GNOME Shell and the test extension")
        # A headless Shell starts in the overview, where windows take no focus; the animation
        # out of it would move focus to the top window after a test chose one.
        wait_until(lambda: not self._driver("HideOverview")[0], 10, "the overview to close")
        auth = wait_until(
            lambda: sorted(self.runtime_dir.glob(".mutter-Xwaylandauth.*")), 10, "Xwayland"
        )
        # /tmp is the namespace's own, so the first display number, Mutter's first choice, is free.
        self.env.update(
            {"WAYLAND_DISPLAY": WAYLAND_DISPLAY, "DISPLAY": ":0", "XAUTHORITY": str(auth[0])}
        )

    def shell_log(self) -> str:
        """What GNOME Shell printed so far."""
        try:
            return (self.work / "shell.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _connect(self) -> Any:
        from jeepney.io.blocking import open_dbus_connection

        return open_dbus_connection(bus=self.env["DBUS_SESSION_BUS_ADDRESS"])

    def _shell_bus(self) -> Any:
        if self._bus is None:
            self._bus = self._connect()
        return self._bus

    @staticmethod
    def _call(conn: Any, message: Any) -> tuple[Any, ...]:
        from jeepney.wrappers import unwrap_msg

        body: tuple[Any, ...] = unwrap_msg(conn.send_and_get_reply(message, timeout=10))
        return body

    def _driver(self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        from jeepney import DBusAddress, new_method_call

        driver = DBusAddress(
            TEST_DRIVER_PATH, bus_name="org.gnome.Shell", interface=TEST_DRIVER_INTERFACE
        )
        return self._call(self._shell_bus(), new_method_call(driver, method, signature, body))
