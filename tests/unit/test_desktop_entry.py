"""Desktop entries: Exec quoting both ways, the launcher, and the menu entry for pip installs."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breather import APP_ID
from breather.desktop.entry import (
    ICON_SIZES,
    install_desktop_entry,
    installed_paths,
    launch_command,
    launcher_entry,
    quote_exec,
    read_entry,
    remove_desktop_entry,
    split_exec,
)

# Arguments as a path or a title might hold them: spaces, quotes, $, %, backslashes, non-Latin.
argument = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from(list(" \t\"'\\$`%;&|*?#()<>~\n")),
    max_size=20,
)


@given(st.lists(argument, min_size=1, max_size=5))
def test_exec_round_trips_any_argv(argv: list[str]) -> None:
    value = quote_exec(argv)
    assert "\n" not in value  # one line in the file, whatever the arguments hold
    assert split_exec(value) == argv


@pytest.mark.parametrize(
    ("argv", "value"),
    [
        (["/usr/bin/breather"], "/usr/bin/breather"),
        (["/home/a b/.venv/bin/breather"], '"/home/a b/.venv/bin/breather"'),
        (["python", "-m", "breather"], "python -m breather"),
        (["/opt/50%/breather"], "/opt/50%%/breather"),
        # quoted: " ` $ \ get a backslash; then the string escape doubles every backslash
        (['/x/"q"$HOME\\'], '"/x/\\\\"q\\\\"\\\\$HOME\\\\\\\\"'),
        ([""], '""'),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_spec(argv: list[str], value: str) -> None:
    assert quote_exec(argv) == value


def test_field_codes_are_dropped_when_reading() -> None:
    assert split_exec("breather %U --flag") == ["breather", "--flag"]
    assert split_exec('"a b" %%done') == ["a b", "%done"]


def test_the_launcher_names_the_app_id_and_window_class() -> None:
    keys = dict(
        line.split("=", 1) for line in launcher_entry(["breather"]).splitlines()[1:] if line
    )
    assert keys["Icon"] == APP_ID
    assert keys["StartupWMClass"] == "Breather"
    assert keys["Exec"] == keys["TryExec"] == "breather"


def test_launch_command_prefers_the_console_script_next_to_python(tmp_path: Path) -> None:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.touch()
    script = bin_dir / "breather"
    script.touch(mode=0o755)
    assert launch_command(executable=str(python), frozen=False, platform="linux") == [str(script)]
    script.chmod(stat.S_IRUSR)  # not executable: not a console script
    command = launch_command(executable=str(python), frozen=False, platform="linux")
    assert command[-2:] == ["-m", "breather"] or Path(command[0]).name == "breather"


def test_launch_command_of_a_bundle_and_on_windows(tmp_path: Path) -> None:
    exe = tmp_path / "Breather.exe"
    assert launch_command(executable=str(exe), frozen=True, platform="win32") == [str(exe)]
    python = tmp_path / "python.exe"
    assert launch_command(executable=str(python), frozen=False, platform="win32") == [
        str(python),
        "-m",
        "breather",
    ]
    (tmp_path / "pythonw.exe").touch()  # no console window at login
    assert launch_command(executable=str(python), frozen=False, platform="win32")[0] == str(
        tmp_path / "pythonw.exe"
    )


def test_install_and_remove_the_menu_entry(tmp_path: Path) -> None:
    data = tmp_path / "share"
    command = [str(tmp_path / "my venv" / "bin" / "breather")]
    pngs = {size: b"\x89PNG-" + bytes([size % 256]) for size in ICON_SIZES}
    written = install_desktop_entry(data, command, svg=b"<svg/>", pngs=pngs)
    assert sorted(written) == sorted(installed_paths(data))
    entry = data / "applications" / f"{APP_ID}.desktop"
    assert written[-1] == entry  # the entry comes last, after its icons
    keys = read_entry(entry)
    assert split_exec(keys["Exec"]) == command
    assert keys["Icon"] == APP_ID
    assert (data / "icons/hicolor/48x48/apps" / f"{APP_ID}.png").read_bytes() == pngs[48]
    assert stat.S_IMODE(entry.stat().st_mode) == 0o644
    assert not [p for p in entry.parent.iterdir() if p.name.startswith(".")]  # no temp files
    # Again: the same files, replaced in place.
    assert install_desktop_entry(data, command, svg=b"<svg/>", pngs=pngs) == written
    assert sorted(remove_desktop_entry(data)) == sorted(written)
    assert remove_desktop_entry(data) == []
    assert not any(path.exists() for path in written)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_install_writes_readable_files_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        install_desktop_entry(tmp_path, ["/bin/breather"], svg=b"<svg/>", pngs={})
    finally:
        os.umask(old)
    entry = tmp_path / "applications" / f"{APP_ID}.desktop"
    assert stat.S_IMODE(entry.stat().st_mode) == 0o644


def test_the_login_session_starts_breather_in_the_tray() -> None:
    from breather.desktop.entry import login_command

    assert login_command() == [*launch_command(), "--tray"]
