"""embedding cache

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "embedding_cache",
        sa.Column("model", sa.String(length=160), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("model", "text_hash", name=op.f("pk_embedding_cache")),
    )


def downgrade() -> None:
    op.drop_table("embedding_cache")
