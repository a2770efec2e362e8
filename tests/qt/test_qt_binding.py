"""The Qt binding itself must hold up for days in the tray.

PySide6 6.12.0 dropped a reference to `True` on every call of a Python slot. The tray app calls
slots every second (each sample crosses from the sampler thread), so after some minutes the
count reached zero and the app aborted with "bool_dealloc"; pyproject.toml excludes it, and
this test fails on any binding that does the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from pytestqt.qtbot import QtBot


class _Sender(QObject):
    ping = Signal(object)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def on_ping(self, _value: object) -> None:
        self.calls += 1


def test_slot_calls_keep_the_reference_counts_of_true_and_false(qtbot: QtBot) -> None:
    sender, receiver = _Sender(), _Receiver()
    sender.ping.connect(receiver.on_ping, Qt.ConnectionType.QueuedConnection)
    sender.ping.connect(lambda _value: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(500):
        sender.ping.emit(None)
    qtbot.waitUntil(lambda: receiver.calls == 500)
    after = sys.getrefcount(True), sys.getrefcount(False)
    # A few references may come and go with Python's own bookkeeping; a leak is one per call.
    assert abs(after[0] - before[0]) < 50, f"True: {before[0]} -> {after[0]}"
    assert abs(after[1] - before[1]) < 50, f"False: {before[1]} -> {after[1]}"


def test_modules_imported_after_pyside_are_still_told_apart_when_read_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PySide6 keeps its `__feature__` switches for modules that use it and ignores the
    rest; reading the file's bytes instead of `inspect.getsource` must give the same
    answers, and leave no source lines behind in memory."""
    import linecache

    from breather.ui.binding import read_sources_quickly

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "pyside_feature_dict"):
        pytest.skip("this PySide6 keeps its __feature__ check elsewhere")
    (tmp_path / "breather_test_uses_qt.py").write_text("from PySide6 import QtCore\n")
    (tmp_path / "breather_test_plain.py").write_text("ANSWER = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    read_sources_quickly()
    read_sources_quickly()  # twice is once
    linecache.clearcache()
    for name in ("breather_test_uses_qt", "breather_test_plain"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        __import__(name)
    assert feature.pyside_feature_dict["breather_test_uses_qt"] == 0  # switches kept
    assert feature.pyside_feature_dict["breather_test_plain"] == -1  # ignored
    assert not any(str(tmp_path) in path for path in linecache.cache)
