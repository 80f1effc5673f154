"""Reads and writes the search index needs, so that capabilities never build SQL themselves.

Every function takes a `Store` and returns plain Python values (tuples, dicts, counters), never
SQLAlchemy rows: callers stay free of the database layer, and each query has one home where
both backends are tested (``tests/store/test_queries.py``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from shopmind.store import tables
from shopmind.store.store import Store

_P = tables.products
_R = tables.reviews
_E = tables.events


class DirtyProduct(NamedTuple):
    """A product whose indexes are out of date, with the content hash they must catch up to."""

    id: str
    content_hash: str
    data: dict[str, Any] | None  # None when read with ``with_data=False``


@dataclass(frozen=True)
class RatingTotals:
    """The sum and number of review ratings of one product."""

    total: float
    count: int


class SearchEventRow(NamedTuple):
    """The columns of a ``search`` or ``select_item`` event that search analytics reads."""

    name: str
    session_id: str | None
    ts: datetime
    query: str | None
    properties: dict[str, Any] | None


# --- products --------------------------------------------------------------------------------


def dirty_products(store: Store, *, with_data: bool = True) -> list[DirtyProduct]:
    """Every product marked dirty, in no particular order; ``data`` only when ``with_data``."""
    data = _P.c.data if with_data else sa.null()
    stmt = sa.select(_P.c.id, _P.c.content_hash, data).where(_P.c.dirty)
    with store.read() as conn:
        return [DirtyProduct(row[0], row[1], row[2]) for row in conn.execute(stmt)]


CLEAN_BATCH = 5_000


def mark_clean(store: Store, seen: Iterable[tuple[str, str]]) -> int:
    """Clear the dirty flag of each (id, content hash) whose stored hash is still that one.

    One transaction for all of them. A product edited after it was read has another hash now and
    stays dirty, so the next refresh picks the edit up. Returns how many rows were cleared.
    """
    # One compiled statement run with many parameter sets: building and compiling an UPDATE per
    # row took most of an hour for a 1M-product index build.
    stmt = (
        sa.update(_P)
        .where(_P.c.id == sa.bindparam("pid"), _P.c.content_hash == sa.bindparam("digest"))
        .values(dirty=False)
    )
    cleared = 0
    rows = [{"pid": pid, "digest": digest} for pid, digest in seen]
    with store.write() as conn:
        for start in range(0, len(rows), CLEAN_BATCH):
            batch = rows[start : start + CLEAN_BATCH]
            cleared += conn.execute(stmt, batch).rowcount or 0
    return cleared


def product_count(store: Store) -> int:
    """How many products the store holds."""
    with store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(_P)).scalar_one())


def product_ids(store: Store) -> set[str]:
    """The ids of every product in the store."""
    with store.read() as conn:
        return {row[0] for row in conn.execute(sa.select(_P.c.id))}


# --- reviews and events ----------------------------------------------------------------------


def review_rating_totals(store: Store) -> dict[str, RatingTotals]:
    """Per product id with at least one review: the sum and count of its ratings."""
    stmt = sa.select(_R.c.product_id, sa.func.sum(_R.c.rating), sa.func.count()).group_by(
        _R.c.product_id
    )
    with store.read() as conn:
        return {
            pid: RatingTotals(float(total), int(count)) for pid, total, count in conn.execute(stmt)
        }


def product_event_counts(store: Store, names: Sequence[str]) -> dict[str, Counter[str]]:
    """Per event name in ``names``: how often each product id appears in those events.

    A product listed twice in one event counts twice. Every name is a key, empty if no event
    has it. Counted here rather than in SQL because unnesting a JSON array is dialect-specific.
    """
    counts: dict[str, Counter[str]] = {name: Counter() for name in names}
    stmt = sa.select(_E.c.name, _E.c.product_ids).where(_E.c.name.in_(list(names)))
    with store.read() as conn:
        for name, ids in conn.execute(stmt):
            counts[name].update(_id_list(ids))
    return counts


def recent_product_ids(store: Store, customer_id: str, *, limit: int) -> list[str]:
    """Product ids of the customer's ``limit`` latest non-search events, newest event first.

    Search events are left out: their products are what was shown, not what the shopper chose.
    """
    stmt = (
        sa.select(_E.c.product_ids)
        .where(_E.c.customer_id == customer_id, _E.c.name != "search")
        .order_by(_E.c.ts.desc())
        .limit(limit)
    )
    with store.read() as conn:
        return [pid for (ids,) in conn.execute(stmt) for pid in _id_list(ids)]


def search_query_counts(store: Store, limit: int) -> dict[str, int]:
    """The ``limit`` most frequent lower-cased queries of ``search`` events, most frequent first.

    Lower-casing is the database's ``lower()``: SQLite folds ASCII letters only.
    """
    key = sa.func.lower(_E.c.query)
    stmt = (
        sa.select(key, sa.func.count())
        .where(_E.c.name == "search", _E.c.query.is_not(None))
        .group_by(key)
        .order_by(sa.func.count().desc())
        .limit(limit)
    )
    with store.read() as conn:
        return {str(q): int(n) for q, n in conn.execute(stmt) if q}


def search_event_rows(store: Store, since: datetime) -> list[SearchEventRow]:
    """``search`` and ``select_item`` events at or after ``since``, oldest first (ties by id)."""
    stmt = (
        sa.select(_E.c.name, _E.c.session_id, _E.c.ts, _E.c.query, _E.c.properties)
        .where(_E.c.name.in_(("search", "select_item")), _E.c.ts >= since)
        .order_by(_E.c.ts, _E.c.id)
    )
    with store.read() as conn:
        return [SearchEventRow(*row) for row in conn.execute(stmt)]


def _id_list(value: Any) -> list[str]:
    if isinstance(value, str):  # some drivers hand JSON back as text
        value = json.loads(value)
    return [str(v) for v in value or ()]
