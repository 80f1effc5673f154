"""review analyses

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_analyses",
        sa.Column("review_id", sa.String(length=200), nullable=False),
        sa.Column("product_id", sa.String(length=200), nullable=False),
        sa.Column("review_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("aspects", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("analyser", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_review_analyses")),
    )
    op.create_index(
        op.f("ix_review_analyses_product_id"), "review_analyses", ["product_id"], unique=False
    )
    op.create_index(
        op.f("ix_review_analyses_review_time"), "review_analyses", ["review_time"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_analyses_review_time"), table_name="review_analyses")
    op.drop_index(op.f("ix_review_analyses_product_id"), table_name="review_analyses")
    op.drop_table("review_analyses")
