"""The first schema: devices, apps, titles, spans and the hourly app rollup.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("name", sa.String, nullable=False),
    )
    op.create_table(
        "app",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("process", sa.String, nullable=False),
        sa.Column("exe", sa.String, nullable=False),
        sa.UniqueConstraint("name", "process", "exe", name="uq_app_identity"),
    )
    op.create_table(
        "title",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.BigInteger, nullable=False),
        sa.Column("text", sa.String, nullable=False),
    )
    op.create_index("ix_title_digest", "title", ["digest"])
    op.create_table(
        "span",
        sa.Column("start_ms", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("device_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("end_ms", sa.BigInteger, nullable=False),
        sa.Column("app_id", sa.Integer, nullable=True),
        sa.Column("title_id", sa.Integer, nullable=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "app_hour",
        sa.Column("hour", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("device_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("app_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ms", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("app_hour")
    op.drop_table("span")
    op.drop_index("ix_title_digest", "title")
    op.drop_table("title")
    op.drop_table("app")
    op.drop_table("device")
