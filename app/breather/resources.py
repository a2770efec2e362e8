"""Files shipped with Breather (catalogues, icons, the example config), wherever it runs from.

In a wheel or a frozen bundle they sit in `breather/resources`; in a checkout, in the top-level
`resources/` folder.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    here = Path(__file__).resolve().parent
    candidates = [here / "resources", here.parents[1] / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "breather" / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Breather's resources are missing from this installation")


def resource(*parts: str) -> Path:
    """The path of a shipped file, e.g. `resource("icons", "breather.svg")`."""
    return resources_dir().joinpath(*parts)
