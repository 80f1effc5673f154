from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import orjson
import pytest
import typer
from typer.testing import CliRunner

from shopmind.core.errors import InputError
from shopmind.core.schemas import Event, Product
from shopmind.evaluate.ranking import ndcg_at
from shopmind.models.registry import promoted
from shopmind.search.analyzer import Analyzer
from shopmind.search.features import FEATURE_NAMES, extract
from shopmind.search.ranker import TASK, Example, Ranker, train_ranker
from shopmind.search.retrieval import Candidates, blend
from shopmind.search.training_data import (
    build_retriever,
    examples_from_events,
    search_judgements,
)

ONE_THREAD = {"num_threads": 1}
QUERY = ["alpha", "beta", "gamma"]


def _planted(n_queries: int, seed: int) -> list[Example]:
    """Relevance = how many query words a 4-word title holds; BM25 and cosine are pure noise.

    The blend can only rank at random; a ranker that learns the overlap feature ranks perfectly.
    """
    rng = np.random.default_rng(seed)
    out = []
    for q in range(n_queries):
        n = 40
        labels = rng.integers(0, 4, n).astype(np.int32)
        fillers = [f"w{i}" for i in rng.integers(0, 99, 4)]
        docs = [[*rng.choice(QUERY, int(k), replace=False), *fillers[k:]] for k in labels]
        c = Candidates(
            positions=np.arange(n, dtype=np.int64),
            bm25=rng.uniform(0, 5, n).astype(np.float32),
            cosine=rng.uniform(0.6, 0.9, n).astype(np.float32),
            bm25_rank=rng.permutation(n).astype(np.int64),
            vector_rank=rng.permutation(n).astype(np.int64),
            matched=n,
        )
        out.append(Example(c, extract(c, QUERY, docs), labels, f"q{seed}-{q}"))
    return out


def _mean_ndcg(examples: list[Example], order_of: object) -> float:
    scores = []
    for ex in examples:
        order = order_of(ex)  # type: ignore[operator]
        gains = {str(p): float(g) for p, g in zip(ex.candidates.positions, ex.labels, strict=True)}
        scores.append(ndcg_at([str(p) for p in order], gains, 10))
    return float(np.mean(scores))


@pytest.fixture(scope="module")
def trained() -> Ranker:
    return train_ranker(_planted(120, seed=0), params=ONE_THREAD, num_boost_round=120)


def test_ranker_learns_the_planted_feature_and_beats_the_blend(trained: Ranker) -> None:
    held_out = _planted(30, seed=1)
    ranked = _mean_ndcg(held_out, lambda ex: trained.rank(ex.candidates, ex.features)[0])
    blended = _mean_ndcg(held_out, lambda ex: blend(ex.candidates)[0])
    assert ranked > 0.97
    assert ranked > blended + 0.2
    assert next(iter(trained.metadata["importance"])) in {"query_overlap", "title_coverage"}
    meta = trained.metadata
    assert meta["data"]["queries"]["validation"] == 12 and len(meta["data"]["sha256"]) == 64


def test_save_load_round_trip_gives_identical_scores(trained: Ranker, tmp_path: Path) -> None:
    trained.save(tmp_path / "r")
    loaded = Ranker.load(tmp_path / "r")
    ex = _planted(1, seed=2)[0]
    assert np.array_equal(trained.scores(ex.features), loaded.scores(ex.features))
    assert loaded.metadata["feature_names"] == list(FEATURE_NAMES)
    assert (tmp_path / "r" / "model.txt").read_text().startswith("tree")


def test_feature_mismatch_at_load_says_to_retrain(trained: Ranker, tmp_path: Path) -> None:
    trained.save(tmp_path / "r")
    meta_file = tmp_path / "r" / "metadata.json"
    meta = json.loads(meta_file.read_text())
    meta["feature_names"] = [*meta["feature_names"][:-1], "old_feature"]
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(InputError, match=r"missing \['category_affinity'\].*retrain"):
        Ranker.load(tmp_path / "r")
    with pytest.raises(InputError, match="not a search ranker"):
        Ranker.load(tmp_path / "empty")


def test_training_needs_relevant_queries() -> None:
    ex = _planted(3, seed=3)
    nothing = [Example(e.candidates, e.features, np.zeros_like(e.labels), e.query_id) for e in ex]
    with pytest.raises(InputError, match="at least 2 queries"):
        train_ranker(nothing, params=ONE_THREAD)


def test_example_checks_its_shapes() -> None:
    ex = _planted(1, seed=4)[0]
    with pytest.raises(ValueError, match="build features with"):
        Example(ex.candidates, ex.features[:, :3], ex.labels)


# --- events -------------------------------------------------------------------------------------

T0 = datetime(2025, 3, 1, 12, tzinfo=UTC)


def _event(session: str, minute: int, name: str, products: list[str], query: str = "") -> Event:
    return Event(
        name=name,
        session_id=session,
        product_ids=products,
        query=query or None,
        timestamp=T0 + timedelta(minutes=minute),
    )


EVENTS = [
    _event("s1", 0, "search", [], "Red Shoes"),
    _event("s1", 1, "select_item", ["p1"]),
    _event("s1", 2, "view_item", ["p1"]),
    _event("s1", 3, "add_to_cart", ["p1"]),
    _event("s1", 4, "view_item_list", []),
    _event("s1", 5, "select_item", ["p2"]),  # from a category list: no credit to the search
    _event("s1", 6, "add_to_cart", ["p2"]),
    _event("s1", 9, "purchase", ["p1", "p2"]),
    _event("s2", 0, "search", [], "red  shoes"),
    _event("s2", 1, "select_item", ["p3"]),
    _event("s2", 2, "add_to_cart", ["p3"]),
    _event("s3", 0, "search", [], "blue hat"),
    _event("s3", 1, "select_item", ["p4"]),
]
TITLES = {
    "p1": "red running shoes",
    "p2": "red canvas shoes",
    "p3": "red leather shoes",
    "p4": "blue wool hat",
    "p5": "red shoes polish",
}


def test_search_sessions_become_graded_labels() -> None:
    judged = search_judgements(reversed(EVENTS))  # order comes from timestamps, not the feed
    assert judged.grades == {"red shoes": {"p1": 3, "p3": 2}, "blue hat": {"p4": 1}}
    assert judged.searches == {"red shoes": 2, "blue hat": 1}


def test_examples_from_events_use_retrieved_candidates_as_shown() -> None:
    analyzer = Analyzer()
    ids = list(TITLES)
    retriever, tokens = build_retriever(list(TITLES.values()), analyzer)
    examples = {
        ex.query_id: ex for ex in examples_from_events(EVENTS, retriever, analyzer, ids, tokens)
    }
    red = examples["red shoes"]
    labels = {ids[p]: int(g) for p, g in zip(red.candidates.positions, red.labels, strict=True)}
    assert labels == {"p1": 3, "p2": 0, "p3": 2, "p5": 0}  # p2 and p5 shown and skipped
    logged = [*EVENTS[:1], _event("s1", 0, "search", ["p1", "p2"], "red shoes"), *EVENTS[1:]]
    shown = examples_from_events(logged[1:], retriever, analyzer, ids, tokens)
    red = next(ex for ex in shown if ex.query_id == "red shoes")
    assert sorted(ids[p] for p in red.candidates.positions) == ["p1", "p2", "p3"]


@pytest.mark.slow
def test_demo_sessions_give_labels_consistent_with_planted_behaviour(tmp_path: Path) -> None:
    from shopmind.demo import generate
    from shopmind.demo.categories import CATEGORIES

    generate(tmp_path, seed=3, products=300, customers=80, events=6000, orders=300, reviews=10)
    products = [
        Product.model_validate(orjson.loads(x)) for x in _lines(tmp_path / "products.jsonl")
    ]
    events = [Event.model_validate(orjson.loads(x)) for x in _lines(tmp_path / "events.jsonl")]
    analyzer = Analyzer()
    ids = [p.id for p in products]
    retriever, tokens = build_retriever([p.title for p in products], analyzer)
    examples = examples_from_events(events, retriever, analyzer, ids, tokens)
    assert len(examples) >= 20
    took = {
        name: {p for e in events if e.name == name for p in e.product_ids}
        for name in ("select_item", "add_to_cart", "purchase")
    }
    grades = {int(g) for ex in examples for g in ex.labels}
    assert grades == {0, 1, 2, 3}
    # Shoppers click within the category their query came from (the generator's plan).
    category_of = {q.casefold(): c for c in CATEGORIES for q in (*c.queries_en, *c.queries_zh)}
    same = total = 0
    for ex in examples:
        for p, g in zip(ex.candidates.positions, ex.labels, strict=True):
            product = products[p]
            assert g < 1 or product.id in took["select_item"]
            assert g < 2 or product.id in took["add_to_cart"]
            assert g < 3 or product.id in took["purchase"]
            cat = category_of.get(ex.query_id)
            if g > 0 and cat is not None:
                total += 1
                paths = (cat.path_en, cat.path_zh)
                same += any(tuple(product.category_path[: len(x)]) == x for x in paths)
    assert total >= 20 and same / total > 0.9


def _lines(path: Path) -> list[bytes]:
    return [x for x in path.read_bytes().splitlines() if x.strip()]


# --- CLI ----------------------------------------------------------------------------------------


def _tiny_benchmark(folder: Path) -> tuple[Path, Path, Path]:
    rng = np.random.default_rng(0)
    words = "red blue green drill saw hammer nail screw bolt paint brush ladder hose pipe".split()
    docs = [" ".join(rng.choice(words, 4, replace=False)) for _ in range(150)]
    corpus, queries, qrels = folder / "corpus.jsonl", folder / "queries.tsv", folder / "qrels.tsv"
    corpus.write_text(
        "".join(json.dumps({"doc_id": f"d{i}", "title": t}) + "\n" for i, t in enumerate(docs))
    )
    q_lines, g_lines = ["query_id\tquery"], ["query_id\tdoc_id\tgain"]
    for j in range(80):
        first, second = rng.choice(words, 2, replace=False)
        q_lines.append(f"q{j}\t{first} {second}")
        for i, title in enumerate(docs):
            t = title.split()
            if first in t:  # the first query word matters most; in first position, more
                g_lines.append(f"q{j}\td{i}\t{1 + (second in t) + (t[0] == first)}")
    queries.write_text("\n".join(q_lines) + "\n")
    qrels.write_text("\n".join(g_lines) + "\n")
    return corpus, queries, qrels


@pytest.mark.slow
def test_cli_trains_from_judgements_and_saves_a_registry_artifact(tmp_path: Path) -> None:
    from shopmind.cli.train_search import train_search_ranker

    app = typer.Typer()
    app.command("search-ranker")(train_search_ranker)
    app.command("other")(lambda: None)  # two commands, so "search-ranker" is a sub-command
    corpus, queries, qrels = _tiny_benchmark(tmp_path)
    args = ["search-ranker", "--corpus", str(corpus), "--queries", str(queries), "--qrels"]
    result = CliRunner().invoke(
        app, [*args, str(qrels), "--embedder", "none", "--promote", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["task"] == TASK and report["version"] == "v1" and report["promoted"]
    assert report["metrics"]["ndcg@10"] > 0.5
    folder = promoted(TASK)
    assert folder is not None and folder.name == "v1"
    ranker = Ranker.load(folder)
    assert ranker.metadata["metrics"]["test"] == report["metrics"]
    assert ranker.metadata["data"]["source"] == "judgements"
    bad = CliRunner().invoke(app, ["search-ranker", "--corpus", str(corpus)])
    assert bad.exit_code == 2 and "--qrels" in bad.output


@pytest.mark.slow
def test_cli_trains_from_the_store_events(tmp_path: Path) -> None:
    from shopmind.cli.train_search import train_search_ranker
    from shopmind.demo import generate
    from shopmind.ingest import ingest_events, ingest_products
    from shopmind.store import open_store

    generate(tmp_path, seed=3, products=300, customers=80, events=6000, orders=300, reviews=10)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    ingest_products(store, tmp_path / "products.jsonl")
    ingest_events(store, tmp_path / "events.jsonl")
    store.close()
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.ensure_object(dict)["store_url"] = url

    app.command("search-ranker")(train_search_ranker)
    result = CliRunner().invoke(app, ["search-ranker", "--from-events", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["metrics"]["queries"] >= 20 and not report["promoted"]
    ranker = Ranker.load(Path(report["path"]))
    assert ranker.metadata["data"]["source"] == "events"
    lexical = CliRunner().invoke(app, ["search-ranker", "--from-events", "--embedder", "none"])
    assert lexical.exit_code == 2 and "give an embedder" in lexical.output
