"""The desktop files and metainfo, checked by the freedesktop validators Debian 12 ships.

desktop-file-validate (desktop-file-utils) and appstreamcli (appstream): tests/run installs
both. Debian 12's appstreamcli 0.16 does not know AppStream 1.0's <developer> tag yet (Flathub
requires it), so that one info is told apart from real problems; test_identity.py checks what
0.16 would only hint at.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from breather import APP_ID
from breather.desktop.autostart.xdg import XdgAutostart
from breather.desktop.entry import install_desktop_entry, launcher_entry
from tests.packaging.conftest import PACKAGING, program, run

pytestmark = pytest.mark.packaging

DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
APPSTREAM_STRICT = ["--no-net", "--strict", "--override=unknown-tag=pedantic"]


def validate_desktop(path: Path) -> None:
    done = run([program("desktop-file-validate", "desktop-file-utils"), path], check=False)
    # It prints hints on success too; errors and warnings make it fail or say "error:".
    assert done.returncode == 0 and "error" not in done.stdout.lower(), done.stdout
    assert "warning" not in done.stdout.lower(), done.stdout


def test_the_shipped_launcher_validates() -> None:
    validate_desktop(DESKTOP)


def test_the_entries_breather_writes_validate(tmp_path: Path) -> None:
    odd = str(tmp_path / "a b's $HOME 100%" / "bin" / "breather")  # quoting put to work
    autostart = XdgAutostart(tmp_path / "config")
    autostart.enable([odd, "--data-dir", str(tmp_path / "my data")])
    validate_desktop(autostart.entry)
    written = install_desktop_entry(tmp_path / "share", [odd], svg=b"<svg/>", pngs={})
    validate_desktop(written[-1])


def test_a_broken_entry_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / f"{APP_ID}.desktop"
    broken.write_text(launcher_entry(["breather"]).replace("Type=Application\n", ""))
    done = run([program("desktop-file-validate", "desktop-file-utils"), broken], check=False)
    assert done.returncode != 0  # the validator really runs and really looks


def test_the_metainfo_validates_strictly() -> None:
    appstreamcli = program("appstreamcli", "appstream")
    done = run([appstreamcli, "validate", *APPSTREAM_STRICT, METAINFO], check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_staged_install_tree_validates(tmp_path: Path) -> None:
    appstreamcli = program("appstreamcli", "appstream")
    run([sys.executable, PACKAGING / "linux" / "stage_tree.py", tmp_path])
    share = tmp_path / "usr" / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").read_text() == DESKTOP.read_text()
    for size in (16, 32, 48, 64, 128, 256, 512):
        png = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", png
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").exists()
    done = run([appstreamcli, "validate-tree", "--no-net", tmp_path], check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # And it does notice a launchable that is not there.
    (share / "applications" / f"{APP_ID}.desktop").unlink()
    done = run([appstreamcli, "validate-tree", "--no-net", tmp_path], check=False)
    assert done.returncode != 0
