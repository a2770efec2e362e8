"""The pieces the week's and Trends' bar charts share: a still plot in the window's colours,
and bars stacked by category.

pyqtgraph (with numpy, ~50 MB) is imported inside each function: this module is loaded with
the pages, and they load only when first shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    import numpy as np
    import pyqtgraph as pg

#: How wide a bar is, of the space one day or week has.
BAR_WIDTH = 0.62


def still_plot(owner: QWidget, *, height: int, name: str) -> pg.PlotWidget:
    """A plot for reading, not exploring: in `owner`'s palette, without context menu, zoom,
    pan or buttons, axes in muted text colour and no ticks along the bottom. `name` is what a
    screen reader says."""
    import pyqtgraph as pg

    palette = owner.palette()
    foreground = palette.color(QPalette.ColorRole.WindowText)
    # No context menu: built without one rather than built and then turned off.
    plot = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base), enableMenu=False)
    plot.setFixedHeight(height)
    plot.setAccessibleName(name)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    item = plot.getPlotItem()
    muted = QColor(foreground)
    muted.setAlpha(90)
    for axis in ("left", "bottom"):
        item.getAxis(axis).setTextPen(foreground)
        item.getAxis(axis).setPen(muted)
    item.getAxis("bottom").setStyle(tickLength=0)
    return plot


def stack_bars(
    plot: pg.PlotItem, count: int, layers: Iterable[tuple[QColor, np.ndarray]]
) -> np.ndarray:
    """Draw `count` bars, each layer's heights on top of the layers before it, in its colour;
    returns the height of each stack."""
    import numpy as np
    import pyqtgraph as pg

    base = np.zeros(count)
    for colour, heights in layers:
        used = heights > 0  # an empty piece would still draw its outline on the axis
        if used.any():
            plot.addItem(
                pg.BarGraphItem(
                    x=np.arange(count)[used],
                    height=heights[used],
                    y0=base[used],
                    width=BAR_WIDTH,
                    brush=colour,
                    pen=pg.mkPen(colour.darker(115), width=0.5),
                )
            )
        base = base + heights
    return base
