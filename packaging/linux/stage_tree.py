"""Lay out what a Linux package installs besides the program, under DESTDIR/PREFIX:

    share/applications/io.github.breather.Breather.desktop
    share/metainfo/io.github.breather.Breather.metainfo.xml
    share/icons/hicolor/{scalable,16x16,...,512x512}/apps/io.github.breather.Breather.{svg,png}

    python packaging/linux/stage_tree.py DESTDIR [--prefix /usr]

A .deb or .rpm builder puts the program beside it; CI runs `appstreamcli validate-tree` on it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # packaging/icons.py

from icons import hicolor  # noqa: E402

from breather import APP_ID  # noqa: E402


def stage(destdir: Path, prefix: str = "/usr") -> list[Path]:
    share = destdir / prefix.strip("/") / "share"
    written = []
    for folder, name in (
        ("applications", f"{APP_ID}.desktop"),
        ("metainfo", f"{APP_ID}.metainfo.xml"),
    ):
        target = share / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HERE / name, target)
        written.append(target)
    written += hicolor(share / "icons" / "hicolor")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Stage the desktop files, metainfo and icons.")
    parser.add_argument("destdir", type=Path)
    parser.add_argument("--prefix", default="/usr")
    args = parser.parse_args(argv)
    for path in stage(args.destdir, args.prefix):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
