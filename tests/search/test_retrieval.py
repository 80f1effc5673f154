from __future__ import annotations

import numpy as np
import pytest

from shopmind.search.analyzer import Analyzer
from shopmind.search.bm25 import Bm25
from shopmind.search.retrieval import Retriever, blend, minmax, top_k
from shopmind.store.vector_index import ExactIndex

DOCS = [
    "red running shoes",
    "blue running shoes",
    "garden hose 50 ft",
    "红色 跑步鞋",
    "coffee grinder",
]


def _retriever(vectors: np.ndarray) -> tuple[Retriever, Analyzer]:
    a = Analyzer()
    bm = Bm25()
    bm.add_segment([a.tokens(d) for d in DOCS])
    ann = ExactIndex(vectors.shape[1])
    ann.add(np.arange(len(DOCS), dtype=np.int64), vectors)
    return Retriever(bm, vectors.astype(np.float16), ann, np.ones(len(DOCS), bool)), a


def _onehot() -> np.ndarray:
    v = np.eye(len(DOCS), 8, dtype=np.float32)
    v[3] = v[0]  # the Chinese title means the same as doc 0
    return v


def test_top_k_orders_and_breaks_ties_by_position() -> None:
    pos, sc = top_k(np.array([5, 3, 9, 1]), np.array([1.0, 2.0, 2.0, 0.5], np.float32), 3)
    assert list(pos) == [3, 9, 5] and list(sc) == [2.0, 2.0, 1.0]


def test_hybrid_finds_lexical_and_semantic_matches() -> None:
    r, a = _retriever(_onehot())
    c = r.candidates(a.tokens("red running shoes"), _onehot()[0], k=3)
    assert set(c.positions) >= {0, 1, 3}  # 3 comes from the vectors only
    assert c.bm25[list(c.positions).index(3)] == 0
    order, _ = blend(c)
    assert order[0] == 0
    assert c.matched == 2


def test_filters_and_deleted_documents() -> None:
    r, a = _retriever(_onehot())
    allowed = np.array([False, True, True, True, True])
    c = r.candidates(a.tokens("running shoes"), _onehot()[0], k=5, allowed=allowed)
    assert 0 not in set(c.positions)
    r.live[1] = False
    pos, _, _, matched = r.lexical(a.tokens("running shoes"), 5)
    assert list(pos) == [0] and matched == 1
    assert 1 not in set(r.semantic(_onehot()[1], 5)[0])


def test_minmax_handles_constant_scores() -> None:
    assert not minmax(np.array([2.0, 2.0], np.float32)).any()
    assert list(minmax(np.array([1.0, 3.0], np.float32))) == [0.0, 1.0]


def test_a_broad_filter_pools_graph_neighbours_and_lexical_hits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above EXACT_BELOW allowed rows the cosine search runs over the graph's nearest that pass
    the filter plus the best allowed BM25 hits, so a filter whose products are not among the
    nearest vectors still yields vector candidates, and never a product outside it."""
    monkeypatch.setattr("shopmind.search.retrieval.EXACT_BELOW", 1)
    monkeypatch.setattr("shopmind.search.retrieval.MAX_FETCH", 1)
    r, a = _retriever(_onehot())
    allowed = np.array([False, True, True, False, True])  # 0 and 3, nearest to the query, out
    query = _onehot()[0]
    alone = r.semantic(query, 3, allowed)[0]
    assert len(alone) == 0  # the one graph neighbour fetched is outside the filter
    c = r.candidates(a.tokens("running shoes"), query, k=3, allowed=allowed)
    assert set(c.positions) == {1}
    assert c.vector_rank[list(c.positions).index(1)] == 0  # found by the pooled cosine search
    pos, _ = r.semantic(query, 3, None)
    assert list(pos[:2]) in ([0, 3], [3, 0])  # unfiltered: straight from the graph
