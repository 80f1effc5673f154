"""assistant_sessions.api_key_id: the API key that started a conversation

Session ids are random, but an id that leaks (a log line, a shared screenshot, a referrer) let
any storefront key read the conversation or post into it. The API now serves a session only to
the key that started it (and its history to merchant and admin keys). Sessions from before this
revision, and those started from the CLI or Python, have no key: over the API only merchant and
admin keys can read them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assistant_sessions") as batch:
        batch.add_column(sa.Column("api_key_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assistant_sessions") as batch:
        batch.drop_column("api_key_id")
