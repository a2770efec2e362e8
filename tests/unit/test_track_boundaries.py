"""`breather track` with boundaries on a machine that cannot show notifications."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_without_a_notification_server_track_says_so_once_and_keeps_tracking(
    tmp_path: Path,
) -> None:
    config = tmp_path / "breather.toml"
    config.write_text('[breaks.eyes]\nevery = "10s"\nduration = "5s"\n')
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY")
    }
    env.update(BREATHER_DATA_DIR=str(tmp_path), BREATHER_CONFIG=str(config))
    proc = subprocess.Popen(
        [sys.executable, "-m", "breather", "track", "--demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert err.count("notifications cannot be shown") == 1, err
    assert "tracking fake" in err
    assert "Traceback" not in err
