"""assistant sessions, messages and hand-offs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_sessions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_sessions")),
    )
    op.create_index(
        op.f("ix_assistant_sessions_customer_id"),
        "assistant_sessions",
        ["customer_id"],
        unique=False,
    )
    op.create_table(
        "assistant_messages",
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=40), nullable=True),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["assistant_sessions.id"],
            name=op.f("fk_assistant_messages_session_id_assistant_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "seq", name=op.f("pk_assistant_messages")),
    )
    op.create_table(
        "assistant_handoffs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_handoffs")),
    )
    for column in ("session_id", "status", "created_at"):
        op.create_index(
            op.f(f"ix_assistant_handoffs_{column}"), "assistant_handoffs", [column], unique=False
        )


def downgrade() -> None:
    for column in ("created_at", "status", "session_id"):
        op.drop_index(op.f(f"ix_assistant_handoffs_{column}"), table_name="assistant_handoffs")
    op.drop_table("assistant_handoffs")
    op.drop_table("assistant_messages")
    op.drop_index(op.f("ix_assistant_sessions_customer_id"), table_name="assistant_sessions")
    op.drop_table("assistant_sessions")
