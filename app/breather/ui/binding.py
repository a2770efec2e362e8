"""Working around what the Qt binding does behind the app's back."""

from __future__ import annotations

import linecache


def forget_module_sources() -> None:
    """Drop the source text PySide6 read of every module imported after it.

    To decide whether a newly imported module uses Qt (for its `__feature__` switches),
    PySide6 reads the module's whole source with `inspect.getsource`, which keeps every line
    in `linecache` for the life of the process: about 6 MB for the app's imports, a tenth of
    its memory budget. The cache is only a cache (tracebacks read the lines again when they
    need them), so emptying it after a round of imports loses nothing.
    """
    linecache.clearcache()
