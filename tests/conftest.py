"""Shared fixtures: a private data dir per test, and a store opened in it.

`store` speaks to SQLite through the standard library, as the app does. Tests of the store's
SQL itself use `store_on_both_drivers`, which also runs them through SQLAlchemy: the path
every other database URL takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from breather.store import Store, open_store, sqlite_url

#: The same SQLite file through the standard library's sqlite3, and through SQLAlchemy.
DRIVER_URLS = {"sqlite3": "sqlite:///{}", "sqlalchemy": "sqlite+pysqlite:///{}"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(sqlite_url(tmp_path / "breather.db"), device_uuid="test", device_name="t")
    yield opened
    opened.close()


@pytest.fixture(params=sorted(DRIVER_URLS))
def store_on_both_drivers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = DRIVER_URLS[request.param].format(tmp_path / "breather.db")
    opened = open_store(url, device_uuid="test", device_name="t")
    yield opened
    opened.close()
