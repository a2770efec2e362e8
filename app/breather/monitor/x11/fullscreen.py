"""Is the window in front fullscreen? A presentation, a film or a game should not be
interrupted by a break (it waits, within a bound).

A connection of its own to the X server, asked only while a break is about to come: two
property reads (_NET_ACTIVE_WINDOW, then its _NET_WM_STATE), a fraction of a millisecond.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any


class X11Fullscreen:
    """Answers `fullscreen()` for one X display; False whenever it cannot tell."""

    def __init__(self, conn: Any) -> None:
        from Xlib import X, Xatom
        from Xlib import error as xerror

        # python-xlib 0.33 registers RandR errors over core codes (python-xlib #241).
        for code, error_class in xerror.xerror_class.items():
            conn.display.error_classes[code] = error_class
        self._conn = conn
        self._root = conn.screen().root
        self._window_type = Xatom.WINDOW
        self._atom_type = Xatom.ATOM
        self._any = X.AnyPropertyType
        self._errors: tuple[type[BaseException], ...] = (xerror.XError, OSError)
        self._active = conn.intern_atom("_NET_ACTIVE_WINDOW")
        self._state = conn.intern_atom("_NET_WM_STATE")
        self._full = conn.intern_atom("_NET_WM_STATE_FULLSCREEN")

    def fullscreen(self) -> bool:
        try:
            active = self._root.get_property(self._active, self._window_type, 0, 1)
            if active is None or not len(active.value) or not active.value[0]:
                return False
            window = self._conn.create_resource_object("window", int(active.value[0]))
            state = window.get_property(self._state, self._atom_type, 0, 64)
        except self._errors:
            return False
        return state is not None and self._full in list(state.value)

    def close(self) -> None:
        with contextlib.suppress(*self._errors):
            self._conn.close()


def open_fullscreen_probe(display: str | None = None) -> X11Fullscreen | None:
    """A probe for the X display (default $DISPLAY), or None where there is none."""
    name = display if display is not None else os.environ.get("DISPLAY", "")
    if not name:
        return None
    try:
        from Xlib import display as xdisplay

        return X11Fullscreen(xdisplay.Display(name))
    except Exception:  # no python-xlib, no server: breaks simply are not held back
        return None
