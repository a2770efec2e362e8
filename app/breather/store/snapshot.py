"""The schema a new SQLite database starts with, kept as SQL beside the migrations.

Creating a database by running the migrations needs alembic and SQLAlchemy: ~0.3 s of CPU and
~50 MB in a child process (see `breather.store.database`), on the first start and on a first
`breather import`, where it competes with the reading of the file. A new SQLite file needs
only what the migrations end with, so that is kept in `migrations/head.sql`: the statements
SQLite recorded for every table and index after migrating an empty file, and the rows the
migrations add, with the revision they reach on the first line. It is used only while that
revision is the newest migration's; a database of any other revision is migrated as before.

After adding a migration, write it again (a test fails until then):

    python -m breather.store.snapshot
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from breather import MIGRATE_COMMAND
from breather.store.sql import sqlite_url

#: Where the schema of the newest revision is kept, beside the migrations.
SNAPSHOT = Path(__file__).with_name("migrations") / "head.sql"
_REVISION_LINE = "-- revision "


def schema_script(connection: sqlite3.Connection) -> str:
    """The SQL that makes an empty SQLite file into what `connection`'s database is (its
    tables, indexes and rows), one statement after another; the first line names its
    revision. Meant for a freshly migrated database: every row is written out."""
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    lines = [f"{_REVISION_LINE}{revision}"]
    entries = connection.execute(
        "SELECT type, name, sql FROM sqlite_master"
        " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    ).fetchall()
    lines += [f"{sql};" for _, _, sql in entries]
    for kind, name, _ in entries:
        if kind != "table":
            continue
        columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')]
        quoted = " || ', ' || ".join(f'quote("{column}")' for column in columns)
        order = ", ".join(f'"{column}"' for column in columns)
        for (values,) in connection.execute(f'SELECT {quoted} FROM "{name}" ORDER BY {order}'):
            lines.append(f'INSERT INTO "{name}" VALUES ({values});')
    return "\n".join(lines) + "\n"


def snapshot_statements(revision: str, path: Path | None = None) -> list[str] | None:
    """The statements of the snapshot (at `path`, SNAPSHOT by default) when it is of
    `revision`; None when it is of another (a migration was added since it was written) or
    missing."""
    if path is None:
        path = SNAPSHOT
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    first, _, rest = text.partition("\n")
    if first != f"{_REVISION_LINE}{revision}":
        return None
    statements: list[str] = []
    pending = ""
    for line in rest.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements if not pending.strip() else None


def write_snapshot(path: Path | None = None) -> str:
    """Migrate an empty file with alembic and keep its schema at `path` (SNAPSHOT by
    default); returns its revision."""
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "new.db"
        # The migrations run as they do for the app: in the child process it starts for them.
        subprocess.run(
            [sys.executable, "-m", "breather", MIGRATE_COMMAND],
            input=sqlite_url(file),
            capture_output=True,
            text=True,
            check=True,
        )
        connection = sqlite3.connect(file)
        try:
            script = schema_script(connection)
        finally:
            connection.close()
    (SNAPSHOT if path is None else path).write_text(script, encoding="utf-8")
    return script.partition("\n")[0].removeprefix(_REVISION_LINE)


if __name__ == "__main__":
    print(f"{SNAPSHOT}: revision {write_snapshot()}")
