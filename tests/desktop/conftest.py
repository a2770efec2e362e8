"""Fixtures for tests on a real X11 desktop: one shared desktop per session, more on demand.

Without the programs a desktop needs, these tests skip, naming what is missing; when the
environment variable CI is set they fail instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.app_driver import App
from tests.desktop.harness import NOTIFICATION_TOOLS, TOOLS, Desktop, Window, missing_tools

PACKAGES = "xvfb jwm dbus xdotool dunst"


def require_tools(tools: Iterable[str]) -> None:
    """Skip the test (fail it under CI) unless every program in `tools` is on PATH."""
    missing = missing_tools(tools)
    if not missing:
        return
    reason = (
        f"real-desktop tests need {', '.join(missing)}, not found on PATH "
        f"(Debian packages: {PACKAGES})"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def desktop() -> Iterator[Desktop]:
    """The shared desktop: Xvfb, jwm with a tray, a private D-Bus session bus and dunst."""
    require_tools(TOOLS + NOTIFICATION_TOOLS)
    with Desktop(notifications=True) as shared:
        yield shared


@pytest.fixture
def require() -> Callable[[Iterable[str]], None]:
    """`require(programs)`: skip the test (fail it under CI) unless all are installed."""
    return require_tools


@pytest.fixture
def make_desktop() -> Iterator[Callable[..., Desktop]]:
    """Start extra throwaway desktops (arguments as for Desktop); all stop after the test."""
    started: list[Desktop] = []

    def make(**options: Any) -> Desktop:
        require_tools(TOOLS)
        extra = Desktop(**options)
        started.append(extra)
        return extra.start()

    yield make
    for extra in reversed(started):
        extra.stop()


@pytest.fixture
def open_window(desktop: Desktop) -> Iterator[Callable[..., Window]]:
    """Open windows on the shared desktop (arguments as for Desktop.open_window).

    They are closed after the test, so tests that retitle or destroy windows stay apart.
    """
    opened: list[Window] = []

    def open_(wm_class: str, title: str, **options: Any) -> Window:
        window = desktop.open_window(wm_class, title, **options)
        opened.append(window)
        return window

    yield open_
    for window in opened:
        desktop.close_window(window)


@pytest.fixture
def start_app(desktop: Desktop, tmp_path: Path) -> Iterator[Callable[[str], App]]:
    """`start_app(config)`: the app in the tray with `config` and its data in `tmp_path`;
    stopped after the test."""
    started: list[App] = []

    def start(config: str) -> App:
        started.append(App(desktop, tmp_path, config))
        return started[-1]

    yield start
    for app in started:
        app.stop()
