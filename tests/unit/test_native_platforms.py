"""What Windows and macOS users get beyond the window backends: categories for their apps,
notifications that say why they are missing, and backends that import anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from breather.categories.catalogue import Categorizer
from breather.notify.base import NotifierUnavailable
from breather.notify.freedesktop import FreedesktopNotifier, ReconnectingNotifier


@pytest.mark.parametrize(
    ("app", "process", "exe", "category"),
    [
        # Windows: the process name is the app
        ("chrome.exe", "chrome.exe", "C:\\Program Files\\Google\\Chrome\\chrome.exe", None),
        ("ms-teams.exe", "ms-teams.exe", "", "Messaging"),
        ("WINWORD.EXE", "WINWORD.EXE", "", "Work"),
        ("HxOutlook.exe", "HxOutlook.exe", "", "Email"),
        ("Spotify.exe", "Spotify.exe", "", "Music"),
        ("steam.exe", "steam.exe", "", "Games"),
        ("WindowsTerminal.exe", "WindowsTerminal.exe", "", "Work"),
        # macOS: the bundle id is the app, the application name the process
        ("com.tinyspeck.slackmacgap", "Slack", "", "Messaging"),
        ("com.apple.mail", "Mail", "", "Email"),
        ("com.spotify.client", "Spotify", "", "Music"),
        ("com.microsoft.VSCode", "Code", "", "Work"),
        ("com.apple.Terminal", "Terminal", "", "Work"),
        ("com.colliderli.iina", "IINA", "", "Video"),
        ("net.ankiweb.dtop", "Anki", "", "Learning"),
    ],
)
def test_common_windows_and_macos_apps_have_their_category(
    app: str, process: str, exe: str, category: str | None
) -> None:
    categorizer = Categorizer()
    if category is None:  # a browser: its page decides
        assert categorizer.category(app, "YouTube - Google Chrome", process, exe) == "Video"
    else:
        assert categorizer.category(app, "", process, exe) == category


@pytest.mark.parametrize("bundle", ["com.apple.Safari", "com.microsoft.edgemac"])
def test_macos_browsers_are_browsers(bundle: str) -> None:
    assert Categorizer().category(bundle, "YouTube", "Safari") == "Video"


def test_without_jeepney_notifications_say_why_and_tracking_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows and macOS have no jeepney (a Linux-only dependency): the app falls back to
    its tray icon, and `breather track` says once that it cannot show prompts."""
    monkeypatch.setitem(sys.modules, "jeepney", None)
    with pytest.raises(NotifierUnavailable, match="no D-Bus notifications here"):
        FreedesktopNotifier()
    said: list[str] = []
    notifier = ReconnectingNotifier(say=said.append)
    assert not notifier.available
    assert len(said) == 1 and "tracking goes on" in said[0]


def test_the_native_backends_import_anywhere_and_load_nothing() -> None:
    """Importing them loads no DLL and no pyobjc, and needs neither."""
    code = (
        "import sys, ctypes\n"
        "import breather.monitor.windows, breather.monitor.macos, breather.monitor.select\n"
        "loaded = {'AppKit', 'Quartz', 'ApplicationServices', 'objc'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
        "assert not hasattr(breather.monitor.windows, 'user32')\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_settings_are_read_where_os_has_no_nonblocking_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows on Python 3.11 has neither O_NONBLOCK nor os.set_blocking."""
    from breather.settings.model import read_config_text

    config = tmp_path / "breather.toml"
    config.write_text("[tracking]\ninterval = 2\n", encoding="utf-8")
    monkeypatch.delattr(os, "O_NONBLOCK")
    monkeypatch.delattr(os, "set_blocking")

    assert read_config_text(config) == "[tracking]\ninterval = 2\n"
