"""Shared fixtures: a private data dir per test, a store opened in it, and a real PostgreSQL.

`store` speaks to SQLite through the standard library, as the app does. In a module marked
`both_drivers` (the tests of the store's SQL itself) every test that takes `store` runs three
times: through `sqlite3`, through SQLAlchemy (the path every other database URL takes), and on
a real PostgreSQL server (`tests/postgres.py`), a fresh database per test.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from breather.store import Store, open_store
from tests.postgres import PrivateServer, psycopg_missing, server_programs, skip_or_fail

#: The same SQLite file through the standard library's sqlite3, and through SQLAlchemy; and a
#: fresh database on the private PostgreSQL server.
DRIVER_URLS = {
    "sqlite3": "sqlite:///{}",
    "sqlalchemy": "sqlite+pysqlite:///{}",
    "postgresql": "",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_drivers"):
        metafunc.parametrize("store", sorted(DRIVER_URLS), indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs on the PostgreSQL server `postgresql` (`-m "not postgresql"`)."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        names = getattr(item, "fixturenames", ())
        if (
            "postgres_server" in names
            or "postgres_url" in names
            or params.get("store") == ("postgresql")
        ):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PrivateServer]:
    """One private PostgreSQL server for the session (skips, or fails under CI, without one)."""
    programs = server_programs()
    if programs is None:
        skip_or_fail("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        raise AssertionError  # not reached: skip_or_fail raises
    missing = psycopg_missing()
    if missing:
        skip_or_fail(missing)
    folder = Path(tempfile.mkdtemp(prefix="breather-pg-"))
    server = PrivateServer(programs, folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PrivateServer) -> Iterator[str]:
    """The URL of a fresh database on the private server, for this test alone."""
    yield postgres_server.new_database()


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    driver = getattr(request, "param", "sqlite3")
    if driver == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = DRIVER_URLS[driver].format(tmp_path / "breather.db")
    opened = open_store(url, device_uuid="test", device_name="t")
    yield opened
    opened.close()
