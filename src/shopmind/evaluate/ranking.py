"""Ranking metrics with graded judgements: nDCG@k (linear gain), Recall@k, MRR@k."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

Qrels = Mapping[str, Mapping[str, float]]  # query id -> doc id -> gain


def ndcg_at(ranked: Sequence[str], gains: Mapping[str, float], k: int) -> float:
    """nDCG@k with linear gain; unjudged documents count 0; 0 when no document has gain."""
    dcg = sum(gains.get(doc, 0.0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked: Sequence[str], gains: Mapping[str, float], k: int, min_gain: float) -> float:
    relevant = {d for d, g in gains.items() if g >= min_gain}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mrr_at(ranked: Sequence[str], gains: Mapping[str, float], k: int, min_gain: float) -> float:
    for i, doc in enumerate(ranked[:k]):
        if gains.get(doc, 0.0) >= min_gain:
            return 1.0 / (i + 1)
    return 0.0


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def evaluate_run(
    run: Mapping[str, Sequence[str]], qrels: Qrels, *, min_gain: float = 1.0
) -> dict[str, float]:
    """Mean nDCG@10 over all judged queries; Recall@100 and MRR@10 over queries with a relevant doc.

    The protocol of the Home Depot benchmark: a query without any product of gain >= min_gain
    cannot be recalled, so it is left out of recall and MRR, not counted as 0.
    """
    ndcg: list[float] = []
    recall: list[float] = []
    mrr: list[float] = []
    for qid, gains in qrels.items():
        ranked = run.get(qid, [])
        ndcg.append(ndcg_at(ranked, gains, 10))
        if any(g >= min_gain for g in gains.values()):
            recall.append(recall_at(ranked, gains, 100, min_gain))
            mrr.append(mrr_at(ranked, gains, 10, min_gain))
    return {
        "ndcg@10": round(_mean(ndcg), 4),
        "recall@100": round(_mean(recall), 4),
        "mrr@10": round(_mean(mrr), 4),
        "queries": len(ndcg),
    }
