"""Getting the week and Trends ready while the app sits idle: their charts, and the categories
of the last weeks' windows.

The first chart a process draws imports pyqtgraph and numpy (~180 ms), and the first time the
week's mood observations or the Trends page sum twelve weeks by category, every browser title
of those weeks is named (a few thousand: ~40 ms). Once the main window is shown, or the
weekly note invites to open the week, both are done here between the app's own events, so the
page the person opens next finds them done. The tray alone never does this: its memory stays
small until there is a window to look at. Nothing is kept but the categorizer's own memory of
its answers: a changed rule brings a new categorizer, and the naming starts again for it.
"""

from __future__ import annotations

import importlib
import logging
import time as clock
from collections.abc import Iterator
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from breather.categories.catalogue import Categorizer
from breather.data.trends import TREND_WEEKS
from breather.store.by_category import title_windows
from breather.store.queries import day_range
from breather.store.sql import StoreError
from breather.ui.binding import forget_module_sources
from breather.ui.context import AppContext

log = logging.getLogger(__name__)

#: The longest slice of naming between two turns of the event loop.
SLICE_S = 0.004
#: Windows named between two looks at the clock.
BATCH = 50
#: How long a window just shown may stay unpainted before the work begins anyway (ms).
UNPAINTED_MS = 250
#: What the pages with charts import the first time they draw: their own modules, pyqtgraph
#: (with numpy), and numpy.random for the observations' intervals.
CHART_MODULES = ("breather.ui.weekly", "breather.ui.trends", "pyqtgraph", "numpy.random")


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
        # A window just shown is painted first: the charts' import would hold that paint back.
        self._awaited: QWidget | None = None
        self._unpainted = QTimer(self)
        self._unpainted.setSingleShot(True)
        self._unpainted.setInterval(UNPAINTED_MS)
        self._unpainted.timeout.connect(self._begin)

    @property
    def running(self) -> bool:
        return self._work is not None

    def start(self, *, after_paint_of: QWidget | None = None) -> None:
        """Name what the current categorizer does not know yet: again after a rule change,
        on a later day, or after a stop half-way; nothing to do when it is under way or done.
        With `after_paint_of` (a window just shown), begin once that widget was painted."""
        categorizer = self._context.categorizer
        if self.running and categorizer is self._for:
            return
        if self._done is not None and self._done == (categorizer, self._context.today()):
            return
        self._for = categorizer
        self._work = self._name_all(categorizer)
        if after_paint_of is None:
            self._begin()
        else:
            self._awaited = after_paint_of
            after_paint_of.installEventFilter(self)
            self._unpainted.start()  # a backstop, should it never be painted

    def stop(self) -> None:
        """Stop naming (the window was hidden, or Breather quits); `start` goes on later."""
        self._stop_waiting()
        self._timer.stop()
        self._work = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._awaited and event.type() == QEvent.Type.Paint:
            self._unpainted.start(0)  # right after this paint is done
        return False

    def _begin(self) -> None:
        self._stop_waiting()
        if self._work is not None:
            self._timer.start()

    def _stop_waiting(self) -> None:
        self._unpainted.stop()
        if self._awaited is not None:
            self._awaited.removeEventFilter(self)
            self._awaited = None

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
        """The charts' libraries first (one step: an import cannot be sliced), then one week
        at a time, newest first: the week page needs the recent ones first."""
        load_charts()
        yield
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


def load_charts() -> None:
    """Import what the week and Trends draw with (`CHART_MODULES`); nothing after the first
    call in a process."""
    for module in CHART_MODULES:
        importlib.import_module(module)
    forget_module_sources()  # the source text PySide6 kept of what was just imported
