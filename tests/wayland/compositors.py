"""Headless compositors in a `UserSession`, with windows and a person's actions on them.

`Sway` (wlroots) and `KWin` share one face: `open_qt(app_id, title)` and
`open_xterm(wm_class, title)` open native Wayland and Xwayland windows, `focus(window)` gives
one focus, `retitle(qt_window, title)` renames a Qt one, `input()` is a touch of the pointer
(the person is there). `env` points a program at the compositor.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.wayland.session import (
    STARTUP_TIMEOUT,
    SessionError,
    UserProcess,
    UserSession,
    wait_until,
)

HERE = Path(__file__).resolve().parent
SWAY_CONFIG = """# One virtual output, Xwayland, title bars; nothing else.
output HEADLESS-1 resolution 1280x800
xwayland enable
default_border normal
"""
KWIN_SOCKET = "breather-kwin"


@dataclass
class Window:
    """A test window: its app as the compositor names it, its title, and its program."""

    app: str
    title: str
    process: UserProcess
    native: bool


class Compositor:
    """What both compositors share: the session, the environment and the test windows."""

    name = ""

    def __init__(self, session: UserSession) -> None:
        self.session = session
        self.env: dict[str, str] = {}
        self.windows: list[Window] = []
        self.process: UserProcess | None = None  # the compositor itself, once started

    def open_qt(self, app_id: str, title: str) -> Window:
        """A native Wayland window (Qt) whose app id is `app_id`; returns once it is shown."""
        process = self.session.spawn(
            f"qt-{app_id}",
            [self.session.python(), str(HERE / "qt_client.py"), app_id, title],
            env={**self.env, "QT_QPA_PLATFORM": "wayland"},
            stdin=True,
        )
        wait_until(
            lambda: "shown wayland" in process.output() or not process.running(),
            STARTUP_TIMEOUT,
            f"the Qt window {app_id!r}",
        )
        if not process.running():
            raise SessionError(f"the Qt window {app_id!r} exited: {process.output()}")
        window = Window(app_id, title, process, native=True)
        self.windows.append(window)
        return window

    def open_xterm(self, wm_class: str, title: str) -> Window:
        """An X11 window (xterm) under Xwayland, of class `wm_class`."""
        process = self.session.spawn(
            f"xterm-{wm_class}",
            [
                *("xterm", "-class", wm_class, "-u8", "-xrm", "XTerm*utf8Title: true"),
                *("-T", title, "-e", "sleep", "600"),
            ],
            env=self.env,
        )

        # xterm writes a non-Latin-1 title only as COMPOUND_TEXT WM_NAME, which KWin 5.27
        # shows as ""; give it the UTF-8 _NET_WM_NAME that current X11 toolkits write.
        def xterm_ids() -> list[str]:
            search = ["xdotool", "search", "--class", wm_class]
            return self.session.run(search, env=self.env, check=False).stdout.split()

        found = wait_until(xterm_ids, STARTUP_TIMEOUT, f"the xterm of class {wm_class!r}")
        for x_window in found:
            self.session.run(
                [
                    "xprop",
                    "-id",
                    x_window,
                    "-f",
                    "_NET_WM_NAME",
                    "8u",
                    "-set",
                    "_NET_WM_NAME",
                    title,
                ],
                env=self.env,
            )
        window = Window(self.xwayland_app(wm_class), title, process, native=False)
        self.windows.append(window)
        return window

    def xwayland_app(self, wm_class: str) -> str:
        """The app name the compositor reports for an X11 window of class `wm_class`."""
        return wm_class

    def retitle(self, window: Window, title: str) -> None:
        """Have a Qt window rename itself."""
        stdin = window.process.popen.stdin
        assert stdin is not None and window.native
        stdin.write(json.dumps({"title": title}).encode("utf-8") + b"\n")
        stdin.flush()
        window.title = title

    def focus(self, window: Window) -> None:
        raise NotImplementedError

    def input(self) -> None:
        raise NotImplementedError


class Sway(Compositor):
    """sway 1.7+ on wlroots' headless backend, software rendering, Xwayland on :0."""

    name = "sway"
    TOOLS = ("sway", "swaymsg", "Xwayland", "xterm", "xdotool", "xprop")

    def __init__(self, session: UserSession) -> None:
        super().__init__(session)
        self._flip = False

    def start(self) -> Sway:
        config = self.session.dir / "sway.conf"
        config.write_text(SWAY_CONFIG, encoding="utf-8")
        env = {"WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"}
        sway = self.process = self.session.spawn("sway", ["sway", "-c", str(config)], env=env)
        runtime = self.session.runtime_dir
        sockets = wait_until(
            lambda: sorted(runtime.glob("sway-ipc.*.sock")) or not sway.running(),
            STARTUP_TIMEOUT,
            "sway's IPC socket",
        )
        if not sway.running():
            raise SessionError(f"sway exited: {sway.output()[-2000:]}")
        assert isinstance(sockets, list)
        display = wait_until(lambda: _wayland_socket(runtime), STARTUP_TIMEOUT, "sway's socket")
        self.env = {"SWAYSOCK": str(sockets[0]), "WAYLAND_DISPLAY": display, "DISPLAY": ":0"}
        wait_until(
            lambda: (
                self.session.run(
                    ["swaymsg", "-t", "get_version"], env=self.env, check=False
                ).returncode
                == 0
            ),
            STARTUP_TIMEOUT,
            "sway to answer on IPC",
        )
        return self

    def wait_mapped(self) -> None:
        """Return once sway manages every window opened so far."""

        def all_mapped() -> bool:
            tree = self.session.run(["swaymsg", "-t", "get_tree"], env=self.env).stdout
            return all(
                f'"app_id": "{w.app}"' in tree or f'"class": "{w.app}"' in tree
                for w in self.windows
            )

        wait_until(all_mapped, STARTUP_TIMEOUT, "sway to map the windows")

    def focus(self, window: Window) -> None:
        criteria = f'[app_id="{window.app}"]' if window.native else f'[class="{window.app}"]'
        self.session.run(["swaymsg", f"{criteria} focus"], env=self.env)

    def input(self) -> None:
        # Moving the seat's cursor goes through sway's input path, like a real mouse.
        self._flip = not self._flip
        step = "1 1" if self._flip else "-1 -1"
        self.session.run(["swaymsg", f"seat - cursor move {step}"], env=self.env)


class KWin(Compositor):
    """KWin (5.27 in Debian 12) with its virtual backend and Xwayland.

    KWin gives unprivileged clients no input injection, so `input()` asks KDE's idle
    protocol to "simulate user activity" (which KWin counts as input on the seat), and
    `focus()` runs a one-off KWin script; both through `kwin_actor.py`, one long-lived
    helper in the session.
    """

    name = "kwin"
    TOOLS = ("kwin_wayland", "Xwayland", "xterm", "xdotool", "xprop", "dbus-send")

    def __init__(self, session: UserSession) -> None:
        super().__init__(session)
        self._actor: UserProcess | None = None
        self._requests = 0

    def start(self) -> KWin:
        binary = _runnable_kwin(self.session)
        env = {"XDG_SESSION_TYPE": "wayland"}
        kwin = self.process = self.session.spawn(
            "kwin",
            [
                *(binary, "--virtual", "--socket", KWIN_SOCKET, "--no-lockscreen"),
                *("--width", "1280", "--height", "800", "--xwayland"),
            ],
            env=env,
        )

        def answering() -> bool:
            if not kwin.running():
                raise SessionError(f"kwin_wayland exited: {kwin.output()[-2000:]}")
            done = self.session.run(
                [
                    *("dbus-send", "--session", "--print-reply", "--dest=org.kde.KWin"),
                    *("/KWin", "org.kde.KWin.currentDesktop"),
                ],
                check=False,
            )
            return done.returncode == 0

        wait_until(answering, STARTUP_TIMEOUT, "KWin on the session bus")

        def x_display() -> str:
            listing = self.session.run(["ls", "/tmp/.X11-unix"]).stdout.split()
            return next((f":{name[1:]}" for name in listing if re.fullmatch(r"X\d+", name)), "")

        display = wait_until(x_display, STARTUP_TIMEOUT, "KWin's Xwayland")
        self.env = {"WAYLAND_DISPLAY": KWIN_SOCKET, "DISPLAY": display, **env}
        self._actor = self.session.spawn(
            "kwin-actor",
            [self.session.python(), str(HERE / "kwin_actor.py")],
            env=self.env,
            stdin=True,
        )
        wait_until(lambda: "ready" in self._actor_output(), STARTUP_TIMEOUT, "the KWin test helper")
        return self

    def xwayland_app(self, wm_class: str) -> str:
        return wm_class.lower()  # KWin lowercases X11 resource classes

    def wait_mapped(self) -> None:
        """Return once KWin manages every window opened so far (each is found by title)."""
        for window in self.windows:
            wait_until(
                lambda w=window: self._ask({"find": w.title}) == "found",  # type: ignore[misc]
                STARTUP_TIMEOUT,
                f"KWin to manage {window.title!r}",
            )

    def focus(self, window: Window) -> None:
        answer = self._ask({"activate": window.title})
        if answer != "found":
            raise SessionError(f"KWin found no window titled {window.title!r} to activate")

    def input(self) -> None:
        self._ask({"input": True})

    def _actor_output(self) -> str:
        return self._actor.output() if self._actor is not None else ""

    def _ask(self, request: dict[str, object]) -> str:
        """Send the helper a request and return its answer."""
        assert self._actor is not None and self._actor.popen.stdin is not None
        self._requests += 1
        number = self._requests
        line = json.dumps({**request, "n": number}) + "\n"
        self._actor.popen.stdin.write(line.encode("utf-8"))
        self._actor.popen.stdin.flush()
        pattern = re.compile(rf"^done {number} (\S*)$", re.MULTILINE)

        def answered() -> str:
            if not self._actor or not self._actor.running():
                raise SessionError(f"the KWin test helper exited: {self._actor_output()}")
            found = pattern.search(self._actor_output())
            return found.group(1) if found else ""

        return wait_until(answered, STARTUP_TIMEOUT, f"the KWin test helper to do {request}")


def _wayland_socket(runtime: Path) -> str:
    names = sorted(p.name for p in runtime.glob("wayland-*") if not p.name.endswith(".lock"))
    return names[0] if names else ""


def _runnable_kwin(session: UserSession) -> str:
    """kwin_wayland, or a copy of it without its file capability where that cannot run.

    Debian's binary carries cap_sys_resource; where the capability bounding set lacks it (as
    in some containers and VMs) exec fails with EPERM. A plain copy runs; it must keep the
    name kwin_wayland, which KWin's platform plugin checks.
    """
    binary = shutil.which("kwin_wayland") or "kwin_wayland"
    done = session.run([binary, "--version"], check=False)
    if done.returncode == 0:
        return binary
    folder = session.dir / "bin"
    folder.mkdir(exist_ok=True)
    copy = folder / "kwin_wayland"
    shutil.copyfile(binary, copy)
    copy.chmod(0o755)
    again = session.run([str(copy), "--version"], check=False)
    if again.returncode != 0:
        raise SessionError(f"kwin_wayland cannot run here: {done.stderr}{again.stderr}".strip())
    return str(copy)
