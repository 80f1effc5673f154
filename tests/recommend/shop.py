"""A tiny shop with known right answers for the recommendation surfaces.

Phones are viewed and bought with their cases (ph1+case1 three times, ph2+case2 twice), once
with coffee (support 1: below the default threshold). Chinese-locale shoppers lately crowd
around zh1; English-locale ones around b1. ph4 is out of stock. Nobody ever touched nb1.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from shopmind.core.schemas import Customer, Event, Order, Product
from shopmind.store import Store

NOW = datetime.now(UTC).replace(microsecond=0)


class HashEmbedder:
    """Bag of hashed words: products sharing words (brand, category) are near; no model."""

    name = "hash-test"
    version = "1"
    dim = 64

    def embed_queries(self, texts: Any) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().replace(".", " ").split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
        out += 1e-3
        normed: np.ndarray = out / np.linalg.norm(out, axis=1, keepdims=True)
        return normed

    def embed_passages(self, texts: Any, **_: Any) -> np.ndarray:
        return self.embed_queries(texts)


def product(pid: str, title: str, path: list[str], **over: Any) -> Product:
    data: dict[str, Any] = {
        "id": pid,
        "title": title,
        "category_path": path,
        "price": "10.00",
        "currency": "USD",
        "language": "en",
        "stock": 50,
    }
    return Product.model_validate(data | over)


def products() -> list[Product]:
    phones, cases = ["Phones", "Smartphones"], ["Phones", "Cases"]
    out = [
        product("ph1", "Nova Phone 1", phones, brand="Nova"),
        product("ph2", "Nova Phone 2", phones, brand="Nova"),
        product("ph3", "Orbit Phone 3", phones, brand="Orbit"),
        product("ph4", "Orbit Phone 4", phones, brand="Orbit", stock=0),
        product("case1", "Nova Phone 1 Case", cases, brand="Nova"),
        product("case2", "Nova Phone 2 Case", cases, brand="Nova"),
        product("case3", "Orbit Phone Case", cases, brand="Orbit"),
        product("cof1", "Roast Coffee Beans", ["Grocery", "Coffee"], brand="Roast"),
        product("cof2", "Roast Coffee Ground", ["Grocery", "Coffee"], brand="Roast"),
        product("nb1", "Paper Notebook A5", ["Stationery", "Notebooks"], brand="Leaf"),
        product("nb2", "Paper Notebook A4", ["Stationery", "Notebooks"], brand="Leaf"),
    ]
    out += [product(f"b{i}", f"Novel Book {i}", ["Books", "Fiction"]) for i in range(1, 7)]
    zh = dict(currency="CNY", language="zh")
    out += [product(f"zh{i}", f"手机 {i}", ["数码", "手机"], **zh) for i in range(1, 4)]
    return out


def customers() -> list[Customer]:
    return [
        Customer(id="alice", locale="en-US"),
        Customer(id="bob", locale="zh-CN"),
        Customer(id="carol", locale="en-US"),
        Customer(id="dan", locale="zh-CN"),
    ]


class Events:
    """Builds events with increasing ids and timestamps ``minutes`` before ``NOW``."""

    def __init__(self) -> None:
        self.items: list[Event] = []

    def add(self, name: str, who: str, pids: list[str], minutes: float, **over: Any) -> None:
        data: dict[str, Any] = {
            "id": f"e{len(self.items)}",
            "name": name,
            "customer_id": who,
            "session_id": f"s-{who}",
            "product_ids": pids,
            "timestamp": NOW - timedelta(minutes=minutes),
        }
        self.items.append(Event.model_validate(data | over))


def events() -> list[Event]:
    ev = Events()
    for n in range(6):  # phone shoppers: a phone, then its case
        who = f"u{n}"
        ev.add("view_item", who, ["ph1" if n < 4 else "ph2"], 600 - n)
        ev.add("view_item", who, ["case1" if n < 4 else "case2"], 599 - n)
    for n in range(3):
        ev.add("view_item", "bob", ["zh1"], 60 + n)
        ev.add("view_item", "dan", ["zh1"], 50 + n)
        ev.add("view_item", "dan", ["zh2"], 40 + n)
    for n, book in enumerate(["b1", "b1", "b1", "b2", "b3"]):
        ev.add("view_item", "carol", [book], 30 - n)
    ev.add("view_item", "alice", ["b1"], 20)
    ev.add("view_item", "alice", ["b2"], 19)
    return ev.items


def order(oid: str, who: str, pids: list[str], days: float) -> Order:
    lines = [{"product_id": p, "quantity": 1, "unit_price": "10.00"} for p in pids]
    return Order.model_validate(
        {
            "id": oid,
            "customer_id": who,
            "lines": lines,
            "currency": "USD",
            "status": "paid",
            "placed_at": NOW - timedelta(days=days),
        }
    )


def orders() -> list[Order]:
    return [
        order("o1", "u0", ["ph1", "case1"], 5),
        order("o2", "u1", ["ph1", "case1"], 5),
        order("o3", "u2", ["ph1", "case1"], 5),
        order("o4", "u4", ["ph2", "case2"], 5),
        order("o5", "u5", ["ph2", "case2"], 5),
        order("o6", "u3", ["ph1", "cof1"], 5),
        order("o7", "alice", ["cof1"], 40),
    ]


def fill(store: Store) -> None:
    store.upsert("products", products())
    store.upsert("customers", customers())
    store.upsert("orders", orders())
    store.add_events(events())
