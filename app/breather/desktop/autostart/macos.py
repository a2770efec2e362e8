"""macOS: `~/Library/LaunchAgents/<APP_ID>.plist`, loaded by launchd at the next login; it is
never loaded now, which would start a second Breather (`launchctl` only clears a disable)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from breather import APP_ID
from breather.desktop.autostart.base import AutostartError, AutostartState, missing_program
from breather.desktop.entry import write_atomically

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=10)


class MacLaunchAgent:
    """`~/Library/LaunchAgents/<APP_ID>.plist`; `launchctl` is run through `run`."""

    def __init__(self, agents: Path, *, uid: int, run: Runner = _run) -> None:
        self.plist = agents / f"{APP_ID}.plist"
        self.domain = f"gui/{uid}"
        self.run = run

    def _disabled_by_launchd(self) -> bool:
        """Whether System Settings (Login Items) or `launchctl disable` switched the agent off."""
        try:
            done = self.run(["launchctl", "print-disabled", self.domain])
        except (OSError, subprocess.SubprocessError):
            return False
        for line in done.stdout.splitlines():
            label, _, value = line.strip().partition("=>")
            if label.strip().strip('"') == APP_ID:
                return value.strip() in ("disabled", "true")
        return False

    def status(self) -> AutostartState:
        import plistlib  # macOS only

        try:
            with self.plist.open("rb") as source:
                agent = plistlib.load(source)
        except FileNotFoundError:
            return AutostartState(False, str(self.plist))
        except (OSError, plistlib.InvalidFileException, ValueError) as error:
            return AutostartState(False, str(self.plist), note=f"unreadable ({error})")
        arguments = agent.get("ProgramArguments") if isinstance(agent, dict) else None
        command = [str(arg) for arg in arguments] if isinstance(arguments, list) else []
        if not command or not agent.get("RunAtLoad"):
            return AutostartState(False, str(self.plist), command)
        if self._disabled_by_launchd():
            return AutostartState(False, str(self.plist), command, "switched off in Login Items")
        return AutostartState(True, str(self.plist), command, missing_program(command))

    def enable(self, command: Sequence[str]) -> AutostartState:
        import plistlib  # macOS only

        agent = {
            "Label": APP_ID,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "KeepAlive": False,  # Quit means quit
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
        try:
            write_atomically(self.plist, plistlib.dumps(agent, sort_keys=True))
        except OSError as error:
            raise AutostartError(f"cannot write {self.plist}: {error}") from error
        # Clear an earlier "off" from Login Items; `enable` does not start anything now.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            self.run(["launchctl", "enable", f"{self.domain}/{APP_ID}"])
        return self.status()

    def disable(self) -> AutostartState:
        # Not `launchctl bootout`: launchd would stop this very Breather if it started it.
        try:
            self.plist.unlink(missing_ok=True)
        except OSError as error:
            raise AutostartError(f"cannot remove {self.plist}: {error}") from error
        return self.status()
