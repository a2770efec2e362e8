"""X11 window and idle source: EWMH active window, titles, owning process and idle time.

Uses python-xlib only, imported when `open_x11` runs, so importing this module never needs
an X server or python-xlib. Idle time is *polled* from MIT-SCREEN-SAVER: hooking every key
and pointer event would wake us on each input, which is exactly the cost we avoid.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import socket
import time
from dataclasses import dataclass
from typing import Any

from breather.monitor.base import BackendUnavailable, SourceLost, WindowInfo
from breather.monitor.processes import process_info

TITLE_MAX_CHARS = 1024
"""Titles longer than this are cut: reports never need more, and a runaway title costs I/O."""

# Four bytes hold at least one character in UTF-8 and Latin-1, so reading this many 32-bit
# units yields TITLE_MAX_CHARS characters when the title is that long, in a single GetProperty
# (no second read that could race with the owner shortening the title).
_TITLE_READ_UNITS = TITLE_MAX_CHARS
_CLASS_READ_UNITS = 256
_SUPPORTED_READ_UNITS = 4096
_CACHE_LIMIT = 256
_BADVALUE_TRIES = 3
_LOCAL_CLIENT_PID_MASK = 1 << 1  # X-Resource: Xlib.ext.res.LocalClientPIDMask

_ESC = 0x1B
# COMPOUND_TEXT (ISO 2022) designations for the right half (GR) that legacy clients use.
_GR_CODECS: dict[bytes, str] = {
    b"-A": "latin-1",
    b"-B": "iso8859-2",
    b"-C": "iso8859-3",
    b"-D": "iso8859-4",
    b"-F": "iso8859-7",
    b"-G": "iso8859-6",
    b"-H": "iso8859-8",
    b"-L": "iso8859-5",
    b"-M": "iso8859-9",
    b"$)A": "gb2312",
    b"$)B": "euc_jp",
    b"$)C": "euc_kr",
}


def decode_compound_text(raw: bytes) -> str:
    """Decode COMPOUND_TEXT as legacy clients (xterm, Motif) write WM_NAME.

    Handles `ESC % G … ESC % @` UTF-8 runs (what Xutf8 writes for text outside Latin-1), the
    ISO 8859 and CJK right-half designations, and Latin-1 otherwise. Never raises: unknown
    escapes are skipped and undecodable bytes become U+FFFD.
    """
    out: list[str] = []
    codec = "latin-1"
    start = i = 0
    n = len(raw)
    while i < n:
        if raw[i] != _ESC:
            i += 1
            continue
        out.append(raw[start:i].decode(codec, "replace"))
        j = i + 1
        while j < n and 0x20 <= raw[j] <= 0x2F:  # ISO 2022 intermediate bytes
            j += 1
        if j >= n:  # an escape cut off at the end: nothing left to show
            start = i = n
            break
        sequence = raw[i + 1 : j + 1]
        start = i = j + 1
        if sequence == b"%G":
            end = raw.find(b"\x1b%@", i)
            stop = n if end < 0 else end
            out.append(raw[i:stop].decode("utf-8", "replace"))
            start = i = n if end < 0 else end + 3
        else:
            codec = _GR_CODECS.get(sequence, codec)
    out.append(raw[start:].decode(codec, "replace"))
    return "".join(out)


def decode_text_property(raw: bytes, type_name: str, *, complete: bool = True) -> str:
    """Decode a text property (a title or WM_CLASS) the way real clients write them.

    `type_name` is the property's type atom name. UTF8_STRING is UTF-8. Anything else is
    legacy text: with escape sequences it is COMPOUND_TEXT; without, many clients (Tk,
    xdotool) put raw UTF-8 in a STRING, so UTF-8 is tried before Latin-1. `complete=False`
    means the value was cut at a byte limit, so a partial trailing UTF-8 sequence is dropped
    rather than shown as U+FFFD or mistaken for Latin-1. Never raises; trailing NULs go.
    """
    if type_name == "UTF8_STRING":
        text = codecs.getincrementaldecoder("utf-8")("replace").decode(raw, final=complete)
    elif _ESC in raw:
        text = decode_compound_text(raw)
    else:
        try:
            text = codecs.getincrementaldecoder("utf-8")("strict").decode(raw, final=complete)
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    return text.rstrip("\x00")


@dataclass(frozen=True, slots=True)
class _Meta:
    """What does not change for the life of a window: who owns it and what it is."""

    app: str
    process: str
    exe: str
    pid: int | None


def open_x11(display: str | None = None) -> X11Desktop:
    """Connect to the X server `display` (default: $DISPLAY) and check it can be tracked.

    Raises BackendUnavailable, with a reason fit for `breather doctor`, when python-xlib is
    missing, no display is set, the server cannot be reached, or no EWMH window manager
    publishes the active window. A server without MIT-SCREEN-SAVER still opens; then
    `idle_available` is False and `idle_problem` says why.
    """
    try:
        from Xlib import display as xdisplay
        from Xlib import error as xerror
    except ImportError as exc:
        raise BackendUnavailable(
            f"python-xlib is not installed ({exc}); install it to track X11 windows"
        ) from exc
    name = display if display is not None else os.environ.get("DISPLAY", "")
    if not name:
        raise BackendUnavailable(
            "DISPLAY is not set, so there is no X11 desktop to track "
            "(a Wayland-only or text session?)"
        )
    try:
        conn = xdisplay.Display(name)
    except (xerror.DisplayError, xerror.XauthError, xerror.ConnectionClosedError, OSError) as exc:
        _close_leaked_sockets(exc)
        raise BackendUnavailable(f"cannot connect to the X server at {name}: {exc}") from exc
    try:
        return X11Desktop(conn, name)
    except (xerror.ConnectionClosedError, OSError) as exc:
        _close_quietly(conn)
        raise BackendUnavailable(
            f"the X server at {name} closed the connection while it was being checked"
        ) from exc
    except BaseException:
        _close_quietly(conn)
        raise


def _close_leaked_sockets(exc: BaseException) -> None:
    """Close the sockets a failed python-xlib connect leaves open in its traceback's frames.

    python-xlib opens a socket per attempt (unix, then TCP) and does not close it when
    connect() fails; it would linger, and warn, for as long as the exception is kept.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        pending += [error.__cause__, error.__context__]
        tb = error.__traceback__
        while tb is not None:
            for value in tb.tb_frame.f_locals.values():
                if isinstance(value, socket.socket):
                    value.close()
            tb = tb.tb_next


def _close_quietly(conn: Any) -> None:
    from Xlib import error as xerror

    # Already gone means its socket is closed either way.
    with contextlib.suppress(xerror.ConnectionClosedError, OSError):
        conn.close()


def _restore_core_error_classes(conn: Any) -> None:
    """Undo python-xlib 0.33's RandR error registration (python-xlib issues #241, #259).

    Xlib.ext.randr registers its error classes at raw codes 0..2 instead of first_error + n,
    so a core BadValue (which fast retitling triggers for real) is parsed as a RandR error
    and crashes the reply reader, after which the connection can spin at 100 % CPU. Core
    codes belong to the core protocol, so putting the core classes back is always right.
    """
    from Xlib import error as xerror

    table = conn.display.error_classes
    for code, error_class in xerror.xerror_class.items():
        table[code] = error_class


class X11Desktop:
    """The active window and idle time of one X display; a WindowSource and an IdleSource.

    Make one with `open_x11`. Use it from one thread. Every method raises SourceLost once
    the X server has gone away. `wait_for_change` starts listening for focus and title
    changes on its first call; until then nothing is queued on the connection.
    """

    name = "x11"

    def __init__(self, conn: Any, display_name: str) -> None:
        """Wrap an open python-xlib Display; raises BackendUnavailable without EWMH."""
        from Xlib import X, Xatom
        from Xlib import error as xerror

        _restore_core_error_classes(conn)
        self._d = conn
        self._display_name = display_name
        self._root = conn.screen().root
        self._root_id: int = self._root.id
        self._x = X
        self._xatom = Xatom
        self._bad_value: type[BaseException] = xerror.BadValue
        # Reading a window that closes under us fails with BadWindow, BadDrawable or
        # BadMatch; any X error on one window's properties only costs that one sample.
        self._x_error: type[BaseException] = xerror.XError
        self._lost_errors: tuple[type[BaseException], ...] = (
            xerror.ConnectionClosedError,
            OSError,
        )
        atom = conn.intern_atom
        self._a_active: int = atom("_NET_ACTIVE_WINDOW")
        self._a_net_wm_name: int = atom("_NET_WM_NAME")
        self._a_pid: int = atom("_NET_WM_PID")
        self._a_utf8: int = atom("UTF8_STRING")
        self._a_compound: int = atom("COMPOUND_TEXT")
        self._title_atoms = frozenset((self._a_net_wm_name, Xatom.WM_NAME))
        self._gone_events = frozenset((X.UnmapNotify, X.DestroyNotify))
        self._hostname = socket.gethostname()

        self.wm_name = self._check_ewmh()
        if conn.has_extension("MIT-SCREEN-SAVER"):
            self.idle_problem: str | None = None
        else:
            self.idle_problem = (
                f"the X server at {display_name} has no MIT-SCREEN-SAVER extension, "
                "so idle time cannot be read (it is reported as 0)"
            )
        self.idle_available = self.idle_problem is None
        self._has_xres: bool = conn.has_extension("X-Resource")

        self._meta: dict[int, _Meta] = {}
        self._last_wid = 0  # the window and title of the last sample
        self._last_title = ""
        self._last_info: WindowInfo | None = None
        self._events_on = False
        self._watched: int | None = None  # active window id last seen; None: never looked
        self._watched_title: str | None = None
        self._closed = False

    # -- public API ------------------------------------------------------------------------

    def describe(self) -> str:
        """One line for diagnostics: display, window manager, idle and pid sources."""
        wm = self.wm_name or "an unnamed window manager"
        idle = self.idle_problem or "idle from MIT-SCREEN-SAVER"
        pids = "_NET_WM_PID, else X-Resource" if self._has_xres else "_NET_WM_PID only"
        return f"X11 display {self._display_name}, {wm} (EWMH); {idle}; pids from {pids}"

    def active_window(self) -> WindowInfo | None:
        """The focused window, or None when nothing has focus or it vanished mid-read."""
        try:
            return self._active_window()
        except self._lost_errors as exc:
            raise self._lost() from exc

    def idle_seconds(self) -> float:
        """Seconds since the last keyboard or pointer input; 0.0 if the server can't tell."""
        if not self.idle_available:
            return 0.0
        try:
            return float(self._root.screensaver_query_info().idle) / 1000.0
        except self._lost_errors as exc:
            raise self._lost() from exc

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to `timeout` s; True as soon as focus or the active window's title changed.

        Listens to property changes on the root and the active window, and to that window
        going away; never to input.
        A change that happened since the last call also counts, so none is lost between
        calls; a focus switch back and forth, or a title set to what it was, does not.
        """
        try:
            return self._wait_for_change(timeout)
        except self._lost_errors as exc:
            raise self._lost() from exc

    def close(self) -> None:
        """Close the connection. Safe to call twice, and after the server went away."""
        if self._closed:
            return
        self._closed = True
        # If the server is gone, python-xlib has already closed the socket.
        with contextlib.suppress(*self._lost_errors):
            self._d.close()

    # -- setup -----------------------------------------------------------------------------

    def _lost(self) -> SourceLost:
        return SourceLost(f"the X server at {self._display_name} closed the connection")

    def _check_ewmh(self) -> str:
        """The window manager's name; raises BackendUnavailable if it is not EWMH."""
        Xatom = self._xatom
        where = f"on the X display {self._display_name}"
        check_atom = self._d.intern_atom("_NET_SUPPORTING_WM_CHECK")
        prop = self._get(self._root, check_atom, Xatom.WINDOW, 1)
        if prop is None or prop.format != 32 or not len(prop.value):
            raise BackendUnavailable(
                f"no EWMH window manager is running {where} (the root window has no "
                "_NET_SUPPORTING_WM_CHECK), so the active window cannot be known"
            )
        wm_window = self._d.create_resource_object("window", int(prop.value[0]))
        # A window manager that quit leaves the root property behind; the check window
        # carrying the same property proves a live one.
        try:
            child = self._get(wm_window, check_atom, Xatom.WINDOW, 1)
        except self._x_error:
            child = None
        if child is None or not len(child.value) or int(child.value[0]) != wm_window.id:
            raise BackendUnavailable(
                f"the EWMH window manager {where} has quit (stale _NET_SUPPORTING_WM_CHECK)"
            )
        try:
            wm_name = self._read_title(wm_window)
        except self._x_error:
            wm_name = ""
        supported = self._get(
            self._root, self._d.intern_atom("_NET_SUPPORTED"), Xatom.ATOM, _SUPPORTED_READ_UNITS
        )
        atoms = set(supported.value) if supported is not None and supported.format == 32 else set()
        if self._a_active not in atoms:
            raise BackendUnavailable(
                f"the window manager {wm_name or '(unnamed)'} {where} does not publish "
                "_NET_ACTIVE_WINDOW, so the active window cannot be known"
            )
        return wm_name

    # -- reading ---------------------------------------------------------------------------

    def _get(self, window: Any, atom: int, prop_type: int, units: int) -> Any:
        """One GetProperty of up to `units` 32-bit units; None when unset.

        Raises the python-xlib error for a window that is gone. BadValue (a property changed
        under us) is retried; it is also what python-xlib's RandR bug used to mangle.
        """
        for _ in range(_BADVALUE_TRIES):
            try:
                return window.get_property(atom, prop_type, 0, units)
            except self._bad_value:
                continue
        return None

    def _read_active_id(self) -> int:
        prop = self._get(self._root, self._a_active, self._xatom.WINDOW, 1)
        if prop is None or prop.format != 32 or not len(prop.value):
            return 0
        return int(prop.value[0])

    def _read_text(self, window: Any, atom: int, units: int) -> str | None:
        prop = self._get(window, atom, self._x.AnyPropertyType, units)
        if prop is None or prop.format != 8 or not prop.value:
            return None
        if prop.property_type == self._a_utf8 or atom == self._a_net_wm_name:
            type_name = "UTF8_STRING"  # EWMH: _NET_WM_NAME is UTF-8 whatever its type says
        elif prop.property_type == self._a_compound:
            type_name = "COMPOUND_TEXT"
        else:
            type_name = "STRING"
        return decode_text_property(bytes(prop.value), type_name, complete=not prop.bytes_after)

    def _read_title(self, window: Any) -> str:
        # xdotool writes _NET_WM_NAME typed STRING; AnyPropertyType in _read_text finds it.
        title = self._read_text(window, self._a_net_wm_name, _TITLE_READ_UNITS)
        if not title:
            title = self._read_text(window, self._xatom.WM_NAME, _TITLE_READ_UNITS)
        return (title or "")[:TITLE_MAX_CHARS]

    def _read_pid(self, window: Any) -> int | None:
        prop = self._get(window, self._a_pid, self._xatom.CARDINAL, 1)
        if prop is not None and prop.format == 32 and len(prop.value) and prop.value[0] > 0:
            machine = self._read_text(window, self._xatom.WM_CLIENT_MACHINE, 64)
            # A remote client's pid means nothing here; X-Resource only knows local ones.
            if not machine or machine == self._hostname:
                return int(prop.value[0])
        if not self._has_xres:
            return None
        try:
            reply = self._d.res_query_client_ids(
                [{"client": window.id, "mask": _LOCAL_CLIENT_PID_MASK}]
            )
        except self._x_error:
            return None
        for client in reply.ids:
            if client.spec.mask & _LOCAL_CLIENT_PID_MASK and len(client.value):
                return int(client.value[0])
        return None

    def _read_meta(self, window: Any) -> _Meta:
        wm_class = self._read_text(window, self._xatom.WM_CLASS, _CLASS_READ_UNITS) or ""
        instance, _, klass = wm_class.partition("\x00")
        klass = klass.split("\x00", 1)[0]
        pid = self._read_pid(window)
        process, exe = process_info(pid)
        return _Meta(app=klass or process or instance, process=process, exe=exe, pid=pid)

    def _meta_for(self, window: Any, wid: int, title: str) -> _Meta:
        meta = self._meta.get(wid)
        # X gives a closed client's ids to the next client, so an id can come back as
        # another program's window, even between two samples. Unless we are still looking
        # at the same id with the same title, check the pid before trusting the cache: that
        # is a round trip or two on focus and title changes, none on the usual sample.
        same = wid == self._last_wid and title == self._last_title
        if meta is not None and not same and self._read_pid(window) != meta.pid:
            meta = None
        if meta is None:
            meta = self._read_meta(window)
            if meta.app or meta.pid:  # not yet set up (no class, no pid): read it again later
                if len(self._meta) >= _CACHE_LIMIT:
                    self._meta.clear()
                self._meta[wid] = meta
        return meta

    def _active_window(self) -> WindowInfo | None:
        if self._unchanged_since_read():
            return self._last_info
        self._last_info = None
        wid = self._read_active_id()
        self._watch(wid, baseline=False)  # the reads below set the baseline
        if not wid:
            self._last_wid = 0
            self._watched_title = ""
            return None
        window = self._d.create_resource_object("window", wid)
        try:
            title = self._read_title(window)
            meta = self._meta_for(window, wid, title)
        except self._x_error:  # mostly BadWindow: it closed while we read; any other is odd
            self._meta.pop(wid, None)
            self._last_wid = 0
            return None
        self._last_wid = wid
        self._last_title = self._watched_title = title
        self._last_info = WindowInfo(meta.app, title, meta.process, meta.exe, meta.pid or 0)
        return self._last_info

    def _unchanged_since_read(self) -> bool:
        """Whether the focused window and its title are still what the last read found.

        Once events are on, a focus change, a title change of the focused window and its
        going away all send us an event (see `_watch`), so with none of them queued the last
        read still stands and the sample needs no round trip to the server: the usual second
        of a person working in one window costs one request (the idle time), not three.
        """
        return (
            self._events_on
            and self._last_info is not None
            and self._last_wid == self._watched
            and self._last_title == self._watched_title
            and not self._drain()
        )

    # -- events ----------------------------------------------------------------------------

    def _swallow_error(self, error: Any, request: Any) -> bool:
        # Selecting events on a window that just vanished fails harmlessly.
        return True

    def _select(self, wid: int, mask: int) -> None:
        window = self._d.create_resource_object("window", wid)
        window.change_attributes(event_mask=mask, onerror=self._swallow_error)

    def _watch(self, wid: int, *, baseline: bool) -> None:
        """Follow title changes of `wid` (0: none) instead of the previous active window.

        With `baseline`, read its title to compare later changes against. The server runs
        our requests in order, so that read (or any later one) happens with the selection
        in effect: a title change after it always sends us an event, and one before it is in
        what we read. Flushing alone would leave a window where a change goes unseen.
        """
        if wid == self._watched:
            return
        if self._events_on:
            if self._watched:
                self._select(self._watched, 0)
            if wid:  # its title changes, and its going away (unmapped or destroyed)
                self._select(wid, self._x.PropertyChangeMask | self._x.StructureNotifyMask)
            self._d.flush()
        self._watched = wid
        self._watched_title = None
        if baseline and self._events_on and wid:
            # A window that is closing has no title to keep; a root event follows.
            with contextlib.suppress(self._x_error):
                window = self._d.create_resource_object("window", wid)
                self._watched_title = self._read_title(window)

    def _start_events(self) -> bool:
        """Start listening; True if focus or title changed since active_window() looked."""
        self._events_on = True
        self._select(self._root_id, self._x.PropertyChangeMask)
        known, known_title = self._watched, self._watched_title
        self._watched = None  # nothing is selected on any client window yet
        # Read after selecting on the root, so no focus change can fall in between.
        self._watch(self._read_active_id(), baseline=True)
        if known is None:  # active_window() never looked: nothing to compare with
            return False
        return known != self._watched or (bool(known) and known_title != self._watched_title)

    def _drain(self) -> bool:
        """Handle queued events; True if focus or the watched title really changed, or the
        watched window went away.

        Returns False only with python-xlib's queue empty: the property reads done here can
        pull new events off the socket into that queue, where select() would not see them.
        """
        while True:
            focus_event = title_event = False
            while self._d.pending_events():
                event = self._d.next_event()
                if event.type in self._gone_events:
                    if self._watched and event.window.id == self._watched:
                        self._last_wid = 0  # read again: focus moves, or nothing has it
                        return True
                    continue
                if event.type != self._x.PropertyNotify:
                    continue
                wid = event.window.id
                if wid == self._root_id:
                    focus_event = focus_event or event.atom == self._a_active
                elif wid == self._watched:
                    title_event = title_event or event.atom in self._title_atoms
            if not (focus_event or title_event):
                return False
            if focus_event:
                wid = self._read_active_id()
                if wid != self._watched:
                    self._watch(wid, baseline=True)
                    self._last_wid = 0  # focus moved: re-check cached facts on the next read
                    return True
            if title_event and self._watched:
                window = self._d.create_resource_object("window", self._watched)
                try:
                    title = self._read_title(window)
                except self._x_error:
                    return True  # it closed; focus moves next
                if title != self._watched_title:
                    self._watched_title = title
                    return True

    def _wait_for_change(self, timeout: float) -> bool:
        deadline = time.monotonic() + max(0.0, timeout)
        changed = self._start_events() if not self._events_on else False
        while not changed:
            changed = self._drain()
            remaining = deadline - time.monotonic()
            if changed or remaining <= 0:
                break
            # fileno() raises ConnectionClosedError once the server is gone, so a dead
            # connection never turns this into a busy loop.
            select.select([self._d.fileno()], [], [], remaining)
        return changed
