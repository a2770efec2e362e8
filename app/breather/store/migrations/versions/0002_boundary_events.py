"""Boundary events: breaks due, taken, natural, postponed, skipped; limit and prompt answers.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "boundary_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("device_id", sa.Integer, nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("outcome", sa.String, nullable=False),
        sa.Column("subject", sa.String, nullable=False),
        sa.Column("detail", sa.String, nullable=False),
    )
    op.create_index("ix_boundary_event_at", "boundary_event", ["at_ms"])


def downgrade() -> None:
    op.drop_index("ix_boundary_event_at", "boundary_event")
    op.drop_table("boundary_event")
