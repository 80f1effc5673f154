"""`search`: what the API and CLI call. Query understanding, filters, hybrid retrieval, facets.

Steps: parse the query; merge the filters it spells out with the request's (explicit ones win,
the rest are reported as ``inferred``); retrieve BM25 + vector candidates among the allowed
products; order them by the blend (or a promoted ranker through ``rerank``) with a light
personal and category boost, or by the requested sort; count facets over every match; and when
nothing matches, relax step by step and say what was dropped.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from shopmind.core.schemas import Event, EventName
from shopmind.search.catalog import MAX_DEPTH, SEP, Codes, norm, primary_language
from shopmind.search.constraints import PriceRange, colour_concept
from shopmind.search.index import SearchIndex
from shopmind.search.query import ParsedQuery, understand
from shopmind.search.retrieval import Candidates, blend
from shopmind.search.schemas import (
    FacetValue,
    Filters,
    Item,
    SearchRequest,
    SearchResponse,
    Sort,
)
from shopmind.search.vocabulary import QueryVocabulary
from shopmind.store import Store
from shopmind.store.queries import recent_product_ids

I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
# A promoted ranker: candidates in, (positions, scores) best first out, like `blend`. It gets the
# index for its signals (catalog columns: popularity, rating, in_stock; titles for text features).
Rerank = Callable[[SearchIndex, Candidates, ParsedQuery], tuple[I64, F32]]

MIN_CANDIDATES = 100
SEMANTIC_MARGIN = 0.05  # a vector-only hit counts as a match within this cosine of the best
VECTOR_MATCHES = 20  # and only this many of them (see _close_vectors)
PERSONAL_BOOST = 0.08  # at most this much blended score for the shopper's favourite category
CATEGORY_BOOST = 0.05  # for products in the category the query most likely means
LANGUAGE_BOOST = 0.03  # for products in the storefront's language (`lang`): breaks near-ties
FACET_LIMIT = 20
PRICE_EDGES = np.array([0, 25, 50, 100, 200, 500, 1000, np.inf])
HISTORY_EVENTS = 200


@dataclass
class _Plan:
    filters: Filters
    inferred: list[str] = field(default_factory=list)
    relaxed: list[str] = field(default_factory=list)


def search(
    index: SearchIndex,
    request: SearchRequest,
    *,
    store: Store | None = None,
    rerank: Rerank | None = None,
) -> SearchResponse:
    """Answer one search request (validated by `SearchRequest.parse`)."""
    start = time.perf_counter()
    parsed = understand(request.q, index.vocab) if request.q.strip() else None
    qvec = _query_vector(index, parsed)
    affinity = _affinity(store, index, request.user_id) if request.user_id and store else None
    with index.lock:
        plan = merge_filters(request.filters, parsed, index.vocab)
        k = max(MIN_CANDIDATES, request.page * request.per_page)
        matched, ranked, scores, by_word = _match(index, parsed, qvec, plan, k, rerank)
        if not len(matched) and plan.inferred:
            dropped = f"inferred filters: {', '.join(plan.inferred)}"
            plan = _Plan(request.filters, plan.inferred, [dropped])
            matched, ranked, scores, by_word = _match(index, parsed, qvec, plan, k, rerank)
        if qvec is not None and not by_word:
            plan.relaxed.append("vector only: no product contains the query words")
        language = _language_code(index, request.lang)
        ranked, scores = _boost(index, parsed, ranked, scores, affinity, language)
        limit = request.page * request.per_page
        order, order_scores = _order(index, request.sort, matched, ranked, scores, limit)
        window = slice((request.page - 1) * request.per_page, request.page * request.per_page)
        items = _items(index, order[window], order_scores[window])
        facets = facet_counts(index, matched)
    return SearchResponse(
        items=items,
        total=len(matched),
        page=request.page,
        per_page=request.per_page,
        facets=facets,
        parsed=parsed.to_dict() if parsed else None,
        inferred=plan.inferred,
        relaxed=plan.relaxed,
        did_you_mean=parsed.did_you_mean if parsed else None,
        took_ms=round((time.perf_counter() - start) * 1000, 2),
    )


def _query_vector(index: SearchIndex, parsed: ParsedQuery | None) -> F32 | None:
    if parsed is None or not parsed.search_text.strip():
        return None
    vector: F32 = index.embedder.embed_queries([parsed.search_text])[0]
    return vector


# --- filters ---------------------------------------------------------------------------------


def merge_filters(
    explicit: Filters, parsed: ParsedQuery | None, vocab: QueryVocabulary | None = None
) -> _Plan:
    """The request's filters plus those the query spells out, where the request set none."""
    if parsed is None:
        return _Plan(explicit)
    c = parsed.constraints
    update: dict[str, object] = {}
    if c.brand and not explicit.brand:
        update["brand"] = list(c.brand)
    if c.colour and "colour" not in explicit.attributes:
        update["attributes"] = {**explicit.attributes, "colour": list(c.colour)}
    if c.in_stock and explicit.in_stock is None:
        update["in_stock"] = True
    price = c.price or _hint_range(parsed, vocab)
    if price and explicit.price_min is None and explicit.price_max is None:
        update.update(price_min=price.min, price_max=price.max)
        if price.currency and not explicit.currency:
            update["currency"] = price.currency
    update = {k: v for k, v in update.items() if v is not None}
    inferred = [k if k != "attributes" else "colour" for k in update if k != "currency"]
    return _Plan(explicit.model_copy(update=update), inferred)


def _hint_range(parsed: ParsedQuery, vocab: QueryVocabulary | None) -> PriceRange | None:
    """ "cheap"/"premium": the price band of the category the query means (or the catalog's)."""
    hint = parsed.constraints.price_hint
    if hint is None or vocab is None:
        return None
    path = parsed.category.path if parsed.category else ()
    return vocab.hint_range(hint, path) or vocab.hint_range(hint)


def _colour_codes(codes: Codes, values: list[str]) -> list[int]:
    """Codes of every catalog colour naming the same colour ("red" finds "Red" and "红色")."""
    wanted = {colour_concept(v) for v in values}
    labels = codes.labels.get("attr:colour", [])
    return [i for i, label in enumerate(labels) if colour_concept(label) in wanted]


def filter_mask(index: SearchIndex, f: Filters) -> BoolArray:
    """Live positions passing every filter."""
    cat, codes = index.catalog, index.codes
    mask = index.live.copy()
    if f.category:
        parts = [part.strip() for part in f.category.split(">")]
        code = codes.find("category", SEP.join(parts))
        # A path of k parts is coded in column k-1 only: one column to compare, not all of
        # them (at 1M products that is 1 ms instead of 17).
        level = len(parts) - 1
        mask &= cat.category[:, level] == code if code >= 0 and level < MAX_DEPTH else False
    if f.brand:
        mask &= _any_of(cat.brand, [codes.find("brand", b) for b in f.brand if b])
    if f.currency:
        mask &= cat.currency == codes.find("currency", f.currency)
    with np.errstate(invalid="ignore"):
        if f.price_min is not None:
            mask &= cat.price >= f.price_min
        if f.price_max is not None:
            mask &= cat.price <= f.price_max
    for name, values in f.attributes.items():
        column = cat.attrs.get(norm(name))
        if norm(name) == "colour":
            wanted = _colour_codes(codes, values)
        else:
            wanted = [codes.find(f"attr:{norm(name)}", v) for v in values]
        mask &= _any_of(column, wanted) if column is not None else False
    if f.in_stock is not None:
        mask &= cat.in_stock == f.in_stock
    return mask


def _any_of(column: npt.NDArray[np.int32], codes: list[int]) -> BoolArray:
    """``np.isin(column, codes)``; a few equality tests are 3-4x faster for the usual one or two
    codes (np.isin costs ~2 ms over 1M rows)."""
    wanted = [c for c in dict.fromkeys(codes) if c >= 0]
    if len(wanted) > 4:
        return np.isin(column, wanted)
    out = np.zeros(len(column), np.bool_)
    for code in wanted:
        out |= column == code
    return out


# --- retrieval -------------------------------------------------------------------------------


def _match(
    index: SearchIndex,
    parsed: ParsedQuery | None,
    qvec: F32 | None,
    plan: _Plan,
    k: int,
    rerank: Rerank | None,
) -> tuple[I64, I64, F32, bool]:
    """Every matching position, the ranked candidates, their scores, and whether any match
    contains a query word (else the match is by meaning only)."""
    allowed = filter_mask(index, plan.filters)
    terms = [*parsed.tokens, *parsed.expansions] if parsed else []
    if not terms and qvec is None:  # browse: everything allowed, most popular first
        matched = np.flatnonzero(allowed).astype(np.int64)
        pop = index.catalog.popularity[matched]
        order = np.lexsort((matched, -pop))
        return matched, matched[order], pop[order], False
    c = index.retriever.candidates(terms, qvec, k, allowed)
    hits = c.hits if c.hits is not None else np.zeros(0, np.int64)  # live, allowed BM25 matches
    positions, scores = rerank(index, c, parsed) if rerank and parsed else blend(c)
    # A mask over the index, not np.union1d/np.isin: those sort every hit, which at 1M products
    # and a common query word was most of the request's time.
    is_match = np.zeros(len(index.live), np.bool_)
    is_match[hits] = True
    close = _close_vectors(c, is_match)
    is_match[close] = True
    matched = np.flatnonzero(is_match).astype(np.int64) if len(close) else hits
    keep = is_match[positions]
    return matched, positions[keep], scores[keep], bool(len(hits))


def _close_vectors(c: Candidates, is_match: BoolArray) -> I64:
    """Vector-only candidates that count as matches: the nearest few, near the best cosine.

    Cosines of e5 vectors bunch together (a nonsense word scores 0.80-0.82 against every
    product), so the match set takes only `VECTOR_MATCHES` of them, within `SEMANTIC_MARGIN`.
    """
    if not len(c.cosine):
        return np.zeros(0, np.int64)
    best = float(c.cosine.max())
    only = ~is_match[c.positions] & (c.cosine >= best - SEMANTIC_MARGIN)
    positions, cosine = c.positions[only], c.cosine[only]
    return positions[np.argsort(-cosine, kind="stable")[:VECTOR_MATCHES]]


def _language_code(index: SearchIndex, lang: str | None) -> int:
    """The catalog code of ``lang``'s primary subtag; -1 when absent or unknown to the catalog."""
    primary = primary_language(lang)
    return index.codes.find("language", primary) if primary else -1


def _boost(
    index: SearchIndex,
    parsed: ParsedQuery | None,
    ranked: I64,
    scores: F32,
    affinity: F32 | None,
    language: int = -1,
) -> tuple[I64, F32]:
    wants_category = parsed is not None and parsed.category is not None
    if not len(ranked) or (affinity is None and not wants_category and language < 0):
        return ranked, scores
    top = index.catalog.category[ranked]
    bonus = np.zeros(len(ranked), np.float32)
    if affinity is not None:
        level0 = top[:, 0]
        bonus += PERSONAL_BOOST * np.where(level0 >= 0, affinity[np.maximum(level0, 0)], 0)
    if parsed is not None and parsed.category is not None:
        code = index.codes.find("category", SEP.join(parsed.category.path[:MAX_DEPTH]))
        bonus += CATEGORY_BOOST * (top == code).any(axis=1) if code >= 0 else 0
    if language >= 0:
        bonus += LANGUAGE_BOOST * (index.catalog.language[ranked] == language)
    boosted = (scores + bonus).astype(np.float32)
    order = np.lexsort((np.arange(len(ranked)), -boosted))
    return ranked[order], boosted[order]


def _order(
    index: SearchIndex, sort: Sort, matched: I64, ranked: I64, scores: F32, limit: int
) -> tuple[I64, F32]:
    """Relevance order as ranked; otherwise at least the first ``limit`` matches by ``sort``."""
    if sort is Sort.RELEVANCE:
        return ranked, scores
    keys = _sort_keys(index, sort, matched)
    head = _head(keys[0], limit)
    matched, keys = matched[head], [key[head] for key in keys]
    # Ties keep relevance order: products never ranked (beyond the candidates) come after.
    rank, score = _lookup(ranked, scores, matched)
    missing = np.isnan(keys[0])  # unknown prices, dates and ratings go last
    order = np.lexsort((rank, *reversed(keys), missing))
    return matched[order], score[order]


def _lookup(ranked: I64, scores: F32, positions: I64) -> tuple[I64, F32]:
    """Each position's place in ``ranked`` (len(ranked) if absent) and its score (else 0)."""
    rank = np.full(len(positions), len(ranked), np.int64)
    score = np.zeros(len(positions), np.float32)
    if not len(ranked):
        return rank, score
    by_position = np.argsort(ranked, kind="stable")
    sorted_ranked = ranked[by_position]
    where = np.minimum(np.searchsorted(sorted_ranked, positions), len(ranked) - 1)
    found = sorted_ranked[where] == positions
    rank[found] = by_position[where[found]]
    score[found] = scores[by_position[where[found]]]
    return rank, score


def _head(first_key: npt.NDArray[np.float64], limit: int) -> I64:
    """Rows that can reach the first ``limit`` places: every row whose first key is at most the
    limit-th smallest (ties included). Sorting only those keeps a price sort over 300k matches
    to a partition instead of a full lexsort."""
    if limit >= len(first_key):
        return np.arange(len(first_key))
    key = np.where(np.isnan(first_key), np.inf, first_key)
    cut = np.partition(key, limit - 1)[limit - 1]
    return np.flatnonzero(key <= cut)


def _sort_keys(index: SearchIndex, sort: Sort, matched: I64) -> list[npt.NDArray[np.float64]]:
    """Sort keys, most significant first, ascending."""
    cat = index.catalog
    if sort is Sort.PRICE_ASC:
        return [cat.price[matched]]
    if sort is Sort.PRICE_DESC:
        return [-cat.price[matched]]
    if sort is Sort.NEWEST:
        return [-cat.created[matched]]
    rating = cat.rating[matched].astype(np.float64)
    return [-rating, -cat.rating_count[matched].astype(np.float64)]


# --- output ----------------------------------------------------------------------------------


def _items(index: SearchIndex, positions: I64, scores: F32) -> list[Item]:
    cat, codes = index.catalog, index.codes
    out = []
    for pos, score in zip(positions.tolist(), scores.tolist(), strict=True):
        price = float(cat.price[pos])
        brand, currency = int(cat.brand[pos]), int(cat.currency[pos])
        out.append(
            Item(
                id=str(cat.ids[pos]),
                title=str(cat.titles[pos]),
                price=None if np.isnan(price) else price,
                currency=codes.label("currency", currency) if currency >= 0 else None,
                brand=codes.label("brand", brand) if brand >= 0 else None,
                in_stock=bool(cat.in_stock[pos]),
                score=round(float(score), 6),
            )
        )
    return out


def facet_counts(index: SearchIndex, matched: I64) -> dict[str, list[FacetValue]]:
    """Counts per category (every level), brand, colour, price range and stock over ``matched``."""
    cat, codes = index.catalog, index.codes
    facets = {
        "category": _counts(codes, "category", cat.category[matched].ravel()),
        "brand": _counts(codes, "brand", cat.brand[matched]),
    }
    if "colour" in cat.attrs:
        facets["colour"] = _counts(codes, "attr:colour", cat.attrs["colour"][matched])
    facets["price"] = _price_facet(index, matched)
    stock = np.bincount(cat.in_stock[matched].astype(np.int64), minlength=2)
    facets["in_stock"] = [
        FacetValue(value=v, count=int(n)) for v, n in (("true", stock[1]), ("false", stock[0])) if n
    ]
    return facets


def _counts(codes: Codes, name: str, values: npt.NDArray[np.int32]) -> list[FacetValue]:
    values = values[values >= 0]
    counts = np.bincount(values, minlength=codes.size(name))
    top = np.flatnonzero(counts)
    top = top[np.lexsort((top, -counts[top]))][:FACET_LIMIT]
    return [FacetValue(value=codes.label(name, int(i)), count=int(counts[i])) for i in top]


def _price_facet(index: SearchIndex, matched: I64) -> list[FacetValue]:
    cat, codes = index.catalog, index.codes
    price, currency = cat.price[matched], cat.currency[matched]
    ok = ~np.isnan(price) & (currency >= 0)
    bucket = np.searchsorted(PRICE_EDGES, price[ok], side="right") - 1
    n_buckets = len(PRICE_EDGES) - 1
    counts = np.bincount(currency[ok] * n_buckets + bucket, minlength=0)
    out = []
    for key in np.flatnonzero(counts):
        cur, b = divmod(int(key), n_buckets)
        high = PRICE_EDGES[b + 1]
        upper = "" if np.isinf(high) else f"{high:g}"
        label = f"{codes.label('currency', cur)} {PRICE_EDGES[b]:g}-{upper}"
        out.append(FacetValue(value=label, count=int(counts[key])))
    return out


# --- personalisation and logging -------------------------------------------------------------


def _affinity(store: Store, index: SearchIndex, user_id: str) -> F32 | None:
    """Share of the shopper's recent product events per top-level category code."""
    ids = recent_product_ids(store, user_id, limit=HISTORY_EVENTS)
    positions = [index.positions[i] for i in ids if i in index.positions]
    if not positions:
        return None
    level0 = index.catalog.category[positions, 0]
    counts = np.bincount(level0[level0 >= 0], minlength=index.codes.size("category"))
    total = counts.sum()
    return (counts / total).astype(np.float32) if total else None


def log_search(
    store: Store,
    request: SearchRequest,
    response: SearchResponse,
    *,
    session_id: str | None = None,
) -> None:
    """Record the search as a GA4 ``search`` event (needs a query; browsing is not a search).

    No product ids: readers of events take ids as interest, and results shown are not that.
    """
    if not request.q.strip():
        return
    event = Event(
        id=f"srch-{uuid.uuid4().hex}",
        name=EventName.SEARCH,
        customer_id=request.user_id,
        session_id=session_id or (None if request.user_id else "anonymous"),
        query=request.q[:500],
        timestamp=datetime.now(UTC),
        properties={
            "results": response.total,
            "relaxed": bool(response.relaxed),
            "page": request.page,
        },
    )
    store.add_events([event])
