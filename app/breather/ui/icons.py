"""The app icon as PNGs of any size, drawn from the SVG with Qt's own SVG renderer.

Used by `breather install-desktop-entry` (hicolor PNGs beside the SVG) and by the packaging
scripts (hicolor sizes, the Windows .ico and the macOS .icns), so no other image tool is needed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from breather.resources import resource


def app_icon_svg() -> Path:
    return resource("icons", "breather.svg")


_gui: list[QGuiApplication] = []


def ensure_gui() -> None:
    """Qt paints only with a QGuiApplication; start a windowless one if there is none."""
    if QGuiApplication.instance() is None:
        _gui.append(QGuiApplication(["breather", "-platform", "offscreen"]))


def render_png(svg: Path, size: int) -> bytes:
    """`svg` drawn into a transparent `size` x `size` square, as PNG bytes."""
    ensure_gui()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.12 wants the format as str; its type stubs say bytes.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def render_pngs(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    return {size: render_png(svg, size) for size in sizes}
