"""review sentiment: probability, source and rating agreement of each stored analysis

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 17:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: rows written before this revision have none, and the analyser version bump
    # that came with it makes the job analyse them again.
    with op.batch_alter_table("review_analyses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("polarity_p", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("polarity_source", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("rating_agrees", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_analyses", schema=None) as batch_op:
        batch_op.drop_column("rating_agrees")
        batch_op.drop_column("polarity_source")
        batch_op.drop_column("polarity_p")
