"""Features of (query, candidate) pairs for the learned ranker.

The ranker is trained on one shop and must work on shops it never saw, so every feature is
either relative to the query's own candidates (BM25 / best BM25, cosine - best cosine, ranks) or a
plain text statistic (term overlap, numbers missing from the title). On Home Depot the
query-relative scores carried most of the gain (bm25 / max alone 63 %); no feature names a
document id or a vocabulary word.

Shop signals (popularity, click-through, rating, stock, constraint matches, user affinity) are
optional: a shop without them gets constant neutral values, which LightGBM never splits on.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from shopmind.search.constraints import Constraints
from shopmind.search.retrieval import Candidates

F32 = npt.NDArray[np.float32]

# The column order of every feature matrix; saved in the ranker's metadata and checked at load.
FEATURE_NAMES: tuple[str, ...] = (
    "bm25",
    "bm25_rel_max",
    "bm25_rank",
    "cosine",
    "cosine_minus_max",
    "vector_rank",
    "in_both_lists",
    "log_matched",
    "query_len",
    "title_len",
    "query_overlap",
    "title_coverage",
    "exact_phrase",
    "bigram_overlap",
    "last_token_in_title",
    "query_numbers",
    "number_match_frac",
    "numbers_missing",
    # optional shop signals (neutral when absent)
    "popularity",
    "ctr",
    "rating",
    "in_stock",
    "price_match",
    "brand_match",
    "colour_match",
    "attribute_match",
    "category_affinity",
)
SIGNAL_NAMES: tuple[str, ...] = FEATURE_NAMES[FEATURE_NAMES.index("popularity") :]
_COL = {name: i for i, name in enumerate(FEATURE_NAMES)}

UNKNOWN = 0.5  # a match or stock flag we cannot decide: halfway between no (0) and yes (1)


@dataclass(frozen=True)
class Signals:
    """Optional per-candidate signals, each aligned with ``Candidates.positions``.

    ``popularity`` is log1p of views and purchases, ``ctr`` a smoothed click-through rate,
    ``rating`` the mean star rating (0 = unrated), ``in_stock``/``*_match`` are 1 yes, 0 no,
    0.5 unknown, ``category_affinity`` the user's share of interest in the product's category.
    """

    popularity: F32 | None = None
    ctr: F32 | None = None
    rating: F32 | None = None
    in_stock: F32 | None = None
    price_match: F32 | None = None
    brand_match: F32 | None = None
    colour_match: F32 | None = None
    attribute_match: F32 | None = None
    category_affinity: F32 | None = None


NEUTRAL: dict[str, float] = {
    "popularity": 0.0,
    "ctr": 0.0,
    "rating": 0.0,
    "in_stock": UNKNOWN,
    "price_match": UNKNOWN,
    "brand_match": UNKNOWN,
    "colour_match": UNKNOWN,
    "attribute_match": UNKNOWN,
    "category_affinity": 0.0,
}
assert tuple(f.name for f in fields(Signals)) == SIGNAL_NAMES == tuple(NEUTRAL)


def _is_number(token: str) -> bool:
    return token[:1].isdigit()


def extract(
    c: Candidates,
    query_tokens: Sequence[str],
    doc_tokens: Sequence[Sequence[str]],
    signals: Signals | None = None,
) -> F32:
    """A (len(c), len(FEATURE_NAMES)) float32 matrix; ``doc_tokens[i]`` belongs to candidate i."""
    n = len(c)
    if len(doc_tokens) != n:
        raise ValueError(f"need one token list per candidate: {len(doc_tokens)} for {n}")
    out = np.zeros((n, len(FEATURE_NAMES)), np.float32)
    if n:
        _score_features(out, c)
        _text_features(out, list(query_tokens), doc_tokens)
    _signal_features(out, signals or Signals())
    return out


def _score_features(out: F32, c: Candidates) -> None:
    bm_max = float(c.bm25.max())
    cos_max = float(c.cosine.max())
    out[:, _COL["bm25"]] = c.bm25
    out[:, _COL["bm25_rel_max"]] = c.bm25 / bm_max if bm_max > 0 else 0.0
    out[:, _COL["bm25_rank"]] = c.bm25_rank
    out[:, _COL["cosine"]] = c.cosine
    # Raw cosine levels differ per query and per embedder; the gap to the best one travels.
    out[:, _COL["cosine_minus_max"]] = c.cosine - cos_max
    out[:, _COL["vector_rank"]] = c.vector_rank
    n_lex, n_vec = int(c.bm25_rank.max()), int(c.vector_rank.max())
    out[:, _COL["in_both_lists"]] = (c.bm25_rank < n_lex) & (c.vector_rank < n_vec)
    out[:, _COL["log_matched"]] = np.log1p(c.matched)


_TEXT_COLUMNS = (
    "title_len",
    "query_overlap",
    "title_coverage",
    "exact_phrase",
    "bigram_overlap",
    "last_token_in_title",
    "number_match_frac",
    "numbers_missing",
)


def _text_features(out: F32, query: list[str], doc_tokens: Sequence[Sequence[str]]) -> None:
    q_set = set(query)
    q_nums = {t for t in query if _is_number(t)}
    q_bigrams = set(itertools.pairwise(query))
    phrase = f" {' '.join(query)} "  # padded: "8 in" must not match inside "18 in"
    last = query[-1] if query else None
    n_q = max(len(q_set), 1)
    out[:, _COL["query_len"]] = len(query)
    out[:, _COL["query_numbers"]] = len(q_nums)
    rows = np.zeros((len(doc_tokens), 8), np.float32)
    for i, tokens in enumerate(doc_tokens):
        t_set = set(tokens)
        common = len(q_set & t_set)
        rows[i, 0] = len(tokens)
        rows[i, 1] = common / n_q
        rows[i, 2] = common / max(len(t_set), 1)
        rows[i, 3] = bool(query) and phrase in f" {' '.join(tokens)} "
        if q_bigrams:
            rows[i, 4] = len(q_bigrams & set(itertools.pairwise(tokens))) / len(q_bigrams)
        rows[i, 5] = last in t_set
        if q_nums:
            found = len(q_nums & t_set)
            rows[i, 6] = found / len(q_nums)
            rows[i, 7] = len(q_nums) - found
    for j, name in enumerate(_TEXT_COLUMNS):
        out[:, _COL[name]] = rows[:, j]


def _signal_features(out: F32, signals: Signals) -> None:
    for name in SIGNAL_NAMES:
        values = getattr(signals, name)
        if values is None:
            out[:, _COL[name]] = NEUTRAL[name]
        elif len(values) != len(out):
            raise ValueError(f"signal {name} has {len(values)} values for {len(out)} candidates")
        else:
            out[:, _COL[name]] = values


def constraint_matches(
    constraints: Constraints,
    prices: Sequence[float | None],
    brands: Sequence[str | None],
    colours: Sequence[Sequence[str]],
) -> tuple[F32, F32, F32]:
    """price_match, brand_match, colour_match per candidate from `understand()` constraints.

    Each is 1 when the product satisfies the constraint, 0 when it does not and 0.5 when the
    query has no such constraint or the product does not say (a missing price is not a miss).
    """
    price = _price_match(constraints, prices)
    wanted_brands = {b.casefold() for b in constraints.brand}
    brand = _set_match(wanted_brands, [[b] if b else [] for b in brands])
    colour = _set_match({c.casefold() for c in constraints.colour}, colours)
    return price, brand, colour


def _price_match(constraints: Constraints, prices: Sequence[float | None]) -> F32:
    out = np.full(len(prices), UNKNOWN, np.float32)
    bounds = constraints.price
    if bounds is None:
        return out
    low = bounds.min if bounds.min is not None else -np.inf
    high = bounds.max if bounds.max is not None else np.inf
    for i, p in enumerate(prices):
        if p is not None:
            out[i] = float(low <= p <= high)
    return out


def _set_match(wanted: set[str], values: Sequence[Sequence[str]]) -> F32:
    out = np.full(len(values), UNKNOWN, np.float32)
    if not wanted:
        return out
    for i, have in enumerate(values):
        if have:
            out[i] = float(any(v.casefold() in wanted for v in have))
    return out
