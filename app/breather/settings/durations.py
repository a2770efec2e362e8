"""Durations as people write them in the config: "20s", "20m", "1h30m", "1.5h"."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(text: str) -> float:
    """Seconds in `text`; raises ValueError with a message fit for the person."""
    compact = text.strip().lower().replace(" ", "")
    if not compact:
        raise ValueError('empty duration (write it like "20s", "20m" or "1h30m")')
    pos = 0
    total = 0.0
    for match in _PART.finditer(compact):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(compact):
        raise ValueError(f'{text!r} is not a duration (write it like "20s", "20m" or "1h30m")')
    return total


def format_duration(seconds: float) -> str:
    """A short human form: "1h 05m", "12m", "4m 30s", "45s" (seconds only where they matter)."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes >= 10:
        return f"{minutes}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"
