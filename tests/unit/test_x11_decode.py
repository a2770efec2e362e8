"""Title decoding of the X11 backend, and what it does without an X server at all."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breather.monitor.base import BackendUnavailable
from breather.monitor.x11.desktop import decode_compound_text, decode_text_property, open_x11


@pytest.mark.parametrize(
    ("raw", "type_name", "expected"),
    [
        (b"plain ascii", "STRING", "plain ascii"),
        (b"Gr\xfc\xdfe", "STRING", "Grüße"),  # real Latin-1
        ("Grüße 🧘".encode(), "STRING", "Grüße 🧘"),  # Tk, xdotool: UTF-8 in a STRING
        ("日本語のメモ".encode(), "UTF8_STRING", "日本語のメモ"),
        (b"bad \xff utf-8", "UTF8_STRING", "bad \ufffd utf-8"),  # declared UTF-8 stays UTF-8
        (b"title\x00", "STRING", "title"),  # a trailing NUL some clients add
        (b"", "STRING", ""),
        # xterm's COMPOUND_TEXT: Latin-1 outside, UTF-8 between ESC % G and ESC % @.
        (b"Caf\xe9 \x1b%G\xe2\x98\x95\x1b%@ ok", "COMPOUND_TEXT", "Café ☕ ok"),
        (b"\x1b%G\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\x1b%@", "COMPOUND_TEXT", "שלום"),
        (b"\x1b%G\xf0\x9f\xa7\x98 open", "COMPOUND_TEXT", "🧘 open"),  # never closed
        (b"COMPOUND_TEXT without escapes \xe9", "COMPOUND_TEXT", "COMPOUND_TEXT without escapes é"),
        # ISO 8859 right halves and a JIS X 0208 run, as pre-UTF-8 clients write them.
        (b"\x1b-F\xe1\xe2\xe3 \x1b-A\xe9", "COMPOUND_TEXT", "αβγ é"),
        (b"\x1b-L\xbf\xe0\xd8\xd2\xd5\xe2", "COMPOUND_TEXT", "Привет"),
        (b"\x1b$)B\xc6\xfc\xcb\xdc", "COMPOUND_TEXT", "日本"),
        (b"odd \x1b(Bescape", "COMPOUND_TEXT", "odd escape"),  # ASCII designation: no-op
        (b"cut escape \x1b$", "COMPOUND_TEXT", "cut escape "),
    ],
)
def test_decodes_titles_as_clients_write_them(raw: bytes, type_name: str, expected: str) -> None:
    assert decode_text_property(raw, type_name) == expected


def test_a_cut_title_drops_the_partial_character_at_the_end() -> None:
    raw = "ab🧘".encode()[:-2]  # cut in the middle of the emoji by the byte limit
    assert decode_text_property(raw, "UTF8_STRING", complete=False) == "ab"
    assert decode_text_property(raw, "STRING", complete=False) == "ab"  # not Latin-1 junk
    # A whole title ending in a broken sequence is still shown, not silently shortened.
    assert decode_text_property(raw, "UTF8_STRING") == "ab\ufffd"


def test_escape_runs_may_mix_with_latin_1() -> None:
    raw = b"\xc0 \x1b%G\xe2\x82\xac\x1b%@ \xc0 \x1b%G\xc2\xa2\x1b%@"
    assert decode_compound_text(raw) == "À € À ¢"


@given(st.binary(max_size=300), st.sampled_from(["STRING", "UTF8_STRING", "COMPOUND_TEXT"]))
def test_any_bytes_decode_without_raising(raw: bytes, type_name: str) -> None:
    for complete in (True, False):
        assert isinstance(decode_text_property(raw, type_name, complete=complete), str)


@given(st.text(max_size=200))
def test_utf8_text_round_trips_whatever_the_declared_type(text: str) -> None:
    text = text.replace("\x1b", "").rstrip("\x00")
    for type_name in ("STRING", "UTF8_STRING", "COMPOUND_TEXT"):
        assert decode_text_property(text.encode(), type_name) == text


def test_importing_the_backend_connects_to_nothing() -> None:
    code = "import sys, breather.monitor.x11.desktop; sys.exit('Xlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_no_display_is_unavailable_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(BackendUnavailable, match="DISPLAY is not set"):
        open_x11()


def test_missing_python_xlib_is_unavailable_with_a_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "Xlib", None)  # makes `import Xlib` fail
    with pytest.raises(BackendUnavailable, match="python-xlib is not installed"):
        open_x11(":0")
