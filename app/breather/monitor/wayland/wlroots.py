"""The focused window on wlroots compositors (sway, Hyprland, labwc, Wayfire, river…).

Speaks wlr-foreign-toplevel-management-unstable-v1, the protocol taskbars use: the compositor
announces every toplevel window and, for each, its title, app id and state (activated,
fullscreen…), each batch of changes closed by `done`. The window whose state holds
`activated` has focus. Native Wayland windows and Xwayland ones are both listed; for Xwayland
windows sway gives the X11 class as the app id.

The protocol carries no process id, so `WindowInfo.process` and `exe` stay empty. KWin and
GNOME do not offer this protocol (see `breather.monitor.kde` for KWin).
"""

from __future__ import annotations

import array
import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.wayland.connection import WaylandConnection

TOPLEVEL_MANAGER = "zwlr_foreign_toplevel_manager_v1"
#: zwlr_foreign_toplevel_handle_v1.state values.
ACTIVATED = 2
FULLSCREEN = 3
TITLE_MAX_CHARS = 1024
"""Titles longer than this are cut, as on X11: reports never need more."""
_MANAGER_MAX_VERSION = 3


def decode_states(raw: bytes | Iterable[int]) -> frozenset[int]:
    """The state values of a `state` event: pywayland hands the wl_array over as raw bytes,
    an array of native-endian uint32 (a byte-wise look would mistake 0x02 bytes for states)."""
    if isinstance(raw, bytes | bytearray):
        usable = len(raw) - len(raw) % 4
        return frozenset(array.array("I", bytes(raw[:usable])))
    return frozenset(int(value) for value in raw)


@dataclass(slots=True)
class Toplevel:
    """One window as the compositor last described it (after a `done`)."""

    app_id: str = ""
    title: str = ""
    states: frozenset[int] = frozenset()

    @property
    def focused(self) -> bool:
        return ACTIVATED in self.states

    @property
    def fullscreen(self) -> bool:
        return FULLSCREEN in self.states


@dataclass(slots=True)
class _Pending:
    app_id: str | None = None
    title: str | None = None
    states: frozenset[int] | None = None


@dataclass
class ToplevelList:
    """The compositor's windows, fed the protocol's events by handle key (any hashable).

    Changes to a window take effect on its `done`, as the protocol says; `closed` drops it.
    No compositor is needed, so the event logic can be tested on its own.
    """

    windows: dict[int, Toplevel] = field(default_factory=dict)
    focused_key: int | None = None
    _pending: dict[int, _Pending] = field(default_factory=dict)

    def title(self, key: int, title: str) -> None:
        self._pending.setdefault(key, _Pending()).title = title

    def app_id(self, key: int, app_id: str) -> None:
        self._pending.setdefault(key, _Pending()).app_id = app_id

    def state(self, key: int, states: bytes | Iterable[int]) -> None:
        self._pending.setdefault(key, _Pending()).states = decode_states(states)

    def done(self, key: int) -> None:
        window = self.windows.setdefault(key, Toplevel())
        pending = self._pending.pop(key, None)
        if pending is not None:
            if pending.app_id is not None:
                window.app_id = pending.app_id
            if pending.title is not None:
                window.title = pending.title
            if pending.states is not None:
                window.states = pending.states
        if window.focused:
            self.focused_key = key
        elif self.focused_key == key:
            self.focused_key = None

    def closed(self, key: int) -> None:
        self.windows.pop(key, None)
        self._pending.pop(key, None)
        if self.focused_key == key:
            self.focused_key = None

    @property
    def focused(self) -> Toplevel | None:
        """The window with focus now, None when none has it."""
        if self.focused_key is None:
            return None
        return self.windows.get(self.focused_key)

    def focus_key(self) -> tuple[int, str] | None:
        """What a change of focus or of the focused title changes: (handle, title)."""
        window = self.focused
        return (
            None
            if window is None or self.focused_key is None
            else (
                self.focused_key,
                window.title,
            )
        )


def window_info(window: Toplevel | None) -> WindowInfo | None:
    """What Breather records for a toplevel (the app id is the app)."""
    if window is None:
        return None
    return WindowInfo(app=window.app_id, title=window.title[:TITLE_MAX_CHARS])


class WlrootsWindows:
    """The focused window of a wlroots compositor; a WindowSource. Use from one thread.

    Make one with `open_wlroots`. Every method but `close` raises SourceLost once the
    compositor has gone away or stopped sending the window list.
    """

    name = "wayland-wlroots"

    def __init__(self, conn: WaylandConnection) -> None:
        """Bind the toplevel manager on `conn` and read the window list (two round trips)."""
        from breather.monitor.wayland.protocols.wlr_foreign_toplevel_management_unstable_v1 import (
            ZwlrForeignToplevelManagerV1,
        )

        self._conn = conn
        self.toplevels = ToplevelList()
        self._handles: dict[int, Any] = {}
        self._next_key = 0
        self._finished = False
        self._closed = False
        if TOPLEVEL_MANAGER not in conn.globals:
            raise BackendUnavailable(
                f"the Wayland compositor at {conn.display_name} does not offer "
                f"{TOPLEVEL_MANAGER} (wlroots' window list), so the focused window cannot be read"
            )
        self._manager = conn.bind(ZwlrForeignToplevelManagerV1, _MANAGER_MAX_VERSION)
        self._manager.dispatcher["toplevel"] = self._on_toplevel
        self._manager.dispatcher["finished"] = self._on_finished
        conn.done_binding()
        conn.roundtrip()  # the manager is bound: the compositor lists every toplevel
        conn.roundtrip()  # and each toplevel's title, app id and state, closed by done
        if self._finished:
            raise BackendUnavailable(
                f"the Wayland compositor at {conn.display_name} refused to list its windows"
            )
        self._seen = self.toplevels.focus_key()

    # -- public API ------------------------------------------------------------------------

    def describe(self) -> str:
        """One line for diagnostics: compositor, protocol and how many windows it listed."""
        count = len(self.toplevels.windows)
        return (
            f"Wayland compositor at {self._conn.display_name}: focus from {TOPLEVEL_MANAGER} "
            f"({count} window{'s' if count != 1 else ''} listed; no process ids)"
        )

    def active_window(self) -> WindowInfo | None:
        """The focused window now, or None when no window has focus."""
        self._pump(0.0)
        self._seen = self.toplevels.focus_key()
        return window_info(self.toplevels.focused)

    def fullscreen(self) -> bool:
        """Whether the focused window is fullscreen (False when none has focus)."""
        self._pump(0.0)
        window = self.toplevels.focused
        return window is not None and window.fullscreen

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to `timeout` s; True as soon as focus or the focused window's title changed
        since the last look (by this or `active_window`). Sleeps in select(), no polling."""
        deadline = time.monotonic() + max(0.0, timeout)
        pumped = False
        while True:
            current = self.toplevels.focus_key()
            if current != self._seen:
                self._seen = current
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 and pumped:
                return False
            self._pump(max(0.0, remaining))  # with no time left, still what has arrived
            pumped = True

    def close(self) -> None:
        """Disconnect. Safe to call twice and after the compositor went away."""
        if self._closed:
            return
        self._closed = True
        for handle in self._handles.values():
            _destroy_quietly(handle)
        self._handles.clear()
        self._conn.close()

    # -- events ----------------------------------------------------------------------------

    def _pump(self, timeout: float) -> None:
        if self._closed:
            raise SourceLost("the wlroots window source is closed")
        self._conn.wait_for_events(timeout)
        if self._finished:
            raise SourceLost(
                f"the Wayland compositor at {self._conn.display_name} stopped sending its windows"
            )

    def _on_toplevel(self, _manager: Any, handle: Any) -> None:
        key = self._next_key
        self._next_key += 1
        self._adopt(handle)
        self._handles[key] = handle
        windows = self.toplevels
        handle.dispatcher["title"] = lambda _h, title: windows.title(key, title)
        handle.dispatcher["app_id"] = lambda _h, app_id: windows.app_id(key, app_id)
        handle.dispatcher["state"] = lambda _h, states: windows.state(key, states)
        handle.dispatcher["done"] = lambda _h: windows.done(key)
        handle.dispatcher["closed"] = lambda _h: self._on_closed(key)

    def _on_closed(self, key: int) -> None:
        self.toplevels.closed(key)
        handle = self._handles.pop(key, None)
        if handle is not None:
            _destroy_quietly(handle)

    def _on_finished(self, _manager: Any) -> None:
        self._finished = True

    def _adopt(self, handle: Any) -> None:
        # pywayland (0.4.19) gives an object the compositor creates to the display of the
        # first live registry in the process, which may be another connection's; it must be
        # ours, so that it is destroyed with our display and never after it is gone.
        display = self._conn.display
        other = getattr(handle, "_display", display)
        if other is not display:
            children = getattr(other, "_children", None)
            if children is not None:
                children.discard(handle)
            handle._display = display
            display._children.add(handle)


def _destroy_quietly(handle: Any) -> None:
    if getattr(handle, "destroyed", True):
        return
    # A connection that is gone has nothing left to free on the compositor's side.
    with contextlib.suppress(RuntimeError, OSError, ValueError):
        handle.destroy()


def open_wlroots(display_name: str | None = None) -> WlrootsWindows:
    """Connect to the compositor (default: $WAYLAND_DISPLAY) and read its window list.

    Raises BackendUnavailable, with a reason fit for `breather doctor`, when pywayland is
    missing, there is no Wayland display, or the compositor does not list its windows
    through wlr-foreign-toplevel-management (KWin and GNOME do not).
    """
    conn = WaylandConnection(display_name)
    try:
        return WlrootsWindows(conn)
    except SourceLost as exc:
        conn.close()
        raise BackendUnavailable(str(exc)) from exc
    except BaseException:
        conn.close()
        raise
