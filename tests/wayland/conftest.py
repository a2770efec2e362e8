"""Fixtures for tests on real headless Wayland compositors, run as an unprivileged user.

Without what a compositor needs (root to set up the session, the compositor, Xwayland…),
these tests skip, naming what is missing; when the environment variable CI is set they fail
instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

import pytest

from tests.wayland.compositors import Compositor, KWin, Sway
from tests.wayland.session import TOOLS, UserSession, missing_tools

SESSION_PACKAGES = "util-linux iproute2 passwd dbus"
PACKAGES = {
    "session": SESSION_PACKAGES,
    "sway": f"sway xwayland xterm xdotool x11-utils {SESSION_PACKAGES}",
    "kwin": f"kwin-wayland xwayland xterm xdotool x11-utils {SESSION_PACKAGES}",
}


def require(what: str, tools: Iterable[str]) -> None:
    """Skip the test (fail it under CI) unless we are root and every program is installed."""
    missing = missing_tools([*TOOLS, *tools])
    if os.geteuid() != 0:
        reason = "Wayland session tests run as root (they switch to an unprivileged test user)"
    elif missing:
        reason = (
            f"{what} tests need {', '.join(missing)}, not found on PATH "
            f"(Debian packages: {PACKAGES.get(what, '')})"
        )
    else:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


COMPOSITORS: dict[str, type[Compositor]] = {"sway": Sway, "kwin": KWin}


@pytest.fixture
def session() -> Iterator[UserSession]:
    """A fresh private session (namespaces, runtime dir, session bus) for the test user."""
    require("session", ())
    with UserSession() as fresh:
        yield fresh


@pytest.fixture(params=sorted(COMPOSITORS))
def compositor(request: pytest.FixtureRequest) -> Iterator[Compositor]:
    """Each headless compositor in turn, started in a fresh session."""
    kind = COMPOSITORS[request.param]
    require(request.param, kind.TOOLS)
    with UserSession() as fresh:
        yield kind(fresh).start()
