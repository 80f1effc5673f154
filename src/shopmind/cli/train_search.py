"""``shopmind train search-ranker``: fit the learned search ranker and save it in the registry.

Two sources: relevance judgements (``--corpus/--queries/--qrels``, the ``bench search`` files) or
the store's own products and search sessions (``--from-events``), for shops without judgements.
Either way the queries are split in two stable halves: the ranker trains on half A and its
metrics are measured on half B, so the figures saved with the artifact are honest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, cast

import numpy as np
import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, get_store, print_json
from shopmind.core.errors import InputError
from shopmind.core.schemas import Event
from shopmind.evaluate.beir import load_search_dataset, query_half
from shopmind.search.analyzer import Analyzer
from shopmind.search.index import SearchIndex
from shopmind.search.ranker import TASK, Example, Ranker, train_ranker
from shopmind.search.training_data import (
    F32,
    PassageVectors,
    QueryVectors,
    build_retriever,
    evaluate_examples,
    examples_from_index,
    examples_from_qrels,
)
from shopmind.store import Store

NO_EMBEDDER = "none"


def train_search_ranker(
    ctx: typer.Context,
    corpus: Annotated[
        Path | None, typer.Option(help="corpus.jsonl (doc_id, title, optional description)")
    ] = None,
    queries: Annotated[Path | None, typer.Option(help="queries.tsv (query_id, query)")] = None,
    qrels: Annotated[Path | None, typer.Option(help="qrels.tsv (query_id, doc_id, gain)")] = None,
    from_events: Annotated[
        bool, typer.Option("--from-events", help="learn from the store's search sessions")
    ] = False,
    embedder: Annotated[
        str, typer.Option(help="embedder for vector candidates, or 'none' for lexical only")
    ] = "e5-small",
    seed: Annotated[int, typer.Option(help="LightGBM seed and validation split seed")] = 1,
    promote: Annotated[bool, typer.Option(help="promote the new ranker for search")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Train the LightGBM search ranker on judgements or events and save a registry artifact."""
    from shopmind.models.registry import new_artifact
    from shopmind.models.registry import promote as promote_model

    with cli_errors():
        judged = (corpus, queries, qrels)
        if from_events == any(p is not None for p in judged):
            raise InputError(
                "give either --corpus, --queries and --qrels (judgements) or --from-events"
            )
        if not from_events and not all(p is not None for p in judged):
            raise InputError("judgements need all three of --corpus, --queries and --qrels")
        console.print(f"[dim]seeds: split shopmind-42, lightgbm {seed}[/]")
        if from_events:
            ranker, metrics = _from_events(ctx, embedder, seed)
        else:
            ranker, metrics = _from_judgements(
                cast(tuple[Path, Path, Path], judged), embedder, seed
            )
        ranker.metadata["metrics"] = {"test": metrics}
        ranker.metadata["data"]["embedder"] = embedder
        with new_artifact(TASK) as staging:
            ranker.metadata["version"] = staging.version
            ranker.save(staging.path)
        path = staging.path.parent / staging.version
        if promote:
            promote_model(TASK, staging.version)
    _show(ranker.metadata)
    console.print(f"saved [bold]{path}[/]" + (" (promoted)" if promote else ""))
    if as_json:
        print_json(
            {
                "task": TASK,
                "version": staging.version,
                "path": str(path),
                "promoted": promote,
                "metrics": metrics,
            }
        )


def _embedders(name: str) -> tuple[QueryVectors | None, PassageVectors | None]:
    if name == NO_EMBEDDER:
        return None, None
    from shopmind.models.embed import get_embedder

    model = get_embedder(name)
    return (lambda texts: model.embed_queries(texts)), (lambda texts: model.embed_passages(texts))


def _from_judgements(
    files: tuple[Path, Path, Path], embedder: str, seed: int
) -> tuple[Ranker, dict[str, float]]:
    ds = load_search_dataset(*files)
    analyzer = Analyzer()
    embed_q, embed_p = _embedders(embedder)
    texts = [" ".join(str(d.get(f) or "") for f in ("title", "description")) for d in ds.docs]
    console.print(f"{len(ds.docs):,} documents, {len(ds.qrels):,} judged queries")
    retriever, tokens = build_retriever(texts, analyzer, embed_p)
    ids = [str(d["doc_id"]) for d in ds.docs]
    qids = [q for q in ds.qrels if q in ds.queries]
    vectors = _query_vectors(embed_q, [ds.queries[q] for q in qids], qids)
    examples = examples_from_qrels(retriever, analyzer, ds.queries, ds.qrels, tokens, vectors, ids)
    train, test = _halves(examples)
    ranker = train_ranker(train, seed=seed, description=_describe(files, "judgements"))
    return ranker, evaluate_examples(ranker, test, ids, ds.qrels)


def _from_events(ctx: typer.Context, embedder: str, seed: int) -> tuple[Ranker, dict[str, float]]:
    """Learn from the store's search sessions over the shop's own index, with the features and
    signals that serving computes (see `search.rerank`)."""
    store = get_store(ctx)
    events = cast(list[Event], list(store.iter_models("events")))
    index = _shop_index(store, embedder)
    if not index.size or not events:
        raise InputError(
            f"the store has {index.size} products and {len(events)} events; ingest both"
            " (shopmind ingest) before training from events"
        )
    console.print(f"{index.size:,} products, {len(events):,} events")
    analyzer = Analyzer()
    tokens = [analyzer.tokens(str(t)) for t in index.catalog.titles]
    embed_q, _ = _embedders(embedder)
    examples = examples_from_index(events, index, tokens, embed_q)
    train, test = _halves(examples)
    description = {"source": "events", "store": store.dialect, "events": len(events)}
    ranker = train_ranker(train, seed=seed, description=description)
    ids = [str(i) for i in index.catalog.ids]
    return ranker, evaluate_examples(ranker, test, ids)


def _shop_index(store: Store, embedder: str) -> SearchIndex:
    """The saved serving index when it was built with ``embedder``, else a fresh one that
    leaves the store's dirty flags to the serving index."""
    from shopmind.models.embed import get_embedder
    from shopmind.search.index import build_index, default_path, load_index

    if embedder == NO_EMBEDDER:
        raise InputError("training from events uses the shop's search index: give an embedder")
    try:
        index = load_index(default_path())
        if index.embedder_name == embedder:
            return index
    except InputError:
        pass
    console.print("[dim]building a search index for training (the served one is untouched)[/]")
    return build_index(store, embedder=get_embedder(embedder), mark_clean=False)


def _query_vectors(
    embed: QueryVectors | None, texts: list[str], qids: list[str]
) -> dict[str, F32] | None:
    if embed is None or not texts:
        return None
    return dict(zip(qids, np.asarray(embed(texts), np.float32), strict=True))


def _halves(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    train = [ex for ex in examples if query_half(ex.query_id) == 0]
    test = [ex for ex in examples if query_half(ex.query_id) == 1]
    if not train or not test:
        raise InputError(
            f"{len(examples)} usable queries are too few to train and test a ranker;"
            " give more judged queries or more search sessions"
        )
    return train, test


def _describe(files: tuple[Path, Path, Path], source: str) -> dict[str, Any]:
    names = ("corpus", "queries", "qrels")
    return {"source": source, **{n: str(p) for n, p in zip(names, files, strict=True)}}


def _show(meta: dict[str, Any]) -> None:
    test = meta["metrics"]["test"]
    queries = meta["data"]["queries"]
    table = Table(
        "nDCG@10",
        "blend nDCG@10",
        "Recall@100",
        "MRR@10",
        "trees",
        "train s",
        "queries (train/val/test)",
    )
    table.title = f"{TASK} {meta.get('version', '')}: held-out half B"
    table.add_row(
        f"{test['ndcg@10']:.4f}",
        f"{test['blend_ndcg@10']:.4f}",
        f"{test['recall@100']:.4f}",
        f"{test['mrr@10']:.4f}",
        str(meta["best_iteration"]),
        f"{meta['train_seconds']:.1f}",
        f"{queries['train']}/{queries['validation']}/{int(test.get('queries', 0))}",
    )
    console.print(table)
