"""Where Breather keeps its files: platform defaults, overridable by flags and environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from breather.files import open_private, private_dir, read_private

APP_NAME = "breather"
#: Held by whichever process records spans for this data dir (`breather track` or the app).
TRACKER_LOCK = "tracker.lock"
#: Left by the first-run welcome once it was answered.
WELCOMED_MARKER = "welcomed"


@dataclass(frozen=True, slots=True)
class Paths:
    """The data directory, the config file and the database URL in force."""

    data_dir: Path
    config_file: Path
    db_url: str


def default_db_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'breather.db'}"


def resolve_paths(
    data_dir: str | None = None, config: str | None = None, db: str | None = None
) -> Paths:
    """Flags win over BREATHER_DATA_DIR / BREATHER_CONFIG / BREATHER_DB, which win over defaults."""
    import platformdirs

    data = data_dir or os.environ.get("BREATHER_DATA_DIR")
    data_path = Path(data).expanduser() if data else Path(platformdirs.user_data_dir(APP_NAME))
    conf = config or os.environ.get("BREATHER_CONFIG")
    if conf:
        config_path = Path(conf).expanduser()
    elif data:
        # A separate data dir (tests, a second profile) keeps its config beside it.
        config_path = data_path / "breather.toml"
    else:
        config_path = Path(platformdirs.user_config_dir(APP_NAME)) / "breather.toml"
    given = db or os.environ.get("BREATHER_DB")
    url = database_url(given) if given else default_db_url(data_path)
    return Paths(data_path, config_path, url)


def database_url(given: str) -> str:
    """A database URL as given (`postgresql+psycopg://…`), or a file path made into one: people
    write `--db ~/breather.db` as often as `--db sqlite:////home/me/breather.db`."""
    if "://" in given:
        return given
    return f"sqlite:///{Path(given).expanduser().resolve()}"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) owner-only; refuse one of another user or that
    others may write into (`breather.files.UnsafeFile`), and tighten one others may read."""
    return private_dir(path)


def device_identity(data_dir: Path) -> tuple[str, str]:
    """This machine's (uuid, name); the uuid is made once and kept in the data dir."""
    import socket  # here, not above: `breather --version` and `--help` need neither
    import uuid

    ensure_private_dir(data_dir)
    id_file = data_dir / "device-id"
    try:
        device_uuid = read_private(id_file, 4096).decode("utf-8", "replace").strip()
        uuid.UUID(device_uuid)
    except (FileNotFoundError, ValueError):
        device_uuid = str(uuid.uuid4())
        # Not followed if it is a link, and emptied only once it proved to be ours.
        fd = open_private(id_file, os.O_CREAT | os.O_WRONLY, truncate=True)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(device_uuid + "\n")
    return device_uuid, socket.gethostname()


def hold_lock(path: Path) -> object | None:
    """Take an exclusive lock on `path` for this process's life; None if another holds it.

    The returned handle must be kept referenced; the lock goes with the process.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, so no second-instance guard
        return object()
    handle = os.fdopen(open_private(path, os.O_CREAT | os.O_WRONLY), "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def protect_file(path: Path) -> None:
    """Make a file of the person's owner-only, if it is theirs and others could read it."""
    try:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            path.chmod(info.st_mode & 0o700)
    except (OSError, AttributeError):  # not there, not ours, or no uids on this system
        pass
