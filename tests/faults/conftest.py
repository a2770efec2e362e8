"""What the fault tests share: running `breather` as a person would, and the real faults.

The faults are real where a person meets real ones: real SQLite files, a real tmpfs that fills
up, symlinks planted by another real user, a wall clock moved under a real process (a small
LD_PRELOAD shim). What a fault needs and this machine lacks (a compiler, root to mount or to
add a user) skips here, naming it, and fails when `CI` is set: there the suite must run whole.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wallclock import ShimUnavailable, build_wall_shim

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)


def missing(what: str) -> None:
    """This machine cannot produce the fault: skip, naming why; under CI, fail."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run every fault test, but: {what}")
    pytest.skip(what)


def env_for(data: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "BREATHER_DATA_DIR": str(data), **extra}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def breather(
    *args: str, data: Path, env: dict[str, str] | None = None, user: str | None = None
) -> subprocess.Popen[str]:
    """`python -m breather ARGS` on `data` (as `user` when given), stdout and stderr piped."""
    command = [sys.executable, "-m", "breather", *args]
    return subprocess.Popen(
        command,
        env=env or env_for(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        user=user,
    )


def run(
    *args: str, data: Path, env: dict[str, str] | None = None, user: str | None = None
) -> subprocess.CompletedProcess[str]:
    proc = breather(*args, data=data, env=env, user=user)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def no_traceback(text: str) -> None:
    assert "Traceback" not in text, text


def wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float = 30) -> str:
    """Read the process's stderr until a line holds `needle`; what came before is kept on
    `proc.said` (a list) for later checks."""
    assert proc.stderr is not None
    said: list[str] = proc.__dict__.setdefault("said", [])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        said.append(line)
        if needle in line:
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"never saw {needle!r}; stderr was: {''.join(said)}")


def stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM, as a logout does; the exit code and all of stderr."""
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, "".join(proc.__dict__.get("said", [])) + err


def spans(data: Path) -> list[tuple[int, int, int]]:
    """Every stored (start_ms, end_ms, device_id), oldest first."""
    db = sqlite3.connect(f"file:{data / 'breather.db'}?mode=ro", uri=True)
    try:
        return db.execute(
            "SELECT start_ms, end_ms, device_id FROM span ORDER BY start_ms"
        ).fetchall()
    finally:
        db.close()


def seconds_between(data: Path, lo: float, hi: float) -> float:
    """Seconds stored within [lo, hi) (Unix times)."""
    total = 0
    for start, end, _device in spans(data):
        total += max(0, min(end, hi * 1000) - max(start, lo * 1000))
    return total / 1000


def no_overlaps(data: Path) -> None:
    by_device: dict[int, int] = {}
    for start, end, device in spans(data):
        assert end > start
        assert start >= by_device.get(device, start), "two stored spans overlap"
        by_device[device] = end


def integrity_ok(data: Path) -> None:
    db = sqlite3.connect(f"file:{data / 'breather.db'}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()


@pytest.fixture(scope="session")
def wall_shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shared library that, preloaded, moves a process's wall clock (not its monotonic one)."""
    try:
        return build_wall_shim(tmp_path_factory.mktemp("shim"))
    except ShimUnavailable as why:
        missing(str(why))
        raise  # not reached: missing() skips or fails


def clock_env(data: Path, shim: Path, offset_seconds: int, **extra: str) -> dict[str, str]:
    return env_for(data, LD_PRELOAD=str(shim), FAULT_WALL_OFFSET=str(int(offset_seconds)), **extra)


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "data"
    where.mkdir(mode=0o700)
    yield where


STRANGER = "breather-stranger"


@pytest.fixture(scope="session")
def stranger() -> str:
    """Another, unprivileged user of this machine (made once with useradd, as root)."""
    import pwd

    try:
        pwd.getpwnam(STRANGER)
        return STRANGER
    except KeyError:
        pass
    if os.geteuid() != 0:
        missing("adding another user to plant files needs root")
    useradd = shutil.which("useradd")
    if useradd is None:
        missing("no useradd to add another user")
    made = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", STRANGER],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        missing(f"useradd failed: {made.stderr.strip()}")
    return STRANGER


@pytest.fixture
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder other users may pass through (pytest's own temporary folders are owner-only)."""
    import tempfile

    where = Path(tempfile.mkdtemp(prefix="breather-faults-"))
    where.chmod(0o711)
    yield where
    shutil.rmtree(where, ignore_errors=True)


def as_user(user: str, *command: str) -> None:
    subprocess.run(list(command), user=user, check=True, capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MiB tmpfs, mounted for this test (root only)."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        missing("mounting a small tmpfs needs root and mount")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        missing(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Fill `disk` to the last byte with one file; delete the file to free the space again."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        for chunk in (1 << 16, 1 << 12, 1):
            try:
                while os.write(fd, b"\0" * chunk):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def wait_until(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def unprivileged() -> list[str]:
    """A command prefix that runs without root's power over file permissions: as root, every
    capability is dropped (setpriv), so a read-only file is read-only; as anyone else, none."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        missing("no setpriv (util-linux) to drop root's capabilities")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all", "--"]


def run_unprivileged(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*unprivileged(), sys.executable, "-m", "breather", *args],
        env=env_for(data),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
