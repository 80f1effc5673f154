"""Serving the promoted search ranker: the `Rerank` that `service.search` calls.

Features are built exactly as in training (`features.extract` over the candidates, title tokens
and catalog signals), so a ranker learned from a shop's own events sees the same popularity,
rating, stock and constraint signals at request time. A ranker is served only when it was
trained with the embedder that built the index: cosine features from another embedder would be
on another scale, and the blend is the safer answer then.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from shopmind.core.errors import InputError
from shopmind.search.analyzer import Analyzer
from shopmind.search.catalog import Catalog, Codes
from shopmind.search.constraints import Constraints
from shopmind.search.features import Signals, constraint_matches, extract
from shopmind.search.index import SearchIndex
from shopmind.search.query import ParsedQuery
from shopmind.search.ranker import TASK, Ranker
from shopmind.search.retrieval import Candidates

log = logging.getLogger(__name__)
I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
TOKEN_CACHE = 200_000  # titles; a few hundred bytes each, so tens of MB at most


class RankerRerank:
    """A loaded ranker as a `service.Rerank`; caches title tokens by (build, position)."""

    def __init__(self, ranker: Ranker, analyzer: Analyzer | None = None) -> None:
        self.ranker = ranker
        self.analyzer = analyzer or Analyzer()
        self._tokens: OrderedDict[tuple[str, int], list[str]] = OrderedDict()

    @property
    def embedder(self) -> str | None:
        data = self.ranker.metadata.get("data") or {}
        name = data.get("embedder") if isinstance(data, dict) else None
        return str(name) if name else None

    def __call__(self, index: SearchIndex, c: Candidates, parsed: ParsedQuery) -> tuple[I64, F32]:
        positions = c.positions.tolist()
        tokens = [self._title_tokens(index, p) for p in positions]
        signals = catalog_signals(index.catalog, index.codes, c.positions, parsed.constraints)
        features = extract(c, list(parsed.tokens), tokens, signals)
        return self.ranker.rank(c, features)

    def _title_tokens(self, index: SearchIndex, position: int) -> list[str]:
        key = (index.build_id, position)
        found = self._tokens.get(key)
        if found is None:
            found = self.analyzer.tokens(str(index.catalog.titles[position]))
            self._tokens[key] = found
            if len(self._tokens) > TOKEN_CACHE:
                self._tokens.popitem(last=False)
        return found


def catalog_signals(
    catalog: Catalog, codes: Codes, positions: I64, constraints: Constraints | None
) -> Signals:
    """Popularity, click-through, rating, stock and constraint matches of ``positions``."""
    rating = catalog.rating[positions]
    price = catalog.price[positions]
    prices: Sequence[float | None] = [None if v != v else float(v) for v in price]
    brands = [codes.label("brand", int(b)) if b >= 0 else None for b in catalog.brand[positions]]
    colour_column = catalog.attrs.get("colour")
    colours: list[list[str]] = [[] for _ in positions]
    if colour_column is not None:
        for i, code in enumerate(colour_column[positions]):
            if code >= 0:
                colours[i] = [codes.label("attr:colour", int(code))]
    signals = Signals(
        popularity=catalog.popularity[positions].astype(np.float32),
        ctr=catalog.ctr[positions].astype(np.float32),
        rating=np.nan_to_num(rating, nan=0.0).astype(np.float32),
        in_stock=catalog.in_stock[positions].astype(np.float32),
    )
    if constraints is None:
        return signals
    price_match, brand_match, colour_match = constraint_matches(
        constraints, prices, brands, colours
    )
    return Signals(
        popularity=signals.popularity,
        ctr=signals.ctr,
        rating=signals.rating,
        in_stock=signals.in_stock,
        price_match=price_match,
        brand_match=brand_match,
        colour_match=colour_match,
    )


def promoted_rerank(index: SearchIndex, root: Path | None = None) -> RankerRerank | None:
    """The promoted search ranker for ``index``, or None (none promoted, unreadable, or trained
    with another embedder); the reason is logged, never raised, as search works without it."""
    from shopmind.models.registry import promoted

    folder = promoted(TASK, root)
    if folder is None:
        return None
    try:
        rerank = RankerRerank(Ranker.load(folder))
    except InputError as exc:
        log.warning("promoted search ranker not used: %s", exc)
        return None
    if rerank.embedder not in (None, index.embedder_name):
        log.warning(
            "promoted search ranker %s was trained with embedder %r, the index uses %r;"
            " serving the blend instead",
            folder.name,
            rerank.embedder,
            index.embedder_name,
        )
        return None
    return rerank
