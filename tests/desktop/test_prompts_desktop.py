"""Answering a prompt in the real app, on a real window manager, from the keyboard.

jwm gives a new dialog the focus, as most X11 window managers do. Breather's own prompt in
front must not count as leaving the app it asks about: the prompt is shown once, stays until
the person answers, and the answer is what gets recorded.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breather.monitor.base import WindowInfo
from breather.store import open_store, sqlite_url
from breather.tracking.spans import Span
from tests.desktop.harness import Desktop, Window, wait_until

pytestmark = pytest.mark.desktop

ARTIFACTS = Path(__file__).parents[1] / "artifacts"

QUIET_BREAKS = """\
[tracking]
interval = "500ms"

[breaks.eyes]
enabled = false

[breaks.movement]
enabled = false
"""

#: How long the prompt must hold, with the person's input going on, after it first shows.
HOLD = 6.0


def xdotool(desktop: Desktop, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=desktop.process_env, capture_output=True, text=True, check=False
    )
    return done.stdout


def prompt_windows(desktop: Desktop) -> list[int]:
    """Breather's visible windows other than its tray icon (the app runs in the tray)."""
    found = xdotool(desktop, "search", "--onlyvisible", "--class", "breather").split()
    windows = []
    for window in map(int, found):
        if _size(desktop, window)[0] > 200:
            windows.append(window)
    return windows


def named(desktop: Desktop, title: str) -> int | None:
    """A visible window whose title holds `title`, None if there is none."""
    found = xdotool(desktop, "search", "--onlyvisible", "--name", title).split()
    return int(found[0]) if found else None


def _size(desktop: Desktop, window: int) -> tuple[int, int]:
    shell = xdotool(desktop, "getwindowgeometry", "--shell", str(window))
    values = dict(line.split("=", 1) for line in shell.split())
    return int(values.get("WIDTH", "0")), int(values.get("HEIGHT", "0"))


def records(data: Path, kind: str) -> list[tuple[str, str]]:
    """The (outcome, detail) rows stored for `kind` prompts, oldest first."""
    conn = sqlite3.connect(data / "breather.db")
    try:
        rows = conn.execute(
            "SELECT outcome, detail FROM boundary_event WHERE kind = ? ORDER BY at_ms, id",
            (kind,),
        ).fetchall()
    finally:
        conn.close()
    return [(str(outcome), str(detail)) for outcome, detail in rows]


class App:
    """The desktop app, with its own data folder and settings: in the tray as at login, or
    with `tray=False` as launched from the menu (its window opens). `env` adds to its
    environment."""

    def __init__(
        self,
        desktop: Desktop,
        data: Path,
        config: str,
        *,
        tray: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> None:
        (data / "welcomed").touch()  # not a first run
        (data / "breather.toml").write_text(config)
        self.desktop = desktop
        self.data = data
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "breather", *(["--tray"] if tray else [])],
            env={
                **desktop.process_env,
                "BREATHER_DATA_DIR": str(data),
                "BREATHER_CONFIG": str(data / "breather.toml"),
                **(env or {}),
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self) -> None:
        """Until the tray icon shows: the app is up and tracking."""

        def icon() -> bool:
            found = xdotool(self.desktop, "search", "--class", "breather").split()
            return any(_size(self.desktop, int(window))[0] in range(1, 65) for window in found)

        wait_until(icon, 30, "Breather's tray icon")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        _out, err = self.proc.communicate(timeout=20)
        return err


@pytest.fixture
def start_app(desktop: Desktop, tmp_path: Path) -> Iterator[Callable[[str], App]]:
    started: list[App] = []

    def start(config: str) -> App:
        started.append(App(desktop, tmp_path, config))
        return started[-1]

    yield start
    for app in started:
        app.stop()


def hold_with_input(desktop: Desktop, prompt: int, seconds: float) -> None:
    """Keep the person's input going for `seconds`, checking all along that the prompt stays."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        desktop.input()
        assert prompt_windows(desktop) == [prompt], "the prompt went away before any answer"
        time.sleep(0.25)


def wait_for_window(
    desktop: Desktop, wanted: Callable[[int], bool], timeout: float, what: str
) -> int:
    """Keep the person busy (so the time counts) until one of Breather's windows is `wanted`."""
    deadline = time.monotonic() + timeout
    while True:
        windows = [window for window in prompt_windows(desktop) if wanted(window)]
        if windows:
            return windows[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        desktop.input()
        time.sleep(0.25)


def wait_for_prompt(desktop: Desktop, timeout: float, what: str) -> int:
    return wait_for_window(desktop, lambda _window: True, timeout, what)


def seed_use(data: Path, app: str, title: str, seconds: float) -> None:
    """`seconds` of use of `app` earlier today, as if tracked before this start."""
    store = open_store(sqlite_url(data / "breather.db"), device_uuid="d", device_name="desk")
    try:
        end = datetime.now(UTC) - timedelta(seconds=5)
        window = WindowInfo(app, title, app, f"/usr/bin/{app}")
        writer = store.writer()
        writer.record([Span(end - timedelta(seconds=seconds), end, window)])
        writer.flush(None, 0.0)
    finally:
        store.close()


def test_a_limit_prompt_holds_until_answered_from_the_keyboard(
    desktop: Desktop,
    open_window: Callable[..., Window],
    start_app: Callable[[str], App],
    tmp_path: Path,
) -> None:
    # Tk names the class "Firefox", as Firefox itself does (WM_CLASS "firefox", "Firefox").
    browser = open_window("firefox", "Weather forecast — Mozilla Firefox")
    desktop.focus(browser)
    # 52 of the 60 seconds were used earlier today: the limit is reached a few seconds in.
    seed_use(tmp_path, "Firefox", "Weather forecast — Mozilla Firefox", 52)
    app = start_app(QUIET_BREAKS + '\n[[limits]]\napp = "Firefox"\ndaily = "1m"\n')
    app.wait_ready()

    prompt = wait_for_prompt(desktop, 40, "the limit prompt")
    hold_with_input(desktop, prompt, HOLD)
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-limit-prompt.png")
    assert [outcome for outcome, _ in records(app.data, "limit")].count("reached") == 1

    xdotool(desktop, "key", "alt+m")  # "15 more minutes", typed into the window in front
    wait_until(lambda: not prompt_windows(desktop), 10, "the prompt to close")
    wait_until(lambda: "more" in dict(records(app.data, "limit")), 10, "the answer stored")
    outcomes = [outcome for outcome, _ in records(app.data, "limit")]
    assert outcomes.count("reached") == 1
    assert outcomes[-1] == "more"


def test_an_intention_prompt_holds_until_answered_from_the_keyboard(
    desktop: Desktop, open_window: Callable[..., Window], start_app: Callable[[str], App]
) -> None:
    other = open_window("Notes", "Shopping list")
    desktop.focus(other)
    app = start_app(QUIET_BREAKS + '\n[intention]\ncategories = ["Social media"]\n')
    app.wait_ready()
    social = open_window("firefox", "(3) Home / X — Mozilla Firefox")
    desktop.focus(social)

    prompt = wait_for_prompt(desktop, 30, "the intention prompt")
    hold_with_input(desktop, prompt, HOLD)
    assert [outcome for outcome, _ in records(app.data, "intention")] == ["reached"]

    # "Why this question?" (Alt+W) shows the evidence in front of the prompt; Escape goes
    # back to the prompt, still there, still unanswered, and ready to be written in.
    xdotool(desktop, "key", "alt+w")
    evidence = wait_until(lambda: named(desktop, "Why this default"), 10, "the evidence")
    assert desktop.active_window_id() == evidence
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-intention-why.png")
    xdotool(desktop, "key", "Escape")
    wait_until(lambda: named(desktop, "Why this default") is None, 10, "the evidence to close")
    wait_until(lambda: desktop.active_window_id() == prompt, 10, "the prompt to have the focus")
    assert prompt_windows(desktop) == [prompt]
    assert [outcome for outcome, _ in records(app.data, "intention")] == ["reached"]

    xdotool(desktop, "type", "reply to Sam")  # into the prompt's field, which has the focus
    xdotool(desktop, "key", "Return")
    wait_until(lambda: not prompt_windows(desktop), 10, "the prompt to close")
    wait_until(
        lambda: ("answered", "reply to Sam") in records(app.data, "intention"),
        10,
        "the intention stored",
    )
    assert "left" not in dict(records(app.data, "intention"))


def test_the_crisis_link_steps_a_break_aside_at_once(
    desktop: Desktop, open_window: Callable[..., Window], start_app: Callable[[str], App]
) -> None:
    notes = open_window("Notes", "Shopping list")
    desktop.focus(notes)
    app = start_app(
        '[tracking]\ninterval = "500ms"\n\n[breaks.eyes]\nevery = "40s"\nduration = "30s"\n\n'
        "[breaks.movement]\nenabled = false\n\n[intention]\ncategories = []\n"
    )
    app.wait_ready()
    # Work until the break is due: it starts at a pause in typing, or after a short wait.
    screen = wait_for_window(
        desktop, lambda w: _size(desktop, w)[0] >= 1280, 120, "the full-screen break"
    )
    xdotool(desktop, "key", "alt+h")  # "Need to talk to someone?"
    wait_until(lambda: screen not in prompt_windows(desktop), 5, "the break to step aside")
    support = wait_until(lambda: prompt_windows(desktop), 5, "the Support page in front")[0]
    assert desktop.active_window_id() == support
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(ARTIFACTS / "desktop-break-help.png")
    # Stepping aside answers nothing: the break was due and is not skipped.
    assert "skipped" not in dict(records(app.data, "eyes"))
