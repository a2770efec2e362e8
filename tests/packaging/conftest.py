"""Shared by the packaging checks: the repository's files, and tools that may be missing.

A check whose tool is missing skips, naming it and its Debian package; when the environment
variable CI is set it fails instead, so CI can never pass by skipping (tests/run installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the Qt check here needs no display

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Written once, in the package (pyproject.toml reads it from there: `dynamic = ["version"]`).
VERSION: str = re.search(
    r'^__version__ = "([^"]+)"$',
    (ROOT / "app" / "breather" / "__init__.py").read_text(encoding="utf-8"),
    re.MULTILINE,
).group(1)  # type: ignore[union-attr]
#: The frozen bundle may not grow past this (MB); the figure is in packaging/README.md.
BUNDLE_BUDGET_MB = 230
#: How long the installed and frozen apps run before the test hook quits them (ms).
EXIT_AFTER_MS = "1500"


def require(what: str, missing: bool, how: str) -> None:
    """Skip the test (fail it under CI) when `what` is missing; `how` says how to get it."""
    if not missing:
        return
    reason = f"{what} is not available ({how})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


def program(name: str, package: str) -> str:
    """The path of `name` on PATH, or skip (fail under CI) naming its Debian package."""
    found = shutil.which(name)
    require(name, found is None, f"Debian package {package}")
    assert found is not None
    return found


def run(
    argv: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a program; on failure (when `check`), the assertion shows its output."""
    done = subprocess.run(
        [str(arg) for arg in argv],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert done.returncode == 0, (
            f"{' '.join(map(str, argv))} exited {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
    return done


def headless_env(tmp: Path) -> dict[str, str]:
    """Offscreen Qt, no X11, and every per-user folder inside `tmp`."""
    return {
        "QT_QPA_PLATFORM": "offscreen",
        "DISPLAY": "",
        "WAYLAND_DISPLAY": "",
        "BREATHER_DATA_DIR": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_CONFIG_DIRS": str(tmp / "etc-xdg"),
        "XDG_DATA_HOME": str(tmp / "share"),
        "HOME": str(tmp / "home"),
    }


def tree_size(path: Path) -> int:
    """Bytes in the files under `path` (symbolic links counted as links)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


@pytest.fixture(scope="session")
def python() -> str:
    return sys.executable
