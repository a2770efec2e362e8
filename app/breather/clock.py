"""Time as the rest of Breather sees it: one seam, so tests can drive days in microseconds."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Wall time for what is stored, monotonic time for measuring intervals."""

    def now(self) -> datetime:
        """The current wall time, UTC-aware."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (suspend may pause it)."""
        ...


class SystemClock:
    """The real clocks of this machine."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that moves only when told; `jump_wall` changes the wall clock alone."""

    def __init__(self, start: datetime | None = None) -> None:
        self._wall = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._wall

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._wall += timedelta(seconds=seconds)
        self._mono += seconds

    def jump_wall(self, seconds: float) -> None:
        """Move only the wall clock, as NTP or a person changing the time would."""
        self._wall += timedelta(seconds=seconds)
