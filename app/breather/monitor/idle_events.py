"""Idle time from "idle since T" events, for desktops that announce idleness instead of
answering "how long?".

Wayland's ext-idle-notify and KDE idle protocols and Mutter's idle watches say only "no input
for at least T" (one notification per T asked for) and "input again". Tracking and the rules
poll `idle_seconds()`, and only ever compare it with a few thresholds: `idle_after` (away),
the pause in typing a break waits for, each break's rest threshold. Asking for one
notification per threshold makes the polled value exact wherever it is compared: after the
largest fired threshold T, fired at monotonic time m, idle is `T + (now - m)`; before the
first, it is 0. Nothing here hooks input: the desktop sends two events per pause, whatever
the person types.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

#: The smallest threshold worth asking for: a notification per keystroke pause below this
#: would wake Breather during normal typing.
MIN_THRESHOLD = 1.0


def idle_thresholds(*seconds: float | Iterable[float]) -> tuple[float, ...]:
    """The distinct thresholds to ask the desktop for, ascending, each at least a second."""
    flat: list[float] = []
    for value in seconds:
        flat.extend([value] if isinstance(value, int | float) else value)
    return tuple(sorted({max(MIN_THRESHOLD, float(value)) for value in flat if value > 0}))


class IdleFromEvents:
    """Turns "idle for at least T" and "active again" events into polled idle seconds.

    Thread-safe: a backend's event thread calls `idled` and `resumed`, the sampler calls
    `idle_seconds`. `monotonic` is injected so tests can step time.
    """

    def __init__(
        self,
        thresholds: Iterable[float],
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.thresholds = idle_thresholds(thresholds)
        if not self.thresholds:
            raise ValueError("at least one idle threshold is needed")
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._fired: tuple[float, float] | None = None  # (threshold, monotonic time it fired)

    def idled(self, threshold: float) -> None:
        """The desktop says there has been no input for at least `threshold` seconds."""
        now = self._monotonic()
        with self._lock:
            if self._fired is None or threshold >= self._fired[0]:
                self._fired = (threshold, now)

    def resumed(self) -> None:
        """Input again: idle is 0 until the next threshold fires."""
        with self._lock:
            self._fired = None

    def idle_seconds(self) -> float:
        with self._lock:
            fired = self._fired
        if fired is None:
            return 0.0
        threshold, at = fired
        return threshold + max(0.0, self._monotonic() - at)
