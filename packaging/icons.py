"""Every icon file a package needs, drawn from resources/icons/breather.svg with Qt's SVG renderer.

    python packaging/icons.py hicolor DIR   # DIR/{scalable,<N>x<N>}/apps/<APP_ID>.{svg,png}
    python packaging/icons.py ico FILE      # Windows: 16-256 px, PNG-compressed entries
    python packaging/icons.py icns FILE     # macOS: 16-1024 px (1x and 2x), PNG entries

Nothing rendered is committed: the packaging steps (the PyInstaller spec, stage_tree.py, the
Flatpak manifest) run this, so the pictures can never fall behind the SVG.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import sys
from collections.abc import Mapping
from pathlib import Path

from breather import APP_ID
from breather.desktop.entry import ICON_SIZES
from breather.ui.icons import app_icon_svg, render_pngs

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: icns element types holding PNG data (macOS 10.7+), by pixel size; 2x types share sizes.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def hicolor(root: Path, svg: Path | None = None) -> list[Path]:
    """The icon theme tree under `root` (e.g. DESTDIR/usr/share/icons/hicolor)."""
    svg = svg or app_icon_svg()
    scalable = root / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written = [scalable]
    for size, png in render_pngs(svg, ICON_SIZES).items():
        target = root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        written.append(target)
    return written


def ico(pngs: Mapping[int, bytes]) -> bytes:
    """A Windows .ico holding `pngs` (sizes up to 256) as PNG entries (Vista and later)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        if not 0 < size <= 256:
            raise ValueError(f"an .ico entry is at most 256 px, not {size}")
        data = pngs[size]
        side = 0 if size == 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(pngs: Mapping[int, bytes]) -> bytes:
    """A macOS .icns with a PNG element per type in ICNS_TYPES that `pngs` has a size for."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for kind, size in ICNS_TYPES
        if size in pngs
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("hicolor", "ico", "icns"))
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    svg = app_icon_svg()
    if args.kind == "hicolor":
        written = hicolor(args.target, svg)
        print(f"{len(written)} icons under {args.target}")
        return 0
    if args.kind == "ico":
        data = ico(render_pngs(svg, ICO_SIZES))
    else:
        data = icns(render_pngs(svg, tuple(sorted({size for _, size in ICNS_TYPES}))))
    args.target.parent.mkdir(parents=True, exist_ok=True)
    args.target.write_bytes(data)
    print(f"{args.target}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
