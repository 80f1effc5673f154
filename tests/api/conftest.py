"""Fixtures for API tests: a fresh SQLite store per test, one key per role, a client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopmind.api import create_app
from shopmind.core.settings import Settings
from shopmind.store import Role, Store, create_api_key, open_store

MAX_BODY = 64 * 1024
MAX_BATCH = 50

Json = dict[str, Any]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A fresh store on each backend (the top-level ``store_url``: SQLite, then PostgreSQL)."""
    store = open_store(store_url)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Small limits so the limit tests need small bodies.
    return Settings(home=tmp_path, max_body_bytes=MAX_BODY, max_batch=MAX_BATCH)


@pytest.fixture
def app(store: Store, settings: Settings) -> FastAPI:
    return create_app(store=store, settings=settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def tokens(store: Store) -> dict[Role, str]:
    return {role: create_api_key(store, f"test {role.value}", role)[1] for role in Role}


@pytest.fixture
def auth(tokens: dict[Role, str]) -> Callable[[Role], dict[str, str]]:
    """``auth(Role.MERCHANT)`` -> the headers that authenticate as that role."""

    def headers(role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    return headers


class Make:
    """Valid JSON records of every kind; keyword arguments override fields."""

    @staticmethod
    def product(pid: str, **over: Any) -> Json:
        return {"id": pid, "title": f"Product {pid}", "price": "9.99", "currency": "EUR"} | over

    @staticmethod
    def customer(cid: str, **over: Any) -> Json:
        return {"id": cid, "email": f"{cid}@example.com", "name": f"Name {cid}"} | over

    @staticmethod
    def order(oid: str, **over: Any) -> Json:
        return {
            "id": oid,
            "customer_id": "c1",
            "email": "c1@example.com",
            "shipping_address": "1 Main St",
            "lines": [{"product_id": "p1", "quantity": 2, "unit_price": "5.00"}],
            "currency": "EUR",
            "status": "paid",
            "placed_at": "2024-05-01T10:00:00Z",
        } | over

    @staticmethod
    def review(rid: str, **over: Any) -> Json:
        return {
            "id": rid,
            "product_id": "p1",
            "customer_id": "c1",
            "author_name": "Ann",
            "rating": 4,
            "text": "Good",
            "created_at": "2024-05-02T10:00:00Z",
        } | over

    @staticmethod
    def document(did: str, **over: Any) -> Json:
        return {"id": did, "kind": "faq", "title": f"Doc {did}", "body": "Returns are free."} | over

    @staticmethod
    def event(n: int, **over: Any) -> Json:
        return {
            "id": f"e{n}",
            "name": "view_item",
            "session_id": f"s{n % 7}",
            "product_ids": ["p1"],
            "timestamp": "2024-05-01T10:00:00Z",
        } | over

    def record(self, kind: str, rid: str, **over: Any) -> Json:
        """A record of an entity kind by its plural name, e.g. ``record("orders", "o1")``."""
        maker: Callable[..., Json] = getattr(self, kind.removesuffix("s"))
        return maker(rid, **over)


@pytest.fixture
def make() -> Make:
    return Make()
