"""On the generated demo shop, the home feed recovers each customer's planted taste."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from shopmind.demo import generate, load_ground_truth
from shopmind.ingest import ingest
from shopmind.recommend.service import RecommendService
from shopmind.recommend.trained import train_recs
from shopmind.store import Store

from .shop import HashEmbedder

pytestmark = pytest.mark.slow


def _category_key(category: str, paths: dict[str, dict[str, list[str]]]) -> str | None:
    parts = category.split(" > ")
    for key, by_language in paths.items():
        if any(parts[: len(path)] == path for path in by_language.values()):
            return key
    return None


def test_top_planted_category_dominates_the_home_feed(sqlite_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    generate(out, products=2000, customers=300, events=40_000, orders=2000, reviews=10)
    for kind, name in (
        ("products", "products.jsonl"),
        ("customers", "customers.jsonl"),
        ("orders", "orders.jsonl"),
        ("events", "events.jsonl"),
    ):
        ingest(sqlite_store, kind, out / name)
    truth = load_ground_truth(out)
    recs = train_recs(sqlite_store, HashEmbedder(), holdout=0)
    service = RecommendService(sqlite_store, recs)
    dominated, shares, feeds = 0, [], 0
    for customer_id, taste in truth["customers"].items():
        if taste["weights"][0] < 0.6:  # a clear favourite, not a near tie between two
            continue
        feed = service.home(customer_id, limit=10)
        if feed.cold_start:
            continue
        keys = Counter(_category_key(i.category, truth["categories"]) for i in feed.items)
        top = taste["preferred_categories"][0]
        feeds += 1
        dominated += keys.most_common(1)[0][0] == top
        shares.append(keys[top] / len(feed.items))
    assert feeds >= 150
    # 14 categories: by chance the favourite would fill about 1 slot in 14
    assert dominated / feeds >= 0.8
    assert sum(shares) / feeds >= 0.6
