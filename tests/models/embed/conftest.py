from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopmind.demo import generate


@pytest.fixture(scope="session")
def bilingual_texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """200 real-shaped shop texts in Chinese and English: titles, descriptions, reviews."""
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=5, products=60, customers=20, events=200, orders=10, reviews=200)
    products = [json.loads(line) for line in (out / "products.jsonl").open()]
    reviews = [json.loads(line) for line in (out / "reviews.jsonl").open()]
    texts = [p["title"] for p in products] + [p["description"] for p in products]
    texts += [r["text"] for r in reviews]
    assert any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t)
    return texts[:200]


@pytest.fixture(scope="session")
def cache_home() -> Path:
    return Path.home() / ".cache" / "shopmind"
