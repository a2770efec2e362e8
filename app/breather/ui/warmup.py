"""Naming the categories of the last weeks' windows while the app sits idle.

The week's mood observations and the Trends page sum twelve weeks by category, and the first
time a process does so it names every browser title of those weeks (a few thousand: ~40 ms).
Once the main window is shown, or the weekly note invites to open the week, that naming is
done here in slices of a few milliseconds between the app's own events, so the page the person
opens next finds it done. Nothing is kept but the categorizer's own memory of its answers: a
changed rule brings a new categorizer, and the naming starts again for it.
"""

from __future__ import annotations

import logging
import time as clock
from collections.abc import Iterator
from datetime import date, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from breather.categories.catalogue import Categorizer
from breather.data.trends import TREND_WEEKS
from breather.store.by_category import title_windows
from breather.store.queries import day_range
from breather.store.sql import StoreError
from breather.ui.context import AppContext

log = logging.getLogger(__name__)

#: The longest slice of naming between two turns of the event loop.
SLICE_S = 0.004
#: Windows named between two looks at the clock.
BATCH = 50


class CategoryWarmup(QObject):
    """Names the categories of the last `TREND_WEEKS` weeks' windows, a slice at a time.

    Signals:
        finished(): everything was named (for tests and the benchmark).
    """

    finished = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._work: Iterator[None] | None = None
        self._for: Categorizer | None = None
        # What was named last, and on which of the person's days: a later day has new titles.
        self._done: tuple[Categorizer, date] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    @property
    def running(self) -> bool:
        return self._work is not None

    def start(self) -> None:
        """Name what the current categorizer does not know yet: again after a rule change,
        on a later day, or after a stop half-way; nothing to do when it is under way or done."""
        categorizer = self._context.categorizer
        if self.running and categorizer is self._for:
            return
        if self._done is not None and self._done == (categorizer, self._context.today()):
            return
        self._for = categorizer
        self._work = self._name_all(categorizer)
        self._timer.start()

    def stop(self) -> None:
        """Stop naming (the window was hidden, or Breather quits); `start` goes on later."""
        self._timer.stop()
        self._work = None

    def _slice(self) -> None:
        work = self._work
        if work is None or self._for is not self._context.categorizer:
            self.stop()  # the rules changed: start() follows for the new categorizer
            return
        ends = clock.monotonic() + SLICE_S
        try:
            while clock.monotonic() < ends:
                next(work)
        except StopIteration:
            self.stop()
            self._done = (self._context.categorizer, self._context.today())
            self.finished.emit()
        except StoreError as why:  # the pages will say so when they read; this can wait
            log.info("naming the last weeks' categories ahead stopped: %s", why)
            self.stop()

    def _name_all(self, categorizer: Categorizer) -> Iterator[None]:
        """One week at a time, newest first: the week page needs the recent ones first."""
        context = self._context
        today = context.today()
        starts = context.settings.tracking.day_starts
        for back in range(TREND_WEEKS):
            monday = today - timedelta(days=today.weekday() + 7 * back)
            start = day_range(monday, starts)[0]
            end = day_range(monday + timedelta(days=6), starts)[1]
            windows = title_windows(context.db, start, end, categorizer)
            yield
            for at in range(0, len(windows), BATCH):
                for app, title, process, exe in windows[at : at + BATCH]:
                    categorizer.category(app, title, process, exe)
                yield
