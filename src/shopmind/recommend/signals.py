"""Behaviour signals built from the store's events and orders: per-user item sequences,
co-purchase counts with support and lift, and time-decayed trending per locale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp

from shopmind.recommend.base import FloatArray, IntArray
from shopmind.recommend.catalog import ItemCatalog
from shopmind.store.recs import EventRow

# What a shopper chose (not what they were shown): these build histories and sequences.
HISTORY_EVENTS = ("view_item", "select_item", "add_to_cart", "add_to_wishlist", "purchase")
# How much each choice says about demand, for trending.
TREND_WEIGHTS = {
    "view_item": 1.0,
    "select_item": 0.5,
    "add_to_wishlist": 2.0,
    "add_to_cart": 3.0,
    "purchase": 5.0,
}


def user_key(row: EventRow) -> str:
    """Who did it: the customer, else the anonymous session."""
    return row.customer_id or f"session:{row.session_id}"


def history(rows: Iterable[EventRow], catalog: ItemCatalog) -> IntArray:
    """Positions of the chosen products in ``rows`` (oldest first), repeats in a row collapsed."""
    out: list[int] = []
    for row in rows:
        if row.name not in HISTORY_EVENTS:
            continue
        for pos in catalog.positions(row.product_ids):
            if not out or out[-1] != pos:
                out.append(pos)
    return np.asarray(out, dtype=np.int64)


def sequences(rows: Sequence[EventRow], catalog: ItemCatalog) -> list[IntArray]:
    """One time-ordered history per user (``rows`` oldest first); users with none are left out."""
    by_user: dict[str, list[EventRow]] = {}
    for row in rows:
        by_user.setdefault(user_key(row), []).append(row)
    out = [history(user_rows, catalog) for user_rows in by_user.values()]
    return [s for s in out if len(s)]


@dataclass
class CoPurchase:
    """How often two products were bought in one basket, and how often each was bought."""

    pairs: sp.csr_matrix  # symmetric (items x items) basket counts
    counts: FloatArray  # baskets holding each item
    baskets: int

    @classmethod
    def build(cls, baskets: Iterable[Sequence[str]], catalog: ItemCatalog) -> CoPurchase:
        n = catalog.n_model
        rows, cols = [], []
        counts = np.zeros(n, dtype=np.float32)
        total = 0
        for basket in baskets:
            items = sorted(set(catalog.positions(basket)))
            if len(items) < 2:
                continue
            total += 1
            counts[items] += 1
            for i, a in enumerate(items):  # baskets are small: a few products each
                for b in items[i + 1 :]:
                    rows += [a, b]
                    cols += [b, a]
        data = np.ones(len(rows), dtype=np.float32)
        pairs = sp.csr_matrix((data, (rows, cols)), shape=(n, n), dtype=np.float32)
        pairs.sum_duplicates()
        return cls(pairs, counts, total)

    def partners(
        self, pos: int, min_support: int, min_lift: float
    ) -> list[tuple[int, float, float]]:
        """(position, support, lift) of products bought with ``pos``, best lift·support first.

        Lift = P(a and b) / (P(a) P(b)): above 1, buying one makes buying the other likelier."""
        if pos >= self.pairs.shape[0] or not self.baskets:
            return []
        lo, hi = self.pairs.indptr[pos], self.pairs.indptr[pos + 1]
        cols, support = self.pairs.indices[lo:hi], self.pairs.data[lo:hi]
        lift = support * self.baskets / np.maximum(self.counts[pos] * self.counts[cols], 1.0)
        keep = (support >= min_support) & (lift >= min_lift)
        found = [
            (int(c), float(s), float(lf))
            for c, s, lf in zip(cols[keep], support[keep], lift[keep], strict=True)
        ]
        return sorted(found, key=lambda x: (-x[1] * np.log1p(x[2]), x[0]))


def trending(
    rows: Sequence[EventRow],
    catalog: ItemCatalog,
    locales: dict[str, str],
    *,
    half_life_days: float,
    now: datetime | None = None,
) -> dict[str, FloatArray]:
    """Time-decayed demand per product: key ``""`` over everyone, plus one per customer locale.

    ``now`` defaults to the newest event, so an old data set still has something trending."""
    n = catalog.n_model
    out: dict[str, FloatArray] = {"": np.zeros(n, dtype=np.float32)}
    if not rows:
        return out
    now = now or max(r.ts for r in rows)
    for row in rows:
        weight = TREND_WEIGHTS.get(row.name)
        if weight is None:
            continue
        age_days = max((now - row.ts).total_seconds(), 0.0) / 86400.0
        value = weight * 0.5 ** (age_days / half_life_days)
        positions = catalog.positions(row.product_ids)
        out[""][positions] += value
        locale = locales.get(row.customer_id or "")
        if locale:
            out.setdefault(locale, np.zeros(n, dtype=np.float32))[positions] += value
    return out
