"""Apps go by the names their menu entries give, and one app's X11 class and Wayland app id
are known to be the same app."""

from __future__ import annotations

from pathlib import Path

from breather.desktop.apps import AppDirectory


def entry(folder: Path, file_name: str, text: str) -> None:
    applications = folder / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    (applications / file_name).write_text("[Desktop Entry]\nType=Application\n" + text)


def test_names_come_from_the_class_the_file_name_or_the_app_id(tmp_path: Path) -> None:
    entry(tmp_path, "org.gnome.Terminal.desktop", "Name=Terminal\nStartupWMClass=Gnome-terminal\n")
    entry(tmp_path, "org.gnome.Nautilus.desktop", "Name=Files\nIcon=org.gnome.Nautilus\n")
    entry(tmp_path, "org.mozilla.firefox.desktop", "Name=Firefox\nIcon=firefox\n")
    apps = AppDirectory([tmp_path])
    assert apps.display_name("Gnome-terminal") == "Terminal"  # X11 class
    assert apps.display_name("org.gnome.Nautilus") == "Files"  # Wayland app id
    assert apps.display_name("firefox") == "Firefox"  # class = the app id's last part
    assert apps.display_name("Minecraft* 1.20.4") == "Minecraft* 1.20.4"  # no entry: as is
    assert apps.same_app(["firefox", "org.mozilla.firefox"]) == {
        "firefox": "org.mozilla.firefox",
        "org.mozilla.firefox": "org.mozilla.firefox",
    }


def test_the_persons_own_entries_win_and_broken_ones_are_skipped(tmp_path: Path) -> None:
    mine, system = tmp_path / "mine", tmp_path / "system"
    entry(mine, "firefox.desktop", "Name=My browser\n")
    entry(system, "firefox.desktop", "Name=Firefox\n")
    entry(system, "broken.desktop", "no group here\n")
    (system / "applications" / "latin1.desktop").write_bytes(b"[Desktop Entry]\nName=Caf\xe9\n")
    apps = AppDirectory([mine, system])
    assert apps.display_name("firefox") == "My browser"
    assert apps.display_name("latin1") == "latin1"


def test_a_report_counts_one_app_once_under_its_class_and_its_app_id(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    import json
    from datetime import UTC, datetime, timedelta

    from breather.cli.main import main
    from breather.monitor.base import WindowInfo
    from breather.store import open_store, sqlite_url
    from breather.tracking.spans import Span

    share = tmp_path / "share"
    entry(share, "org.mozilla.firefox.desktop", "Name=Firefox\nStartupWMClass=firefox\n")
    monkeypatch.setenv("XDG_DATA_HOME", str(share))
    monkeypatch.setenv("XDG_DATA_DIRS", str(share))
    monkeypatch.setattr("breather.desktop.apps.FLATPAK_EXPORTS", ())
    store = open_store(sqlite_url(tmp_path / "breather.db"), device_uuid="d", device_name="d")
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    start = (noon - timedelta(days=1)).astimezone(UTC)  # yesterday, well inside the day
    writer = store.writer()
    writer.record(
        [
            Span(start, start + timedelta(minutes=10), WindowInfo("firefox", "News")),  # X11
            Span(
                start + timedelta(minutes=10),
                start + timedelta(minutes=15),
                WindowInfo("org.mozilla.firefox", "News"),  # the same app on Wayland
            ),
        ]
    )
    writer.flush(None, 0.0)
    store.close()
    day = (noon - timedelta(days=1)).date().isoformat()
    assert main(["--data-dir", str(tmp_path), "report", "--day", day, "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    assert totals == [{"key": "firefox", "seconds": 900.0}]
