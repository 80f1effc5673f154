from __future__ import annotations

import math

import pytest

from shopmind.evaluate.beir import query_half
from shopmind.evaluate.ranking import evaluate_run, mrr_at, ndcg_at, recall_at


def test_ndcg_linear_gain() -> None:
    gains = {"a": 2.0, "b": 1.0}
    assert ndcg_at(["a", "b"], gains, 10) == pytest.approx(1.0)
    swapped = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    assert ndcg_at(["b", "a"], gains, 10) == pytest.approx(swapped)
    assert ndcg_at(["x"], {"a": 0.0}, 10) == 0.0


def test_recall_and_mrr_use_the_gain_threshold() -> None:
    gains = {"a": 2.0, "b": 0.5, "c": 1.0}
    assert recall_at(["b", "c"], gains, 100, 1.0) == 0.5
    assert mrr_at(["b", "x", "c"], gains, 10, 1.0) == pytest.approx(1 / 3)


def test_evaluate_run_skips_unrecallable_queries_for_recall() -> None:
    qrels = {"q1": {"a": 2.0}, "q2": {"b": 0.5}}
    out = evaluate_run({"q1": ["a"], "q2": ["b"]}, qrels)
    assert out["recall@100"] == 1.0 and out["queries"] == 2
    assert out["ndcg@10"] == 1.0


def test_query_half_is_stable_and_balanced() -> None:
    halves = [query_half(f"q{i}") for i in range(2000)]
    assert halves == [query_half(f"q{i}") for i in range(2000)]
    assert 900 < sum(halves) < 1100
