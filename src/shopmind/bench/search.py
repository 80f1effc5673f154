"""``shopmind bench search``: relevance of bm25, vector and hybrid retrieval on a judged corpus.

Every product is ranked for every query. Queries are split in two stable halves (md5 of the
query id): parameters were tuned on half A only, so half B is the honest figure; a learned
ranker trains on A and is reported on B.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from shopmind.bench.machine import machine_info, peak_rss_mb
from shopmind.core.settings import get_settings
from shopmind.evaluate.beir import SearchDataset, load_search_dataset, query_half
from shopmind.evaluate.ranking import evaluate_run
from shopmind.models.embed import CachedEmbedder, get_embedder
from shopmind.search.analyzer import Analyzer
from shopmind.search.bm25 import Bm25
from shopmind.search.retrieval import Retriever, blend
from shopmind.store import open_store
from shopmind.store.vector_index import HnswIndex

MODES = ("bm25", "vector", "hybrid", "ranked")
TARGETS = {"ndcg@10": 0.38, "recall@100": 0.76}
Say = Callable[[str], None]


def doc_text(doc: dict[str, Any]) -> str:
    parts = [str(doc.get("title") or ""), str(doc.get("description") or "")]
    return " ".join(p for p in parts if p)


def run(
    corpus: Path,
    queries: Path,
    qrels: Path,
    *,
    modes: list[str],
    embedder: str = "e5-small",
    say: Say = lambda _: None,
) -> dict[str, Any]:
    unknown = set(modes) - set(MODES)
    if unknown:
        raise ValueError(f"unknown mode(s) {sorted(unknown)}; choose from {', '.join(MODES)}")
    seconds: dict[str, float] = {}
    ds = load_search_dataset(corpus, queries, qrels)
    say(f"{len(ds.docs):,} documents, {len(ds.qrels):,} judged queries; split seed shopmind-42")
    retriever, timing = _build(ds, embedder, say)
    seconds.update(timing)
    analyzer = Analyzer()
    say("embedding queries")
    qids = list(ds.qrels)
    started = time.perf_counter()
    qvecs = get_embedder(embedder).embed_queries([ds.queries[q] for q in qids])
    seconds["embed_queries"] = round(time.perf_counter() - started, 2)
    ids = [str(d["doc_id"]) for d in ds.docs]
    results: dict[str, dict[str, float]] = {}
    for mode in [m for m in modes if m != "ranked"]:
        say(f"ranking all documents for every query: {mode}")
        runs, latency = _rank(mode, retriever, analyzer, ds, qids, qvecs, ids)
        results[mode] = _scores(runs, ds)
        results[mode]["p50_ms"] = round(statistics.median(latency), 2)
        results[mode]["p99_ms"] = round(float(np.percentile(latency, 99)), 2)
    if "ranked" in modes:
        from shopmind.bench.search_ranked import ranked_results

        say("ranked: LightGBM lambdarank trained on half A, measured on half B")
        started = time.perf_counter()
        vectors = dict(zip(qids, qvecs, strict=True))
        results["ranked"] = ranked_results(ds, retriever, vectors, say)
        seconds["ranked"] = round(time.perf_counter() - started, 2)
    results["index"] = {
        "docs_per_s": round(len(ds.docs) / max(seconds["build_total"], 1e-9), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    return {
        "capability": "search",
        "dataset": {"corpus": str(corpus), "queries": str(queries), "qrels": str(qrels)},
        "results": results,
        "targets": TARGETS,
        "seconds": seconds,
        "machine": machine_info(),
    }


def _build(ds: SearchDataset, embedder: str, say: Say) -> tuple[Retriever, dict[str, float]]:
    analyzer = Analyzer()
    started = time.perf_counter()
    bm25 = Bm25()
    bm25.add_segment([analyzer.tokens(doc_text(d)) for d in ds.docs])
    lexical_s = time.perf_counter() - started
    say(f"bm25 index built in {lexical_s:.1f} s; embedding documents (cached between runs)")
    cache = open_store(f"sqlite:///{_cache_file()}")
    emb = CachedEmbedder(get_embedder(embedder), cache)
    t0 = time.perf_counter()
    vectors = emb.embed_passages([doc_text(d) for d in ds.docs])
    embed_s = time.perf_counter() - t0
    cache.close()
    t0 = time.perf_counter()
    ann = HnswIndex(vectors.shape[1])
    ann.add(np.arange(len(vectors), dtype=np.int64), vectors)
    ann_s = time.perf_counter() - t0
    live = np.ones(len(ds.docs), bool)
    timing = {
        "build_lexical": round(lexical_s, 2),
        "build_embeddings": round(embed_s, 2),
        "embeddings_cached": float(emb.hits),
        "build_ann": round(ann_s, 2),
        "build_total": round(time.perf_counter() - started, 2),
    }
    return Retriever(bm25, vectors.astype(np.float16), ann, live), timing


def _cache_file() -> Path:
    folder = get_settings().cache_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "bench-embeddings.db"


def _rank(
    mode: str,
    retriever: Retriever,
    analyzer: Analyzer,
    ds: SearchDataset,
    qids: list[str],
    qvecs: np.ndarray,
    ids: list[str],
) -> tuple[dict[str, list[str]], list[float]]:
    runs: dict[str, list[str]] = {}
    latency: list[float] = []
    for qid, qvec in zip(qids, qvecs, strict=True):
        started = time.perf_counter()
        terms = analyzer.tokens(ds.queries[qid])
        if mode == "bm25":
            positions, _, _, _ = retriever.lexical(terms, 100)
        elif mode == "vector":
            positions, _ = retriever.semantic(qvec, 100)
        else:
            positions, _ = blend(retriever.candidates(terms, qvec, 100))
        latency.append((time.perf_counter() - started) * 1000)
        runs[qid] = [ids[p] for p in positions[:100]]
    return runs, latency


def _scores(runs: dict[str, list[str]], ds: SearchDataset) -> dict[str, float]:
    out: dict[str, float] = {}
    halves = {0: {}, 1: {}}  # type: dict[int, dict[str, dict[str, float]]]
    for qid, gains in ds.qrels.items():
        halves[query_half(qid)][qid] = gains
    for name, qrels in (("", ds.qrels), ("_a", halves[0]), ("_b", halves[1])):
        for metric, value in evaluate_run(runs, qrels).items():
            if metric != "queries":
                out[metric + name] = value
    return out
