"""The sampling loop: look at the desktop, track spans, hand them to the single writer.

No Qt and no threads of its own: `breather track` runs it on the main thread and the desktop
app on a worker thread. It stops when `should_stop` says so or the desktop goes away, and
always leaves the open span in the database.
"""

from __future__ import annotations

import errno
import logging
import queue
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from pathlib import Path

from breather.clock import Clock
from breather.monitor.base import IdleSource, Sample, SourceLost, WindowInfo, WindowSource
from breather.settings.live import LoadedSettings, SettingsFile
from breather.settings.model import TrackingSettings
from breather.store import Store
from breather.store.journal import JOURNAL_NAME, SpanJournal
from breather.store.sql import StoreError
from breather.store.writer import SpanWriter
from breather.tracking.privacy import PauseSwitch, PrivacyFilter, PrivacySettings
from breather.tracking.spans import Span, Tracker

log = logging.getLogger(__name__)

#: Focus and title events can arrive in bursts (a terminal retitling on every keystroke);
#: sampling at most this often keeps the cost flat without losing a switch for long.
MIN_SAMPLE_SPACING = 0.25

#: How often old data is deleted while tracking runs (it also runs when tracking starts).
RETENTION_EVERY = 6 * 3600.0

#: How often `breather track` looks whether the settings file changed (one `stat`).
SETTINGS_CHECK_EVERY = 2.0

#: Called after each sample with the spans it closed and the span still open (the boundary
#: coordinator's `observe`).
SampleListener = Callable[[Sample, list[Span], Span | None], None]

#: Whether a window is one of Breather's own (the app passes one; `breather track` has none).
OwnWindow = Callable[[WindowInfo], bool]


def max_gap(interval: float) -> float:
    """The longest pause between samples that is still one stretch of time (see Tracker)."""
    return max(5.0, 3 * interval)


def windows_of(pid: int, apps: Collection[str]) -> OwnWindow:
    """The windows of process `pid`; where the desktop tells no pid, those whose app (WM_CLASS
    class or Wayland app id) is one of `apps`."""
    names = frozenset(apps)

    def own(window: WindowInfo) -> bool:
        return window.pid == pid if window.pid else window.app in names

    return own


class Recorder:
    """Samples `windows` and `idle` every `interval` seconds and on change events."""

    def __init__(
        self,
        *,
        clock: Clock,
        windows: WindowSource,
        idle: IdleSource,
        tracker: Tracker,
        writer: SpanWriter,
        interval: float,
        sleep: Callable[[float], None],
        privacy: PrivacyFilter | None = None,
        pause: PauseSwitch | None = None,
        upkeep: Callable[[], object] | None = None,
        on_sample: SampleListener | None = None,
        own_window: OwnWindow | None = None,
        settings_file: SettingsFile | None = None,
        on_settings: Callable[[LoadedSettings], None] | None = None,
    ) -> None:
        """`privacy` decides what of each window may be recorded, `pause` when nothing may, and
        `upkeep` (deleting data past its keeping time) runs first and every `RETENTION_EVERY`.
        `on_sample` hears every sample after it is tracked (a failure there is logged only).
        `own_window` tells Breather's own windows: time in them is neither app use nor away,
        and the sample says so, so that a prompt in front is not leaving the app it is about.
        With `settings_file` the recorder reads it again when it changes, applies it, and
        tells `on_settings` (the desktop app watches the file itself and calls
        `apply_settings`)."""
        self._clock = clock
        self._windows = windows
        self._idle = idle
        self._tracker = tracker
        self._writer = writer
        self._interval = interval
        self._sleep = sleep
        self._privacy = privacy
        self._pause = pause
        self._upkeep = upkeep
        self._upkeep_at: float | None = None
        self._on_sample = on_sample
        self._own_window = own_window
        self._settings_file = settings_file
        self._on_settings = on_settings
        self._settings_checked = clock.monotonic()
        self._new_settings: queue.SimpleQueue[tuple[TrackingSettings, PrivacySettings]] = (
            queue.SimpleQueue()
        )
        self._write_soon = False
        self._cannot_save: str | None = None  # why the last flush failed, said once

    @classmethod
    def for_store(
        cls,
        store: Store,
        tracking: TrackingSettings,
        *,
        clock: Clock,
        windows: WindowSource,
        idle: IdleSource,
        sleep: Callable[[float], None],
        privacy: PrivacySettings | None = None,
        data_dir: Path | None = None,
        on_sample: SampleListener | None = None,
        own_window: OwnWindow | None = None,
        settings_file: SettingsFile | None = None,
        on_settings: Callable[[LoadedSettings], None] | None = None,
    ) -> Recorder:
        """The recorder `breather track` and the app run: it continues the stored history.

        `privacy` (default: the defaults) filters what is recorded and says how long it is kept;
        `data_dir` is where `breather pause` leaves its note (no pausing without it).
        """
        privacy = privacy or PrivacySettings()
        keep_days = privacy.keep_days
        # The writer first: it replays what a crashed run left in the journal, so the
        # tracker starts after all of it.
        journal = SpanJournal(data_dir / JOURNAL_NAME) if data_dir is not None else None
        writer = store.writer(journal=journal)
        floor, taken = store.history_bounds(clock.now())
        if taken:
            ahead = sum((end - start).total_seconds() for start, end in taken)
            log.warning(
                "%.0f s of stored history is dated after now (%s, the clock's time): a clock "
                "that ran ahead, or an imported event from the future. Tracking goes on and "
                "will not overlap it.",
                ahead,
                clock.now().isoformat(timespec="seconds"),
            )
        tracker = Tracker(
            idle_after=tracking.idle_after,
            max_gap=max_gap(tracking.interval),
            not_before=floor,
            taken=taken,
        )
        return cls(
            clock=clock,
            windows=windows,
            idle=idle,
            tracker=tracker,
            writer=writer,
            interval=tracking.interval,
            sleep=sleep,
            privacy=PrivacyFilter(privacy),
            pause=PauseSwitch(data_dir) if data_dir is not None else None,
            upkeep=_retention(store, keep_days, clock) if keep_days else None,
            on_sample=on_sample,
            own_window=own_window,
            settings_file=settings_file,
            on_settings=on_settings,
        )

    def apply_settings(self, tracking: TrackingSettings, privacy: PrivacySettings) -> None:
        """New settings, from any thread: they apply from the next sample on."""
        self._new_settings.put((tracking, privacy))

    def step(self) -> None:
        """Take one sample and write if a flush is due. Raises SourceLost if the desktop quit."""
        self._check_settings_file()
        self._take_new_settings()
        if self._upkeep is not None:
            self._maybe_upkeep()
        withheld = self._privacy is not None and self._privacy.records_nothing
        if withheld or (
            self._pause is not None
            and self._pause.paused(self._clock.now(), self._clock.monotonic())
        ):
            # Paused (or the settings cannot say what is private): the desktop is not even
            # looked at; what was open ends where last seen and is written at once, so
            # `breather forget` can run safely during the pause.
            mono = self._clock.monotonic()
            if self._tracker.open_span is not None:
                self._writer.record(self._tracker.close())
                self._flush(mono, force=True)
            elif self._writer.due(mono):
                self._flush(mono)
            self._writer.forget_ids()  # `breather forget` may delete rows during a pause
            return
        try:
            window = self._windows.active_window()
            idle = self._idle.idle_seconds()
        except SourceLost:
            raise
        except Exception:  # a transient read error: this tick is lost, the next one retries
            log.warning("could not read the desktop this time; retrying", exc_info=True)
            return
        own = window is not None and self._own_window is not None and self._own_window(window)
        if own:
            window = None
        elif self._privacy is not None:
            window = self._privacy.apply(window)
        sample = Sample(self._clock.now(), self._clock.monotonic(), window, idle, own)
        closed = self._tracker.feed(sample)
        self._writer.record(closed)
        if self._write_soon or self._writer.due(sample.mono):
            force, self._write_soon = self._write_soon, False
            self._flush(sample.mono, force=force)
        if self._on_sample is not None:
            try:
                self._on_sample(sample, closed, self._tracker.open_span)
            except Exception:  # reminders failing must never stop tracking
                log.exception("the sample listener failed")

    def run(self, should_stop: Callable[[], bool]) -> str | None:
        """Sample until `should_stop()`; returns why it stopped early (desktop gone) or None."""
        try:
            while not should_stop():
                started = self._clock.monotonic()
                self.step()
                if should_stop():
                    break
                if self._windows.wait_for_change(self._interval):
                    spent = self._clock.monotonic() - started
                    if spent < MIN_SAMPLE_SPACING:
                        self._sleep(MIN_SAMPLE_SPACING - spent)
        except SourceLost as lost:
            return str(lost)
        finally:
            self.finish()
        return None

    def _check_settings_file(self) -> None:
        if self._settings_file is None:
            return
        mono = self._clock.monotonic()
        if mono - self._settings_checked < SETTINGS_CHECK_EVERY:
            return
        self._settings_checked = mono
        loaded = self._settings_file.reload_if_changed()
        if loaded is None:
            return
        self.apply_settings(loaded.settings.tracking, loaded.settings.privacy)
        if self._on_settings is not None:
            try:
                self._on_settings(loaded)
            except Exception:  # telling the person must never stop tracking
                log.exception("the settings listener failed")

    def _take_new_settings(self) -> None:
        latest = None
        while True:
            try:
                latest = self._new_settings.get_nowait()
            except queue.Empty:
                break
        if latest is None:
            return
        tracking, privacy = latest
        self._interval = tracking.interval
        self._tracker.idle_after = tracking.idle_after
        self._tracker.max_gap = max_gap(tracking.interval)
        if self._privacy is not None:
            self._privacy = PrivacyFilter(privacy)

    def _maybe_upkeep(self) -> None:
        assert self._upkeep is not None
        mono = self._clock.monotonic()
        if self._upkeep_at is not None and mono - self._upkeep_at < RETENTION_EVERY:
            return
        self._upkeep_at = mono
        try:
            self._upkeep()
            self._writer.forget_ids()  # retention may have deleted apps and titles
        except StoreError as error:  # tracking matters more; the next round tries again
            log.warning("could not delete old data this time (%s); will retry", error)
            log.debug("retention failed", exc_info=True)

    def finish(self) -> None:
        """Close the open span where it was last seen and write everything (a clean exit)."""
        self._writer.record(self._tracker.close())
        self._flush(self._clock.monotonic(), force=True)
        self._writer.close()

    def write_soon(self) -> None:
        """Have the next sample write everything to the database (the app is about to show
        it); safe to call from another thread."""
        self._write_soon = True

    def _flush(self, mono: float, *, force: bool = False) -> None:
        try:
            self._writer.flush(self._tracker.open_span, mono, force=force)
        except (StoreError, OSError) as error:
            # The writer keeps what it could not write and tries again at the next flush; a
            # full disk must not end tracking, and is said once, not at every flush.
            if self._cannot_save is None:
                self._cannot_save = _why_not_saved(error)
                log.error(
                    "%s; what is tracked is kept in memory and saved as soon as it can be",
                    self._cannot_save,
                )
            log.debug("the flush failed", exc_info=True)
            return
        if self._cannot_save is not None:
            log.warning("saving works again: everything tracked meanwhile is saved")
            self._cannot_save = None


def _retention(store: Store, keep_days: int, clock: Clock) -> Callable[[], object]:
    """Deleting data past its keeping time, on a clock it has no reason to doubt.

    The first round trusts the clock only as far as the stored history agrees with it
    (`apply_retention`); each later round moves the time it deletes up to on by no more than
    the monotonic time measured since the round before, so a wall clock that jumps ahead
    during a run never deletes days at once (suspend, which monotonic time skips, only
    delays deletion until the next start).
    """
    from breather.store.maintenance import apply_retention

    vouched: tuple[datetime, float] | None = None
    said: set[str] = set()

    def upkeep() -> object:
        nonlocal vouched
        now, mono = clock.now(), clock.monotonic()
        if vouched is not None:
            since_wall, since_mono = vouched
            now = min(now, since_wall + timedelta(seconds=max(0.0, mono - since_mono)))
        vouched = (now, mono)
        done = apply_retention(store.db, keep_days, now)
        if done.held_back and done.held_back not in said:
            said.add(done.held_back)
            log.warning("kept old data for now: %s", done.held_back)
        return done

    return upkeep


def _why_not_saved(error: Exception) -> str:
    text = str(error)
    if getattr(error, "errno", None) == errno.ENOSPC or "disk is full" in text:
        return "the disk is full"
    return f"could not save what was tracked ({text})"
