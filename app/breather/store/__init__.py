"""The local database: tables, opening and migrating it, the span writer and read-only queries.

`open_store` is the one way in; nothing here holds a global connection. Domain: imports
`tracking`, `rules.model`, `categories` and `monitor.base` beneath it, never Qt or anything
above.
"""

from breather.store.database import DatabaseUnusable, Store, open_store
from breather.store.sql import sqlite_url

__all__ = ["DatabaseUnusable", "Store", "open_store", "sqlite_url"]
