"""The default sizes (2,000 products, 60,000 events...): a few seconds, so marked slow."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest

from demo.shop import ENTITIES, Shop, read_jsonl
from shopmind.core.schemas import ENTITY_MODELS
from shopmind.demo import generate, load_ground_truth

DEFAULTS = {"products": 2000, "customers": 600, "events": 60000, "orders": 3500, "reviews": 12000}


@pytest.mark.slow
def test_default_shop(tmp_path: Path) -> None:
    manifest = generate(tmp_path)
    assert {k: manifest.counts[k] for k in DEFAULTS} == DEFAULTS
    records = {name: read_jsonl(tmp_path / f"{name}.jsonl") for name in ENTITIES}
    for name in ENTITIES:
        assert len(records[name]) == DEFAULTS[name]
        model = ENTITY_MODELS[name]
        for record in records[name]:
            model.model_validate(record)
    shop = Shop(tmp_path, manifest, records, load_ground_truth(tmp_path), [])
    products = shop.by_id("products")
    assert len({shop.category_of(p) for p in records["products"]}) == len(shop.truth["categories"])
    views: dict[str, Counter[str]] = defaultdict(Counter)
    for event in records["events"]:
        if event["name"] == "view_item" and "customer_id" in event:
            views[event["customer_id"]][shop.category_of(products[event["product_ids"][0]])] += 1
    judged = [(cid, seen) for cid, seen in views.items() if sum(seen.values()) >= 5]
    assert len(judged) >= 400
    hits = sum(
        seen.most_common(1)[0][0] in shop.truth["customers"][cid]["preferred_categories"]
        for cid, seen in judged
    )
    assert hits / len(judged) >= 0.9
