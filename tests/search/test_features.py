from __future__ import annotations

import time

import numpy as np
import pytest

from shopmind.search.constraints import Constraints, PriceRange
from shopmind.search.features import (
    FEATURE_NAMES,
    NEUTRAL,
    SIGNAL_NAMES,
    Signals,
    constraint_matches,
    extract,
)
from shopmind.search.retrieval import Candidates


def _candidates(n: int, seed: int = 0) -> Candidates:
    rng = np.random.default_rng(seed)
    return Candidates(
        positions=np.arange(n, dtype=np.int64),
        bm25=rng.uniform(0, 10, n).astype(np.float32),
        cosine=rng.uniform(0.5, 0.9, n).astype(np.float32),
        bm25_rank=rng.permutation(n).astype(np.int64),
        vector_rank=rng.permutation(n).astype(np.int64),
        matched=n * 3,
    )


def _col(matrix: np.ndarray, name: str) -> np.ndarray:
    return matrix[:, FEATURE_NAMES.index(name)]


def test_shape_order_and_query_relative_scores() -> None:
    c = _candidates(5)
    docs = [
        ["drill", "18", "volt"],
        ["drill"],
        ["118", "volt", "drill"],
        [],
        ["18", "volt", "drill", "kit"],
    ]
    f = extract(c, ["18", "volt", "drill"], docs)
    assert f.shape == (5, len(FEATURE_NAMES)) and f.dtype == np.float32
    assert _col(f, "bm25_rel_max").max() == pytest.approx(1.0)
    assert _col(f, "cosine_minus_max").max() == pytest.approx(0.0)
    assert list(_col(f, "query_overlap")) == pytest.approx([1.0, 1 / 3, 2 / 3, 0, 1.0])
    assert list(_col(f, "exact_phrase")) == [0, 0, 0, 0, 1]
    assert list(_col(f, "bigram_overlap")) == pytest.approx([0.5, 0, 0.5, 0, 1.0])
    assert list(_col(f, "numbers_missing")) == [0, 1, 1, 1, 0]
    assert list(_col(f, "last_token_in_title")) == [1, 1, 1, 0, 1]
    assert list(_col(f, "title_len")) == [3, 1, 3, 0, 4]


def test_missing_signals_are_neutral_and_given_ones_are_copied() -> None:
    c = _candidates(3)
    docs: list[list[str]] = [[], [], []]
    f = extract(c, ["x"], docs)
    for name in SIGNAL_NAMES:
        assert (_col(f, name) == NEUTRAL[name]).all()
    stock = np.array([1, 0, 0.5], np.float32)
    f = extract(c, ["x"], docs, Signals(in_stock=stock))
    assert list(_col(f, "in_stock")) == [1, 0, 0.5]
    with pytest.raises(ValueError, match="signal ctr has 2 values for 3"):
        extract(c, ["x"], docs, Signals(ctr=np.zeros(2, np.float32)))


def test_one_token_list_per_candidate() -> None:
    with pytest.raises(ValueError, match="one token list per candidate"):
        extract(_candidates(3), ["x"], [["x"]])


def test_empty_candidates() -> None:
    assert extract(_candidates(0), ["x"], []).shape == (0, len(FEATURE_NAMES))


def test_constraint_matches() -> None:
    wanted = Constraints(brand=("Nike",), colour=("red",), price=PriceRange(max=80.0))
    price, brand, colour = constraint_matches(
        wanted, [50.0, 120.0, None], ["nike", "Adidas", None], [["Red"], ["blue"], []]
    )
    assert list(price) == [1, 0, 0.5]
    assert list(brand) == [1, 0, 0.5]
    assert list(colour) == [1, 0, 0.5]
    none = constraint_matches(Constraints(), [1.0], ["x"], [["y"]])
    assert all(list(v) == [0.5] for v in none)


def test_two_hundred_candidates_in_a_few_milliseconds() -> None:
    c = _candidates(200)
    rng = np.random.default_rng(1)
    vocab = [f"w{i}" for i in range(50)] + ["1", "2", "3/4"]
    docs = [list(rng.choice(vocab, 10)) for _ in range(200)]
    query = ["w1", "w2", "3/4", "in"]
    extract(c, query, docs)
    started = time.perf_counter()
    for _ in range(20):
        extract(c, query, docs)
    per_query_ms = (time.perf_counter() - started) / 20 * 1000
    assert per_query_ms < 10  # ~1 ms on an idle core; loose for a shared CI machine
