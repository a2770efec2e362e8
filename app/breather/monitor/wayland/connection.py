"""One client connection to the Wayland compositor, as the sources in this package use it.

Connects, lists the globals, binds them with the generated bindings in `protocols`, and reads
events without busy-waiting: `wait_for_events` sleeps in select() on the display's socket.
Every failure of the connection becomes BackendUnavailable while opening and SourceLost after.
"""

from __future__ import annotations

import contextlib
import os
import select
from typing import Any

from breather.monitor.base import BackendUnavailable, SourceLost


def wayland_display_name() -> str:
    """The compositor socket the session names ($WAYLAND_DISPLAY); BackendUnavailable if none."""
    name = os.environ.get("WAYLAND_DISPLAY", "")
    if not name:
        raise BackendUnavailable(
            "WAYLAND_DISPLAY is not set, so there is no Wayland compositor to ask"
        )
    return name


class WaylandConnection:
    """A connected display and the globals the compositor offers (interface → name, version).

    Use from one thread at a time. `keep_registry=False` drops the registry once the globals
    are bound: pywayland finds the display for objects the compositor creates (such as
    wlr toplevel handles) through the first live registry in the process, so a connection
    that never receives such objects should not keep one and mislead that lookup.
    """

    def __init__(self, display_name: str | None = None, *, keep_registry: bool = True) -> None:
        try:
            from pywayland.client.display import Display
        except ImportError as exc:
            raise BackendUnavailable(
                f"pywayland is not installed ({exc}); it is needed to read Wayland desktops"
            ) from exc
        self.display_name = display_name or wayland_display_name()
        self._display: Any = Display(self.display_name)
        try:
            self._display.connect()
        except ValueError as exc:
            raise BackendUnavailable(
                f"cannot connect to the Wayland compositor at {self.display_name}"
            ) from exc
        self._keep_registry = keep_registry
        self.globals: dict[str, tuple[int, int]] = {}
        self._registry: Any = self._display.get_registry()
        self._registry.dispatcher["global"] = self._on_global
        self._closed = False
        try:
            self.roundtrip()
        except SourceLost as exc:
            self.close()
            raise BackendUnavailable(str(exc)) from exc

    @property
    def display(self) -> Any:
        """The pywayland Display, for the proxies the sources bind."""
        return self._display

    def _on_global(self, _registry: Any, name: int, interface: str, version: int) -> None:
        self.globals[interface] = (name, version)

    def bind(self, interface: type[Any], max_version: int) -> Any:
        """Bind the global `interface` (a generated Interface class), at most `max_version`."""
        name, offered = self.globals[interface.name]
        return self._registry.bind(name, interface, min(offered, max_version))

    def bind_seat(self) -> Any:
        """The first seat, bound with the generated wayland module the other bindings use."""
        from breather.monitor.wayland.protocols.wayland import WlSeat

        if WlSeat.name not in self.globals:
            raise BackendUnavailable(f"the compositor at {self.display_name} offers no seat")
        return self.bind(WlSeat, 1)

    def done_binding(self) -> None:
        """Binding is over; drop the registry unless this connection keeps one."""
        if not self._keep_registry:
            self._registry.destroy()
            self._registry = None

    def roundtrip(self) -> None:
        """Send what is queued and wait until the compositor has answered all of it."""
        if self._display.roundtrip() < 0:
            raise self.lost()

    def fileno(self) -> int:
        return int(self._display.get_fd())

    def wait_for_events(self, timeout: float, *, wake_fd: int | None = None) -> bool:
        """Dispatch what arrives within `timeout` s (0: only what is there); False if nothing.

        Returns early, False, when `wake_fd` becomes readable. Raises SourceLost when the
        compositor has closed the connection.
        """
        try:
            self._display.dispatch(block=False)  # events read earlier but not handled yet
            self._display.flush()
            fds = [self.fileno()] if wake_fd is None else [self.fileno(), wake_fd]
            ready, _, _ = select.select(fds, [], [], max(0.0, timeout))
            if self.fileno() not in ready:
                return False
            self._display.read()
            self._display.dispatch(block=False)
        except (RuntimeError, OSError, ValueError) as exc:
            raise self.lost() from exc
        return True

    def lost(self) -> SourceLost:
        return SourceLost(f"the Wayland compositor at {self.display_name} closed the connection")

    def close(self) -> None:
        """Disconnect; safe to call twice and after the compositor went away."""
        if self._closed:
            return
        self._closed = True
        self._registry = None
        with contextlib.suppress(RuntimeError, OSError, ValueError):
            self._display.disconnect()
