"""Shared fixtures: a private data dir per test, and a store opened in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from breather.store import Store, open_store, sqlite_url


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(sqlite_url(tmp_path / "breather.db"), device_uuid="test", device_name="t")
    yield opened
    opened.close()
