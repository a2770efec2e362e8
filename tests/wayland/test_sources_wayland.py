"""Breather's backend choice on real compositors: the native source is picked and read at
once, and a compositor that goes away ends tracking cleanly instead of hanging it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.wayland.compositors import Compositor
from tests.wayland.session import STARTUP_TIMEOUT, wait_until

pytestmark = pytest.mark.wayland

WATCH = Path(__file__).resolve().parent / "watch_desktop.py"
NATIVE = {"sway": ("wayland-wlroots", "wayland idle"), "kwin": ("kwin", "wayland idle")}


def test_the_native_backend_is_chosen_and_the_compositor_going_away_is_noticed(
    compositor: Compositor,
) -> None:
    desktop = compositor
    notes = desktop.open_qt("notes", "Grüße 🧘 — Notes")
    desktop.wait_mapped()
    desktop.focus(notes)
    watcher = desktop.session.spawn(
        "watch", [desktop.session.python(), str(WATCH)], env=desktop.env
    )
    wait_until(
        lambda: "active " in watcher.output() or not watcher.running(),
        STARTUP_TIMEOUT,
        "the backends to open",
    )
    windows, idle = NATIVE[desktop.name]
    assert f"opened {windows} {idle}\n" in watcher.output()
    assert "active notes|Grüße 🧘 — Notes\n" in watcher.output()

    assert desktop.process is not None
    desktop.process.stop()
    assert watcher.wait(timeout=STARTUP_TIMEOUT) == 0, watcher.output()
    assert "\nlost " in watcher.output()
