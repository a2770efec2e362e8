"""The seams between Breather and the desktop: what a window and idle source must offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class BackendUnavailable(Exception):
    """A backend cannot work on this desktop; the message says why, for `breather doctor`."""


class SourceLost(Exception):
    """A backend that worked has gone away for good (the X server quit); tracking must stop."""


@dataclass(frozen=True, slots=True)
class WindowInfo:
    """The window the person is using.

    `app` is what reports group by: the WM_CLASS class on X11, the process name where a
    desktop gives no class. `process` and `exe` are kept to tell apart two apps that share a
    class. `title` may be empty; it is never None so that equality means "same window".
    `pid` is the owning process where the desktop tells it (0 otherwise); it is never stored
    and plays no part in equality, so a restarted app is still the same app.
    """

    app: str
    title: str = ""
    process: str = ""
    exe: str = ""
    pid: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Sample:
    """One look at the desktop.

    `at` is UTC wall time, `mono` monotonic seconds (to tell a gap or a clock jump from
    normal progress), `window` None when no window has focus, `idle` seconds since the last
    keyboard or pointer input (0.0 when the desktop cannot tell). `own_window` says that one
    of Breather's own windows (a prompt, the break, the main window) is in front; `window`
    is then None: that time is neither use of an app nor leaving one.
    """

    at: datetime
    mono: float
    window: WindowInfo | None
    idle: float = 0.0
    own_window: bool = False


class WindowSource(Protocol):
    """Reads the active window; may wake a waiting sampler early when focus or title changes."""

    name: str

    def active_window(self) -> WindowInfo | None:
        """The focused window now, or None. Raises SourceLost when the desktop is gone."""
        ...

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to `timeout` seconds; True if focus or the title changed meanwhile."""
        ...

    def close(self) -> None: ...


class IdleSource(Protocol):
    """Reads how long the person has not touched keyboard or pointer, by polling (never hooks)."""

    name: str

    def idle_seconds(self) -> float:
        """Seconds since the last input. Raises SourceLost when the desktop is gone."""
        ...

    def close(self) -> None: ...
