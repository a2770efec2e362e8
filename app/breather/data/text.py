"""Text for a terminal: what came from windows, files or settings never drives the terminal.

A window title is whatever a program or a web page chose; one titled ``ESC ] 0 ; … BEL``
retitles the terminal that prints it, ``ESC [ 31 m`` recolours it, and a bidi override can
make a line read differently from what it holds. Every text output escapes such characters
so they are seen, not obeyed; JSON keeps the same data, with them as ``\\u`` escapes.
"""

from __future__ import annotations

import json
import re

# C0 controls but newline and tab, DEL, C1 controls (U+009B is a one-character CSI), and the
# bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character shown as an escape (``\\x1b``); newlines and tabs
    stay unless `one_line` (a table cell, a CSV field on a terminal)."""
    return (_UNSAFE_IN_LINE if one_line else _UNSAFE).sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(value: object, *, indent: int | None = None) -> str:
    """JSON of `value`, readable (not ASCII-escaped) but with no raw control character: the
    ones `json` leaves as they are (DEL, C1, bidi) become ``\\u`` escapes, the same data."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE.sub(_json_escape, text)
