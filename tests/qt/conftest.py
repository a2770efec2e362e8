"""Qt widget tests run offscreen: no display needed, same widgets and painting."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest

#: A menu entry as a desktop installs one, for the app names and icons the pages show.
FIREFOX_ENTRY = """\
[Desktop Entry]
Type=Application
Name=Firefox Web Browser
Icon=firefox
StartupWMClass=firefox
Exec=firefox %u
"""


@pytest.fixture(autouse=True)
def applications(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages read app names from these entries only, not from this machine's menu."""
    share = tmp_path_factory.mktemp("share")
    (share / "applications").mkdir()
    (share / "applications" / "org.mozilla.firefox.desktop").write_text(FIREFOX_ENTRY)
    monkeypatch.setenv("XDG_DATA_HOME", str(share))
    monkeypatch.setenv("XDG_DATA_DIRS", str(share))
    monkeypatch.setattr("breather.desktop.apps.FLATPAK_EXPORTS", ())
