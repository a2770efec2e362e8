"""A running Breather follows its settings file, and a mistake in it never turns privacy off."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from breather.clock import FakeClock
from breather.monitor.base import WindowInfo
from breather.monitor.fake import ScriptedDesktop, Step
from breather.runtime.recorder import SETTINGS_CHECK_EVERY, Recorder
from breather.settings.live import LoadedSettings, SettingsFile
from breather.store import Store
from breather.store.queries import summarize
from breather.tracking.privacy import PrivacyFilter
from breather.tracking.spans import Tracker

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EDITOR = WindowInfo("code", "plan.md - Visual Studio Code", "code", "/usr/bin/code")
VAULT = WindowInfo("KeePassXC", "Tax.kdbx - KeePassXC", "keepassxc", "/usr/bin/keepassxc")


def write(path: Path, text: str) -> None:
    """Write as an editor would, and make sure the change is visible to a stat."""
    path.write_text(text)
    stamp = path.stat().st_mtime_ns + 1_000_000
    os.utime(path, ns=(stamp, stamp))


def test_a_missing_file_means_defaults_and_recording(tmp_path: Path) -> None:
    loaded = SettingsFile(tmp_path / "breather.toml").load()
    assert loaded.problems == ()
    assert not loaded.records_nothing


def test_a_change_on_disk_is_seen_and_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    write(path, '[tracking]\nidle_after = "3m"\n')
    settings = SettingsFile(path)
    settings.load()
    assert settings.reload_if_changed() is None
    write(path, '[tracking]\nidle_after = "5m"\n')
    changed = settings.reload_if_changed()
    assert changed is not None
    assert changed.settings.tracking.idle_after == 300


def test_an_unreadable_first_file_records_nothing_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    write(path, '[privacy]\nexclude_apps = ["keepassxc"]\n[breaks.eyes]\nevery = "20m\n')
    loaded = SettingsFile(path).load()
    assert loaded.records_nothing
    assert loaded.problems[0].line == 4
    assert any("nothing is recorded" in note for note in loaded.notes)


def test_a_broken_edit_keeps_the_last_good_settings_in_force(tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    write(path, '[privacy]\nexclude_apps = ["keepassxc"]\n')
    settings = SettingsFile(path)
    settings.load()
    write(path, '[privacy]\nexclude_apps = ["keepassxc"]\n[breaks.eyes]\nevery = "20m\n')
    loaded = settings.reload_if_changed()
    assert loaded is not None and loaded.kept_previous
    assert not loaded.records_nothing
    assert [p.text for p in loaded.settings.privacy.exclude_apps] == ["keepassxc"]


def test_a_mistake_in_privacy_keeps_the_privacy_from_before(tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    write(path, '[privacy]\nexclude_apps = ["keepassxc"]\n')
    settings = SettingsFile(path)
    settings.load()
    write(path, '[privacy]\nexclude_apps = ["keepassxc"]\ntitles = "no"\n')
    loaded = settings.reload_if_changed()
    assert loaded is not None
    assert [p.text for p in loaded.settings.privacy.exclude_apps] == ["keepassxc"]
    assert loaded.problems[0].key == "privacy.titles"


def test_a_mistake_elsewhere_costs_only_its_own_key(tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    write(path, '[privacy]\nexclude_apps = ["keepassxc"]\n[breaks.eyes]\nevery = "20 mins"\n')
    loaded = SettingsFile(path).load()
    assert not loaded.records_nothing and loaded.notes == ()
    assert [p.text for p in loaded.settings.privacy.exclude_apps] == ["keepassxc"]


def run_recorder(
    store: Store, path: Path, steps: list[Step], seconds: int, edits: dict[int, str]
) -> list[LoadedSettings]:
    clock = FakeClock(T0)
    desktop = ScriptedDesktop(clock, steps, sleep=clock.advance)
    settings_file = SettingsFile(path)
    heard: list[LoadedSettings] = []
    recorder = Recorder(
        clock=clock,
        windows=desktop,
        idle=desktop,
        tracker=Tracker(idle_after=180, max_gap=5),
        writer=store.writer(),
        interval=1.0,
        sleep=clock.advance,
        privacy=PrivacyFilter(settings_file.load().settings.privacy),
        settings_file=settings_file,
        on_settings=heard.append,
    )
    for second in range(seconds):
        if second in edits:
            write(path, edits[second])
        recorder.step()
        clock.advance(1)
    recorder.finish()
    return heard


def test_track_applies_a_new_exclusion_within_seconds(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    write(path, "")
    heard = run_recorder(
        store, path, [Step(0, VAULT)], 30, {10: '[privacy]\nexclude_apps = ["keepassxc"]\n'}
    )
    assert len(heard) == 1
    recorded = summarize(store.db, T0, T0 + timedelta(hours=1)).active_seconds
    assert 9 <= recorded <= 12  # the ten seconds before the edit, and at most 2 s after


def test_track_records_nothing_while_the_file_cannot_be_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "breather.toml"
    write(path, '[privacy]\nexclude_apps = ["keepassxc"\n')  # unclosed from the start
    heard = run_recorder(store, path, [Step(0, EDITOR)], 30, {15: ""})
    recorded = summarize(store.db, T0, T0 + timedelta(hours=1)).active_seconds
    assert heard[-1].problems == ()
    assert 12 <= recorded <= 15  # only once it was fixed, at 15 s


def test_breather_track_follows_the_file_as_it_runs(tmp_path: Path) -> None:
    # The real command, scripted windows: the demo starts in Firefox.
    config = tmp_path / "breather.toml"
    write(config, "")
    env = {
        **os.environ,
        "BREATHER_DATA_DIR": str(tmp_path),
        "BREATHER_CONFIG": str(config),
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
    }
    track = subprocess.Popen(
        [sys.executable, "-m", "breather", "track", "--demo"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert track.stderr is not None
    try:
        lines = iter(track.stderr.readline, "")
        assert any("tracking" in line for line in lines)
        write(config, '[privacy]\nexclude_apps = ["firefox"]\n')
        edited = datetime.now(UTC)
        assert any("the settings file changed" in line for line in lines)
        track.send_signal(signal.SIGTERM)
        assert track.wait(timeout=30) == 0
    finally:
        if track.poll() is None:
            track.kill()
        track.stderr.close()
    exported = subprocess.run(
        [sys.executable, "-m", "breather", "export", "--format", "jsonl"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spans = [json.loads(line) for line in exported.splitlines()]
    assert spans, "the demo's first seconds in Firefox were recorded"
    ends = [datetime.fromisoformat(span["end"]) for span in spans]
    # Firefox is excluded within the check interval of the edit: nothing after that.
    assert max(ends) <= edited + timedelta(seconds=SETTINGS_CHECK_EVERY + 1)
