"""A full disk, on a real tmpfs: tracking goes on in memory and everything is saved later."""

from __future__ import annotations

import time
from pathlib import Path

from tests.faults.conftest import (
    breather,
    env_for,
    fill,
    integrity_ok,
    no_overlaps,
    no_traceback,
    run,
    seconds_between,
    spans,
    stop,
    wait_for_line,
    wait_until,
)


def test_tracking_survives_a_full_disk_and_saves_everything_when_space_returns(
    small_disk: Path,
) -> None:
    data = small_disk / "data"
    proc = breather("track", "--demo", data=data, env=env_for(data))
    wait_for_line(proc, "tracking")
    started = time.time()
    # Full before the first journal flush (at 9 s): that and the next meet the full disk.
    filler = fill(small_disk)
    wait_until(lambda: proc.poll() is not None or time.time() - started > 20, 30, "20 s")
    assert proc.poll() is None, "track stopped on a full disk"
    filler.unlink()  # space again
    time.sleep(11)  # someone goes on working; the next flush finds space
    ended = time.time()
    code, said = stop(proc)
    assert code == 0, said
    no_traceback(said)
    assert said.count("the disk is full") == 1, said
    assert "saving works again" in said
    recorded = seconds_between(data, started - 1, ended + 1)
    assert recorded >= (ended - started) - 2.0, f"ran {ended - started:.1f}s, kept {recorded}"
    integrity_ok(data)
    no_overlaps(data)


def test_a_first_start_on_a_full_disk_says_so_and_damages_nothing(small_disk: Path) -> None:
    data = small_disk / "data"
    filler = fill(small_disk)
    for command in (("report",), ("track", "--demo")):
        result = run(*command, data=data, env=env_for(data))
        no_traceback(result.stderr)
        assert result.returncode == 1
        assert "No space left" in result.stderr or "disk is full" in result.stderr
    filler.unlink()
    proc = breather("track", "--demo", data=data, env=env_for(data))
    wait_for_line(proc, "tracking")
    time.sleep(2)  # a moment of use
    code, said = stop(proc)
    assert code == 0, said
    assert "damaged" not in said
    assert not list(data.glob("*.damaged-*"))
    assert spans(data)
    integrity_ok(data)
