"""A private desktop session for tests, run as an unprivileged user: the base for headless
compositors (sway, KWin, GNOME Shell…).

    with UserSession() as session:
        sway = session.spawn("sway", ["sway", "-c", conf], env={"WLR_BACKENDS": "headless"})
        session.run(["swaymsg", "-t", "get_version"])

Compositors refuse to run as root and want a private XDG_RUNTIME_DIR, so everything runs as
the test user (created with useradd when missing; override with BREATHER_TEST_USER) with:

- a session directory, owned by that user, holding the runtime dir (`runtime/`, mode 0700),
  a home-like `data/` dir and every program's log (`<name>.log`);
- private mount, network and PID namespaces (util-linux unshare): a fresh /tmp (so Xwayland
  display numbers and /tmp/.X11-unix sockets never meet anyone else's; the session directory
  is bound back at its own path), loopback only, and an init of ours as PID 1 that reaps
  every orphan; when the session stops, the kernel ends every process left in it;
- a private D-Bus session bus that starts no services by itself.

Needs root (to enter namespaces and switch user), util-linux (unshare, nsenter, setpriv),
iproute2 and dbus-daemon. Only the standard library is used.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

TEST_USER = os.environ.get("BREATHER_TEST_USER", "breather-test")
TOOLS = ("unshare", "nsenter", "setpriv", "ip", "dbus-daemon", "useradd")
STARTUP_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=@SOCKET@</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
# PID 1 of the session's namespaces: makes the private /tmp, brings up loopback, says
# "ready", then reaps whatever is orphaned until it is told to stop (or its parent dies).
NAMESPACE_INIT = r"""
import os, signal, subprocess, sys
session = sys.argv[1]
def sh(*argv):
    subprocess.run(argv, check=True)
sh("mount", "--bind", session, "/mnt")
sh("mount", "-t", "tmpfs", "-o", "mode=1777", "none", "/tmp")
os.makedirs(session, exist_ok=True)
sh("mount", "--move", "/mnt", session)
for name in (".X11-unix", ".ICE-unix"):
    os.mkdir("/tmp/" + name, 0o1777)
    os.chmod("/tmp/" + name, 0o1777)
sh("ip", "link", "set", "lo", "up")
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
signal.signal(signal.SIGCHLD, lambda *_: None)
print("ready", flush=True)
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        signal.pause()
"""

T = TypeVar("T")


class SessionError(RuntimeError):
    """The session could not do what was asked; the message says what and why."""


def missing_tools(tools: Iterable[str]) -> list[str]:
    """The programs in `tools` that are not on PATH (sbin included, where useradd lives)."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return [tool for tool in tools if shutil.which(tool, path=path) is None]


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


def ensure_user(name: str = TEST_USER) -> pwd.struct_passwd:
    """The test user's passwd entry, creating the user (with a home) when missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    if os.geteuid() != 0:
        raise SessionError(f"the test user {name!r} does not exist and only root can add it")
    useradd = shutil.which("useradd", path="/usr/sbin:/sbin:/usr/bin") or "useradd"
    subprocess.run([useradd, "--create-home", name], check=True, capture_output=True)
    return pwd.getpwnam(name)


def user_can_run(user: pwd.struct_passwd, path: Path | str) -> bool:
    """Whether `user` can reach and execute `path` (every folder on the way must let it)."""
    done = subprocess.run(
        [
            *("setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups"),
            *("test", "-x", str(path)),
        ],
        check=False,
        capture_output=True,
    )
    return done.returncode == 0


class UserProcess:
    """A program running in the session as the test user, logged to `<name>.log`."""

    def __init__(self, name: str, popen: subprocess.Popen[bytes], log: Path) -> None:
        self.name = name
        self.popen = popen
        self.log_path = log

    @property
    def pid(self) -> int:
        """The program's own pid (as the machine sees it), 0 until it has started."""
        # nsenter forks once to enter the PID namespace; its only child is the program.
        children = Path(f"/proc/{self.popen.pid}/task/{self.popen.pid}/children")
        with contextlib.suppress(OSError, ValueError):
            return int(children.read_text().split()[0])
        return 0

    def running(self) -> bool:
        return self.popen.poll() is None

    def signal(self, signum: int) -> None:
        """Send `signum` to the program itself (not to the nsenter around it)."""
        pid = wait_until(lambda: self.pid or not self.running(), STARTUP_TIMEOUT, self.name)
        if pid is True or not self.running():
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signum)

    def wait(self, timeout: float) -> int:
        """Wait for the program to end; its exit status (negative: the signal that ended it)."""
        self.popen.wait(timeout=timeout)
        return self.popen.returncode

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, then SIGKILL after `timeout`; returns once it has ended."""
        try:
            if self.running():
                self.signal(signal.SIGTERM)
                try:
                    self.popen.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.signal(signal.SIGKILL)
                    self.popen.wait(timeout=timeout)
        finally:
            if self.popen.stdin is not None:
                with contextlib.suppress(OSError):
                    self.popen.stdin.close()

    def output(self) -> str:
        """What the program has written so far (stdout and stderr)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class UserSession:
    """Private namespaces, a runtime dir and a session bus for one test user; see the module."""

    def __init__(self, *, user: str = TEST_USER, prefix: str = "breather-session-") -> None:
        self.user_name = user
        self._prefix = prefix
        self.dir = Path()
        self._init: subprocess.Popen[bytes] | None = None
        self._init_pid = 0
        self._processes: list[UserProcess] = []
        self._bus_address = ""

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> UserSession:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> UserSession:
        """Make the user, directories, namespaces and session bus; returns self."""
        if os.geteuid() != 0:
            raise SessionError("a test session needs root: it enters namespaces as another user")
        missing = missing_tools(TOOLS)
        if missing:
            raise SessionError(f"missing programs: {', '.join(missing)}")
        self.user = ensure_user(self.user_name)
        # Not pytest's tmp_path: the test user could not reach into root's 0700 folders.
        self.dir = Path(tempfile.mkdtemp(prefix=self._prefix))
        try:
            for folder in (self.dir, self.runtime_dir, self.data_dir):
                folder.mkdir(mode=0o700, exist_ok=True)
                os.chown(folder, self.user.pw_uid, self.user.pw_gid)
            self._start_namespaces()
            self._start_bus()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every program, newest first, end the namespaces and remove the directory."""
        for process in reversed(self._processes):
            with contextlib.suppress(SessionError, subprocess.TimeoutExpired):
                process.stop()
        self._processes.clear()
        if self._init is not None:
            # unshare ignores SIGTERM while it waits: tell our init, PID 1 of the namespace;
            # when it ends, the kernel ends everything left in the namespace.
            if self._init_pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self._init_pid, signal.SIGTERM)
            try:
                self._init.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._init.kill()
                self._init.wait()
            self._close_pipes(self._init)
            self._init = None
        if self.dir.name.startswith(self._prefix):
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- places and environment ------------------------------------------------------------

    @property
    def runtime_dir(self) -> Path:
        """XDG_RUNTIME_DIR: compositor sockets, the bus, private files."""
        return self.dir / "runtime"

    @property
    def data_dir(self) -> Path:
        """A folder the test user owns, for programs' data (Breather's data dir…)."""
        return self.dir / "data"

    @property
    def env(self) -> dict[str, str]:
        """The environment every program gets (on top of `env=` given to spawn and run)."""
        return {
            "HOME": self.user.pw_dir,
            "USER": self.user.pw_name,
            "LOGNAME": self.user.pw_name,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "DBUS_SESSION_BUS_ADDRESS": self._bus_address,
        }

    # -- running programs ------------------------------------------------------------------

    def spawn(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        stdin: bool = False,
    ) -> UserProcess:
        """Start `argv` in the session as the test user, output to `<name>.log`.

        With `stdin`, the process's stdin is a pipe (`process.popen.stdin`).
        """
        log = self.dir / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                self._enter(argv, env),
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        process = UserProcess(name, popen, log)
        self._processes.append(process)
        return process

    def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        timeout: float = STARTUP_TIMEOUT,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run `argv` to its end in the session; with `check`, SessionError if it fails."""
        done = subprocess.run(
            self._enter(argv, env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise SessionError(
                f"{' '.join(argv)} failed ({done.returncode}): {done.stdout}{done.stderr}".strip()
            )
        return done

    def log(self, name: str) -> str:
        """A spawned program's output so far ("" when there is none)."""
        path = self.dir / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def python(self) -> str:
        """The interpreter running the tests, checked to be usable by the test user."""
        if not user_can_run(self.user, sys.executable):
            raise SessionError(
                f"the test user {self.user.pw_name!r} cannot run {sys.executable}: every folder "
                "from / to the checkout's virtualenv must be readable and searchable by others "
                "(chmod o+rx)"
            )
        return sys.executable

    # -- internals -------------------------------------------------------------------------

    def _enter(self, argv: Sequence[str], env: Mapping[str, str] | None) -> list[str]:
        variables = {**self.env, **(env or {})}
        return [
            *("nsenter", "-t", str(self._init_pid), "-m", "-n", "-p", f"--wd={self.dir}"),
            *("setpriv", f"--reuid={self.user.pw_uid}", f"--regid={self.user.pw_gid}"),
            *("--init-groups", "--"),
            *("env", "-i", *(f"{key}={value}" for key, value in variables.items())),
            *argv,
        ]

    def _start_namespaces(self) -> None:
        # setpriv --pdeathsig: if the test run itself is killed, the namespace goes with it.
        self._init = subprocess.Popen(
            [
                *("setpriv", "--pdeathsig", "KILL", "--"),
                *("unshare", "--kill-child", "--mount", "--net", "--pid", "--fork"),
                *("--mount-proc", "--propagation", "private"),
                *(sys.executable, "-I", "-c", NAMESPACE_INIT, str(self.dir)),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self._init.stdout is not None
        line = self._init.stdout.readline().decode(errors="replace")
        if line.strip() != "ready":
            self._init.kill()
            _, err = self._init.communicate(timeout=STOP_TIMEOUT)
            raise SessionError(f"the session's namespaces did not start: {line}{err.decode()}")
        unshare = Path(f"/proc/{self._init.pid}/task/{self._init.pid}/children")
        self._init_pid = int(unshare.read_text().split()[0])

    def _start_bus(self) -> None:
        socket = self.runtime_dir / "bus"
        config = self.dir / "bus.conf"
        config.write_text(BUS_CONFIG.replace("@SOCKET@", str(socket)), encoding="utf-8")
        self.spawn("dbus", ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile"])
        self._bus_address = f"unix:path={socket}"
        wait_until(socket.exists, STARTUP_TIMEOUT, "the session bus")

    @staticmethod
    def _close_pipes(popen: subprocess.Popen[bytes]) -> None:
        for pipe in (popen.stdin, popen.stdout, popen.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
