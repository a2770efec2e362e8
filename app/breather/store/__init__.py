"""The local database: tables, opening and migrating it, the span writer and read-only queries.

`open_store` is the one way in; nothing here holds a global connection.
"""

from breather.store.database import DatabaseUnusable, Store, open_store
from breather.store.sql import sqlite_url

__all__ = ["DatabaseUnusable", "Store", "open_store", "sqlite_url"]
