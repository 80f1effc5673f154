"""store.recs on every backend: events, purchases, baskets, stock, locales, experiments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shopmind.core.errors import InputError
from shopmind.core.schemas import Customer, Event, Order, Product
from shopmind.store import Store
from shopmind.store import recs as q

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _event(n: int, name: str, pids: list[str], minutes: int, **over: Any) -> Event:
    data: dict[str, Any] = {
        "id": f"e{n}",
        "name": name,
        "customer_id": "c1",
        "session_id": "s1",
        "product_ids": pids,
        "timestamp": T0 + timedelta(minutes=minutes),
    }
    return Event.model_validate(data | over)


def _order(oid: str, pids: list[str], status: str, days: int = 0) -> Order:
    lines = [{"product_id": p, "quantity": 1, "unit_price": "2.50"} for p in pids]
    return Order.model_validate(
        {
            "id": oid,
            "customer_id": "c1",
            "lines": lines,
            "currency": "EUR",
            "status": status,
            "placed_at": T0 + timedelta(days=days),
        }
    )


def test_events_purchases_and_baskets(store: Store) -> None:
    store.add_events(
        [
            _event(1, "view_item", ["p1"], 0),
            _event(2, "add_to_cart", ["p2"], 5),
            _event(3, "purchase", ["p2", "p3"], 9, value="5.00", currency="EUR"),
            _event(4, "view_item", ["p9"], 7, customer_id="c2", session_id="s2"),
        ]
    )
    rows = q.behaviour_events(store, ["view_item", "purchase"])
    assert [r.product_ids for r in rows] == [["p1"], ["p9"], ["p2", "p3"]]
    assert rows[-1].value == 5.0 and rows[-1].currency == "EUR"
    since = q.behaviour_events(store, ["view_item"], since=T0 + timedelta(minutes=1))
    assert [r.product_ids for r in since] == [["p9"]]
    recent = q.recent_events(store, customer_id="c1", limit=2)
    assert [r.name for r in recent] == ["purchase", "add_to_cart"]  # newest first
    assert [r.name for r in q.recent_events(store, session_id="s2")] == ["view_item"]
    assert q.recent_events(store) == []
    store.upsert(
        "orders",
        [
            _order("o1", ["p1", "p4"], "delivered", days=-3),
            _order("o2", ["p5", "p6"], "cancelled"),
            _order("o3", ["p7"], "paid"),
        ],
    )
    bought = q.purchased_products(store, "c1")
    assert set(bought) == {"p1", "p4", "p7", "p2", "p3"}  # not the cancelled order's
    assert bought["p2"] == T0 + timedelta(minutes=9)
    assert q.order_baskets(store) == [["p1", "p4"]]  # single-line and cancelled left out
    both = q.shopper_rows(store, "c1", "s2", limit=3)  # a customer's events or the session's
    assert [r.product_ids for r in both.events] == [["p2", "p3"], ["p9"], ["p2"]]
    assert both.purchased == bought
    guest = q.shopper_rows(store, None, "s2")
    assert [r.name for r in guest.events] == ["view_item"] and guest.purchased == {}


def test_stock_locales_and_customers(store: Store) -> None:
    store.upsert(
        "products",
        [
            Product(id="p1", title="A", stock=0),
            Product(id="p2", title="B", stock=4),
            Product(id="p3", title="C", availability="preorder"),
        ],
    )
    assert q.product_stock(store, ["p1", "p2", "p3", "zz"]) == {
        "p1": (0, "out_of_stock"),
        "p2": (4, "in_stock"),
        "p3": (None, "preorder"),
    }
    store.upsert("customers", [Customer(id="c1", locale="zh-CN"), Customer(id="c2")])
    assert q.customer_locales(store) == {"c1": "zh-CN"}
    assert q.customer_locale(store, "c1") == "zh-CN" and q.customer_locale(store, "c9") is None
    assert q.shopper_rows(store, "c1", None).locale == "zh-CN"
    assert q.shopper_rows(store, "c9", None).locale is None
    assert q.customer_exists(store, "c2") and not q.customer_exists(store, "c9")


def test_experiment_rows(store: Store) -> None:
    row = {
        "id": "x1",
        "name": "X",
        "surface": "home",
        "arms": [{"name": "a", "weight": 1.0, "config": {}}],
        "status": "running",
        "created_at": T0,
        "stopped_at": None,
    }
    q.insert_experiment(store, row)
    with pytest.raises(InputError, match="already exists"):
        q.insert_experiment(store, row)
    loaded = q.load_experiment(store, "x1")
    assert loaded is not None and loaded["arms"] == row["arms"] and loaded["created_at"] == T0
    assert all(type(key) is str for key in loaded)
    assert [e["id"] for e in q.list_experiments(store, "running")] == ["x1"]
    assert q.stop_experiment(store, "x1", T0 + timedelta(days=1))
    assert not q.stop_experiment(store, "x1", T0)
    assert q.list_experiments(store, "running") == []
    assert q.load_experiment(store, "nope") is None
