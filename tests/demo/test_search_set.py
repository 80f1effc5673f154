"""The judged Chinese search set: enough queries, judged from the planted catalog fields."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from shopmind.demo import generate
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.search_set import TEMPLATES, qrels_of, search_set

Records = list[dict[str, Any]]
LEAVES = {k.leaf[0]: set(k.leaf) for c in CATEGORIES for k in c.kinds}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Records:
    out: Path = tmp_path_factory.mktemp("set")
    generate(out, seed=4, products=3000, customers=10, events=0, orders=0, reviews=0)
    lines = (out / "products.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_at_least_fifty_chinese_or_mixed_queries_of_every_template(records: Records) -> None:
    queries = search_set(records)
    assert len(queries) >= 50
    assert set(Counter(q.template for q in queries)) == set(TEMPLATES)
    assert len({q.query_id for q in queries}) == len(queries)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in q.text) for q in queries)
    mixed = [q for q in queries if any(ch.isascii() and ch.isalpha() for ch in q.text)]
    assert len(mixed) >= 10  # brand names and English product words next to Chinese ones


def test_gains_follow_the_planted_fields(records: Records) -> None:
    by_id = {r["id"]: r for r in records}
    for q in search_set(records):
        assert q.gains, q.text
        for pid, gain in q.gains.items():
            record = by_id[pid]
            assert record["category_path"][-1] in LEAVES[q.kind]
            if q.template == "price" and gain == 2:
                ceiling = float(q.text.split("元")[0])
                assert record["currency"] == "CNY" and float(record["price"]) <= ceiling
            if q.template == "kind":
                assert gain == 2


def test_kind_queries_judge_both_languages(records: Records) -> None:
    kind = next(q for q in search_set(records) if q.template == "kind" and len(q.gains) > 20)
    by_id = {r["id"]: r for r in records}
    languages = {by_id[pid]["language"] for pid in kind.gains}
    assert languages == {"en", "zh"}


def test_kinds_too_small_are_left_out(records: Records) -> None:
    few = search_set(records[:40], min_products=5)
    many = search_set(records[:40], min_products=1)
    assert len(few) < len(many)
    assert all(len(q.gains) >= 5 for q in few)


def test_qrels_shape(records: Records) -> None:
    queries = search_set(records)[:3]
    qrels = qrels_of(queries)
    assert set(qrels) == {q.query_id for q in queries}
    assert all(isinstance(g, float) for q in qrels.values() for g in q.values())
