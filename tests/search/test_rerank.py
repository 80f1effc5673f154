"""The promoted search ranker is served: trained from a demo shop's events, loaded by search."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from shopmind.cli.main import app
from shopmind.demo import generate
from shopmind.ingest import ingest
from shopmind.models.registry import promoted
from shopmind.search.constraints import Constraints, PriceRange
from shopmind.search.index import SearchIndex, build_index, dirty_rows
from shopmind.search.query import understand
from shopmind.search.ranker import TASK
from shopmind.search.rerank import RankerRerank, catalog_signals, promoted_rerank
from shopmind.search.schemas import SearchRequest
from shopmind.search.service import search
from shopmind.store import Store, open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store, SearchIndex]]:
    out = tmp_path_factory.mktemp("rerank")
    generate(out, seed=5, products=400, customers=150, events=12_000, orders=20, reviews=400)
    db = out / "store.db"
    store = open_store(f"sqlite:///{db}")
    for kind in ("products", "customers", "events", "reviews"):
        ingest(store, kind, out / f"{kind}.jsonl")
    yield db, store, build_index(store)
    store.close()


def test_catalog_signals_line_up_with_positions(shop: tuple[Path, Store, SearchIndex]) -> None:
    _, _, index = shop
    cat = index.catalog
    positions = np.array([0, 5, 9], np.int64)
    brand = index.codes.label("brand", int(cat.brand[5]))
    price = float(cat.price[5])
    wanted = Constraints(brand=(brand,), price=PriceRange(price - 0.01, price + 0.01, None))
    s = catalog_signals(cat, index.codes, positions, wanted)
    assert s.popularity is not None and s.in_stock is not None and s.rating is not None
    assert np.allclose(s.popularity, cat.popularity[positions])
    assert s.ctr is not None and np.allclose(s.ctr, cat.ctr[positions])
    assert cat.ctr.any()  # the demo shop logs list impressions and clicks
    assert list(s.in_stock) == [float(v) for v in cat.in_stock[positions]]
    assert s.brand_match is not None and s.brand_match[1] == 1.0
    assert s.price_match is not None and s.price_match[1] == 1.0
    unconstrained = catalog_signals(cat, index.codes, positions, None)
    assert unconstrained.brand_match is None  # neutral, as in training without constraints
    assert unconstrained.ctr is not None and np.allclose(unconstrained.ctr, cat.ctr[positions])


def test_nothing_promoted_means_the_blend(shop: tuple[Path, Store, SearchIndex]) -> None:
    assert promoted_rerank(shop[2]) is None


def test_train_from_events_promote_and_serve(
    shop: tuple[Path, Store, SearchIndex], caplog: pytest.LogCaptureFixture
) -> None:
    db, store, index = shop
    dirty_before = len(dirty_rows(store, with_data=False))
    result = CliRunner().invoke(
        app, ["--store", f"sqlite:///{db}", "train", "search-ranker", "--from-events", "--promote"]
    )
    assert result.exit_code == 0, result.output
    assert promoted(TASK) is not None
    assert len(dirty_rows(store, with_data=False)) == dirty_before  # serving index unaffected
    rerank = promoted_rerank(index)
    assert isinstance(rerank, RankerRerank)
    query = str(index.catalog.titles[3]).split()[0]
    served = search(index, SearchRequest(q=query, per_page=50), rerank=rerank)
    blended = search(index, SearchRequest(q=query, per_page=50))
    assert served.items and {i.id for i in served.items} == {i.id for i in blended.items}
    parsed = understand(query, index.vocab)
    c = index.retriever.candidates([*parsed.tokens, *parsed.expansions], None, 100)
    positions, scores = rerank(index, c, parsed)
    assert len(positions) == len(c) and np.all(np.diff(scores) <= 1e-6)  # best first
    folder = promoted(TASK)
    assert folder is not None
    meta = folder / "metadata.json"
    original = meta.read_text()
    assert '"embedder": "e5-small"' in original
    meta.write_text(original.replace('"embedder": "e5-small"', '"embedder": "minilm"'))
    with caplog.at_level(logging.WARNING):
        assert promoted_rerank(index) is None  # cosines of another embedder: the blend serves
    assert "minilm" in caplog.text
