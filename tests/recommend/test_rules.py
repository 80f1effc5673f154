"""Rules in isolation: boosts by every field, caps, MMR, consumables, z-scores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from pydantic import ValidationError

from shopmind.recommend.catalog import ItemCatalog, ItemFacts
from shopmind.recommend.rules import (
    Boost,
    RecConfig,
    boost_mask,
    diversify,
    purchased_blocked,
    recent_distinct,
    standardise,
)
from shopmind.recommend.surfaces import best_first

NOW = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture
def catalog() -> ItemCatalog:
    items = [
        ItemFacts("a1", "A1", "Food > Coffee", brand="Roast", tags=["organic"]),
        ItemFacts("a2", "A2", "Food > Coffee", brand="Roast"),
        ItemFacts("a3", "A3", "Food > Tea", brand="Leaf"),
        ItemFacts("b1", "B1", "Books", brand="Inky", tags=["Organic"]),
        ItemFacts("b2", "B2", "Books", brand="Inky"),
    ]
    return ItemCatalog(items, len(items))


def test_boost_masks_match_each_field(catalog: ItemCatalog) -> None:
    def hits(field: str, value: str) -> list[str]:
        mask = boost_mask(
            catalog, Boost.model_validate({"field": field, "value": value, "weight": 1})
        )
        return [catalog.items[i].id for i in np.flatnonzero(mask)]

    assert hits("category", "food") == ["a1", "a2", "a3"]
    assert hits("category", "Food > Tea") == ["a3"]
    assert hits("category", "Foo") == []  # a prefix of a word is not a parent category
    assert hits("brand", "ROAST") == ["a1", "a2"]
    assert hits("product", "b2") == ["b2"] and hits("product", "zz") == []
    assert hits("tag", "organic") == ["a1", "b1"]


def test_caps_keep_categories_apart_then_fill_from_the_rest(catalog: ItemCatalog) -> None:
    config = RecConfig(max_per_category=1)
    scores = np.asarray([5, 4, 3, 2, 1], np.float32)
    assert diversify([0, 1, 2, 3, 4], scores, catalog, config, 3) == [0, 2, 3]
    assert diversify([0, 1, 2, 3, 4], scores, catalog, config, 5) == [0, 2, 3, 1, 4]
    assert diversify([0, 1, 2], scores, catalog, RecConfig(diversity="none"), 2) == [0, 1]


def test_mmr_trades_relevance_for_novelty(catalog: ItemCatalog) -> None:
    twins = np.eye(5, dtype=np.float32)
    twins[0, 1] = twins[1, 0] = 1.0  # a1 and a2 are the same thing

    def similarity(pos: int) -> np.ndarray:
        return np.asarray(twins[pos])

    scores = np.asarray([5, 4.9, 1, 0, 0], np.float32)
    greedy = RecConfig(diversity="mmr", mmr_lambda=1.0)
    assert diversify([0, 1, 2], scores, catalog, greedy, 2, similarity) == [0, 1]
    novel = RecConfig(diversity="mmr", mmr_lambda=0.5)
    assert diversify([0, 1, 2], scores, catalog, novel, 2, similarity) == [0, 2]


def test_consumables_use_the_most_specific_category(catalog: ItemCatalog) -> None:
    bought = {"a1": NOW - timedelta(days=20), "a3": NOW - timedelta(days=20), "zz": NOW}
    config = RecConfig(repurchase_days={"Food": 10, "Food > Coffee": 30})
    assert sorted(purchased_blocked(bought, catalog, config, NOW)) == [0]  # coffee: 30 days
    assert sorted(purchased_blocked(bought, catalog, RecConfig(), NOW)) == [0, 2]


def test_standardise_keeps_non_candidates_out() -> None:
    z = standardise(np.asarray([1.0, 3.0, -np.inf], np.float32))
    assert z.tolist() == [-1.0, 1.0, -np.inf]
    assert standardise(np.asarray([2.0, 2.0], np.float32)).tolist() == [0.0, 0.0]


def test_best_first_takes_the_top_finite_scores_ties_by_position() -> None:
    scores = np.asarray([0.5, -np.inf, 2.0, 0.5, 1.0, -np.inf], np.float32)
    assert best_first(scores, 3) == [2, 4, 0]
    assert best_first(scores, 10) == [2, 4, 0, 3]  # never a non-candidate
    assert best_first(np.full(4, -np.inf, np.float32), 2) == []
    assert best_first(scores, 0) == []
    rng = np.random.default_rng(0)  # many ties: the list is a full sort's head, ties by position
    values = rng.integers(0, 5, 300).astype(np.float32)
    values[rng.random(300) < 0.2] = -np.inf
    order = sorted(np.flatnonzero(np.isfinite(values)), key=lambda i: (-values[i], i))
    for count in (1, 7, 50, 400):
        assert best_first(values, count) == [int(i) for i in order[:count]]


def test_recent_distinct_and_config_validation() -> None:
    assert recent_distinct([1, 2, 1, 3, 3], 2) == [3, 1]
    assert recent_distinct([1, 2], 0) == []
    with pytest.raises(ValidationError):
        RecConfig.model_validate({"diversity": "random"})
    with pytest.raises(ValidationError):
        RecConfig().with_overrides({"max_per_category": 0})
