"""Candidate retrieval: BM25 top-k, vector top-k, their union with both scores, and the blend.

On Home Depot (tuned on one query half, measured on the other) a min-max blend of BM25 and cosine
over the union of both top-100 lists reached nDCG@10 0.418 against 0.397 for BM25 alone and
0.389 for RRF with k=60, which treats the weaker vector list as an equal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shopmind.search.bm25 import Bm25
from shopmind.store.vector_index import VectorIndex

F32 = npt.NDArray[np.float32]
F16 = npt.NDArray[np.float16]
I64 = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Filtered vector search (see `Retriever.semantic`). Measured at 1M products on 2 cores: exact
# cosine costs ~0.5 us per row but varies 2x with memory traffic (10-17 ms at 20k rows); the HNSW
# graph ~3 us per neighbour fetched (median 9 ms at 3,000). These sizes keep the filtered search
# under ~5 ms there; larger ones (12k / 500 / 2,000) put the 1M benchmark's p99 at 48-51 ms.
EXACT_BELOW = 8_000  # allowed rows at or below which the search is exact over all of them
MAX_FETCH = 400  # graph neighbours fetched for a broader filter
LEXICAL_POOL = 1_500  # and best allowed BM25 hits added to that pool
OVER_FETCH = 1.5  # unfiltered: neighbours fetched per result wanted (deleted rows are skipped)
BLEND_ALPHA = 0.65  # weight of BM25 in the blend; tuned on half A of Home Depot


@dataclass(frozen=True)
class Candidates:
    """Positions with their BM25 score, cosine and ranks in each list (len(list) if absent)."""

    positions: I64
    bm25: F32
    cosine: F32
    bm25_rank: I64
    vector_rank: I64
    matched: int  # documents matching any query term (after the filter)
    hits: I64 | None = None  # those documents' positions, when the retriever kept them

    def __len__(self) -> int:
        return len(self.positions)


def top_k(positions: I64, scores: F32, k: int) -> tuple[I64, F32]:
    """The k best (position, score) pairs, best first; ties keep position order."""
    if len(positions) > k:
        part = np.argpartition(-scores, k - 1)[:k]
        positions, scores = positions[part], scores[part]
    order = np.lexsort((positions, -scores))
    return positions[order], scores[order]


class Retriever:
    """BM25 + vectors over one position space; ``live`` masks deleted or replaced positions."""

    def __init__(self, bm25: Bm25, vectors: F16, ann: VectorIndex, live: BoolArray) -> None:
        self.bm25 = bm25
        self.vectors = vectors
        self.ann = ann
        self.live = live

    def lexical(
        self, terms: list[str], k: int, allowed: BoolArray | None = None
    ) -> tuple[I64, F32, F32, int]:
        """Top-k positions and scores, the dense score array and how many documents matched."""
        positions, scores, dense, hits = self._lexical(terms, k, allowed)
        return positions, scores, dense, len(hits)

    def _lexical(
        self, terms: list[str], k: int, allowed: BoolArray | None
    ) -> tuple[I64, F32, F32, I64]:
        dense, hits = self.bm25.scores(terms, n_live=int(self.live.sum()))
        keep = self.live[hits] if allowed is None else self.live[hits] & allowed[hits]
        hits = hits[keep]
        positions, scores = top_k(hits, dense[hits], k)
        return positions, scores, dense, hits

    def semantic(
        self,
        query: F32,
        k: int,
        allowed: BoolArray | None = None,
        lexical: tuple[I64, F32] | None = None,
    ) -> tuple[I64, F32]:
        """Top-k by cosine among the allowed documents.

        Unfiltered: the ANN index. A selective filter (at most `EXACT_BELOW` rows): exact over
        them. A broad filter: exact over a pool of the ANN's nearest `MAX_FETCH` that pass it
        plus the best `LEXICAL_POOL` allowed BM25 hits (``lexical``: hit positions and their
        scores). Over-fetching the graph until k neighbours pass took seconds at 1M products,
        where the nearest vectors were often near-duplicate variants outside the filter, and an
        exact pass over 25k allowed rows costs 10-20 ms of memory traffic on 2 cores.
        """
        mask = self.live if allowed is None else self.live & allowed
        n_allowed = int(mask.sum())
        if n_allowed == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if allowed is None:
            keys, scores = self.ann.search(query, min(len(self.ann), int(k * OVER_FETCH)))
            ok = mask[keys]
            return keys[ok][:k], scores[ok][:k]
        if n_allowed <= EXACT_BELOW:
            subset = np.flatnonzero(mask).astype(np.int64)
            return top_k(subset, _cosines(self.vectors, subset, query), k)
        keys, _ = self.ann.search(query, min(len(self.ann), MAX_FETCH))
        pool = [keys[mask[keys]]]
        if lexical is not None and len(lexical[0]):
            pool.append(top_k(lexical[0], lexical[1], LEXICAL_POOL)[0])
        subset = np.unique(np.concatenate(pool))
        return top_k(subset, _cosines(self.vectors, subset, query), k)

    def candidates(
        self, terms: list[str], query: F32 | None, k: int = 100, allowed: BoolArray | None = None
    ) -> Candidates:
        lex_pos, _, dense, hits = self._lexical(terms, k, allowed)
        if query is not None:
            vec_pos, _ = self.semantic(query, k, allowed, (hits, dense[hits]))
        else:
            vec_pos = np.zeros(0, np.int64)
        positions = np.unique(np.concatenate([lex_pos, vec_pos]))
        cosine = (
            _cosines(self.vectors, positions, query)
            if query is not None
            else np.zeros(len(positions), np.float32)
        )
        return Candidates(
            positions=positions,
            bm25=dense[positions],
            cosine=cosine,
            bm25_rank=_ranks(positions, lex_pos),
            vector_rank=_ranks(positions, vec_pos),
            matched=len(hits),
            hits=hits,
        )


def _cosines(vectors: F16, positions: I64, query: F32) -> F32:
    # float16 storage halves memory; the product runs in float32 because numpy has no float16
    # BLAS kernel (a float16 matrix product is ~100x slower).
    rows = np.asarray(vectors[positions], np.float32)  # no second copy when already float32
    out: F32 = rows @ np.asarray(query, np.float32)
    return out


def _ranks(positions: I64, ranked: I64) -> I64:
    rank = np.full(len(positions), len(ranked), np.int64)
    where = np.searchsorted(positions, ranked)
    rank[where] = np.arange(len(ranked))
    return rank


def minmax(values: F32) -> F32:
    if not len(values):
        return values
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:
        return np.zeros_like(values)
    return (values - low) / (high - low)


def blend(c: Candidates, alpha: float = BLEND_ALPHA) -> tuple[I64, F32]:
    """Candidates ordered by ``alpha * minmax(bm25) + (1 - alpha) * minmax(cosine)``."""
    if not len(c):
        return c.positions, c.bm25
    if not c.cosine.any():
        alpha = 1.0
    scores = alpha * minmax(c.bm25) + (1 - alpha) * minmax(c.cosine)
    return top_k(c.positions, scores.astype(np.float32), len(c))
