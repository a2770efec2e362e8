"""The X11 backend against a real desktop: Xvfb, jwm, Tk windows, xdotool focus and input."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.x11.desktop import TITLE_MAX_CHARS, X11Desktop, open_x11
from tests.desktop.harness import SCREENSHOT_TOOL, Desktop, Window, wait_until

pytestmark = pytest.mark.desktop

PROMPT = 1.0  # seconds within which a focus or title change must wake wait_for_change
EXE = os.path.realpath(sys.executable)

# (WM_CLASS class, title, process name): distinct process names prove the right pid is found.
APPS = [
    ("Breathe", "Grüße 🧘", "tk-breathe"),
    ("Memo", "日本語のメモ", "tk-memo"),
    ("Shalom", "שלום עולם", "tk-shalom"),
]


@pytest.fixture(scope="module")
def windows(desktop: Desktop) -> Iterator[list[Window]]:
    """Three windows that no test changes."""
    opened = [desktop.open_window(c, t, program=p) for c, t, p in APPS]
    yield opened
    for window in opened:
        desktop.close_window(window)


@pytest.fixture
def x11(desktop: Desktop) -> Iterator[X11Desktop]:
    backend = open_x11(desktop.display)
    yield backend
    backend.close()


def focused(desktop: Desktop, x11: X11Desktop, window: Window) -> WindowInfo:
    """Focus `window` and return what the backend reports once it sees that title."""
    desktop.focus(window)
    return seen(x11, lambda info: info.title == window.title, f"focus on {window.wm_class}")


def seen(x11: X11Desktop, check: Callable[[WindowInfo], bool], what: str) -> WindowInfo:
    """Poll active_window() until `check` passes (the X server applies requests async)."""

    def current() -> WindowInfo | None:
        info = x11.active_window()
        return info if info is not None and check(info) else None

    return wait_until(current, 5.0, what)


def test_reports_class_title_and_process_of_the_focused_window(
    desktop: Desktop, x11: X11Desktop, windows: list[Window]
) -> None:
    # Twice round, so the second pass reads from the per-window cache.
    for window, (wm_class, title, program) in [*zip(windows, APPS, strict=True)] * 2:
        info = focused(desktop, x11, window)
        assert info == WindowInfo(app=wm_class, title=title, process=program, exe=EXE)


def test_net_wm_pid_is_preferred_over_x_resource(
    desktop: Desktop, x11: X11Desktop, open_window: Callable[..., Window]
) -> None:
    window = open_window("Pidded", "claims another pid", program="tk-pidded")
    # Set before the backend first sees the window, so nothing is cached yet.
    desktop.set_cardinal(window, "_NET_WM_PID", os.getpid())
    info = focused(desktop, x11, window)
    assert info.process == psutil.Process().name() != "tk-pidded"


def test_a_reused_window_id_is_not_taken_for_the_old_window(
    desktop: Desktop, x11: X11Desktop, open_window: Callable[..., Window]
) -> None:
    # Xvfb gives the next client the slot (and so the window ids) the last one freed, and
    # the backend does not look in between: only the new title tells it to check the pid.
    first = open_window("First", "first app", program="tk-first")
    focused(desktop, x11, first)
    desktop.close_window(first)
    second = open_window("Second", "second app", program="tk-second")
    info = focused(desktop, x11, second)
    assert (info.app, info.process) == ("Second", "tk-second")


def test_wait_for_change_wakes_promptly_on_focus_change(
    desktop: Desktop, x11: X11Desktop, windows: list[Window]
) -> None:
    first, second = windows[0], windows[1]
    focused(desktop, x11, first)
    assert x11.wait_for_change(0) is False  # starts listening; nothing new since the read

    started = time.monotonic()
    desktop.focus(second, wait=False)
    assert x11.wait_for_change(5.0) is True
    assert time.monotonic() - started < PROMPT
    assert seen(x11, lambda i: True, "any window").title == second.title


def test_wait_for_change_wakes_promptly_on_retitle(
    desktop: Desktop, x11: X11Desktop, open_window: Callable[..., Window]
) -> None:
    window = open_window("Retitled", "before")
    focused(desktop, x11, window)
    x11.wait_for_change(0)

    started = time.monotonic()
    desktop.retitle(window, "after ☕", wait=False)
    assert x11.wait_for_change(5.0) is True
    assert time.monotonic() - started < PROMPT
    assert seen(x11, lambda i: i.title == "after ☕", "the new title").app == "Retitled"


def test_wait_for_change_ignores_quiet_and_background_windows(
    desktop: Desktop, x11: X11Desktop, windows: list[Window], open_window: Callable[..., Window]
) -> None:
    background = open_window("Background", "not in focus")
    focused(desktop, x11, windows[2])
    x11.wait_for_change(0)
    desktop.retitle(background, "still not in focus")  # waits until the title is set

    started = time.monotonic()
    assert x11.wait_for_change(0.3) is False
    assert 0.29 <= time.monotonic() - started < 0.3 + PROMPT


def test_wait_for_change_follows_the_newly_focused_window(
    desktop: Desktop, x11: X11Desktop, windows: list[Window], open_window: Callable[..., Window]
) -> None:
    # Only wait_for_change sees the focus move here: it must move its watch by itself.
    window = open_window("Followed", "one")
    focused(desktop, x11, windows[0])
    x11.wait_for_change(0)
    desktop.focus(window)
    assert x11.wait_for_change(5.0) is True
    desktop.retitle(window, "two", wait=False)
    assert x11.wait_for_change(5.0) is True


def test_a_sample_in_the_same_window_reads_nothing_but_what_changed(
    desktop: Desktop,
    x11: X11Desktop,
    open_window: Callable[..., Window],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Most seconds nothing changes; the events say so, and the sample skips the round trips.
    window = open_window("Steady", "draft 1")
    focused(desktop, x11, window)
    while x11.wait_for_change(0.3):  # listening from here on; let the focus change settle
        pass
    info = x11.active_window()
    reads: list[int] = []
    read_property = x11._get
    monkeypatch.setattr(x11, "_get", lambda *a: reads.append(1) or read_property(*a))
    assert [x11.active_window() for _ in range(5)] == [info] * 5
    assert reads == []
    desktop.retitle(window, "draft 2")
    assert seen(x11, lambda i: i.title == "draft 2", "the new title").app == "Steady"
    assert reads  # the change was read from the server
    other = open_window("Other", "elsewhere")
    desktop.focus(other)
    assert seen(x11, lambda i: i.title == "elsewhere", "the other window").app == "Other"


@pytest.mark.parametrize(
    "title",
    [
        "x" * 3000,
        "日本語" * 1000,  # 3 bytes a character: the cut falls inside the byte limit
        "🧘" * 3000,  # 4 bytes a character: exactly the byte limit
    ],
    ids=["ascii", "cjk", "emoji"],
)
def test_very_long_titles_are_capped(
    desktop: Desktop, x11: X11Desktop, open_window: Callable[..., Window], title: str
) -> None:
    window = open_window("Longish", "short")
    focused(desktop, x11, window)
    desktop.retitle(window, title)
    info = seen(x11, lambda i: i.title != "short", "the long title")
    assert info.title == title[:TITLE_MAX_CHARS]


LEGACY_TITLES = {
    # xdotool set_window --name writes _NET_WM_NAME typed STRING, holding UTF-8.
    "net-wm-name-as-string": ("_NET_WM_NAME", "STRING", "Grüße 🧘".encode(), "Grüße 🧘"),
    # xterm: only WM_NAME, COMPOUND_TEXT with a UTF-8 run for what Latin-1 lacks.
    "compound-text": ("WM_NAME", "COMPOUND_TEXT", b"Caf\xe9 \x1b%G\xe2\x98\x95\x1b%@", "Café ☕"),
    "latin-1": ("WM_NAME", "STRING", b"Gr\xfc\xdfe", "Grüße"),
    "utf-8-in-string": ("WM_NAME", "STRING", "שלום".encode(), "שלום"),  # as Tk writes it
    "junk": ("WM_NAME", "STRING", b"\xff\xfe broken \xc3", "ÿþ broken Ã"),  # not UTF-8
}


@pytest.mark.parametrize("case", LEGACY_TITLES.values(), ids=LEGACY_TITLES.keys())
def test_titles_as_other_clients_write_them(
    desktop: Desktop,
    x11: X11Desktop,
    open_window: Callable[..., Window],
    case: tuple[str, str, bytes, str],
) -> None:
    prop, prop_type, raw, expected = case
    window = open_window("Legacy", "tk title")
    focused(desktop, x11, window)
    desktop.delete_property(window, "_NET_WM_NAME")
    desktop.delete_property(window, "WM_NAME")
    desktop.set_property(window, prop, prop_type, raw)
    assert seen(x11, lambda i: i.title != "tk title", "the new title").title == expected


def test_window_without_title_or_class_still_reports(
    desktop: Desktop, x11: X11Desktop, open_window: Callable[..., Window]
) -> None:
    window = open_window("Bare", "soon untitled", program="tk-bare")
    desktop.delete_property(window, "WM_CLASS")  # before the backend caches the class
    focused(desktop, x11, window)
    desktop.delete_property(window, "_NET_WM_NAME")
    desktop.delete_property(window, "WM_NAME")
    info = seen(x11, lambda i: i.title == "", "the title to go")
    assert info == WindowInfo(app="tk-bare", title="", process="tk-bare", exe=EXE)


def test_window_destroyed_between_reads(
    desktop: Desktop,
    x11: X11Desktop,
    windows: list[Window],
    open_window: Callable[..., Window],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window("Doomed", "about to close")
    focused(desktop, x11, window)
    x11.wait_for_change(0)  # also watching its title when it goes
    desktop.close_window(window)
    x11.wait_for_change(0.5)
    info = x11.active_window()
    assert info is None or info.app != "Doomed"
    # The id read from _NET_ACTIVE_WINDOW names a window that is gone by the next request.
    monkeypatch.setattr(x11, "_read_active_id", lambda: window.id)
    assert x11.active_window() is None
    monkeypatch.undo()
    assert focused(desktop, x11, windows[0]).app == APPS[0][0]


def test_idle_grows_while_nothing_happens_and_resets_on_input(
    desktop: Desktop, x11: X11Desktop
) -> None:
    assert x11.idle_available
    start = x11.idle_seconds()
    wait_until(lambda: x11.idle_seconds() >= start + 0.4, 3.0, "idle time to grow")
    before = x11.idle_seconds()
    desktop.input()
    wait_until(lambda: x11.idle_seconds() < min(0.3, before), 3.0, "input to reset idle time")


def test_describe_names_display_window_manager_and_idle(desktop: Desktop, x11: X11Desktop) -> None:
    text = x11.describe()
    assert desktop.display in text
    assert "JWM" in text
    assert "MIT-SCREEN-SAVER" in text
    assert x11.idle_problem is None
    assert x11.name == "x11"


def test_unreachable_display_is_unavailable_with_a_reason() -> None:
    with pytest.raises(BackendUnavailable, match=r"cannot connect to the X server at :9999"):
        open_x11(":9999")


def test_display_without_window_manager_is_unavailable(
    make_desktop: Callable[..., Desktop],
) -> None:
    bare = make_desktop(window_manager=False)
    with pytest.raises(BackendUnavailable, match=r"no EWMH window manager .*_NET_SUPPORTING_WM"):
        open_x11(bare.display)


def test_server_without_screen_saver_extension_opens_without_idle(
    make_desktop: Callable[..., Desktop],
) -> None:
    extra = make_desktop(notifications=False, xvfb_args=("-extension", "MIT-SCREEN-SAVER"))
    x11 = open_x11(extra.display)
    try:
        assert x11.idle_available is False
        assert x11.idle_seconds() == 0.0
        assert x11.idle_problem is not None
        assert "MIT-SCREEN-SAVER" in x11.idle_problem
        assert x11.idle_problem in x11.describe()
    finally:
        x11.close()


def test_x_server_going_away_raises_source_lost(make_desktop: Callable[..., Desktop]) -> None:
    doomed = make_desktop(notifications=False)
    x11 = open_x11(doomed.display)
    try:
        x11.active_window()
        killer = threading.Timer(0.2, doomed.kill_x_server)
        killer.start()
        started = time.monotonic()
        with pytest.raises(SourceLost, match=rf"the X server at {doomed.display} closed"):
            x11.wait_for_change(30.0)
        assert time.monotonic() - started < 5.0
        killer.join()
        with pytest.raises(SourceLost):
            x11.active_window()
        with pytest.raises(SourceLost):
            x11.idle_seconds()
    finally:
        x11.close()
    x11.close()  # twice is fine


def test_screenshot_shows_the_desktop(
    desktop: Desktop, tmp_path: Path, require: Callable[[list[str]], None]
) -> None:
    require([SCREENSHOT_TOOL])
    shot = desktop.screenshot(tmp_path / "desktop.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
