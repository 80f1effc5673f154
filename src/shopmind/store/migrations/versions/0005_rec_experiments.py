"""recommendation experiments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rec_experiments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("surface", sa.String(length=40), nullable=False),
        sa.Column("arms", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rec_experiments")),
    )
    op.create_index(op.f("ix_rec_experiments_status"), "rec_experiments", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_rec_experiments_status"), table_name="rec_experiments")
    op.drop_table("rec_experiments")
