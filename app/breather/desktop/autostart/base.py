"""What every autostart backend offers, and what it reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class AutostartError(Exception):
    """Autostart cannot be changed (or read) here; the message says why."""


@dataclass(frozen=True, slots=True)
class AutostartState:
    enabled: bool
    #: The file or registry value that decides it.
    where: str
    #: The command the login session runs, when there is an entry.
    command: Sequence[str] = ()
    #: Anything the person should know: disabled elsewhere, a command that is gone.
    note: str = ""

    def describe(self) -> str:
        if self.enabled:
            text = f"on: {' '.join(self.command)} starts at login ({self.where})"
        else:
            text = f"off ({self.where})"
        return f"{text}; {self.note}" if self.note else text


class Autostart(Protocol):
    def status(self) -> AutostartState: ...

    def enable(self, command: Sequence[str]) -> AutostartState: ...

    def disable(self) -> AutostartState: ...


def missing_program(command: Sequence[str]) -> str:
    program = command[0] if command else ""
    if Path(program).is_absolute() and not Path(program).exists():
        return f"the program it starts is gone ({program}); `breather autostart on` fixes that"
    return ""
