"""A wall clock that is wrong, then right: recording goes on, and no history is deleted for it.

Real processes with their wall clock moved by a preloaded shim (monotonic time untouched, as
when NTP or a person sets the clock), on real SQLite files; and the recorder with a fake clock
through the whole stack below the command line, for jumps in the middle of a run.
"""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from breather.clock import FakeClock
from breather.monitor.fake import DEMO_APPS, ScriptedDesktop, Step
from breather.runtime.recorder import RETENTION_EVERY, Recorder
from breather.settings.model import TrackingSettings
from breather.store import Store, open_store
from breather.tracking.privacy import PrivacySettings
from tests.faults.conftest import (
    breather,
    clock_env,
    env_for,
    no_overlaps,
    no_traceback,
    run,
    seconds_between,
    spans,
    stop,
    wait_for_line,
)

HOUR = 3600
DAY = 86400


def track_for(data: Path, seconds: float, env: dict[str, str]) -> tuple[float, float]:
    """Run `breather track --demo` for `seconds` of use; the (start, end) Unix times it
    tracked, on the real clock."""
    proc = breather("track", "--demo", data=data, env=env)
    wait_for_line(proc, "tracking")
    started = time.time()
    time.sleep(seconds)  # someone using the desktop: the scenario, not a wait for a result
    ended = time.time()
    code, said = stop(proc)
    assert code == 0, said
    no_traceback(said)
    return started, ended


def test_a_clock_that_ran_ahead_then_was_corrected_does_not_stop_recording(
    data: Path, wall_shim: Path
) -> None:
    track_for(data, 3, clock_env(data, wall_shim, 2 * HOUR))  # booted with the RTC 2 h ahead
    for _restart in range(2):  # NTP corrected it; and again after a restart
        started, ended = track_for(data, 4, env_for(data))
        recorded = seconds_between(data, started - 1, ended + 1)
        assert recorded >= (ended - started) - 1.5, f"ran {ended - started:.1f}s, kept {recorded}"
    no_overlaps(data)


def test_one_start_with_the_clock_far_ahead_deletes_no_history(data: Path, wall_shim: Path) -> None:
    (data / "breather.toml").write_text("[privacy]\nkeep_days = 30\n")
    started, ended = track_for(data, 2, env_for(data))
    before = seconds_between(data, started - 1, ended + 1)
    assert before > 0
    track_for(data, 2, clock_env(data, wall_shim, 40 * DAY))  # 40 days ahead: a wrong RTC
    assert seconds_between(data, started - 1, ended + 1) == before
    # Back on the right clock, the history recorded "in the future" makes the clock doubtful
    # for retention, and tracking goes on.
    again, until = track_for(data, 3, env_for(data))
    assert seconds_between(data, started - 1, ended + 1) == before
    assert seconds_between(data, again - 1, until + 1) >= (until - again) - 1.5
    no_overlaps(data)


def test_an_imported_event_dated_in_the_future_does_not_stop_tracking(data: Path) -> None:
    future = datetime.now(UTC) + timedelta(days=30)
    export = data.parent / "future.jsonl"
    record = {
        "start": future.isoformat(),
        "end": (future + timedelta(hours=1)).isoformat(),
        "app": "firefox",
        "title": "From a machine with a wrong clock",
        "device": socket.gethostname(),  # the same host as this device: its history
    }
    export.write_text(json.dumps(record) + "\n")
    imported = run("import", "jsonl", str(export), data=data)
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 span" in imported.stdout
    started, ended = track_for(data, 4, env_for(data))
    assert seconds_between(data, started - 1, ended + 1) >= (ended - started) - 1.5
    assert len(spans(data)) >= 2
    no_overlaps(data)


# -- the same stack in one process, with the clock jumping mid-run -------------------------


def recorder(path: Path, clock: FakeClock, *, keep_days: int) -> tuple[Recorder, Store]:
    store = open_store(f"sqlite:///{path / 'breather.db'}", device_uuid="me", device_name="me")
    desktop = ScriptedDesktop(clock, [Step(0, DEMO_APPS[1])], sleep=clock.advance)
    made = Recorder.for_store(
        store,
        TrackingSettings(interval=1.0),
        clock=clock,
        windows=desktop,
        idle=desktop,
        sleep=clock.advance,
        privacy=PrivacySettings(keep_days=keep_days),
        data_dir=path,
    )
    return made, store


def use(made: Recorder, clock: FakeClock, seconds: int) -> None:
    for _ in range(seconds):
        made.step()
        clock.advance(1)


def stored_seconds(path: Path) -> float:
    return sum(end - start for start, end, _ in spans(path)) / 1000


def test_a_jump_ahead_mid_run_deletes_no_more_than_the_time_measured(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    made, store = recorder(tmp_path, clock, keep_days=30)
    use(made, clock, 600)  # ten minutes of history
    made.finish()
    store.close()
    assert stored_seconds(tmp_path) == 599

    made, store = recorder(tmp_path, clock, keep_days=30)
    use(made, clock, 60)
    clock.jump_wall(60 * DAY)  # the clock jumps two months ahead while tracking runs
    use(made, clock, 60)
    clock.advance(RETENTION_EVERY)  # the next round of retention is due
    use(made, clock, 60)
    made.finish()
    store.close()
    # All of it is still there: a run deletes only as far as the time it measured.
    assert stored_seconds(tmp_path) >= 599 + 59 + 59 + 59


def test_retention_still_deletes_on_a_clock_that_agrees_with_the_history(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    made, store = recorder(tmp_path, clock, keep_days=30)
    use(made, clock, 600)
    made.finish()
    store.close()
    clock.advance(31 * DAY)  # a month of real time passes (a holiday)
    made, store = recorder(tmp_path, clock, keep_days=30)
    use(made, clock, 400)  # the start anchors on the newest stored time: nothing deleted yet
    assert stored_seconds(tmp_path) >= 599 + 300  # the second run reached the database too
    clock.advance(RETENTION_EVERY)
    use(made, clock, 5)  # now the clock has history that agrees with it
    made.finish()
    store.close()
    assert stored_seconds(tmp_path) < 410  # the first run's ten minutes are gone
