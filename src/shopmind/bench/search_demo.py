"""``shopmind bench search-zh``: nDCG@10 on the judged Chinese and mixed set of the demo shop.

A demo shop is generated and ingested into a fresh SQLite store, its index built as `shopmind
search index` builds it, and every query of `demo.search_set` is answered four ways: bm25,
vector and hybrid retrieval alone, and ``served``, the `search` function the API calls (query
understanding, inferred colour/brand/price filters, boosts). Judgements come from the planted
catalog, never from the system under test.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shopmind.bench.machine import machine_info
from shopmind.demo.search_set import JudgedQuery, qrels_of, search_set
from shopmind.evaluate.ranking import evaluate_run, ndcg_at
from shopmind.search.analyzer import Analyzer
from shopmind.search.index import SearchIndex, build_index
from shopmind.search.retrieval import blend
from shopmind.search.schemas import SearchRequest
from shopmind.search.service import search

MODES = ("bm25", "vector", "hybrid", "served")
TARGETS: dict[str, float] = {}  # the issue asks for the figure; no target is set
Say = Callable[[str], None]


def run(
    *,
    products: int = 5000,
    seed: int = 11,
    modes: list[str] | None = None,
    embedder: str = "e5-small",
    export: Path | None = None,
    brand_aliases: bool = True,
    say: Say = lambda _: None,
) -> dict[str, Any]:
    """Generate, ingest, index, then evaluate each mode; the contract's JSON.

    ``brand_aliases`` configures the demo brands' English and Chinese names as one brand each,
    as a bilingual shop would (`SHOPMIND_SEARCH_BRAND_ALIASES`).
    """
    modes = modes or list(MODES)
    unknown = set(modes) - set(MODES)
    if unknown:
        raise ValueError(f"unknown mode(s) {sorted(unknown)}; choose from {', '.join(MODES)}")
    if products < 500:
        raise ValueError(f"products must be >= 500 for a meaningful set, got {products}")
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="shopmind-search-zh-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        say(f"generating and ingesting {products:,} products (seed {seed})")
        records, store = _shop(root, products, seed)
        queries = search_set(records)
        if export is not None:
            export_set(export, records, queries)
        seconds["prepare"] = time.perf_counter() - started
        say(f"{len(queries)} judged queries; building the index")
        started = time.perf_counter()
        from shopmind.models.embed import get_embedder

        aliases = demo_brand_aliases() if brand_aliases else {}
        index = build_index(store, embedder=get_embedder(embedder), brand_aliases=aliases)
        store.close()
        seconds["index"] = time.perf_counter() - started
        started = time.perf_counter()
        results = {mode: evaluate_mode(index, queries, mode) for mode in modes}
        seconds["evaluate"] = time.perf_counter() - started
    return {
        "capability": "search-zh",
        "dataset": {
            "generator": "shopmind.demo",
            "products": products,
            "seed": seed,
            "brand_aliases": brand_aliases,
        },
        "results": results,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "machine": machine_info(),
        "targets": TARGETS,
    }


def demo_brand_aliases() -> dict[str, list[str]]:
    """English brand name -> its Chinese name, for the demo brands that have two."""
    from shopmind.demo.categories import CATEGORIES

    return {en: [zh] for c in CATEGORIES for en, zh in c.brands if en != zh}


def _shop(root: Path, products: int, seed: int) -> tuple[list[dict[str, Any]], Any]:
    from shopmind.demo import generate
    from shopmind.ingest import ingest
    from shopmind.store import open_store

    data = root / "data"
    generate(
        data, seed=seed, products=products, events=5 * products, customers=500, orders=0,
        reviews=products,
    )  # fmt: skip
    store = open_store(f"sqlite:///{root / 'shop.db'}")
    for kind in ("products", "events", "reviews"):
        ingest(store, kind, data / f"{kind}.jsonl")
    lines = (data / "products.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()], store


def evaluate_mode(index: SearchIndex, queries: list[JudgedQuery], mode: str) -> dict[str, float]:
    """nDCG@10, Recall@100 (gain >= 1), MRR@10, and nDCG@10 per query template."""
    runs = {q.query_id: rank(index, q.text, mode) for q in queries}
    metrics = evaluate_run(runs, qrels_of(queries))
    by_template: dict[str, list[float]] = defaultdict(list)
    for q in queries:
        gains = {pid: float(g) for pid, g in q.gains.items()}
        by_template[q.template].append(ndcg_at(runs[q.query_id], gains, 10))
    for template, values in sorted(by_template.items()):
        metrics[f"ndcg@10_{template}"] = round(sum(values) / len(values), 4)
    return metrics


def rank(index: SearchIndex, text: str, mode: str, k: int = 100) -> list[str]:
    """Product ids for ``text`` best first, as ``mode`` ranks them."""
    ids = index.catalog.ids
    if mode == "served":
        response = search(index, SearchRequest(q=text, per_page=k))
        return [item.id for item in response.items]
    terms = Analyzer().tokens(text)
    retriever = index.retriever
    if mode == "bm25":
        positions = retriever.lexical(terms, k)[0]
    else:
        qvec = index.embedder.embed_queries([text])[0]
        if mode == "vector":
            positions = retriever.semantic(qvec, k)[0]
        else:
            positions = blend(retriever.candidates(terms, qvec, k))[0][:k]
    return [str(ids[p]) for p in positions]


def export_set(folder: Path, records: list[dict[str, Any]], queries: list[JudgedQuery]) -> None:
    """corpus.jsonl, queries.tsv and qrels.tsv in the `bench search` format."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for r in records:
            doc = {"doc_id": r["id"], "title": r["title"], "description": r.get("description", "")}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    (folder / "queries.tsv").write_text(
        "query_id\tquery\n" + "".join(f"{q.query_id}\t{q.text}\n" for q in queries),
        encoding="utf-8",
    )
    (folder / "qrels.tsv").write_text(
        "query_id\tdoc_id\tgain\n"
        + "".join(f"{q.query_id}\t{pid}\t{g}\n" for q in queries for pid, g in q.gains.items()),
        encoding="utf-8",
    )
