"""events: one index on (customer_id, name, ts)

A shopper's purchases (`store.recs.purchased_products`) filter on customer and event name. With
single-column indexes SQLite chose the one on ``name`` and scanned every purchase in the shop:
27 ms of a 33 ms home-feed request at 50k shoppers. The composite index answers it directly and
also serves "latest events of a customer, by name" in time order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 18:55:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_customer_name_ts", "events", ["customer_id", "name", "ts"])


def downgrade() -> None:
    op.drop_index("ix_events_customer_name_ts", table_name="events")
