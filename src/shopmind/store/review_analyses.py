"""Stored review analyses: which reviews need (re)analysis, saving results, reading them back.

An analysis row is stale when its review changed (content hash) or the analyser did (version);
rows of deleted reviews are never returned because reads join the reviews table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from shopmind.core.schemas import Review
from shopmind.store import tables
from shopmind.store.store import Store, chunks

_A = tables.review_analyses
_R = tables.reviews
_P = tables.products


def pending_reviews(
    store: Store, analyser: str, *, limit: int = 1000, product_ids: Sequence[str] | None = None
) -> list[tuple[Review, str, str]]:
    """Up to ``limit`` (review, content hash, product category) whose analysis is missing/stale."""
    stmt = (
        sa.select(_R.c.data, _R.c.content_hash, _P.c.category)
        .select_from(
            _R.outerjoin(_A, _A.c.review_id == _R.c.id).outerjoin(_P, _P.c.id == _R.c.product_id)
        )
        .where(
            sa.or_(
                _A.c.review_id.is_(None),
                _A.c.content_hash != _R.c.content_hash,
                _A.c.analyser != analyser,
            )
        )
        .order_by(_R.c.id)
        .limit(limit)
    )
    if product_ids is not None:
        stmt = stmt.where(_R.c.product_id.in_(list(product_ids)))
    with store.read() as conn:
        return [
            (Review.model_validate(row.data), row.content_hash, row.category or "")
            for row in conn.execute(stmt)
        ]


def save_review_analyses(store: Store, rows: Sequence[dict[str, Any]]) -> int:
    """Insert or replace analysis rows (columns of ``review_analyses``) in one transaction."""
    update = [c.name for c in _A.columns if c.name != "review_id"]
    with store.write() as conn:
        for part in chunks(list(rows), 1000):
            store.upsert_raw(conn, _A, list(part), update)
    return len(rows)


def load_review_analyses(
    store: Store, *, product_id: str | None = None, category: str | None = None
) -> list[dict[str, Any]]:
    """Analyses of one product's reviews, or of every product in a category (and below it).

    Each row: review_id, product_id, review_time, language, rating, polarity, polarity_p,
    polarity_source, rating_agrees, aspects, needs.
    """
    if (product_id is None) == (category is None):
        raise ValueError("give exactly one of product_id and category")
    stmt = sa.select(
        _A.c.review_id,
        _A.c.product_id,
        _A.c.review_time,
        _A.c.language,
        _A.c.rating,
        _A.c.polarity,
        _A.c.polarity_p,
        _A.c.polarity_source,
        _A.c.rating_agrees,
        _A.c.aspects,
        _A.c.needs,
    ).select_from(_A.join(_R, _R.c.id == _A.c.review_id))
    if product_id is not None:
        stmt = stmt.where(_A.c.product_id == product_id)
    else:
        assert category is not None
        stmt = stmt.join(_P, _P.c.id == _A.c.product_id).where(_in_category(category))
    stmt = stmt.order_by(_A.c.review_time, _A.c.review_id)
    with store.read() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]


def _in_category(category: str) -> sa.ColumnElement[bool]:
    return sa.or_(
        _P.c.category == category, _P.c.category.startswith(category + " > ", autoescape=True)
    )


def category_product_count(store: Store, category: str) -> int:
    """How many products sit in ``category`` or below it (0: no such category)."""
    stmt = sa.select(sa.func.count()).select_from(_P).where(_in_category(category))
    with store.read() as conn:
        return int(conn.execute(stmt).scalar_one())


def count_reviews(store: Store, product_ids: Sequence[str]) -> int:
    """The number of stored reviews of these products."""
    total = 0
    with store.read() as conn:
        for part in chunks(list(product_ids)):
            stmt = sa.select(sa.func.count()).select_from(_R).where(_R.c.product_id.in_(part))
            total += int(conn.execute(stmt).scalar_one())
    return total


def forget_review_analyses(store: Store) -> int:
    """Drop every stored analysis (the next job analyses every review again)."""
    with store.write() as conn:
        return int(conn.execute(sa.delete(_A)).rowcount or 0)
