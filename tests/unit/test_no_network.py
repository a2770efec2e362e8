"""Nothing leaves the machine: Breather opens no socket, connects nowhere, looks up no name.

Each command runs in its own Python with an audit hook (installed by a `sitecustomize` on
PYTHONPATH before Breather is imported) that writes down every socket event. The only one
allowed is `socket.gethostname`, which names the device and touches no network.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

AW_EXPORT = Path(__file__).parents[1] / "fixtures" / "activitywatch" / "aw-buckets-export.json"

SITECUSTOMIZE = """
import os, sys

_log = open(os.environ["BREATHER_AUDIT_LOG"], "a", buffering=1, encoding="utf-8")

def _audit(event, args):
    if event.startswith("socket.") and event != "socket.gethostname":
        _log.write(f"{event} {args!r}\\n")

sys.addaudithook(_audit)
"""


@pytest.fixture
def audited(tmp_path: Path) -> tuple[dict[str, str], Path]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "socket-events.log"
    env = {**os.environ, "PYTHONPATH": str(hook), "BREATHER_AUDIT_LOG": str(log)}
    env["BREATHER_DATA_DIR"] = str(tmp_path / "data")
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env, log


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "breather", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_tracking_reporting_exporting_and_importing_open_no_socket(
    audited: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, log = audited
    # The hook works: a socket opened under it is written down.
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket().close()"], env=env, check=True
    )
    assert probe.returncode == 0
    assert "socket.__new__" in log.read_text(encoding="utf-8")
    log.write_text("", encoding="utf-8")

    tracker = subprocess.Popen(
        [sys.executable, "-m", "breather", "track", "--demo"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert tracker.stderr is not None
    assert "tracking" in tracker.stderr.readline()
    tracker.send_signal(signal.SIGTERM)
    tracker.communicate(timeout=30)
    assert tracker.returncode == 0

    run(env, "report")
    run(env, "report", "--by", "category", "--json")
    run(env, "export", "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"))
    run(env, "import", "activitywatch", str(AW_EXPORT))
    run(env, "import", "jsonl", str(tmp_path / "out.jsonl"))
    run(env, "categories")
    run(env, "pause", "5m")
    run(env, "forget", "--all", "--yes")
    run(env, "pause", "off")
    run(env, "config", "check")

    assert log.read_text(encoding="utf-8") == ""
