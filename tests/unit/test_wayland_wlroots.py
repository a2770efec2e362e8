"""The wlroots window source follows the compositor's toplevel events as a taskbar would:
focus is the window whose last `done` state says activated, titles change on `done`, and a
closed window is forgotten. No compositor: the events are fed in by hand."""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Callable
from typing import Any

import pytest

from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.wayland.wlroots import (
    ACTIVATED,
    FULLSCREEN,
    ToplevelList,
    WlrootsWindows,
    decode_states,
)

MAXIMIZED = 0


def states(*values: int) -> bytes:
    """A `state` event's wl_array as pywayland hands it over: native-endian uint32s."""
    return struct.pack(f"={len(values)}I", *values)


def test_the_activated_window_has_focus_once_its_changes_are_done() -> None:
    windows = ToplevelList()
    windows.app_id(1, "notes")
    windows.title(1, "Grüße 🧘 — Notes")
    windows.state(1, states(ACTIVATED))
    assert windows.focused is None  # nothing counts before `done`
    windows.done(1)
    focused = windows.focused
    assert focused is not None
    assert (focused.app_id, focused.title) == ("notes", "Grüße 🧘 — Notes")


def test_focus_moves_with_the_activated_state() -> None:
    windows = ToplevelList()
    for key, app in ((1, "notes"), (2, "reader")):
        windows.app_id(key, app)
        windows.state(key, states())
        windows.done(key)
    windows.state(1, states(ACTIVATED))
    windows.done(1)
    assert windows.focused_key == 1
    windows.state(1, states())
    windows.done(1)
    windows.state(2, states(MAXIMIZED, ACTIVATED))
    windows.done(2)
    assert windows.focused_key == 2


def test_a_window_losing_activation_leaves_nothing_focused() -> None:
    windows = ToplevelList()
    windows.state(1, states(ACTIVATED))
    windows.done(1)
    windows.state(1, states(MAXIMIZED))
    windows.done(1)
    assert windows.focused is None


def test_closing_the_focused_window_leaves_nothing_focused_and_forgets_it() -> None:
    windows = ToplevelList()
    windows.title(1, "draft")
    windows.state(1, states(ACTIVATED))
    windows.done(1)
    windows.closed(1)
    assert windows.focused is None
    assert windows.windows == {}


def test_a_title_change_waits_for_done() -> None:
    windows = ToplevelList()
    windows.title(1, "old")
    windows.state(1, states(ACTIVATED))
    windows.done(1)
    windows.title(1, "new")
    assert windows.focus_key() == (1, "old")
    windows.done(1)
    assert windows.focus_key() == (1, "new")


def test_states_are_read_as_uint32_not_bytes() -> None:
    # 512 holds a 0x02 byte; read byte by byte it would look "activated".
    assert decode_states(states(512)) == frozenset({512})
    assert decode_states(states(MAXIMIZED, FULLSCREEN)) == frozenset({0, 3})
    assert decode_states(b"") == frozenset()


class FakeHandle:
    def __init__(self) -> None:
        self.dispatcher: dict[str, Callable[..., None]] = {}
        self.destroyed = False

    def destroy(self) -> None:
        self.destroyed = True


class FakeConnection:
    """Stands in for WaylandConnection: each wait_for_events() delivers one scripted batch."""

    display_name = "wayland-test"

    def __init__(self, *, offers_manager: bool = True) -> None:
        self.globals = {"wl_seat": (1, 7)}
        if offers_manager:
            self.globals["zwlr_foreign_toplevel_manager_v1"] = (2, 3)
        self.manager = FakeHandle()
        self.display: Any = object()  # the pywayland Display the handles belong to
        self.batches: deque[Callable[[], None]] = deque()
        self.closed = False
        self.lost = False

    def bind(self, interface: type[Any], max_version: int) -> FakeHandle:
        assert interface.name == "zwlr_foreign_toplevel_manager_v1"
        return self.manager

    def done_binding(self) -> None:
        pass

    def roundtrip(self) -> None:
        if self.batches:
            self.batches.popleft()()

    def wait_for_events(self, timeout: float, *, wake_fd: int | None = None) -> bool:
        if self.lost:
            raise SourceLost("the Wayland compositor at wayland-test closed the connection")
        if not self.batches:
            return False
        self.batches.popleft()()
        return True

    def close(self) -> None:
        self.closed = True

    # scripting the compositor
    def new_window(self, app: str, title: str, *, active: bool) -> FakeHandle:
        handle = FakeHandle()
        self.manager.dispatcher["toplevel"](self.manager, handle)
        handle.dispatcher["app_id"](handle, app)
        handle.dispatcher["title"](handle, title)
        handle.dispatcher["state"](handle, states(ACTIVATED) if active else states())
        handle.dispatcher["done"](handle)
        return handle


def activate(handle: FakeHandle, active: bool) -> None:
    handle.dispatcher["state"](handle, states(ACTIVATED) if active else states())
    handle.dispatcher["done"](handle)


def retitle(handle: FakeHandle, title: str) -> None:
    handle.dispatcher["title"](handle, title)
    handle.dispatcher["done"](handle)


def opened(conn: FakeConnection) -> tuple[WlrootsWindows, dict[str, FakeHandle]]:
    handles: dict[str, FakeHandle] = {}

    def initial_list() -> None:
        handles["notes"] = conn.new_window("notes", "Grüße 🧘 — Notes", active=True)
        handles["chat"] = conn.new_window("Chat", "Emoji ☕ café 🎉 — Chat", active=False)

    conn.batches.append(initial_list)
    return WlrootsWindows(conn), handles  # type: ignore[arg-type]


def test_the_window_list_read_at_open_gives_the_focused_window() -> None:
    windows, _ = opened(FakeConnection())
    assert windows.active_window() == WindowInfo(app="notes", title="Grüße 🧘 — Notes")
    assert "zwlr_foreign_toplevel_manager_v1" in windows.describe()


def test_wait_for_change_wakes_on_a_focus_switch_and_then_on_a_retitle() -> None:
    conn = FakeConnection()
    windows, handles = opened(conn)
    windows.active_window()
    conn.batches.append(
        lambda: (activate(handles["notes"], False), activate(handles["chat"], True))
    )
    assert windows.wait_for_change(0.0)
    assert windows.active_window() == WindowInfo(app="Chat", title="Emoji ☕ café 🎉 — Chat")
    conn.batches.append(lambda: retitle(handles["chat"], "שלום עולם — Chat"))
    assert windows.wait_for_change(0.0)
    assert windows.active_window() == WindowInfo(app="Chat", title="שלום עולם — Chat")


def test_a_switch_away_and_back_is_no_change() -> None:
    conn = FakeConnection()
    windows, handles = opened(conn)
    windows.active_window()

    def away_and_back() -> None:
        activate(handles["notes"], False)
        activate(handles["chat"], True)
        activate(handles["chat"], False)
        activate(handles["notes"], True)

    conn.batches.append(away_and_back)
    assert not windows.wait_for_change(0.0)


def test_a_change_of_a_background_window_is_no_change() -> None:
    conn = FakeConnection()
    windows, handles = opened(conn)
    windows.active_window()
    conn.batches.append(lambda: retitle(handles["chat"], "3 unread — Chat"))
    assert not windows.wait_for_change(0.0)


def test_closing_the_focused_window_reads_as_no_window_and_frees_its_handle() -> None:
    conn = FakeConnection()
    windows, handles = opened(conn)
    windows.active_window()
    conn.batches.append(lambda: handles["notes"].dispatcher["closed"](handles["notes"]))
    assert windows.wait_for_change(0.0)
    assert windows.active_window() is None
    assert handles["notes"].destroyed


def test_long_titles_are_cut_and_fullscreen_is_read_from_the_state() -> None:
    conn = FakeConnection()
    windows, handles = opened(conn)
    conn.batches.append(lambda: retitle(handles["notes"], "x" * 5000))
    info = windows.active_window()
    assert info is not None and len(info.title) == 1024
    assert not windows.fullscreen()
    conn.batches.append(
        lambda: (
            handles["notes"].dispatcher["state"](handles["notes"], states(ACTIVATED, FULLSCREEN)),
            handles["notes"].dispatcher["done"](handles["notes"]),
        )
    )
    assert windows.fullscreen()


def test_a_compositor_without_the_toplevel_list_is_unavailable_with_the_reason() -> None:
    with pytest.raises(BackendUnavailable, match="zwlr_foreign_toplevel_manager_v1"):
        WlrootsWindows(FakeConnection(offers_manager=False))  # type: ignore[arg-type]


def test_the_compositor_going_away_is_source_lost() -> None:
    conn = FakeConnection()
    windows, _ = opened(conn)
    conn.lost = True
    with pytest.raises(SourceLost):
        windows.active_window()
    with pytest.raises(SourceLost):
        windows.wait_for_change(0.1)


def test_the_compositor_finishing_the_list_is_source_lost() -> None:
    conn = FakeConnection()
    windows, _ = opened(conn)
    conn.batches.append(lambda: conn.manager.dispatcher["finished"](conn.manager))
    with pytest.raises(SourceLost, match="stopped sending"):
        windows.active_window()


def test_close_frees_every_handle_and_disconnects_once() -> None:
    conn = FakeConnection()
    windows, handles = opened(conn)
    windows.close()
    windows.close()
    assert conn.closed
    assert all(handle.destroyed for handle in handles.values())


class FakeDisplay:
    def __init__(self) -> None:
        self._children: set[Any] = set()


def test_a_handle_pywayland_gave_to_another_connection_is_taken_back() -> None:
    # pywayland 0.4 hands new objects to the display of the first live registry in the
    # process (here: the idle source's); they must die with the connection they came on.
    conn = FakeConnection()
    ours, theirs = FakeDisplay(), FakeDisplay()
    conn.display = ours
    windows, _ = opened(conn)
    stray = FakeHandle()
    stray._display = theirs  # type: ignore[attr-defined]
    theirs._children.add(stray)
    conn.manager.dispatcher["toplevel"](conn.manager, stray)
    assert stray._display is ours  # type: ignore[attr-defined]
    assert stray in ours._children and stray not in theirs._children
    windows.close()
    assert stray.destroyed
