"""Alembic environment: always handed a live connection by `breather.store.database`.

Upgrades need no table metadata (the revisions say what to do), so the models, SQLModel and
pydantic are not imported here: that is ~0.15 s and ~15 MB less for the child process that
migrates a database while the app, `breather track` or an import goes on with its own work.
The test that compares the models with the migrated schema imports them itself."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    render_as_batch=True,  # SQLite can only ALTER through table copies
)
with context.begin_transaction():
    context.run_migrations()
