"""Wires the desktop app together once: store, sampler thread, window, pages and tray.

`run_app` is what `breather` with no subcommand runs. A second launch finds the first one's
lock, asks it to come forward by touching a file it watches (no sockets are opened), and exits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QFileSystemWatcher, QObject, QSocketNotifier, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from breather import APP_ID, APP_NAME, __version__
from breather.categories.catalogue import Categorizer
from breather.clock import Clock, SystemClock
from breather.desktop.entry import WINDOW_CLASS
from breather.files import UnsafeFile
from breather.notify.presenter import spoken
from breather.resources import resource
from breather.rules.policy import Policy
from breather.runtime.recorder import Recorder, SampleListener, windows_of
from breather.runtime.sampler import SamplerThread
from breather.settings.durations import format_duration
from breather.settings.live import LoadedSettings, SettingsFile
from breather.settings.model import Settings
from breather.settings.paths import (
    TRACKER_LOCK,
    WELCOMED_MARKER,
    Paths,
    ensure_private_dir,
    hold_lock,
)
from breather.settings.writer import ConfigWriteError
from breather.store import Store
from breather.store.queries import day_range, summarize
from breather.tracking import privacy
from breather.ui import theme
from breather.ui.binding import forget_module_sources, read_sources_quickly
from breather.ui.context import AppContext
from breather.ui.main_window import MainWindow
from breather.ui.tray import Tray

if TYPE_CHECKING:
    from breather.monitor.base import Sample
    from breather.notify.base import Notifier
    from breather.runtime.boundaries import BoundaryRuntime
    from breather.tracking.spans import Span
    from breather.ui.checkin import CheckinPrompter
    from breather.ui.reflection import WeeklyNote
    from breather.ui.selfhelp import SelfHelpPage
    from breather.ui.settings import SettingsPage
    from breather.ui.today import TodayPage
    from breather.ui.trends import TrendsPage
    from breather.ui.warmup import CategoryWarmup
    from breather.ui.weekly import WeekPage
    from breather.ui.welcome import WelcomeDialog

log = logging.getLogger(__name__)

APP_LOCK = "app.lock"
RAISE_REQUEST = "raise-request"
STATUS_EVERY_MS = 60_000
#: How often the app looks whether a background sync round is due, and seconds before the
#: first (what was recorded away from the server goes soon after the start).
SYNC_POLL_MS = 10_000
SYNC_FIRST_AFTER = 30.0
#: How long after asking the sampler to write the page is drawn again (a sample is ≤ 1 s).
CATCH_UP_MS = 1500
QUIET_STATUS = "Tracking quietly. Nothing leaves this machine."
#: Present once the person was told that closing the window leaves Breather in the tray.
TRAY_HINT_MARKER = "told-about-tray"
#: A burst of writes to the settings file (an editor's save) is read once, this long after.
SETTINGS_SETTLE_MS = 250
#: The self-help region the person picked by hand (absent: follow the system locale).
REGION_FILE = "self-help-region"


class BreatherApp(QObject):
    """The running app. Build it with everything it needs; `start()` shows it."""

    def __init__(
        self,
        *,
        store: Store,
        settings: Settings,
        paths: Paths,
        clock: Clock,
        tray_available: bool,
        track: bool = True,
        notifier: Notifier | None = None,
        settings_file: SettingsFile | None = None,
    ) -> None:
        """`track` starts the sampler and the boundaries (breaks, limits, prompts); tests
        build the app without them, or with a recording `notifier` instead of D-Bus.
        With `settings_file` (whose `current` is `settings`), a change to the file on disk
        applies at once."""
        super().__init__()
        read_sources_quickly()  # before the pages' own imports (the charts': ~270 modules)
        one_blas_thread()  # before numpy is first imported, once the window is open
        self.store = store
        self.settings_file = settings_file
        self.context = AppContext(
            store.db, settings, paths, clock, Categorizer(settings.categories)
        )
        self.icon = QIcon(str(resource("icons", "breather.svg")))
        self.window = MainWindow(self.icon, hide_on_close=tray_available)
        self.window.setStyleSheet(theme.STYLE)
        self.window.add_page("Today", self._make_today, "1")
        self.window.add_page("This week", self._make_week, "2")
        self.window.add_page("Trends", self._make_trends, "3")
        self.window.add_page("Support", self._make_support, "4")
        self.window.add_page("Settings", self._make_settings, "5")
        # With the window open, the last weeks' categories are named while it sits idle, so
        # the week and Trends find them known (a rule change starts it again).
        self.warmup: CategoryWarmup | None = None
        self.window.shown.connect(lambda: self.warm_up(after_paint_of=self.window.pages))
        self.window.hidden.connect(lambda: self.warmup.stop() if self.warmup else None)
        self.tray = Tray(self.icon) if tray_available else None
        self.sampler: SamplerThread | None = None
        self.boundaries: BoundaryRuntime | None = None
        self.checkins: CheckinPrompter | None = None
        self.weekly_note: WeeklyNote | None = None
        self._closers: list[Callable[[], object]] = []
        self._tracker_lock: object | None = None
        self._tracking_note = ""
        #: What the window source says the person could allow for full tracking (macOS
        #: Accessibility for titles); asked again at each status refresh, so it goes away once
        #: allowed.
        self._source_notice: Callable[[], str | None] | None = None
        self._quitting = False
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_EVERY_MS)
        self._status_timer.timeout.connect(self.update_status)
        self._track = track
        self._sync_timer = QTimer(self)  # looks whether a sync round is due
        self._sync_timer.setInterval(SYNC_POLL_MS)
        if self.tray is not None:
            self.tray.open_requested.connect(self.show_window)
            self.tray.quit_requested.connect(self.quit)
            self.tray.self_help_requested.connect(self.show_self_help)
            self.tray.checkin_requested.connect(self.check_in_now)
            self.tray.pause_requested.connect(self.pause)
            self.tray.resume_requested.connect(self.resume)
            self.tray.break_requested.connect(self.take_break_now)
        self.window.tracking_banner.fix_requested.connect(self._install_gnome_extension)
        self.window.hidden_to_tray.connect(self._hidden_to_tray)
        self._settings_watcher: QFileSystemWatcher | None = None
        if settings_file is not None:
            self.context.settings_state = settings_file.current
            self.window.show_settings_problems(settings_file.current)
            self._settings_watcher = _watch_settings(
                settings_file.path, self.reload_settings, owner=self.window
            )
        if track:
            self.start_boundaries(notifier)
            self._start_tracking()

    # Pages are built on first show, and their modules imported then too (see MainWindow).

    @property
    def today(self) -> TodayPage:
        return cast("TodayPage", self.window.page("Today"))

    @property
    def week(self) -> WeekPage:
        return cast("WeekPage", self.window.page("This week"))

    @property
    def support(self) -> SelfHelpPage:
        return cast("SelfHelpPage", self.window.page("Support"))

    def _make_today(self) -> QWidget:
        from breather.ui.today import TodayPage

        return TodayPage(self.context)

    def _make_week(self) -> QWidget:
        from breather.ui.weekly import WeekPage

        return WeekPage(self.context)

    def _make_trends(self) -> QWidget:
        from breather.ui.trends import TrendsPage

        return TrendsPage(
            self.context,
            device_id=self.store.device_id,
            on_experiments_changed=self.experiments_changed,
        )

    @property
    def trends(self) -> TrendsPage:
        return cast("TrendsPage", self.window.page("Trends"))

    @property
    def settings_page(self) -> SettingsPage:
        return cast("SettingsPage", self.window.page("Settings"))

    def _make_settings(self) -> QWidget:
        from breather.categories.catalogue import load_catalogue
        from breather.ui.settings import SettingsPage

        return SettingsPage(self.context, load_catalogue().names, on_saved=self.apply_settings)

    def warm_up(self, *, after_paint_of: QWidget | None = None) -> None:
        """Load the charts and name the last weeks' categories while nothing else is going on
        (`ui.warmup`): once the window shown is painted, and when the weekly note invites to
        open the week."""
        if self.warmup is None:
            from breather.ui.warmup import CategoryWarmup  # with the window, not in the tray

            self.warmup = CategoryWarmup(self.context, self)
        self.warmup.start(after_paint_of=after_paint_of)

    def apply_settings(self, settings: Settings) -> None:
        """New settings saved from the Settings page: everything follows at once."""
        self.apply_loaded(LoadedSettings(settings))

    def apply_loaded(self, loaded: LoadedSettings) -> None:
        """Settings as read from the file, with its problems: tracking, privacy, categories,
        boundaries and the open page follow at once, and the problems are shown."""
        settings = loaded.settings
        self.context.settings = settings
        self.context.settings_state = loaded
        self.context.categorizer = Categorizer(settings.categories)
        if self.window.isVisible():
            self.warm_up()
        if self.boundaries is not None:
            self.boundaries.coordinator.set_policy(
                self.current_policy(), self.context.categorizer.category
            )
        if self.sampler is not None:
            self.sampler.apply_settings(settings.tracking, settings.privacy)
        if self.checkins is not None:
            self.checkins.set_policy(settings.checkin, settings.tracking.day_starts)
        if self.weekly_note is not None:
            self.weekly_note.set_policy(settings.reflection)
        self.window.show_settings_problems(loaded)
        self.update_status()
        if self.window.isVisible():
            self.window.refresh_current()

    def current_policy(self) -> Policy:
        """The boundaries to apply now: the settings with any running experiment in them."""
        from breather.runtime.coordinator import policy_with_experiments

        return policy_with_experiments(self.context.settings, self.store, self.context.clock.now())

    def experiments_changed(self) -> None:
        """An experiment was started or ended (here, or elsewhere: the status refresh asks
        once a minute), or one's days ran out: the boundaries follow."""
        if self.boundaries is None:
            return
        policy = self.current_policy()
        if policy != self.boundaries.coordinator.policy:
            self.boundaries.coordinator.set_policy(policy)

    def reload_settings(self) -> None:
        """The settings file changed on disk: read it again and apply what changed."""
        if self.settings_file is None:
            return
        loaded = self.settings_file.reload_if_changed()
        if loaded is not None:
            self.apply_loaded(loaded)

    def _make_support(self) -> QWidget:
        from breather.support.catalogue import default_catalogue
        from breather.ui.selfhelp import SelfHelpPage

        page = SelfHelpPage(default_catalogue(), self._saved_region())
        page.region_changed.connect(self._save_region)
        return page

    def start(self, *, show_window: bool) -> None:
        if self.tray is not None:
            self.tray.show()
        if show_window or self.tray is None:
            self.show_window()
        self.update_status()
        self._status_timer.start()
        if self._track:
            self._start_background_sync()
        if not (self.context.paths.data_dir / WELCOMED_MARKER).exists():
            self.welcome()

    def welcome(self) -> WelcomeDialog:
        """Show the first-run welcome over the window; its choices are saved when it closes."""
        from breather.ui.welcome import WelcomeDialog  # the first run only

        self.show_window()
        dialog = WelcomeDialog(self.context.settings, self.window)
        dialog.finished.connect(lambda _result: self._welcomed(dialog))
        dialog.open()
        return dialog

    def _welcomed(self, dialog: WelcomeDialog) -> None:
        if self._quitting:
            return  # closed by quitting, never answered: welcome again at the next start
        from breather.desktop.autostart.base import AutostartError
        from breather.ui.welcome import apply_welcome

        paths = self.context.paths
        try:
            apply_welcome(dialog.choices(), paths.config_file, paths.data_dir)
        except (ConfigWriteError, AutostartError) as why:
            self._tracking_note = str(why)
            self.update_status()
        self.reload_settings()  # the choices apply now, not at the next start

    def show_window(self) -> None:
        self.window.bring_to_front()
        self._catch_up()

    def _catch_up(self) -> None:
        """The sampler writes the last minutes it holds in its journal; the open page is
        drawn again once they are in the database (a sample or so later)."""
        if self.sampler is not None:
            self.sampler.write_soon()
            QTimer.singleShot(CATCH_UP_MS, self.window.refresh_current)

    def pause(self, minutes: int | None) -> None:
        """Pause tracking for `minutes`, or until the person's next day starts (None)."""
        now = self.context.now()
        if minutes is None:
            starts = self.context.settings.tracking.day_starts
            until = day_range(self.context.today(), starts)[1]
        else:
            until = now + timedelta(minutes=minutes)
        privacy.pause_until(self.context.paths.data_dir, until)
        self.update_status()

    def resume(self) -> None:
        privacy.resume(self.context.paths.data_dir)
        self.update_status()

    def paused_until(self) -> datetime | None:
        """When the current pause ends (a far date for "until resumed"); None if not paused."""
        paused, until = privacy.read_pause(self.context.paths.data_dir)
        if not paused:
            return None
        if until is None:
            return datetime.max.replace(tzinfo=UTC)
        return until.astimezone() if until > self.context.now() else None

    def start_boundaries(self, notifier: Notifier | None = None) -> BoundaryRuntime:
        """Breaks, limits, quiet hours and intention prompts: windows on this desktop, and
        desktop notifications (or the tray's balloon where there is no notification server)."""
        from breather.monitor.x11.fullscreen import open_fullscreen_probe
        from breather.notify.fallback import FallbackNotifier
        from breather.notify.freedesktop import ReconnectingNotifier
        from breather.notify.presenter import NotificationPresenter
        from breather.notify.tray import TrayNotifier
        from breather.runtime.boundaries import BoundaryRuntime
        from breather.runtime.coordinator import BoundaryCoordinator, seed_other_devices
        from breather.store.boundaries import BoundaryLog
        from breather.ui.break_window import BreakScreens
        from breather.ui.prompts import PromptPresenter

        settings, clock = self.context.settings, self.context.clock
        if notifier is None:
            freedesktop = ReconnectingNotifier(say=log.info)
            self._closers.append(freedesktop.shutdown)
            notifier = (
                FallbackNotifier(freedesktop, TrayNotifier(self.tray.icon))
                if self.tray is not None
                else freedesktop
            )
        probe = open_fullscreen_probe()
        if probe is not None:
            self._closers.append(probe.close)
        policy = self.current_policy()
        from breather.ui.checkin import CheckinPrompter, RecordTee

        checkins = CheckinPrompter(
            self.store.db,
            self.store.device_id,
            clock,
            policy=settings.checkin,
            day_starts=settings.tracking.day_starts,
            parent=self,
        )
        checkins.support_requested.connect(self.show_self_help)
        checkins.stop_requested.connect(self._stop_checkins)
        self._closers.append(checkins.close)
        self.checkins = checkins
        coordinator = BoundaryCoordinator(
            policy,
            clock=clock,
            categorize=self.context.categorizer.category,
            # Movement breaks taken are the check-in's moment for those who chose it.
            log=RecordTee(BoundaryLog(self.store.db, self.store.device_id), checkins),
            fullscreen=probe.fullscreen if probe is not None else None,
            do_not_disturb=notifier.do_not_disturb,
        )
        runtime = BoundaryRuntime(coordinator, self)
        screens = BreakScreens(runtime.answer)
        prompts = PromptPresenter(runtime.answer)
        for presenter in (screens, prompts):
            presenter.help_requested.connect(self.show_self_help)
            coordinator.add_presenter(presenter)
        from breather.ui.reflection import SharedNotifier, WeeklyNote

        shared = SharedNotifier(notifier)
        coordinator.add_presenter(NotificationPresenter(shared, runtime.submit, windows=True))
        self.weekly_note = WeeklyNote(self.context, shared, clock, settings.reflection, self)
        self.weekly_note.open_week.connect(self.show_week)
        # The week it opens needs the last twelve weeks' categories: named while it waits.
        self.weekly_note.sent_note.connect(self.warm_up)
        self._closers.append(self.weekly_note.close)
        today = policy.day_of(clock.now())
        bounds = policy.day_bounds(today)
        mine = [self.store.device_id]
        totals = summarize(self.store.db, *bounds, "title", device_ids=mine).totals
        coordinator.seed_today(today, ((t.app or "", t.key, t.seconds) for t in totals))
        seed_other_devices(coordinator, self.store, clock)
        self._presenters = (screens, prompts)  # they own the windows: keep them alive
        self.boundaries = runtime
        return runtime

    def check_in_now(self) -> None:
        """The tray's "How am I feeling?": the check-in, whenever the person wants it."""
        if self.checkins is not None:
            self.checkins.ask_now()

    def show_week(self) -> None:
        """The weekly note's "Open the week": the window, on this week."""
        self.window.show_page(self.window.page_index("This week"))
        self.show_window()

    def _stop_checkins(self) -> None:
        """ "Stop asking" after skips: check-ins are turned off in the settings file."""
        from breather.settings.writer import update_config

        try:
            update_config(self.context.paths.config_file, {("checkin", "ask"): False})
        except ConfigWriteError as why:
            self._tracking_note = str(why)
            self.update_status()
        if self.settings_file is not None:
            self.reload_settings()
        else:  # no file is watched: what was asked applies all the same
            settings = self.context.settings
            self.apply_settings(replace(settings, checkin=replace(settings.checkin, ask=False)))

    def take_break_now(self, kind: str = "movement") -> None:
        """The tray's "Take a break now": the break the person chose, on their terms."""
        if self.boundaries is not None:
            self.boundaries.take_break_now("eyes" if kind == "eyes" else "movement")

    def next_break_in(self) -> float | None:
        """Seconds of screen time until the next break, or None without break reminders."""
        if self.boundaries is None:
            return None
        coordinator = self.boundaries.coordinator
        waits = [
            max(0.0, rule.every - coordinator.state.timer(rule.kind).committed)
            for rule in coordinator.policy.breaks.rules()
        ]
        return min(waits) if waits else None

    def show_self_help(self) -> None:
        """Crisis lines and self-help, one click from the tray and from every prompt."""
        self.window.show_page(self.window.page_index("Support"))
        self.show_window()

    def _saved_region(self) -> str | None:
        try:
            saved = (self.context.paths.data_dir / REGION_FILE).read_text(encoding="utf-8")
        except OSError:
            return None  # never chosen: the page follows the system locale
        return saved.strip() or None

    def _save_region(self, code: str) -> None:
        target = self.context.paths.data_dir / REGION_FILE
        with contextlib.suppress(OSError):  # a lost preference is not worth an error dialog
            target.write_text(code + "\n", encoding="utf-8")
            target.chmod(0o600)

    def update_status(self) -> None:
        """Refresh the tooltip and status line with today's time."""
        self.experiments_changed()
        start, end = day_range(self.context.today(), self.context.settings.tracking.day_starts)
        active = summarize(self.context.db, start, end).active_seconds
        text = f"{APP_NAME}\nToday: {format_duration(active)} at the screen"
        wait = self.next_break_in()
        if wait is not None:
            text += f"\nNext break in {format_duration(wait) if wait >= 60 else 'under a minute'}"
        paused = self.paused_until()
        note = self._tracking_note or self._notice_of_source()
        if paused is not None:
            forever = paused.year == datetime.max.year
            until = "until you resume" if forever else f"until {paused:%H:%M}"
            note = f"Tracking is paused {until}."
        if note:
            text += f"\n{note}"
        if self.tray is not None:
            self.tray.set_status(text, paused)
            breaks = self.context.settings.breaks
            self.tray.set_break_lengths(
                spoken(breaks.eyes.duration), spoken(breaks.movement.duration)
            )
        if self.window.isVisible():
            self._catch_up()  # an open page keeps up with the day
        self.window.status.setText(note or QUIET_STATUS)

    def _start_background_sync(self) -> None:
        """Sync rounds in child processes while the app runs, when a server is set."""
        from breather.runtime.background_sync import BackgroundSync, sync_url

        settings = self.context.settings
        if not sync_url(settings):
            return
        paths = self.context.paths
        background = BackgroundSync(
            paths.data_dir,
            paths.config_file,
            paths.db_url,
            settings.sync.every,
            first_after=time.monotonic() + SYNC_FIRST_AFTER,
            on_synced=self._synced,
        )
        self._sync_timer.timeout.connect(lambda: background.poll(time.monotonic()))
        self._closers.append(background.close)
        self._sync_timer.start()

    def _synced(self) -> None:
        """After a sync round: the limits count the other devices' time as it is now, and the
        open page shows it."""
        if self.boundaries is not None:
            from breather.runtime.coordinator import seed_other_devices

            seed_other_devices(self.boundaries.coordinator, self.store, self.context.clock)
        if self.window.isVisible():
            self.window.refresh_current()

    def _notice_of_source(self) -> str:
        if self._source_notice is None:
            return ""
        try:
            notice = self._source_notice()
        except Exception:  # a status line is not worth a crash
            log.debug("the window source's notice failed", exc_info=True)
            return ""
        return notice[:1].upper() + notice[1:] + "." if notice else ""

    def quit(self) -> None:
        self._quitting = True
        self._status_timer.stop()
        self._sync_timer.stop()
        if self.warmup is not None:
            self.warmup.stop()
        if self.boundaries is not None:
            self.boundaries.stop()
        for close in self._closers:
            with contextlib.suppress(Exception):  # quitting goes on whatever a backend says
                close()
        if self.sampler is not None:
            self.sampler.stop()
            self.sampler = None
        if self.tray is not None:
            self.tray.hide()
        self.store.close()
        QApplication.quit()

    def _start_tracking(self) -> None:
        paths = self.context.paths
        try:
            self._tracker_lock = hold_lock(paths.data_dir / TRACKER_LOCK)
        except UnsafeFile as why:
            self._tracking_note = f"Not tracking: {why}"
            return
        if self._tracker_lock is None:
            self._tracking_note = (
                "Another Breather process is tracking; this window shows its data."
            )
            return
        store, tracking, clock = self.store, self.context.settings.tracking, self.context.clock
        privacy = self.context.settings.privacy
        thresholds = self.context.settings.idle_thresholds()
        on_sample = self.boundaries.on_sample if self.boundaries is not None else None

        def make_recorder() -> Recorder:
            from breather.monitor.select import open_desktop

            windows, idle = open_desktop(idle_thresholds=thresholds)
            if hasattr(windows, "notice"):
                self._source_notice = lambda: getattr(windows, "notice", None)
            listener: SampleListener | None = on_sample
            asks = getattr(windows, "fullscreen", None)
            if asks is not None and listener is not None and self.boundaries is not None:
                listener = self._fullscreen_from(asks, listener, self.boundaries)
            recorder = Recorder.for_store(
                store,
                tracking,
                clock=clock,
                windows=windows,
                idle=idle,
                sleep=time.sleep,
                privacy=privacy,
                data_dir=paths.data_dir,
                on_sample=listener,
                own_window=windows_of(os.getpid(), (WINDOW_CLASS, APP_ID)),
            )
            forget_module_sources()  # this thread's imports (the desktop backend) are done
            return recorder

        self.sampler = SamplerThread(make_recorder)
        self.sampler.stopped.connect(self._sampler_stopped)
        self.sampler.start()

    @staticmethod
    def _fullscreen_from(
        asks: Callable[[], bool], on_sample: SampleListener, boundaries: BoundaryRuntime
    ) -> SampleListener:
        """On Wayland the window source knows whether the window in front is fullscreen, but
        only its own thread may ask it: ask there, when a break is near, and let the
        coordinator read the answer."""
        seen = [False]
        coordinator = boundaries.coordinator

        def listen(sample: Sample, closed: list[Span], open_span: Span | None) -> None:
            if coordinator.state.wants_desktop_state:
                try:
                    seen[0] = asks()
                except Exception:  # a desktop that cannot tell is not fullscreen
                    seen[0] = False
            on_sample(sample, closed, open_span)

        coordinator.set_fullscreen(lambda: seen[0])
        return listen

    def _sampler_stopped(self, reason: str) -> None:
        if reason:
            log.warning("tracking stopped: %s", reason)
            self._tracking_note = f"Not tracking: {reason}"
            self.update_status()
            self.show_tracking_problem(reason)

    def _hidden_to_tray(self) -> None:
        """The first time the window is closed, say that Breather goes on in the tray."""
        told = self.context.paths.data_dir / TRAY_HINT_MARKER
        if self.tray is None or told.exists():
            return
        self.tray.icon.showMessage(
            APP_NAME,
            "Breather goes on in the tray, counting quietly. Quit it from the tray's menu.",
            self.icon,
            8000,
        )
        with contextlib.suppress(OSError):
            told.touch(mode=0o600)

    def show_tracking_problem(self, reason: str) -> None:
        """Say above every page why nothing is tracked; on GNOME, offer the one fix."""
        gnome = "install-gnome-extension" in reason
        text = f"Breather is not tracking: {reason}."
        if gnome:
            text = (
                "Breather cannot see your windows yet: on GNOME it needs its small Shell "
                "extension. Install it, then log out and in once (GNOME finds a new extension "
                "only when it starts)."
            )
        banner = self.window.tracking_banner
        banner.show_problem(text, "&Install the GNOME extension" if gnome else "")

    def _install_gnome_extension(self) -> None:
        from breather.monitor.gnome import ExtensionInstallError, install_extension

        try:
            said = install_extension()
        except ExtensionInstallError as why:
            said = str(why)
        self.window.tracking_banner.show_problem(said)


def one_blas_thread() -> None:
    """Have numpy's OpenBLAS start one thread instead of one per core (unless the person
    set it otherwise).

    Breather asks numpy for no matrix arithmetic, yet OpenBLAS starts its threads when numpy
    is imported, and they spin for a while waiting for work: on a 2-core machine with
    anything else running, the first chart's import took ~90 ms instead of ~45, and the
    spinning slowed what came after it too. Read once, when numpy is first imported.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _watch_settings(
    path: Path, changed: Callable[[], None], *, owner: QObject
) -> QFileSystemWatcher:
    """Calls `changed` shortly after the settings file is written, created, replaced or
    removed: its folder is watched too, since editors and the Settings page replace it.
    While that folder does not exist yet (a first run saves nothing until something is
    chosen), the nearest folder above it that does is watched, down to the file as each
    level appears. The watch ends with `owner` (the main window)."""
    watcher = QFileSystemWatcher(owner)
    settle = QTimer(watcher)
    settle.setSingleShot(True)
    settle.setInterval(SETTINGS_SETTLE_MS)
    settle.timeout.connect(changed)

    def rewatch(_path: str = "") -> None:
        folder = path.parent
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        # Only the file's own folder holds news for us: above it, only its creation does.
        for stale in set(watcher.directories()) - {str(folder)}:
            watcher.removePath(stale)
        if str(folder) not in watcher.directories():
            watcher.addPath(str(folder))
        if path.exists() and str(path) not in watcher.files():
            watcher.addPath(str(path))
        if folder == path.parent:
            settle.start()

    rewatch()
    settle.stop()
    watcher.fileChanged.connect(rewatch)
    watcher.directoryChanged.connect(rewatch)
    return watcher


def _watch_raise_requests(data_dir: Path, app: BreatherApp) -> QFileSystemWatcher:
    request = data_dir / RAISE_REQUEST
    request.touch(mode=0o600)
    watcher = QFileSystemWatcher([str(request)], app)
    watcher.fileChanged.connect(lambda _path: app.show_window())
    return watcher


def request_raise(data_dir: Path) -> None:
    """Ask the running app to come forward (it watches this file)."""
    request = data_dir / RAISE_REQUEST
    request.write_text(f"{datetime.now().isoformat()}\n", encoding="utf-8")


#: A test hook, not a setting: the packaging tests start the installed wheel and the frozen
#: bundle with this many milliseconds; the app then builds every page once and quits cleanly.
EXIT_AFTER_ENV = "BREATHER_TEST_EXIT_AFTER_MS"


def identify(qt_app: QGuiApplication) -> None:
    """Name the app as desktops know it: the desktop file (the Wayland app_id), the window
    class (Qt makes the X11 WM_CLASS class from the application name) and the version. The
    packaging tests hold these to the desktop file and the metainfo."""
    QGuiApplication.setDesktopFileName(APP_ID)
    qt_app.setApplicationName(WINDOW_CLASS)
    qt_app.setApplicationDisplayName(APP_NAME)
    qt_app.setApplicationVersion(__version__)


def _exit_after(app: BreatherApp, milliseconds: int) -> None:
    def finish() -> None:
        app.show_window()  # mapped, so a test can read its window class
        pages = app.window.nav.count()
        for row in range(pages):
            app.window.show_page(row)
        about = app.window.show_about()
        icon = "drawn" if not app.icon.pixmap(32, 32).isNull() else "MISSING"
        print(f"exit hook: {pages} pages built, icon {icon}, {about.version.text()}", flush=True)
        about.accept()
        app.quit()

    QTimer.singleShot(milliseconds, finish)


def _quit_on_signals(app: BreatherApp) -> QSocketNotifier | None:
    """SIGTERM (logout, shutdown) and SIGINT quit cleanly, writing what is tracked.

    Python runs signal handlers only between bytecodes, and Qt's loop runs none while idle:
    the signal's number is written to a pipe Qt watches, which wakes the loop at once.
    """
    if os.name != "posix":
        return None
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd)
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: None)  # the pipe does the work; see above
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, app)

    def quit_now() -> None:
        with contextlib.suppress(BlockingIOError):
            os.read(read_fd, 64)
        app.quit()

    notifier.activated.connect(quit_now)
    return notifier


def _no_display_problem() -> str | None:
    """Why the window cannot open here, said before Qt aborts the process over it."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "there is no desktop to show the app on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        "Start it from your desktop session, or use `breather track` (add --demo to try it "
        "without a desktop) and `breather report`."
    )


def run_app(
    paths: Paths, settings_file: SettingsFile, argv: list[str], *, show_window: bool = True
) -> int:
    """Run the desktop app until the person quits; returns the exit status.

    A launch from the menu opens the window; `show_window=False` (`breather --tray`, what the
    login session uses) starts in the tray alone."""
    from breather.settings.paths import device_identity
    from breather.store import DatabaseUnusable, open_store
    from breather.ui.platform_check import platform_problem

    problem = _no_display_problem() or platform_problem()
    if problem:
        print(f"breather: {problem}", file=sys.stderr)
        return 1
    ensure_private_dir(paths.data_dir)
    instance_lock = hold_lock(paths.data_dir / APP_LOCK)
    if instance_lock is None:
        if show_window:
            request_raise(paths.data_dir)
        print(f"{APP_NAME} is already running; its window was brought forward.", file=sys.stderr)
        return 0

    qt_app = QApplication(argv)
    identify(qt_app)
    qt_app.setQuitOnLastWindowClosed(False)

    try:
        device_uuid, host_name = device_identity(paths.data_dir)
        chosen_name = settings_file.current.settings.device.name
        store = open_store(
            paths.db_url,
            device_uuid=device_uuid,
            device_name=chosen_name or host_name,
            migrate_apart=True,
            rename_device=bool(chosen_name),
        )
    except (DatabaseUnusable, UnsafeFile, OSError) as why:
        print(f"breather: {why}", file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, f"{APP_NAME} cannot start: {why}")
        return 1
    tray_available = QSystemTrayIcon.isSystemTrayAvailable()
    app = BreatherApp(
        store=store,
        settings=settings_file.current.settings,
        paths=paths,
        clock=SystemClock(),
        tray_available=tray_available,
        settings_file=settings_file,
    )
    watcher = _watch_raise_requests(paths.data_dir, app)
    signals = _quit_on_signals(app)
    app.start(show_window=show_window or not tray_available)
    forget_module_sources()  # the start-up imports are done
    for notice in store.notices:  # a damaged database was kept aside: say where, once
        print(f"breather: {notice}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, notice, parent=app.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
    if not tray_available:
        qt_app.setQuitOnLastWindowClosed(True)
        qt_app.lastWindowClosed.connect(app.quit)
    exit_after = os.environ.get(EXIT_AFTER_ENV)
    if exit_after:
        _exit_after(app, int(exit_after))
    status = qt_app.exec()
    del watcher, signals, instance_lock
    return status
