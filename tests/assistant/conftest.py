"""A small demo shop, generated and ingested once, copied into a fresh SQLite store per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shopmind.assistant import Assistant, Limits, PolicyRules
from shopmind.core.schemas import Order
from shopmind.demo import generate
from shopmind.ingest import ingest
from shopmind.store import Store, open_store

NOW = datetime(2025, 7, 1, tzinfo=UTC)  # the demo shop's "now"


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=11, products=80, customers=25, orders=90, reviews=40, events=200)
    return out


@pytest.fixture(scope="session")
def demo_db(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "shop.db"
    store = open_store(f"sqlite:///{path}")
    for kind, source in (
        ("products", "products.jsonl"),
        ("customers", "customers.jsonl"),
        ("orders", "orders.jsonl"),
        ("reviews", "reviews.jsonl"),
        ("documents", "documents"),
    ):
        ingest(store, kind, demo_dir / source)
    store.close()
    return path


@pytest.fixture
def shop(demo_db: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "shop.db"
    shutil.copy(demo_db, path)
    store = open_store(f"sqlite:///{path}")
    yield store
    store.close()


@pytest.fixture
def rules(demo_dir: Path) -> PolicyRules:
    return PolicyRules.load(demo_dir / "ground_truth.json")


@pytest.fixture
def assistant(shop: Store, rules: PolicyRules) -> Assistant:
    return Assistant(shop, rules=rules, clock=lambda: NOW, limits=Limits(messages_per_window=50))


def all_orders(store: Store) -> list[Order]:
    return [o for o in store.iter_models("orders") if isinstance(o, Order)]


def customer_with_orders(store: Store, at_least: int = 2) -> tuple[str, list[Order]]:
    """A customer with at least ``at_least`` orders, and those orders."""
    by_customer: dict[str, list[Order]] = {}
    for order in all_orders(store):
        if order.customer_id:
            by_customer.setdefault(order.customer_id, []).append(order)
    for customer, orders in sorted(by_customer.items()):
        if len(orders) >= at_least:
            return customer, orders
    raise AssertionError("the demo shop has no customer with enough orders")
