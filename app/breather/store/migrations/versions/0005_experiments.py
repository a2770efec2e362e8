"""Personal experiments: a daily limit or a break cadence tried for a number of days.

`uuid` names an experiment wherever it is copied (an export, another device's database), so
an import adds it once. `subject` is what it changes ("category:Social media", "app:Slack",
"movement"), `value` the limit or the cadence in seconds; `ended_ms` is set when it was ended
early.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("device_id", sa.Integer, nullable=False),
        sa.Column("started_ms", sa.BigInteger, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("subject", sa.String, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("ended_ms", sa.BigInteger, nullable=True),
        sa.UniqueConstraint("uuid", name="uq_experiment_uuid"),
    )


def downgrade() -> None:
    op.drop_table("experiment")
