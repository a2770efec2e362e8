"""Sync rounds in the background of `breather track` (and the app), never in tracking's way.

Each round is `breather sync --quiet` in a child process: the tracker never imports the
database driver or waits on the network, and a round that hangs or dies costs nothing (rounds
are idempotent). A failed round is tried again after `RETRY_AFTER`, so a network that comes
back is noticed soon; a good one waits `every`.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from breather.settings.model import Settings

log = logging.getLogger("breather.sync")

#: Turns sync on, like `[sync] url`, and wins over it (the URL may hold a password).
SYNC_URL_ENV = "BREATHER_SYNC_URL"


def sync_url(settings: Settings) -> str:
    """The sync server's URL: BREATHER_SYNC_URL, else `[sync] url`; "" when sync is off."""
    return os.environ.get(SYNC_URL_ENV, "").strip() or settings.sync.url


#: Seconds before a failed round is tried again.
RETRY_AFTER = 60.0
#: A round still running after this long is ended (the next one carries on from the server).
ROUND_LIMIT = 600.0


class BackgroundSync:
    """Starts a round when one is due; `poll(now)` is cheap and never blocks."""

    def __init__(
        self,
        data_dir: Path,
        config_file: Path,
        db_url: str,
        every: float,
        *,
        first_after: float,
        on_synced: Callable[[], object] | None = None,
    ) -> None:
        """`on_synced` runs after each round that worked (other devices' time is in the
        database now); an error in it is logged, never raised into tracking."""
        self._command = [
            *(
                [sys.executable]
                if getattr(sys, "frozen", False)
                else [sys.executable, "-m", "breather"]
            ),
            "--data-dir",
            str(data_dir),
            "--config",
            str(config_file),
            "sync",
            "--quiet",
        ]
        self._db_url = db_url
        self.every = every
        self._due = first_after
        self._child: subprocess.Popen[str] | None = None
        self._started = 0.0
        self._on_synced = on_synced

    def poll(
        self, now: float, *, start: Callable[..., subprocess.Popen[str]] = subprocess.Popen
    ) -> None:
        """Start a round if one is due and none runs; note how the last one ended."""
        child = self._child
        if child is not None:
            code = child.poll()
            if code is None:
                if now - self._started > ROUND_LIMIT:
                    child.kill()
                    child.wait()
                    self._child = None
                    self._due = now + RETRY_AFTER
                return
            said = (child.stderr.read() if child.stderr else "").strip().splitlines()
            self._child = None
            if code == 0:
                self._due = now + self.every
                if self._on_synced is not None:
                    try:
                        self._on_synced()
                    except Exception:
                        log.exception("after a sync round")
            else:
                log.warning("sync failed: %s", said[-1] if said else f"exit status {code}")
                self._due = now + RETRY_AFTER
        if now < self._due:
            return
        # The database URL goes through the environment, never the command line.
        env = {**os.environ, "BREATHER_DB": self._db_url}
        self._started = now
        self._child = start(
            self._command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def close(self) -> None:
        """Let a running round finish on its own (it commits as it goes)."""
        self._child = None
