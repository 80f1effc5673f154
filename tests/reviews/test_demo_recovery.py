"""The aspect sentiment planted per demo product is recovered from the review texts.

The demo plants, per product, +1/-1 on six aspects; each review mentions a few of them and
flips a mention with probability 15%. Two yardsticks: the planted profile itself (noisy: a
product with two reviews can be tied), and an oracle that reads the planted phrases back by
substring search, which is the most any reader of the text could know. Group-specific
"quality" phrases ("battery died", "面料柔软透气") are read as function or comfort by our
taxonomy, so the oracle counts only the phrases of the six shared aspects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import orjson
import pytest

from shopmind.core.schemas import Product, Review
from shopmind.demo import generate, load_ground_truth
from shopmind.demo.review_phrases import EN, ZH
from shopmind.reviews import analyse_pending
from shopmind.reviews.summary import review_aspects
from shopmind.store import Store
from shopmind.store.review_analyses import load_review_analyses

pytestmark = pytest.mark.slow
Verdicts = dict[tuple[str, str], str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "shop"
    generate(folder, seed=11, products=200, customers=40, events=500, orders=50, reviews=2500)
    return folder


def _records(folder: Path, name: str) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in (folder / f"{name}.jsonl").read_bytes().splitlines()]


def _majority(counts: Counter[str]) -> str:
    if counts["positive"] > counts["negative"]:
        return "positive"
    return "negative" if counts["negative"] > counts["positive"] else "tie"


def _ours(store: Store, products: list[str]) -> Verdicts:
    tally: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for product in products:
        for row in load_review_analyses(store, product_id=product):
            for aspect, polarity in review_aspects(row).items():
                tally[(product, aspect)][polarity] += 1
    return {key: _majority(c) for key, c in tally.items()}


def _oracle(reviews: list[dict[str, Any]]) -> Verdicts:
    phrases = {
        phrase: (key.split(":")[0], "positive" if key.endswith("+") else "negative")
        for table in (EN, ZH)
        for key, said in table.items()
        for phrase in said
    }
    tally: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for review in reviews:
        for phrase, (aspect, polarity) in phrases.items():
            if phrase in review["text"]:
                tally[(review["product_id"], aspect)][polarity] += 1
    return {key: _majority(c) for key, c in tally.items()}


def test_planted_aspect_sentiment_is_recovered(sqlite_store: Store, demo: Path) -> None:
    products = _records(demo, "products")
    reviews = _records(demo, "reviews")
    sqlite_store.upsert("products", [Product.model_validate(p) for p in products])
    sqlite_store.upsert("reviews", [Review.model_validate(r) for r in reviews])
    assert analyse_pending(sqlite_store) == len(reviews)
    truth = load_ground_truth(demo)["product_aspects"]
    ours = _ours(sqlite_store, list(truth))
    oracle = _oracle(reviews)

    clear = {k: v for k, v in oracle.items() if v != "tie"}
    agree = sum(ours.get(k) == v for k, v in clear.items()) / len(clear)
    assert agree >= 0.95, f"agreement with the text oracle {agree:.3f}"

    planted = [
        (product, aspect, polarity)
        for product, profile in truth.items()
        for aspect, polarity in profile.items()
        if polarity != "absent" and oracle.get((product, aspect), "tie") != "tie"
    ]
    hits = sum(ours.get((p, a)) == pol for p, a, pol in planted)
    oracle_hits = sum(oracle[(p, a)] == pol for p, a, pol in planted)
    # Flipped mentions make some products lean the wrong way in the text itself.
    assert hits / len(planted) >= 0.9 * oracle_hits / len(planted)
    assert hits / len(planted) >= 0.8, f"planted profile recovered {hits}/{len(planted)}"
    print(f"oracle agreement {agree:.3f}; planted {hits}/{len(planted)} (oracle {oracle_hits})")
    by_language = Counter(r["language"] for r in reviews)
    assert by_language["zh"] > 500 and by_language["en"] > 500
