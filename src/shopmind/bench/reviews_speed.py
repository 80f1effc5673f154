"""``shopmind bench reviews-speed``: reviews analysed per second, store to store.

Generates a bilingual demo shop, stores its products and reviews in a temporary SQLite store,
then times ``analyse_pending`` (read, sentiment, aspects, needs, write) and the rules alone.
With ``texts`` (real review texts, e.g. a column of a public review CSV) the generated reviews
keep their products and stars but carry those texts, since model time grows with text length.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from shopmind.bench.machine import machine_info
from shopmind.core.errors import InputError
from shopmind.core.schemas import Product, Review
from shopmind.reviews import SentimentModels, analyse_pending, analyse_review, load_taxonomy
from shopmind.reviews.sentiment import language_class
from shopmind.store import open_store


def run(
    reviews: int = 5000, *, seed: int = 7, texts: Sequence[str] | None = None
) -> dict[str, Any]:
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
        if texts:
            items = [_with_text(r, texts[i % len(texts)]) for i, r in enumerate(items)]
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
    found = Counter(language_class(r) for r in items)
    languages = {"zh": found["zh"], "en": found["en"]}
    return {
        "capability": "reviews-speed",
        "dataset": {
            "generated": "demo" if not texts else "demo products and stars, given texts",
            "reviews": done,
            "languages": languages,
            "mean_chars": round(sum(len(r.text) for r in items) / max(len(items), 1), 1),
            "seed": seed,
        },
        "sentiment_models": SentimentModels.promoted().sources,
        "results": {
            "analysis": {"reviews_per_s": round(len(items) / max(rules_s, 1e-9), 1)},
            "job": {"reviews_per_s": round(done / max(job_s, 1e-9), 1)},
        },
        "seconds": seconds,
        "machine": machine_info(),
    }


def read_texts(path: Path, column: str, limit: int) -> list[str]:
    """Up to ``limit`` non-empty texts of ``column`` in a UTF-8 CSV with a header row."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if column not in (reader.fieldnames or []):
                raise InputError(
                    f"{path}: no column {column!r}; columns: {', '.join(reader.fieldnames or [])}"
                )
            out: list[str] = []
            for row in reader:
                text = (row.get(column) or "").strip()
                if text:
                    out.append(text)
                    if len(out) == limit:
                        break
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as UTF-8 CSV: {exc}") from exc
    if not out:
        raise InputError(f"{path}: column {column!r} holds no text")
    return out


def _with_text(review: Review, text: str) -> Review:
    # The language is detected from the new text, as it would be for a shop's own reviews.
    return review.model_copy(update={"text": text, "title": None, "language": None})


def _read(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]
