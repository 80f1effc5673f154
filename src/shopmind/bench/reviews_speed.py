"""``shopmind bench reviews-speed``: reviews analysed per second, store to store.

Generates a bilingual demo shop, stores its products and reviews in a temporary SQLite store,
then times ``analyse_pending`` (read, aspects, needs, write) and the analysis alone.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from shopmind.bench.machine import machine_info
from shopmind.core.schemas import Product, Review
from shopmind.reviews import SentimentModels, analyse_pending, analyse_review, load_taxonomy
from shopmind.store import open_store


def run(reviews: int = 5000, *, seed: int = 7) -> dict[str, Any]:
    """Reviews per second of the full analysis job and of the rules alone.

    The job reads sentiment with the promoted sentiment models when there are any (listed in
    the result as ``sentiment_models``), so promote one first to time analysis with a model.
    """
    if reviews < 1:
        raise ValueError(f"reviews must be >= 1, got {reviews}")
    from shopmind.demo import generate

    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="shopmind-reviews-speed-") as root:
        folder = Path(root) / "shop"
        started = time.perf_counter()
        products = max(50, reviews // 10)
        generate(
            folder, seed=seed, products=products, customers=50, events=0, orders=0, reviews=reviews
        )
        store = open_store(f"sqlite:///{Path(root) / 'store.db'}")
        store.upsert(
            "products", [Product.model_validate(r) for r in _read(folder / "products.jsonl")]
        )
        items = [Review.model_validate(r) for r in _read(folder / "reviews.jsonl")]
        store.upsert("reviews", items)
        seconds["setup"] = round(time.perf_counter() - started, 2)
        taxonomy = load_taxonomy()
        started = time.perf_counter()
        for review in items:
            analyse_review(review, taxonomy)
        rules_s = time.perf_counter() - started
        started = time.perf_counter()
        done = analyse_pending(store, taxonomy=taxonomy)
        job_s = time.perf_counter() - started
        store.close()
    seconds.update(rules=round(rules_s, 2), job=round(job_s, 2))
    languages = {
        "zh": sum(r.language == "zh" for r in items),
        "en": sum(r.language == "en" for r in items),
    }
    return {
        "capability": "reviews-speed",
        "dataset": {"generated": "demo", "reviews": done, "languages": languages, "seed": seed},
        "sentiment_models": SentimentModels.promoted().sources,
        "results": {
            "analysis": {"reviews_per_s": round(len(items) / max(rules_s, 1e-9), 1)},
            "job": {"reviews_per_s": round(done / max(job_s, 1e-9), 1)},
        },
        "seconds": seconds,
        "machine": machine_info(),
    }


def _read(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]
