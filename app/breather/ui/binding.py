"""Working around what the Qt binding does behind the app's back."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path
from types import ModuleType
from typing import Any


def forget_module_sources() -> None:
    """Drop the source text PySide6 read of every module imported after it.

    To decide whether a newly imported module uses Qt (for its `__feature__` switches),
    PySide6 reads the module's whole source with `inspect.getsource`, which keeps every line
    in `linecache` for the life of the process: about 6 MB for the app's imports, a tenth of
    its memory budget. The cache is only a cache (tracebacks read the lines again when they
    need them), so emptying it after a round of imports loses nothing.
    """
    linecache.clearcache()


def read_sources_quickly() -> None:
    """Let PySide6 answer "does this module use PySide6?" from the file's bytes.

    Its answer comes from `inspect.getsource`, which splits the whole source into lines and
    caches them: for the ~270 modules of numpy and pyqtgraph that the first chart imports,
    20-35 ms of a first open spent asking one question. The same question is asked here of
    the file's bytes; a module without a readable `.py` file still gets PySide6's own
    answer. Does nothing when PySide6 keeps its check elsewhere (another version), and is
    safe to call more than once.
    """
    feature: Any = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "reads_bytes", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                return b"PySide6" in Path(path).read_bytes()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
