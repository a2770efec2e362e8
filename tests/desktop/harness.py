"""A real, private X11 desktop for tests: Xvfb, jwm (EWMH window manager and tray), D-Bus, dunst.

    with Desktop() as desk:
        win = desk.open_window("Notes", "Grüße 🧘")
        desk.focus(win)
        subprocess.run([...], env=desk.process_env)

Everything runs on a free display number with its own D-Bus session bus and run directory,
so tests never touch the machine's desktop and parallel runs do not meet. `stop()` stops
exactly the processes this object started and removes what they left behind.

Needs only the standard library and python-xlib, plus the Debian packages xvfb, jwm, dbus,
xdotool and dunst (imagemagick for screenshots).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

from Xlib import X, Xatom
from Xlib import display as xdisplay
from Xlib import error as xerror

HERE = Path(__file__).resolve().parent
TOOLS = ("Xvfb", "jwm", "dbus-daemon", "xdotool")
NOTIFICATION_TOOLS = ("dunst", "dbus-send")
# By absolute path: some images put an unrelated `import`/`convert` stand-in first in PATH.
SCREENSHOT_TOOL = "/usr/bin/import"
SCREEN = "1280x800x24"
STARTUP_TIMEOUT = 10.0
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>@ADDRESS@</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
STOP_TIMEOUT = 3.0

T = TypeVar("T")


class DesktopError(RuntimeError):
    """The test desktop could not do what was asked; the message says what and why."""


def missing_tools(tools: Iterable[str]) -> list[str]:
    """The programs in `tools` that are not on PATH."""
    return [tool for tool in tools if shutil.which(tool) is None]


def wait_until(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.02) -> T:
    """Poll `condition` until it returns something truthy, and return that.

    Raises DesktopError naming `what` after `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise DesktopError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def _restore_core_error_classes(conn: Any) -> None:
    # python-xlib 0.33 maps RandR's errors onto core codes 1 and 2; a core BadValue then
    # crashes the reply reader (python-xlib #241). Core codes always mean core errors.
    for code, error_class in xerror.xerror_class.items():
        conn.display.error_classes[code] = error_class


@dataclass
class Window:
    """A Tk client window on the test desktop."""

    id: int
    wm_class: str
    title: str
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def pid(self) -> int:
        """The client's process id."""
        return self.process.pid


@dataclass
class _Started:
    name: str
    process: subprocess.Popen[bytes]


class Desktop:
    """A private X11 desktop; use as a context manager or call `start()` and `stop()`.

    `notifications=False` skips dunst (faster, for throwaway desktops);
    `window_manager=False` leaves a bare X server with no EWMH (and no tray or dunst);
    `xvfb_args` go to Xvfb, e.g. ("-extension", "MIT-SCREEN-SAVER") to take one away.
    """

    def __init__(
        self,
        *,
        notifications: bool = True,
        window_manager: bool = True,
        xvfb_args: Sequence[str] = (),
        first_display: int | None = None,
    ) -> None:
        """`first_display` is the lowest X display number tried (default: the environment's
        BREATHER_TEST_DISPLAY, else 50), for machines where some numbers are spoken for."""
        self.notifications = notifications and window_manager
        self.window_manager = window_manager
        self._xvfb_args = list(xvfb_args)
        self._first_display = (
            first_display
            if first_display is not None
            else int(os.environ.get("BREATHER_TEST_DISPLAY", "50"))
        )
        self.display = ""
        self.run_dir = Path()
        self._started: list[_Started] = []
        self._windows: list[Window] = []
        self._background: list[subprocess.Popen[bytes]] = []
        self._x: Any = None
        self._xvfb: subprocess.Popen[bytes] | None = None
        self._dbus_address = ""
        self._pointer_flip = False

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Desktop:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> Desktop:
        """Start Xvfb, D-Bus, jwm and (optionally) dunst, each waited for; returns self."""
        needed = list(TOOLS if self.window_manager else ("Xvfb", "dbus-daemon", "xdotool"))
        needed += NOTIFICATION_TOOLS if self.notifications else ()
        missing = missing_tools(needed)
        if missing:
            raise DesktopError(f"missing programs: {', '.join(missing)}")
        self.run_dir = Path(tempfile.mkdtemp(prefix="breather-desktop-"))
        try:
            self._start_xvfb()
            self._x = xdisplay.Display(self.display)
            _restore_core_error_classes(self._x)
            self._start_dbus()
            if self.window_manager:
                self._start_wm()
            if self.notifications:
                self._start_dunst()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every process this desktop started, newest first, and remove its files."""
        for window in list(self._windows):
            self.close_window(window)
        for proc in self._background:
            _end(proc)
        self._background.clear()
        if self._x is not None:
            with contextlib.suppress(xerror.ConnectionClosedError, OSError):
                self._x.close()
            self._x = None
        for started in reversed(self._started):
            _end(started.process)
        self._started.clear()
        self._remove_stale_x_files()
        if self.run_dir.name.startswith("breather-desktop-"):
            shutil.rmtree(self.run_dir, ignore_errors=True)

    @property
    def env(self) -> dict[str, str]:
        """The variables that point a program at this desktop."""
        return {
            "DISPLAY": self.display,
            "DBUS_SESSION_BUS_ADDRESS": self._dbus_address,
            "DESKTOP_RUNDIR": str(self.run_dir),
            "XDG_RUNTIME_DIR": str(self.run_dir / "runtime"),
            "QT_QPA_PLATFORM": "xcb",
        }

    @property
    def process_env(self) -> dict[str, str]:
        """A full environment for a child process on this desktop (no Wayland leaks in)."""
        env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
        env.update(self.env)
        return env

    @property
    def xvfb_pid(self) -> int:
        """The X server's process id."""
        if self._xvfb is None:
            raise DesktopError("the desktop is not running")
        return self._xvfb.pid

    def kill_x_server(self) -> None:
        """SIGKILL the X server, as a crash would; every client loses its connection."""
        if self._xvfb is None:
            raise DesktopError("the desktop is not running")
        self._xvfb.send_signal(signal.SIGKILL)
        self._xvfb.wait(timeout=STOP_TIMEOUT)

    def log(self, name: str) -> str:
        """The output so far of a started program ("xvfb", "dbus", "jwm", "dunst")."""
        path = self.run_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- starting the pieces ---------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        log = self.run_dir / f"{name}.log"
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                _dying_with_us(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.process_env,
                **kwargs,
            )
        self._started.append(_Started(name, proc))
        return proc

    def _failed(self, name: str, why: str) -> DesktopError:
        tail = "\n".join(self.log(name).splitlines()[-15:])
        return DesktopError(f"{name}: {why}" + (f"\n--- {name}.log ---\n{tail}" if tail else ""))

    def _start_xvfb(self) -> None:
        for number in range(self._first_display, self._first_display + 200):
            if _display_in_use(number):
                continue
            self.display = f":{number}"
            # -s 0: the screen saver never blanks screenshots (the idle counter still runs).
            # No -displayfd: with it Xvfb writes no lock file, and a later server could then
            # take over the same display number under our feet.
            proc = self._spawn(
                "xvfb",
                [
                    *("Xvfb", self.display, "-screen", "0", SCREEN, "-s", "0"),
                    *("-nolisten", "tcp", "-noreset", *self._xvfb_args),
                ],
            )
            try:
                wait_until(partial(_x_server_ready, proc, number), STARTUP_TIMEOUT, "Xvfb")
            except DesktopError as exc:
                raise self._failed("xvfb", str(exc)) from None
            if proc.poll() is None:
                self._xvfb = proc
                return
            self._started.pop()  # another server took the number first: try the next one
            _end(proc)
        raise self._failed("xvfb", "found no free display number")

    def _start_dbus(self) -> None:
        runtime = self.run_dir / "runtime"
        runtime.mkdir(mode=0o700)
        bus = self.run_dir / "bus"
        # The stock session.conf would let the bus start services from
        # /usr/share/dbus-1/services on demand (a second dunst as soon as anything sends a
        # notification), outside our bookkeeping; this one starts nothing by itself.
        config = self.run_dir / "bus.conf"
        config.write_text(BUS_CONFIG.replace("@ADDRESS@", f"unix:path={bus}"))
        # --nofork keeps the daemon our child so stop() can wait for it; a forked daemon is
        # re-parented to pid 1, which in a container may never reap it.
        self._spawn(
            "dbus",
            [
                *("dbus-daemon", f"--config-file={config}", "--nofork"),
                *("--print-pid=1", "--print-address=1"),
            ],
        )

        def address() -> str:
            # The daemon prints its address (then its pid) once it accepts connections.
            for line in self.log("dbus").splitlines():
                if line.startswith("unix:") and bus.exists():
                    return line.strip()
            return ""

        try:
            self._dbus_address = wait_until(address, STARTUP_TIMEOUT, "the D-Bus session bus")
        except DesktopError as exc:
            raise self._failed("dbus", str(exc)) from None

    def _start_wm(self) -> None:
        self._spawn("jwm", ["jwm", "-f", str(HERE / "jwmrc")])
        root = self._x.screen().root
        check = self._x.intern_atom("_NET_SUPPORTING_WM_CHECK")
        tray = self._x.intern_atom("_NET_SYSTEM_TRAY_S0")

        def wm_ready() -> bool:
            prop = root.get_full_property(check, Xatom.WINDOW)
            return prop is not None and len(prop.value) > 0

        def tray_ready() -> bool:
            owner = self._x.get_selection_owner(tray)
            return bool(getattr(owner, "id", owner))

        try:
            wait_until(wm_ready, STARTUP_TIMEOUT, "jwm to set _NET_SUPPORTING_WM_CHECK")
            wait_until(tray_ready, STARTUP_TIMEOUT, "jwm's tray to own _NET_SYSTEM_TRAY_S0")
        except DesktopError as exc:
            raise self._failed("jwm", str(exc)) from None

    def _start_dunst(self) -> None:
        template = (HERE / "dunstrc.in").read_text()
        config = self.run_dir / "dunstrc"
        config.write_text(template.replace("@PICK_ACTION@", str(HERE / "pick-action.sh")))
        self._spawn("dunst", ["dunst", "-config", str(config)])
        ask = ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/"]
        ask += ["org.freedesktop.DBus.GetNameOwner", "string:org.freedesktop.Notifications"]

        def owned() -> bool:
            done = subprocess.run(ask, env=self.process_env, capture_output=True, check=False)
            return done.returncode == 0

        try:
            wait_until(owned, STARTUP_TIMEOUT, "dunst to own org.freedesktop.Notifications", 0.05)
        except DesktopError as exc:
            raise self._failed("dunst", str(exc)) from None

    def _remove_stale_x_files(self) -> None:
        # A killed X server leaves its lock and socket behind; remove them only if they are
        # ours, so the display number is free again for the next run.
        if self._xvfb is None:
            return
        number = self.display.lstrip(":")
        lock = Path(f"/tmp/.X{number}-lock")
        try:
            owner = int(lock.read_text().strip())
        except (OSError, ValueError):
            owner = -1
        if owner == self._xvfb.pid:
            lock.unlink(missing_ok=True)
            Path(f"/tmp/.X11-unix/X{number}").unlink(missing_ok=True)
        self._xvfb = None

    # -- windows ---------------------------------------------------------------------------

    def open_window(
        self,
        wm_class: str,
        title: str,
        *,
        program: str | None = None,
        timeout: float = STARTUP_TIMEOUT,
    ) -> Window:
        """Start a Tk window with this WM_CLASS class and title; returns once jwm manages it.

        `program` (at most 15 characters) is the process name the client runs under, so
        windows can be told apart by process; by default it is the Python interpreter's.
        """
        if not self.window_manager:
            raise DesktopError("open_window needs the window manager (window_manager=True)")
        python = sys.executable
        if program is not None:
            # The kernel names a process after the file it executed, symlinks included.
            bin_dir = self.run_dir / "bin"
            bin_dir.mkdir(exist_ok=True)
            link = bin_dir / program
            if not link.exists():
                link.symlink_to(os.path.realpath(sys.executable))
            python = str(link)
        log = self.run_dir / f"window-{len(self._windows)}.log"
        with log.open("wb") as err:
            proc = subprocess.Popen(
                _dying_with_us([python, str(HERE / "client_window.py"), wm_class, title]),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                env=self.process_env,
            )
        assert proc.stdout is not None
        line = _read_line(proc.stdout.fileno(), timeout)
        if not line.startswith("ready "):
            _end(proc)
            raise DesktopError(f"window {wm_class!r} did not start: {log.read_text()[-2000:]}")
        # Tk reports its toplevel widget; the managed client window is Tk's wrapper around it.
        inner = self._x.create_resource_object("window", int(line.split()[1], 16))
        window = Window(inner.query_tree().parent.id, wm_class, title, proc)
        self._windows.append(window)
        wait_until(lambda: window.id in self.client_ids(), timeout, f"jwm to manage {wm_class!r}")
        return window

    def close_window(self, window: Window, timeout: float = STOP_TIMEOUT) -> None:
        """Close the window (its client exits) and wait until it is gone from the screen.

        Closing a window twice is fine; the second time does nothing.
        """
        if window not in self._windows:
            return  # already closed, and its id may belong to a newer window by now
        self._windows.remove(window)
        with contextlib.suppress(OSError, DesktopError):
            _send(window.process.stdin, {"quit": True})
        with contextlib.suppress(subprocess.TimeoutExpired):
            window.process.wait(timeout=timeout)  # let Tk close its window cleanly
        _end(window.process, timeout)
        if self._x is not None and self._xvfb is not None and self._xvfb.poll() is None:
            wait_until(lambda: window.id not in self.client_ids(), timeout, "the window to go")

    def retitle(self, window: Window, title: str, *, wait: bool = True) -> None:
        """Have the client retitle itself; with `wait`, return once _NET_WM_NAME shows it."""
        _send(window.process.stdin, {"title": title})
        window.title = title
        if wait:
            want = title.encode("utf-8")
            wait_until(
                lambda: self.get_property(window, "_NET_WM_NAME") == want,
                STARTUP_TIMEOUT,
                f"the title of {window.wm_class!r} to change",
            )

    def focus(self, window: Window, *, wait: bool = True) -> None:
        """Activate the window through the window manager, as a click on it would.

        With `wait=False` the request is sent in the background and this returns at once.
        """
        argv = ["xdotool", "windowactivate"] + (["--sync"] if wait else []) + [str(window.id)]
        if wait:
            self._run(argv)
        else:
            self._background.append(
                subprocess.Popen(
                    argv,
                    env=self.process_env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def input(self) -> None:
        """Move the pointer (real XTEST input), which resets the idle counter to about 0."""
        self._pointer_flip = not self._pointer_flip
        x, y = (700, 500) if self._pointer_flip else (701, 501)
        self._run(["xdotool", "mousemove", str(x), str(y)])

    def screenshot(self, path: Path | str) -> Path:
        """Save the whole screen, decorations, tray and popups included, as an image file."""
        if not Path(SCREENSHOT_TOOL).exists():
            raise DesktopError(f"screenshots need {SCREENSHOT_TOOL} (Debian package imagemagick)")
        target = Path(path)
        self._run([SCREENSHOT_TOOL, "-window", "root", str(target)])
        return target

    # -- reading the desktop ---------------------------------------------------------------

    def client_ids(self) -> list[int]:
        """Ids of the windows the window manager manages (_NET_CLIENT_LIST)."""
        root = self._x.screen().root
        prop = root.get_full_property(self._x.intern_atom("_NET_CLIENT_LIST"), Xatom.WINDOW)
        return [int(v) for v in prop.value] if prop is not None else []

    def active_window_id(self) -> int:
        """The window manager's _NET_ACTIVE_WINDOW, 0 when none."""
        root = self._x.screen().root
        prop = root.get_full_property(self._x.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW)
        return int(prop.value[0]) if prop is not None and len(prop.value) else 0

    def get_property(self, window: Window, name: str) -> bytes | None:
        """A window property's raw bytes (any type), None when unset."""
        xwin = self._x.create_resource_object("window", window.id)
        prop = xwin.get_full_property(self._x.intern_atom(name), X.AnyPropertyType)
        if prop is None or prop.format != 8:
            return None
        return bytes(prop.value)

    def set_property(self, window: Window, name: str, type_name: str, value: bytes) -> None:
        """Write an 8-bit property on the window, as another client could, and wait for it."""
        xwin = self._x.create_resource_object("window", window.id)
        xwin.change_property(self._x.intern_atom(name), self._x.intern_atom(type_name), 8, value)
        self._x.sync()

    def set_cardinal(self, window: Window, name: str, value: int) -> None:
        """Write a 32-bit CARDINAL property (such as _NET_WM_PID) and wait for it."""
        xwin = self._x.create_resource_object("window", window.id)
        xwin.change_property(self._x.intern_atom(name), Xatom.CARDINAL, 32, [value])
        self._x.sync()

    def delete_property(self, window: Window, name: str) -> None:
        """Remove a property from the window and wait for it."""
        xwin = self._x.create_resource_object("window", window.id)
        xwin.delete_property(self._x.intern_atom(name))
        self._x.sync()

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run(
            argv, env=self.process_env, capture_output=True, timeout=STARTUP_TIMEOUT, check=False
        )
        if done.returncode != 0:
            output = (done.stdout + done.stderr).decode(errors="replace").strip()
            raise DesktopError(f"{' '.join(argv)} failed ({done.returncode}): {output}")


def _dying_with_us(argv: list[str]) -> list[str]:
    """`argv`, run so that it gets SIGTERM if the test process dies first.

    stop() normally ends everything; this covers a test run that is itself killed (a CI
    timeout, kill -9), which would otherwise leave an X server holding its display number.
    setpriv (util-linux) sets the parent-death signal and then execs in place, so the pid
    stays the program's own. Without setpriv, argv runs as it is.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else argv


def _display_in_use(number: int) -> bool:
    return Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists()


def _x_server_ready(proc: subprocess.Popen[bytes], number: int) -> bool:
    """True once `proc` serves display `number`, or once it has exited (then it never will)."""
    if proc.poll() is not None:
        return True
    try:  # the lock names the server that won the number; it is written before listening
        if int(Path(f"/tmp/.X{number}-lock").read_text().strip()) != proc.pid:
            return False
    except (OSError, ValueError):
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(f"/tmp/.X11-unix/X{number}")
        except OSError:
            return False
    return True


def _read_line(fd: int, timeout: float) -> str:
    """Read one line from a pipe, waiting at most `timeout` s; "" on EOF or timeout."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            break
        chunk = os.read(fd, 1)  # byte by byte: nothing past the line is taken from the pipe
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", errors="replace")


def _send(stdin: IO[bytes] | None, command: Mapping[str, object]) -> None:
    if stdin is None or stdin.closed:
        raise DesktopError("the window's client is no longer running")
    stdin.write(json.dumps(command).encode("utf-8") + b"\n")
    stdin.flush()


def _end(proc: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> None:
    """Stop a child: SIGTERM, then SIGKILL after `timeout`; reap it and close its pipes."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
