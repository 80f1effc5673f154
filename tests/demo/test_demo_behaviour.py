"""Events and orders hang together and follow the customers' hidden tastes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from demo.shop import Shop

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _sessions(shop: Shop) -> dict[str, list[dict[str, Any]]]:
    sessions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in shop.records["events"]:
        if "session_id" in event:
            sessions[event["session_id"]].append(event)
    return sessions


def test_events_reference_existing_products_and_customers(shop: Shop) -> None:
    products, customers = shop.by_id("products"), shop.by_id("customers")
    for event in shop.records["events"]:
        assert all(pid in products for pid in event["product_ids"])
        assert event.get("customer_id", next(iter(customers))) in customers
    anonymous = sum("customer_id" not in e for e in shop.records["events"])
    assert 0 < anonymous < len(shop.records["events"]) / 3


def test_sessions_are_short_ordered_visits_in_the_window(shop: Shop) -> None:
    window = shop.truth["time"]
    for events in _sessions(shop).values():
        assert 3 <= len(events) <= 30
        times = [e["timestamp"] for e in events]
        assert times == sorted(times)
        assert window["events_start"] <= times[0] and times[-1] <= window["events_end"]
        assert len({e.get("customer_id") for e in events}) == 1


def test_funnel_narrows_from_views_to_purchases(shop: Shop) -> None:
    names = Counter(e["name"] for e in shop.records["events"])
    assert names["view_item"] > names["add_to_cart"] > names["begin_checkout"]
    assert names["begin_checkout"] >= names["purchase"] > 0
    for name in ("view_item_list", "select_item", "search", "remove_from_cart", "add_to_wishlist"):
        assert names[name] > 0, name


def test_searches_are_in_the_shoppers_language(shop: Shop) -> None:
    customers = shop.by_id("customers")
    searches = [e for e in shop.records["events"] if e["name"] == "search" and "customer_id" in e]
    assert searches
    for event in searches:
        chinese = customers[event["customer_id"]]["locale"] == "zh-CN"
        assert bool(_CJK.search(event["query"])) == chinese, event["query"]


def test_purchases_match_their_orders(shop: Shop) -> None:
    orders = shop.by_id("orders")
    purchases = [e for e in shop.records["events"] if e["name"] == "purchase"]
    for event in purchases:
        order = orders[event["properties"]["transaction_id"]]
        assert order.get("customer_id") == event.get("customer_id")
        assert sorted(event["product_ids"]) == sorted(line["product_id"] for line in order["lines"])
        paid = Decimal(order["subtotal"]) - Decimal(order["discount"])
        assert Decimal(event["value"]) == paid
        assert event["currency"] == order["currency"]
        assert order["placed_at"] == event["timestamp"]
    for event in (e for e in shop.records["events"] if e["name"] == "refund"):
        assert orders[event["properties"]["transaction_id"]]["status"] == "returned"


def test_order_lines_use_catalog_prices(shop: Shop) -> None:
    products, customers = shop.by_id("products"), shop.by_id("customers")
    guests = 0
    for order in shop.records["orders"]:
        if "customer_id" in order:
            assert customers[order["customer_id"]]["email"] == order["email"]
        else:
            guests += 1
            assert order["email"]
        for line in order["lines"]:
            product = products[line["product_id"]]
            assert line["unit_price"] == product["price"]
            assert product["currency"] == order["currency"]
            assert 1 <= line["quantity"] <= 3
    assert 0 < guests < len(shop.records["orders"]) / 3


def test_order_statuses_have_coherent_times(shop: Shop) -> None:
    window = shop.truth["policies"]["return_window_days"]
    now = _when(shop.truth["time"]["now"])
    statuses = Counter(order["status"] for order in shop.records["orders"])
    assert {"delivered", "returned", "cancelled"} <= set(statuses)
    for order in shop.records["orders"]:
        times = {k: _when(v) for k, v in order.items() if k.endswith("_at")}
        assert all(t <= now for t in times.values())
        sequence = [
            times[k]
            for k in ("placed_at", "paid_at", "shipped_at", "delivered_at", "returned_at")
            if k in times
        ]
        assert sequence == sorted(sequence)
        shipped = order["status"] in ("shipped", "delivered", "returned")
        assert ("carrier" in order) == shipped and ("tracking_number" in order) == shipped
        assert ("shipped_at" in times) == shipped
        assert ("delivered_at" in times) == (order["status"] in ("delivered", "returned"))
        assert ("cancelled_at" in times) == (order["status"] == "cancelled")
        if order["status"] == "returned":
            assert times["returned_at"] - times["delivered_at"] <= timedelta(days=window)


def test_shipping_fees_follow_the_policy(shop: Shop) -> None:
    policies = shop.truth["policies"]
    for order in shop.records["orders"]:
        currency = order["currency"]
        shipping = Decimal(order["shipping"])
        express = Decimal(policies["express_shipping_fee"][currency])
        if shipping == express:
            continue
        after_discount = Decimal(order["subtotal"]) - Decimal(order["discount"])
        free = after_discount >= Decimal(policies["free_shipping_threshold"][currency])
        assert shipping == (0 if free else Decimal(policies["standard_shipping_fee"][currency]))


def test_customers_mostly_view_their_preferred_categories(shop: Shop) -> None:
    products = shop.by_id("products")
    views: dict[str, Counter[str]] = defaultdict(Counter)
    for event in shop.records["events"]:
        if event["name"] == "view_item" and "customer_id" in event:
            product = products[event["product_ids"][0]]
            views[event["customer_id"]][shop.category_of(product)] += 1
    judged = [(cid, seen) for cid, seen in views.items() if sum(seen.values()) >= 5]
    assert len(judged) >= 20
    hits = sum(
        seen.most_common(1)[0][0] in shop.truth["customers"][cid]["preferred_categories"]
        for cid, seen in judged
    )
    assert hits / len(judged) >= 0.8


def test_orders_follow_preferred_categories_too(shop: Shop) -> None:
    products = shop.by_id("products")
    prefs = shop.truth["customers"]
    lines = [
        (order["customer_id"], shop.category_of(products[line["product_id"]]))
        for order in shop.records["orders"]
        if "customer_id" in order
        for line in order["lines"]
    ]
    hits = sum(category in prefs[cid]["preferred_categories"] for cid, category in lines)
    assert hits / len(lines) >= 0.75
