"""Mood check-ins: a mood from 1 to 5 and an optional note, at a moment, from a device.

`uuid` names a check-in everywhere it is copied (an export, another device's database), so
an import or a sync can add it once and recognise it afterwards.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("device_id", sa.Integer, nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("mood", sa.Integer, nullable=False),
        sa.Column("note", sa.String, nullable=False),
        sa.UniqueConstraint("uuid", name="uq_checkin_uuid"),
    )
    op.create_index("ix_checkin_at", "checkin", ["at_ms"])


def downgrade() -> None:
    op.drop_index("ix_checkin_at", "checkin")
    op.drop_table("checkin")
