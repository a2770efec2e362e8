"""Shared fixtures: a private data dir per test, and a store opened in it.

`store` speaks to SQLite through the standard library, as the app does. In a module marked
`both_drivers` (the tests of the store's SQL itself) every test that takes `store` runs twice:
through `sqlite3` and through SQLAlchemy, the path every other database URL takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from breather.store import Store, open_store

#: The same SQLite file through the standard library's sqlite3, and through SQLAlchemy.
DRIVER_URLS = {"sqlite3": "sqlite:///{}", "sqlalchemy": "sqlite+pysqlite:///{}"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_drivers"):
        metafunc.parametrize("store", sorted(DRIVER_URLS), indirect=True)


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    driver = getattr(request, "param", "sqlite3")
    url = DRIVER_URLS[driver].format(tmp_path / "breather.db")
    opened = open_store(url, device_uuid="test", device_name="t")
    yield opened
    opened.close()
