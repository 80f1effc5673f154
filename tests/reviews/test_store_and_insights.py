"""Stored analyses on SQLite and PostgreSQL, the analysis job, and insights for product/category."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from shopmind.core.errors import InputError, NotFoundError
from shopmind.core.schemas import Product, Review
from shopmind.reviews import ANALYSER, Scope, analyse_pending, insights, insights_chart
from shopmind.store import Store
from shopmind.store.review_analyses import (
    category_product_count,
    load_review_analyses,
    pending_reviews,
)

EN_TEXTS = [
    ("Delivery was super fast. The quality is poor.", 2),
    ("Arrived two days early. I wish it came with a case.", 4),
    ("Great value for money, delivery was quick.", 5),
    ("Shipping took forever but great value.", 3),
]
ZH_TEXTS = [("物流很快，质量很好。希望能出更多颜色。", 5), ("物流太慢了，但是价格实惠。", 3)]


def _seed(store: Store) -> None:
    store.upsert(
        "products",
        [
            Product(id="p1", title="Earbuds", category_path=["Electronics", "Audio"]),
            Product(id="p2", title="耳机", category_path=["Electronics", "Audio", "Buds"]),
            Product(id="p3", title="Pan", category_path=["Home", "Kitchen"]),
        ],
    )
    reviews = [
        Review(
            id=f"e{i}",
            product_id="p1",
            rating=rating,
            text=text,
            language="en",
            created_at=datetime(2026, 1 + i, 3, tzinfo=UTC),
        )
        for i, (text, rating) in enumerate(EN_TEXTS)
    ] + [
        Review(
            id=f"z{i}",
            product_id="p2",
            rating=rating,
            text=text,
            created_at=datetime(2026, 2, 10 + i, tzinfo=UTC),
        )
        for i, (text, rating) in enumerate(ZH_TEXTS)
    ]
    store.upsert("reviews", reviews)


def test_job_stores_and_refreshes_analyses(store: Store) -> None:
    _seed(store)
    assert len(pending_reviews(store, ANALYSER)) == 6
    assert analyse_pending(store, batch=4) == 6
    assert pending_reviews(store, ANALYSER) == []
    assert analyse_pending(store) == 0
    rows = load_review_analyses(store, product_id="p2")
    assert [r["review_id"] for r in rows] == ["z0", "z1"]
    assert rows[0]["language"] == "zh"  # detected: the review gave none
    assert {a["aspect"] for a in rows[0]["aspects"]} == {"logistics", "quality"}
    assert rows[0]["review_time"].tzinfo is not None
    # An edited review is analysed again; a deleted one disappears from reads.
    edited = Review(
        id="z0",
        product_id="p2",
        rating=1,
        text="质量太差了",
        created_at=datetime(2026, 2, 10, tzinfo=UTC),
    )
    store.upsert("reviews", [edited])
    assert [r.id for r, _, _ in pending_reviews(store, ANALYSER)] == ["z0"]
    assert analyse_pending(store) == 1
    store.delete("reviews", ["z1"])
    rows = load_review_analyses(store, product_id="p2")
    assert [(r["review_id"], r["polarity"]) for r in rows] == [("z0", "negative")]
    assert len(load_review_analyses(store, category="Electronics")) == 5
    assert len(load_review_analyses(store, category="Electronics > Audio > Buds")) == 1
    assert load_review_analyses(store, category="Electro") == []
    assert category_product_count(store, "Home") == 1
    assert category_product_count(store, "Home%") == 0  # LIKE wildcards are escaped


class FakeEmbedder:
    """Vectors from the words a text shares with a few anchors: deterministic and tiny."""

    name = "fake"
    version = "1"
    dim = 3

    def embed_queries(self, texts: Any) -> np.ndarray:
        anchors = (("case", "颜色", "colour"), ("slow", "慢", "forever"), ("poor", "差"))
        rows = []
        for text in texts:
            vec = np.array([any(a in text.lower() for a in group) for group in anchors], float)
            rows.append(vec + 0.01)
        out = np.asarray(rows, np.float32)
        normed: np.ndarray = out / np.linalg.norm(out, axis=1, keepdims=True)
        return normed

    def embed_passages(self, texts: Any, **_: Any) -> np.ndarray:
        return self.embed_queries(texts)


def test_insights_for_product_and_category(sqlite_store: Store) -> None:
    _seed(sqlite_store)
    # A product's reviews are analysed on the way (no job has run yet).
    result = insights(sqlite_store, Scope.parse("p1", None), embedder=FakeEmbedder())
    assert result["reviews"] == 4
    # e0 (2 stars) praises delivery and blames quality: a tie, left out; e1 and e2 agree.
    assert result["rating_agreement"] == 1.0
    table = {row["aspect"]: row for row in result["aspects"]}
    assert table["logistics"]["positive"] == 3 and table["logistics"]["negative"] == 1
    assert table["price"]["positive"] == 2
    (pro_delivery,) = [p for p in result["pros"] if p["aspect"] == "logistics"]
    assert pro_delivery["count"] == 3
    assert set(pro_delivery["review_ids"]) == {"e0", "e1", "e2"}
    assert all(q["review_id"] in pro_delivery["review_ids"] for q in pro_delivery["quotes"])
    assert result["cons"] == []  # a single complaint per aspect is not a point
    assert result["needs"]["wishes"] == 1
    assert result["needs"]["complaints"] == 2
    assert [t["month"] for t in result["trend"] if t["aspect"] == "logistics"] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
    ]
    analyse_pending(sqlite_store)
    category = insights(sqlite_store, Scope.parse(None, "Electronics"), embedder=FakeEmbedder())
    assert category["reviews"] == 6
    assert category["languages"] == {"en": 4, "zh": 2}
    assert category["needs"]["wishes"] == 2
    complaints = category["needs"]["themes"]["complaint"]
    assert complaints[0]["count"] == 2 and complaints[0]["aspect"] == "logistics"


def test_insights_refuse_bad_scopes(sqlite_store: Store) -> None:
    _seed(sqlite_store)
    for product_id, category in ((None, None), ("p1", "Home"), ("", None), ("x" * 201, None)):
        with pytest.raises(InputError):
            Scope.parse(product_id, category)
    with pytest.raises(NotFoundError, match="product 'nope' not found"):
        insights(sqlite_store, Scope.parse("nope", None))
    with pytest.raises(NotFoundError, match="category 'Garden' not found"):
        insights(sqlite_store, Scope.parse(None, "Garden"))


def test_chart_is_a_png_and_svg(sqlite_store: Store) -> None:
    _seed(sqlite_store)
    png = insights_chart(sqlite_store, Scope.parse("p1", None))
    assert png.startswith(b"\x89PNG")
    svg = insights_chart(sqlite_store, Scope.parse("p1", None), fmt="svg")
    assert b"<svg" in svg[:500]


def test_month_range_fills_gaps() -> None:
    from shopmind.reviews.chart import month_range

    assert month_range(["2025-11", "2026-02"]) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range([]) == []


def test_themes_group_by_what_is_wanted() -> None:
    from shopmind.reviews.needs import themes

    when = datetime(2026, 5, 1, tzinfo=UTC)
    texts = [
        ("I wish it came with a case.", "en"),
        ("希望能出更多颜色", "zh"),
        ("Would love more colour options", "en"),
        ("Shipping was slow", "en"),
        ("物流太慢了", "zh"),
        ("The quality is poor", "en"),
    ]
    items = [
        {
            "kind": "wish" if i < 3 else "complaint",
            "text": text,
            "aspect": None,
            "review_id": f"r{i}",
            "review_time": when,
            "language": lang,
        }
        for i, (text, lang) in enumerate(texts)
    ]
    found = themes(items, FakeEmbedder())
    (wish,) = found["wish"]
    assert wish["count"] == 3 and wish["languages"] == ["en", "zh"]
    assert wish["trend"] == [{"month": "2026-05", "count": 3}]
    (complaint,) = found["complaint"]
    assert set(complaint["review_ids"]) == {"r3", "r4"}
    assert {q["review_id"] for q in complaint["quotes"]} == {"r3", "r4"}
    assert complaint["keywords"]
