"""SQL tables (SQLAlchemy Core), portable types only: one metadata for SQLite and PostgreSQL.

Every entity keeps its full validated record in ``data`` (JSON, the source of truth, exact
Decimals as strings) and copies the fields that queries filter on into typed columns.
``content_hash`` makes re-ingesting an unchanged record a no-op. ``dirty`` marks products whose
indexes (search, embeddings) must be refreshed by a job.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

ID = sa.String(200)
HASH = sa.String(32)
MONEY = sa.Numeric(18, 4, asdecimal=False)
TS = UtcDateTime()


def _entity_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("content_hash", HASH, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


products = sa.Table(
    "products",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("sku", sa.String(200), index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("brand", sa.String(2000), index=True),
    sa.Column("category", sa.Text, index=True),
    sa.Column("price", MONEY),
    sa.Column("currency", sa.String(3)),
    sa.Column("stock", sa.Integer),
    sa.Column("availability", sa.String(20)),
    sa.Column("language", sa.String(20)),
    sa.Column("variant_group", sa.String(2000), index=True),
    sa.Column("dirty", sa.Boolean, nullable=False, default=True, index=True),
    *_entity_columns(),
)

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("email", sa.String(320), index=True),
    sa.Column("locale", sa.String(20)),
    *_entity_columns(),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(32), nullable=False, index=True),
    sa.Column("customer_id", ID, index=True),
    sa.Column("session_id", ID, index=True),
    sa.Column("ts", TS, nullable=False, index=True),
    sa.Column("product_ids", sa.JSON, nullable=False),
    sa.Column("query", sa.Text),
    sa.Column("value", MONEY),
    sa.Column("currency", sa.String(3)),
    sa.Column("properties", sa.JSON),
    # A shopper's events of one kind (purchases) without scanning that kind shop-wide: 0007.
    sa.Index("ix_events_customer_name_ts", "customer_id", "name", "ts"),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("customer_id", ID, index=True),
    sa.Column("email", sa.String(320), index=True),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("total", MONEY, nullable=False),
    sa.Column("placed_at", TS, nullable=False, index=True),
    *_entity_columns(),
)

order_lines = sa.Table(
    "order_lines",
    metadata,
    sa.Column(
        "order_id",
        ID,
        sa.ForeignKey("orders.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("product_id", ID, nullable=False, index=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("unit_price", MONEY, nullable=False),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("product_id", ID, nullable=False, index=True),
    sa.Column("customer_id", ID, index=True),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("language", sa.String(20)),
    sa.Column("review_time", TS, nullable=False, index=True),
    *_entity_columns(),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("language", sa.String(20)),
    *_entity_columns(),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("revoked_at", TS),
)

ingest_runs = sa.Table(
    "ingest_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("format", sa.String(40), nullable=False),
    sa.Column("started_at", TS, nullable=False),
    sa.Column("finished_at", TS, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
)

erasures = sa.Table(
    "erasures",
    metadata,
    # A keyed hash of the erased id: lets ingest refuse the customer's data again without
    # keeping the id itself.
    sa.Column("subject_hash", sa.String(64), primary_key=True),
    sa.Column("erased_at", TS, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
)

ENTITY_TABLES: dict[str, sa.Table] = {
    "products": products,
    "customers": customers,
    "events": events,
    "orders": orders,
    "reviews": reviews,
    "documents": documents,
}

# Vectors computed by a model for a text, so unchanged texts are never embedded again.
# ``model`` names the embedder and its version; ``text_hash`` is sha256(kind + text), truncated.
embedding_cache = sa.Table(
    "embedding_cache",
    metadata,
    sa.Column("model", sa.String(160), primary_key=True),
    sa.Column("text_hash", sa.String(32), primary_key=True),
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

# What the review analyser found in a review: judged aspects, wishes and complaints.
# ``content_hash`` copies the review's at analysis time and ``analyser`` names the rules'
# version, so an edited review or a new analyser marks the row stale.
review_analyses = sa.Table(
    "review_analyses",
    metadata,
    sa.Column("review_id", ID, primary_key=True),
    sa.Column("product_id", ID, nullable=False, index=True),
    sa.Column("review_time", TS, nullable=False, index=True),
    sa.Column("language", sa.String(20)),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    # The review's sentiment label; polarity_source names what produced it ("sentiment-zh/v3"
    # for a trained model, "rules" for the aspect balance), polarity_p the model's probability
    # (NULL for rules), rating_agrees whether the stars say the same (NULL: nothing to compare).
    sa.Column("polarity", sa.String(10), nullable=False),
    sa.Column("polarity_p", sa.Float),
    sa.Column("polarity_source", sa.String(80)),
    sa.Column("rating_agrees", sa.Boolean),
    sa.Column("aspects", sa.JSON, nullable=False),
    sa.Column("needs", sa.JSON, nullable=False),
    sa.Column("analyser", sa.String(40), nullable=False),
    sa.Column("content_hash", HASH, nullable=False),
    sa.Column("analysed_at", TS, nullable=False),
)

# The customer-service assistant: one row per conversation, its turns, and hand-off tickets.
# ``state`` holds what the conversation remembers (last orders mentioned, guest verifications);
# message text is stored with personal data masked. ``api_key_id`` is the key that started the
# conversation over the API (none from the CLI or Python): only that key may use it there.
assistant_sessions = sa.Table(
    "assistant_sessions",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("customer_id", ID, index=True),
    sa.Column("language", sa.String(20)),
    sa.Column("api_key_id", sa.String(32)),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
)

assistant_messages = sa.Table(
    "assistant_messages",
    metadata,
    sa.Column(
        "session_id",
        sa.String(40),
        sa.ForeignKey("assistant_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("intent", sa.String(40)),
    sa.Column("citations", sa.JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

assistant_handoffs = sa.Table(
    "assistant_handoffs",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("session_id", sa.String(40), nullable=False, index=True),
    sa.Column("customer_id", ID),
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("language", sa.String(20)),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("created_at", TS, nullable=False, index=True),
)

# Recommendation A/B tests: named arms, each a configuration of the recommender, and the share
# of users it gets. Users are bucketed by a hash, so no assignment rows are stored.
rec_experiments = sa.Table(
    "rec_experiments",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("surface", sa.String(40), nullable=False),
    sa.Column("arms", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("stopped_at", TS),
)
