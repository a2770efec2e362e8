"""A private PostgreSQL server for the tests: Debian's `postgresql` package, run by this user.

The cluster lives in a temporary folder and listens only on a Unix socket there (no TCP port,
nothing shared with another test run), with `trust` authentication and one role, `breather`.
PostgreSQL refuses to run as root: run as root (CI containers), the server runs as the
package's own `postgres` user, which owns the cluster's folder. Tests make one fresh
database each (`PrivateServer.new_database`), so nothing one test writes is seen by another.
`stop()` and `start()` take the server away and bring it back with its data, as a person's
server going down does.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

#: Who runs the server when the tests run as root: the user Debian's package makes.
SERVER_USER = "postgres"
#: Where Debian installs the server programs (one folder per major version).
DEBIAN_POSTGRESQL = Path("/usr/lib/postgresql")


def server_programs() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None when there is none."""
    found = [
        path / "bin" for path in DEBIAN_POSTGRESQL.glob("*") if (path / "bin" / "initdb").exists()
    ]
    if not found:
        on_path = shutil.which("initdb")
        return Path(on_path).resolve().parent if on_path else None
    return max(found, key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)


def psycopg_missing() -> str | None:
    """Why the PostgreSQL driver cannot be used here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test,postgresql]')"
    return None


def skip_or_fail(reason: str) -> None:
    """Skip, naming what is missing; under CI, fail: there every PostgreSQL test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


class PrivateServer:
    """One private cluster: `start()`, `new_database()`, `stop()`."""

    def __init__(self, programs: Path, folder: Path) -> None:
        self.programs = programs
        self.folder = folder
        self.data = folder / "data"
        self.socket_dir = folder / "sock"
        #: The role tests connect as (trust authentication on the private socket).
        self.user = "breather"
        #: The system user the server runs as: this one, or `postgres` when this one is root.
        self.run_as: str | None = SERVER_USER if os.geteuid() == 0 else None

    def _run(self, *command: str, check: bool = True) -> None:
        done = subprocess.run(
            list(command), user=self.run_as, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}")

    def start(self) -> None:
        """Start the server (making the cluster the first time); returns once it accepts."""
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if self.run_as is not None:
            owner = pwd.getpwnam(self.run_as)
            # The folder only the server's user may enter (a temporary folder's parents are
            # passable, never listable, by others).
            for path in (self.folder, self.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
                path.chmod(0o700)
        if not (self.data / "PG_VERSION").exists():
            self._run(
                str(self.programs / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                self.user,
                "--no-instructions",
            )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}'"
            # A test server: durability is not what is tested, and fsync costs seconds.
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.programs / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        """Stop the server (fast: open connections are ended, committed data stays)."""
        self._run(
            str(self.programs / "pg_ctl"),
            "-D",
            str(self.data),
            "-m",
            "fast",
            "-w",
            "stop",
            check=False,
        )

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL (psycopg 3 driver)."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(
            host=str(self.socket_dir), dbname="postgres", user=self.user, autocommit=True
        ) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://{self.user}@/{name}?host={self.socket_dir}"
