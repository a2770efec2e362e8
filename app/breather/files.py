"""Opening Breather's own files so that nobody else can point them elsewhere.

The data folder holds what a person did all day; a symbolic link planted in it (by another
user of a shared folder, or left by a restored backup) must never make Breather truncate,
overwrite or read another file, and a file or folder of someone else's must never be used as
Breather's own. So: links are not followed (`O_NOFOLLOW`), only regular files of this user are
used (a FIFO or a device is refused before it is read or written), what is too open is made
owner-only, new folders are created owner-only, and a folder others may write into is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

#: Read at most this much of a small file of Breather's own (device id, pause note, config).
SMALL_FILE_LIMIT = 1 << 20


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class UnsafeFile(Exception):
    """A file or folder of Breather's own cannot be used safely; the message says what to do."""


def _uid() -> int | None:
    getuid = getattr(os, "getuid", None)
    return None if getuid is None else int(getuid())


def private_dir(path: Path) -> Path:
    """Create `path` and its missing parents owner-only (0700); refuse an existing one that is
    not this user's or that others may write into, and make one that others may read owner-only.
    """
    missing: list[Path] = []
    here = path
    while not here.exists() and not here.is_symlink():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another process made it in between
            pass
        except OSError as error:
            raise UnsafeFile(
                f"cannot create the folder {folder}: {error.strerror or error}. "
                "Create it yourself, or choose another with --data-dir."
            ) from None
    try:
        info = path.stat()
    except OSError as error:
        raise UnsafeFile(f"cannot use the folder {path}: {error.strerror or error}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFile(
            f"{path} is not a folder; Breather keeps its data in a folder there. "
            "Move that file away, or choose another folder with --data-dir."
        )
    uid = _uid()
    if uid is None:  # no owners on this system: nothing more to check
        return path
    if info.st_uid != uid:
        raise UnsafeFile(
            f"the folder {path} belongs to another user (uid {info.st_uid}); Breather keeps "
            "its data only in a folder of your own. Choose another with --data-dir."
        )
    if info.st_mode & 0o002 or (info.st_mode & 0o020 and info.st_gid != os.getgid()):
        raise UnsafeFile(
            f"others can write into the folder {path} (mode {stat.S_IMODE(info.st_mode):o}), so "
            "they could plant files there. Breather will not use it. If you trust what is in "
            f"it, make it yours alone (chmod 700 '{path}'), or choose another with --data-dir."
        )
    if info.st_mode & 0o077:
        with contextlib.suppress(OSError):
            path.chmod(0o700)
    return path


def open_private(path: Path, flags: int, *, truncate: bool = False) -> int:
    """`os.open` for a file of Breather's own, created owner-only: a symbolic link, a file that
    is not regular, or one of another user is refused with `UnsafeFile` before anything is read
    or written; one others can read is made owner-only. `truncate` empties it after the checks.
    """
    extra = (
        getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    )
    try:
        fd = os.open(path, flags | extra, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP or path.is_symlink():
            raise UnsafeFile(
                f"{path} is a symbolic link; Breather does not follow links among its own "
                "files (someone may have planted it). Remove it, then try again."
            ) from None
        if error.errno == errno.ENXIO:  # a FIFO nobody reads
            raise UnsafeFile(f"{path} is not a regular file; remove it, then try again.") from None
        raise
    try:
        _check_open(path, fd)
        if truncate:
            os.ftruncate(fd, 0)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_open(path: Path, fd: int) -> None:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(f"{path} is not a regular file; remove it, then try again.")
    uid = _uid()
    if uid is None:  # no owners or modes to speak of on this system (Windows)
        return
    if info.st_uid != uid:
        raise UnsafeFile(
            f"{path} belongs to another user (uid {info.st_uid}); Breather uses only files "
            "of your own. Remove it, then try again."
        )
    if info.st_mode & 0o077:
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o600)


def read_private(path: Path, limit: int = SMALL_FILE_LIMIT) -> bytes:
    """The bytes of a small file of Breather's own (see `open_private`); raises
    FileNotFoundError if it is not there and `UnsafeFile` if it is larger than `limit`."""
    fd = open_private(path, os.O_RDONLY)
    with os.fdopen(fd, "rb") as source:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile(f"{path} is larger than {limit} bytes; it cannot be Breather's.")
    return data


def check_not_link(path: Path) -> None:
    """Refuse `path` if it is a symbolic link or not a regular file (a file opened by another
    library, such as SQLite, by name); nothing if it is not there."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFile(
            f"{path} is a symbolic link; Breather does not follow links among its own files "
            "(someone may have planted it). Remove it, then try again."
        )
    uid = _uid()
    if uid is not None and info.st_uid != uid:
        raise UnsafeFile(
            f"{path} belongs to another user (uid {info.st_uid}); Breather uses only files "
            "of your own. Remove it, then try again."
        )
