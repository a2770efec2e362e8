"""Sync through a shared server: what is left to send, what was received, and what was forgotten.

On each device: `sync_pending` (the hours of its records changed since a round took them),
`sync_sending` (the hours a round took and has not yet seen the server keep), `sync_pulled`
(how far it has read each server's changes) and `sync_forget_pending` (deletions not yet sent). On the
server: `sync_clock` (one row: the last change number), `sync_hour` (the change that last
replaced each device's hour) and `sync_forgotten` (every deletion, by change). Every table
exists in every database, so one schema serves both roles. Existing records are marked to send.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    for name in ("sync_pending", "sync_sending"):
        op.create_table(
            name,
            sa.Column("device_id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("hour", sa.Integer, primary_key=True, autoincrement=False),
            sqlite_with_rowid=False,
        )
    op.create_table(
        "sync_pulled",
        sa.Column("server", sa.String, primary_key=True),
        sa.Column("change", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "sync_forget_pending",
        sa.Column("start_ms", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("end_ms", sa.BigInteger, primary_key=True, autoincrement=False),
    )
    clock = op.create_table(
        "sync_clock",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("change", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(clock, [{"id": 1, "change": 0}])
    op.create_table(
        "sync_hour",
        sa.Column("device_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("hour", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("change", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_sync_hour_change", "sync_hour", ["change"])
    op.create_table(
        "sync_forgotten",
        sa.Column("change", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("start_ms", sa.BigInteger, nullable=False),
        sa.Column("end_ms", sa.BigInteger, nullable=False),
    )
    # Everything recorded before sync existed is this database's own, and waits to be sent.
    op.execute(
        "INSERT INTO sync_pending (device_id, hour)"
        " SELECT DISTINCT device_id, start_ms / 3600000 FROM span"
        " UNION SELECT DISTINCT device_id, at_ms / 3600000 FROM boundary_event"
        " UNION SELECT DISTINCT device_id, at_ms / 3600000 FROM checkin"
    )


def downgrade() -> None:
    op.drop_table("sync_forgotten")
    op.drop_index("ix_sync_hour_change", "sync_hour")
    op.drop_table("sync_hour")
    op.drop_table("sync_clock")
    op.drop_table("sync_forget_pending")
    op.drop_table("sync_pulled")
    op.drop_table("sync_sending")
    op.drop_table("sync_pending")
