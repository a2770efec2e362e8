"""The break window and the prompts on a real X server: how they look (saved under
tests/artifacts/ for people to look at) and that their Alt+letter mnemonics work for real."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop.harness import Desktop, _read_line

pytestmark = pytest.mark.desktop

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
ROOT = HERE.parents[1]


@pytest.mark.parametrize(
    ("which", "key", "answer"),
    [
        ("break", "alt+p", "answered postpone"),
        ("limit", "alt+m", "answered more"),
        ("intention", "alt+c", "answered close"),
        ("downtime", "alt+n", "answered ignore"),
    ],
)
def test_boundary_windows_look_calm_and_answer_their_mnemonics(
    desktop: Desktop, which: str, key: str, answer: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    window_png = ARTIFACTS / f"boundary-{which}.png"
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "show_boundary_prompt.py"), which, str(window_png)],
        env={**desktop.process_env, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    try:
        assert _read_line(proc.stdout.fileno(), 30).strip() == "shown"
        desktop.screenshot(ARTIFACTS / f"boundary-{which}-screen.png")
        subprocess.run(
            ["xdotool", "key", "--clearmodifiers", key],
            env=desktop.process_env,
            check=True,
            timeout=10,
        )
        assert _read_line(proc.stdout.fileno(), 10).strip() == answer
    finally:
        proc.stdin.close()
        proc.wait(timeout=15)
        errors = proc.stderr.read().decode(errors="replace")
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 0, errors
    assert "Traceback" not in errors, errors
    assert window_png.stat().st_size > 5000
