"""The ``ranked`` mode of ``shopmind bench search``: LightGBM lambdarank over hybrid candidates.

Trains on query half A (``query_half == 0``), reports half B, and the swap (train B, test A) as a
robustness figure. The benchmark never reads half B's judgements before it has ranked them:
labels of the test half are only used by the evaluation.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from shopmind.bench.search import _build, doc_text
from shopmind.evaluate.beir import SearchDataset, load_search_dataset, query_half
from shopmind.evaluate.ranking import evaluate_run
from shopmind.models.embed import get_embedder
from shopmind.search.analyzer import Analyzer
from shopmind.search.features import extract
from shopmind.search.ranker import Example, Ranker, train_ranker
from shopmind.search.retrieval import Retriever, blend
from shopmind.search.training_data import examples_from_qrels

Say = Callable[[str], None]
SEED = 1


def run_ranked(
    corpus: Path,
    queries: Path,
    qrels: Path,
    say: Say = lambda _: None,
    *,
    embedder: str = "e5-small",
    k: int = 100,
) -> dict[str, Any]:
    """``{"ranked": {metric: value}}``: half-B figures, the B->A swap and latencies."""
    ds = load_search_dataset(corpus, queries, qrels)
    say(
        f"{len(ds.docs):,} documents, {len(ds.qrels):,} judged queries; seeds: split shopmind-42,"
        f" lightgbm {SEED}"
    )
    retriever, timing = _build(ds, embedder, say)
    qids = [q for q in ds.qrels if q in ds.queries]
    say(f"embedding {len(qids):,} queries")
    started = time.perf_counter()
    qvecs = get_embedder(embedder).embed_queries([ds.queries[q] for q in qids])
    out = ranked_results(ds, retriever, dict(zip(qids, qvecs, strict=True)), say, k=k)
    out["embed_queries_s"] = round(time.perf_counter() - started, 2)
    out["build_total_s"] = timing["build_total"]
    return {"ranked": out}


def ranked_results(
    ds: SearchDataset,
    retriever: Retriever,
    vectors: dict[str, np.ndarray],
    say: Say = lambda _: None,
    *,
    k: int = 100,
) -> dict[str, float]:
    """Train on half A, measure half B (and the swap) with a retriever and query vectors given."""
    analyzer = Analyzer()
    doc_tokens = [analyzer.tokens(doc_text(d)) for d in ds.docs]
    ids = [str(d["doc_id"]) for d in ds.docs]
    say("retrieving candidates and extracting features")
    started = time.perf_counter()
    examples = examples_from_qrels(
        retriever, analyzer, ds.queries, ds.qrels, doc_tokens, vectors, ids, k
    )
    features_s = time.perf_counter() - started
    halves = [[ex for ex in examples if query_half(ex.query_id) == h] for h in (0, 1)]
    out: dict[str, float] = {}
    for train_half, suffix in ((0, ""), (1, "_swap")):
        test = halves[1 - train_half]
        say(f"training on half {'AB'[train_half]} ({len(halves[train_half]):,} queries)")
        ranker = train_ranker(halves[train_half], seed=SEED)
        runs, latency = _rank(ranker, test, analyzer, ds, doc_tokens, ids)
        for metric, value in _evaluate(runs, ds, test).items():
            out[metric + suffix] = value
        out["train_s" + suffix] = ranker.metadata["train_seconds"]
        out["trees" + suffix] = float(ranker.metadata["best_iteration"])
        if not suffix:
            out["p50_ms"] = round(statistics.median(latency), 2)
            out["p99_ms"] = round(float(np.percentile(latency, 99)), 2)
            say(
                "importance: "
                + ", ".join(
                    f"{n} {v:.3f}" for n, v in list(ranker.metadata["importance"].items())[:8]
                )
            )
    blend_runs = {ex.query_id: [ids[p] for p in blend(ex.candidates)[0][:100]] for ex in halves[1]}
    out["blend_ndcg@10"] = _evaluate(blend_runs, ds, halves[1])["ndcg@10"]
    out["candidate_recall"] = _candidate_recall(examples, ds, ids)
    out["candidates_per_query"] = round(float(np.mean([len(ex.labels) for ex in examples])), 1)
    out["features_s"] = round(features_s, 2)
    return out


def _rank(
    ranker: Ranker,
    test: list[Example],
    analyzer: Analyzer,
    ds: SearchDataset,
    doc_tokens: Sequence[Sequence[str]],
    ids: list[str],
) -> tuple[dict[str, list[str]], list[float]]:
    """Rank each test query as a request would: features then predict, timed together."""
    runs: dict[str, list[str]] = {}
    latency: list[float] = []
    for ex in test:
        terms = analyzer.tokens(ds.queries[ex.query_id])
        started = time.perf_counter()
        feats = extract(ex.candidates, terms, [doc_tokens[p] for p in ex.candidates.positions])
        positions, _ = ranker.rank(ex.candidates, feats)
        latency.append((time.perf_counter() - started) * 1000)
        runs[ex.query_id] = [ids[p] for p in positions[:100]]
    return runs, latency


def _evaluate(
    runs: dict[str, list[str]], ds: SearchDataset, test: list[Example]
) -> dict[str, float]:
    qrels = {ex.query_id: ds.qrels[ex.query_id] for ex in test}
    return {m: v for m, v in evaluate_run(runs, qrels).items() if m != "queries"}


def _candidate_recall(examples: list[Example], ds: SearchDataset, ids: list[str]) -> float:
    """Share of relevant products (gain >= 1) that retrieval put among the candidates."""
    shares = []
    for ex in examples:
        relevant = {d for d, g in ds.qrels[ex.query_id].items() if g >= 1}
        if relevant:
            found = {ids[p] for p in ex.candidates.positions}
            shares.append(len(relevant & found) / len(relevant))
    return round(float(np.mean(shares)), 4) if shares else 0.0
