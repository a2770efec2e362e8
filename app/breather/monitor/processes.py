"""The program behind a window, from its process id: what every window backend asks psutil."""

from __future__ import annotations

import contextlib

import psutil


def process_info(pid: int | None) -> tuple[str, str]:
    """Name and executable of `pid`, each "" when it cannot be known (no pid, a process gone,
    or one this user may not look into).

    psutil names processes from the system's process list, which does not need to open the
    process, so an elevated app still gets its name when its path stays hidden.
    """
    if not pid or pid < 0:
        return "", ""
    try:
        process = psutil.Process(pid)
    except psutil.Error:
        return "", ""
    name = exe = ""
    with contextlib.suppress(psutil.Error):  # NoSuchProcess, ZombieProcess, AccessDenied
        name = process.name()
    with contextlib.suppress(psutil.Error):
        exe = process.exe()
    return name, exe
