"""Contract tests for `shopmind.store.queries`: same answers on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from shopmind.core.schemas import Event, Product, Review
from shopmind.store import Store
from shopmind.store.queries import (
    RatingTotals,
    SearchEventRow,
    dirty_products,
    mark_clean,
    product_count,
    product_event_counts,
    product_ids,
    recent_product_ids,
    review_rating_totals,
    search_event_rows,
    search_query_counts,
)

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def product(pid: str, price: str = "10.00") -> Product:
    return Product.model_validate(
        {"id": pid, "title": f"Product {pid}", "price": price, "currency": "USD"}
    )


def event(name: str, minutes: int, *ids: str, **kw: Any) -> Event:
    fields: dict[str, Any] = {"customer_id": "c1", "session_id": "s1"}
    fields.update(kw)
    return Event.model_validate(
        {"name": name, "timestamp": T0 + timedelta(minutes=minutes), "product_ids": ids, **fields}
    )


def hashes(store: Store) -> dict[str, str]:
    return {p.id: p.content_hash for p in dirty_products(store, with_data=False)}


def test_dirty_products_lists_every_upserted_product_with_hash_and_data(store: Store) -> None:
    assert dirty_products(store) == []
    store.upsert("products", [product("a"), product("b")])
    rows = sorted(dirty_products(store))
    assert [r.id for r in rows] == ["a", "b"]
    assert all(len(r.content_hash) == 32 for r in rows)
    assert rows[0].content_hash != rows[1].content_hash
    assert rows[0].data is not None and rows[0].data["title"] == "Product a"
    assert Product.model_validate(rows[1].data) == product("b")
    bare = sorted(dirty_products(store, with_data=False))
    assert bare == [(r.id, r.content_hash, None) for r in rows]


def test_mark_clean_clears_only_rows_whose_hash_is_unchanged(store: Store) -> None:
    store.upsert("products", [product("a"), product("b"), product("c")])
    seen = hashes(store)
    store.upsert("products", [product("c", price="12.00")])  # edited after it was read
    cleared = mark_clean(store, [("a", seen["a"]), ("b", "0" * 32), ("c", seen["c"])])
    assert cleared == 1
    left = hashes(store)
    assert sorted(left) == ["b", "c"]
    assert left["c"] != seen["c"]
    assert mark_clean(store, []) == 0
    assert mark_clean(store, left.items()) == 2
    assert dirty_products(store) == []
    store.upsert("products", [product("a", price="11.00")])  # an edit makes it dirty again
    assert list(hashes(store)) == ["a"]


def test_product_count_and_ids_follow_upserts_and_deletes(store: Store) -> None:
    assert product_count(store) == 0
    assert product_ids(store) == set()
    store.upsert("products", [product("a"), product("b"), product("c")])
    assert product_count(store) == 3
    assert product_ids(store) == {"a", "b", "c"}
    store.delete("products", ["b"])
    assert product_count(store) == 2
    assert product_ids(store) == {"a", "c"}


def test_review_rating_totals_per_product(store: Store) -> None:
    assert review_rating_totals(store) == {}
    store.upsert(
        "reviews",
        [
            Review(id="r1", product_id="a", rating=5, created_at=T0),
            Review(id="r2", product_id="a", rating=2, created_at=T0),
            Review(id="r3", product_id="b", rating=4, created_at=T0),
        ],
    )
    totals = review_rating_totals(store)
    assert totals == {"a": RatingTotals(7.0, 2), "b": RatingTotals(4.0, 1)}
    assert isinstance(totals["a"].total, float) and isinstance(totals["a"].count, int)


def test_product_event_counts_counts_each_listed_product(store: Store) -> None:
    store.add_events(
        [
            event("view_item", 0, "a", "b"),
            event("view_item", 1, "a"),
            event("view_item", 2, "a", customer_id="c2"),
            event("purchase", 3, "b", "b"),  # two units listed twice count twice
            event("add_to_cart", 4, "c"),
        ]
    )
    counts = product_event_counts(store, ("view_item", "purchase", "refund"))
    assert counts == {
        "view_item": Counter({"a": 3, "b": 1}),
        "purchase": Counter({"b": 2}),
        "refund": Counter(),
    }
    assert product_event_counts(store, ()) == {}


def test_recent_product_ids_newest_first_without_searches(store: Store) -> None:
    store.add_events(
        [
            event("view_item", 0, "a"),
            event("search", 1, "b", query="shoes"),
            event("add_to_cart", 2, "c", "a"),
            event("view_item", 3, "d", customer_id="c2"),
        ]
    )
    assert recent_product_ids(store, "c1", limit=10) == ["c", "a", "a"]
    assert recent_product_ids(store, "c1", limit=1) == ["c", "a"]
    assert recent_product_ids(store, "c2", limit=10) == ["d"]
    assert recent_product_ids(store, "nobody", limit=10) == []


def test_search_query_counts_lower_cased_most_frequent_first(store: Store) -> None:
    queries = ["Shoes", "shoes", "SHOES", "hat", "Hat", "bag"]
    store.add_events([event("search", i, query=q) for i, q in enumerate(queries)])
    store.add_events([event("view_item", 9, "a", query="shoes")])  # not a search
    counts = search_query_counts(store, 10)
    assert counts == {"shoes": 3, "hat": 2, "bag": 1}
    assert list(counts) == ["shoes", "hat", "bag"]
    assert search_query_counts(store, 2) == {"shoes": 3, "hat": 2}


def test_search_event_rows_since_in_time_order(store: Store) -> None:
    store.add_events(
        [
            event("select_item", 20, "a", session_id="s2"),
            event("search", 10, query="shoes", properties={"results": 3}),
            event("search", 0, query="too early"),
            event("view_item", 15, "a"),
        ]
    )
    rows = search_event_rows(store, T0 + timedelta(minutes=5))
    assert rows == [
        SearchEventRow("search", "s1", T0 + timedelta(minutes=10), "shoes", {"results": 3}),
        SearchEventRow("select_item", "s2", T0 + timedelta(minutes=20), None, None),
    ]
    assert all(r.ts.tzinfo is not None for r in rows)
    assert search_event_rows(store, T0 + timedelta(days=1)) == []
