"""A wall clock moved under a real process: a small LD_PRELOAD shim, built with the C compiler.

Preloaded with `FAULT_WALL_OFFSET=SECONDS`, it moves what the process reads as the date and
time (clock_gettime's realtime clocks, gettimeofday, time) and leaves monotonic time alone, as
when NTP or a person sets the clock. Used for clock faults and to reach a given moment, such
as Sunday evening, without waiting for it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


class ShimUnavailable(Exception):
    """The shim cannot be built here; the message says why."""


SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

/* Moves the wall clock by FAULT_WALL_OFFSET seconds; monotonic time is left alone, as when
   NTP or a person sets the clock. */
static long offset(void) {
    const char *text = getenv("FAULT_WALL_OFFSET");
    return text ? atol(text) : 0;
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    static int (*real)(clockid_t, struct timespec *);
    if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int result = real(id, ts);
    if (result == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
        ts->tv_sec += offset();
    return result;
}

int gettimeofday(struct timeval *tv, void *tz) {
    static int (*real)(struct timeval *, void *);
    if (!real) real = (int (*)(struct timeval *, void *))dlsym(RTLD_NEXT, "gettimeofday");
    int result = real(tv, tz);
    if (result == 0 && tv) tv->tv_sec += offset();
    return result;
}

time_t time(time_t *out) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (out) *out = ts.tv_sec;
    return ts.tv_sec;
}
"""


def build_wall_shim(where: Path) -> Path:
    """Build the shim in `where`; its path. Raises ShimUnavailable saying why it cannot."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise ShimUnavailable("no C compiler (cc) to build the wall-clock shim")
    (where / "wallshim.c").write_text(SHIM)
    built = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O2", "-o", "wallshim.so", "wallshim.c", "-ldl"],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        raise ShimUnavailable(f"cannot build the wall-clock shim: {built.stderr.strip()}")
    return where / "wallshim.so"
