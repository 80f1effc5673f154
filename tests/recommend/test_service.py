"""Training from the store, the registry artifact, and opening the promoted recommender."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopmind.core.errors import InputError, NotFoundError
from shopmind.models.registry import list_models
from shopmind.recommend.service import RecommendService
from shopmind.recommend.trained import load, publish, train_recs
from shopmind.store import Store

from .shop import HashEmbedder, fill, products


def test_open_trains_promotes_and_then_loads(sqlite_store: Store, tmp_path: Path) -> None:
    root = tmp_path / "models"
    with pytest.raises(NotFoundError, match="recommend train"):
        RecommendService.open(sqlite_store, train_if_missing=False, root=root)
    fill(sqlite_store)
    first = RecommendService.open(sqlite_store, embedder=HashEmbedder(), root=root)
    (entry,) = list_models("recommend", root)
    assert entry.promoted and entry.version == "v1" and entry.method == "itemknn"
    meta = json.loads((entry.path / "metadata.json").read_text())
    assert meta["counts"]["products"] == len(products())
    assert meta["seconds"]["fit"] >= 0
    again = RecommendService.open(sqlite_store, embedder=HashEmbedder(), root=root)
    assert len(list_models("recommend", root)) == 1  # loaded, not trained again
    for surface in ("similar", "bought_together"):
        left = getattr(first, surface)("ph1", limit=5)
        right = getattr(again, surface)("ph1", limit=5)
        assert left.items == right.items
    assert first.home("carol").items == again.home("carol").items


SMALL = {
    "popularity": None,
    "als": {"factors": 4, "iterations": 3},
    "bpr": {"factors": 4, "iterations": 3},
    "sasrec": {"dim": 16, "max_len": 8, "epochs": 2, "heads": 1, "layers": 1},
}


@pytest.mark.parametrize("model", sorted(SMALL))
def test_other_models_train_and_serve(sqlite_store: Store, tmp_path: Path, model: str) -> None:
    fill(sqlite_store)
    params = SMALL[model]
    recs = train_recs(sqlite_store, HashEmbedder(), model=model, params=params, holdout=0)
    loaded = load(publish(recs, root=tmp_path / "models"))
    got = RecommendService(sqlite_store, loaded).home("carol", limit=3)
    assert got.model == model and len(got.items) == 3 and not got.cold_start


def test_holdout_metrics_are_recorded(sqlite_store: Store) -> None:
    fill(sqlite_store)
    recs = train_recs(sqlite_store, HashEmbedder(), holdout=50)
    test = recs.meta["metrics"]["test"]
    assert test["users"] >= 1 and 0.0 <= test["recall@10"] <= 1.0


def test_unknown_model_is_refused(sqlite_store: Store) -> None:
    with pytest.raises(InputError, match="choose one of"):
        train_recs(sqlite_store, HashEmbedder(), model="magic")


def test_a_shop_without_events_still_serves_content_and_cold_start(sqlite_store: Store) -> None:
    sqlite_store.upsert("products", products())
    recs = train_recs(sqlite_store, HashEmbedder(), holdout=0)
    service = RecommendService(sqlite_store, recs)
    assert service.similar("ph1", limit=3).items
    feed = service.home("anyone", limit=3)
    assert feed.cold_start and len(feed.items) == 3
