"""Item-anchored surfaces: similar items, frequently bought together, complete the cart.

Behaviour comes first (co-views, co-purchases with support and lift thresholds); content
neighbours fill what behaviour cannot, so a product with no events at all still gets a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from shopmind.recommend.reasons import language_of
from shopmind.recommend.rules import RecConfig
from shopmind.recommend.schemas import RecItem
from shopmind.recommend.surfaces import (
    OutOfStock,
    Reason,
    Shopper,
    blank_scores,
    excluded_for,
    finish,
    no_stock_check,
    title_of,
)
from shopmind.recommend.trained import TrainedRecs

# Behaviour candidates always outrank content ones: their scores start above any cosine.
BEHAVIOUR_FLOOR = 2.0


@dataclass
class Thresholds:
    """When a co-purchase counts: bought together in ``min_support`` orders or more, and
    with lift of at least ``min_lift`` (1.0: no likelier than chance)."""

    min_support: int = 2
    min_lift: float = 1.0


class _Board:
    """Candidate scores and the reason behind each candidate's best contribution."""

    def __init__(self, recs: TrainedRecs) -> None:
        self.recs = recs
        self.scores = blank_scores(recs)
        self.best: dict[int, tuple[float, Reason]] = {}

    def add(self, pos: int, value: float, reason: Reason) -> None:
        current = self.scores[pos]
        self.scores[pos] = value if not np.isfinite(current) else current + value
        if pos not in self.best or value > self.best[pos][0]:
            self.best[pos] = (value, reason)

    def reason(self, pos: int) -> Reason:
        return self.best[pos][1]

    def count(self) -> int:
        return len(self.best)


def _covisits(recs: TrainedRecs, pos: int) -> list[tuple[int, float]]:
    if pos >= recs.catalog.n_model:
        return []
    row = recs.covisit[pos]
    pairs = [(int(c), float(v)) for c, v in zip(row.indices, row.data, strict=True) if c != pos]
    return sorted(pairs, key=lambda x: -x[1])


def _add_similar(board: _Board, recs: TrainedRecs, anchor: int, k: int, behaviour: bool) -> None:
    title, anchor_id = title_of(recs, anchor), recs.catalog.items[anchor].id
    if behaviour:
        pairs = _covisits(recs, anchor)
        top = max((v for _, v in pairs), default=1.0)
        for c, v in pairs:
            board.add(
                c,
                BEHAVIOUR_FLOOR + v / top,
                ("viewed_together", {"title": title}, anchor_id),
            )
    for c, sim in recs.content.neighbours(anchor, k):
        board.add(c, sim, ("similar", {"title": title}, anchor_id))


def similar(
    recs: TrainedRecs,
    anchor: int,
    config: RecConfig,
    limit: int,
    *,
    shopper: Shopper | None = None,
    out_of_stock: OutOfStock = no_stock_check,
) -> list[RecItem]:
    """Products like the one at ``anchor``: co-viewed first, then content neighbours."""
    board = _Board(recs)
    _add_similar(board, recs, anchor, limit * 3 + 10, behaviour=True)
    return _finish(board, [anchor], config, limit, shopper, "similar", out_of_stock)


def _add_partners(
    board: _Board, recs: TrainedRecs, anchor: int, thresholds: Thresholds, weight: float = 1.0
) -> None:
    title, anchor_id = title_of(recs, anchor), recs.catalog.items[anchor].id
    partners = recs.copurchase.partners(anchor, thresholds.min_support, thresholds.min_lift)
    top = max((s * np.log1p(lf) for _, s, lf in partners), default=1.0) or 1.0
    for c, support, lift in partners:
        value = weight * (BEHAVIOUR_FLOOR + support * np.log1p(lift) / top)
        values = {"title": title, "orders": int(support)}
        board.add(c, float(value), ("bought_together", values, anchor_id))


def _add_complements(board: _Board, recs: TrainedRecs, anchor: int, k: int) -> None:
    """Content neighbours, products of the anchor's own category pushed down: next to a phone
    a case is a better suggestion than another phone."""
    facts = recs.catalog.items[anchor]
    for c, sim in recs.content.neighbours(anchor, k):
        same = recs.catalog.items[c].category == facts.category
        board.add(
            c,
            sim - (0.3 if same else 0.0),
            ("goes_with", {"title": facts.title}, facts.id),
        )


def bought_together(
    recs: TrainedRecs,
    anchor: int,
    config: RecConfig,
    limit: int,
    *,
    thresholds: Thresholds | None = None,
    shopper: Shopper | None = None,
    out_of_stock: OutOfStock = no_stock_check,
) -> list[RecItem]:
    """Co-purchased products passing the thresholds; content fills a sparse list."""
    board = _Board(recs)
    _add_partners(board, recs, anchor, thresholds or Thresholds())
    if board.count() < limit:
        _add_complements(board, recs, anchor, limit * 3 + 10)
    return _finish(board, [anchor], config, limit, shopper, "bought_together", out_of_stock)


def complete_cart(
    recs: TrainedRecs,
    cart: Sequence[int],
    config: RecConfig,
    limit: int,
    *,
    thresholds: Thresholds | None = None,
    shopper: Shopper | None = None,
    out_of_stock: OutOfStock = no_stock_check,
) -> list[RecItem]:
    """What goes with the whole cart: co-purchases of every item add up, then co-views, then
    content neighbours when behaviour says little."""
    board = _Board(recs)
    chosen = thresholds or Thresholds()
    for pos in _unique(cart):
        _add_partners(board, recs, pos, chosen)
    if board.count() < limit:
        for pos in _unique(cart):
            _add_similar(board, recs, pos, limit + 5, behaviour=True)
    return _finish(board, list(cart), config, limit, shopper, "cart", out_of_stock)


def _finish(
    board: _Board,
    anchors: list[int],
    config: RecConfig,
    limit: int,
    shopper: Shopper | None,
    surface: str,
    out_of_stock: OutOfStock,
) -> list[RecItem]:
    """The board through the rules, never suggesting the anchors themselves. Reasons are
    written in the shopper's language, else in the (first) anchor product's."""
    recs = board.recs
    excluded = anchors + (excluded_for(recs, shopper, config, surface) if shopper else [])
    anchor_language = recs.catalog.items[anchors[0]].language if anchors else None
    return finish(
        recs,
        board.scores,
        board.reason,
        config,
        limit,
        excluded=excluded,
        out_of_stock=out_of_stock,
        language=language_of(shopper.locale if shopper else None, anchor_language),
    )


def _unique(positions: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(positions))
