"""Runs the recorder loop on its own thread so tracking keeps its pace whatever the UI does."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from breather.files import UnsafeFile
from breather.monitor.base import BackendUnavailable
from breather.runtime.recorder import Recorder
from breather.settings.model import TrackingSettings
from breather.tracking.privacy import PrivacySettings

log = logging.getLogger(__name__)


class SamplerThread(QThread):
    """Owns the desktop connection and the span writer for the app's lifetime.

    Signals:
        stopped(str): the loop ended; the text says why when it was not asked to stop.
    """

    stopped = Signal(str)

    def __init__(self, make_recorder: Callable[[], Recorder]) -> None:
        """`make_recorder` runs on the sampler thread: open desktop connections there."""
        super().__init__()
        self.setObjectName("breather-sampler")
        self._make_recorder = make_recorder
        self._stop_requested = False
        self._recorder: Recorder | None = None
        self._lock = threading.Lock()
        self._settings: tuple[TrackingSettings, PrivacySettings] | None = None

    def run(self) -> None:
        reason = ""
        try:
            recorder = self._make_recorder()
            with self._lock:  # settings changed while the recorder was being made
                self._recorder = recorder
                if self._settings is not None:
                    recorder.apply_settings(*self._settings)
            reason = recorder.run(lambda: self._stop_requested) or ""
        except BackendUnavailable as why:
            reason = f"cannot see the desktop: {why}"
        except UnsafeFile as why:  # a planted link in the data folder: named, not followed
            reason = str(why)
        except Exception as error:  # a bug: log it, tell the person, keep the app open
            log.exception("the sampler stopped")
            reason = f"tracking stopped because of an error: {error}"
        self.stopped.emit(reason)

    def apply_settings(self, tracking: TrackingSettings, privacy: PrivacySettings) -> None:
        """New tracking and privacy settings: they apply from the next sample on."""
        with self._lock:
            self._settings = (tracking, privacy)
            if self._recorder is not None:
                self._recorder.apply_settings(tracking, privacy)

    def write_soon(self) -> None:
        """Have everything tracked so far in the database within a sample (about a second)."""
        if self._recorder is not None:
            self._recorder.write_soon()

    def stop(self, timeout_ms: int = 5000) -> None:
        """Ask the loop to finish (it flushes the open span) and wait for it."""
        self._stop_requested = True
        self.wait(timeout_ms)
