"""/v1/recommend over HTTP: every surface, experiments, training, and bad input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopmind.core.settings import Settings
from shopmind.store import Role, Store

from .conftest import MAX_BATCH, MAX_BODY

Auth = Callable[[Role], dict[str, str]]
EMBEDDER = "hash-api-test"


@pytest.fixture
def settings(tmp_path: Path, hash_embedder: Callable[[str], None]) -> Settings:
    hash_embedder(EMBEDDER)
    return Settings(home=tmp_path, max_body_bytes=MAX_BODY, max_batch=MAX_BATCH, embedder=EMBEDDER)


def _event(n: int, name: str, who: str, pid: str, minute: int) -> dict[str, Any]:
    ts = f"2026-01-01T10:{minute:02d}:00Z"
    return {"id": f"e{n}", "name": name, "customer_id": who, "product_ids": [pid], "timestamp": ts}


@pytest.fixture
def api(app: FastAPI, store: Store, auth: Auth, make: Any) -> Iterator[TestClient]:
    """Phones viewed then their case; one order of phone + case, twice."""
    merchant = auth(Role.MERCHANT)
    with TestClient(app) as client:
        phones, books = {"category_path": ["Phones"]}, {"category_path": ["Books"]}
        items = [make.product(f"ph{i}", title=f"Nova Phone {i}", stock=5, **phones) for i in (1, 2)]
        items += [
            make.product(f"case{i}", title=f"Nova Case {i}", stock=5, **phones) for i in (1, 2)
        ]
        items += [make.product("mug", title="Coffee Mug", stock=0)]
        items += [
            make.product(f"b{i}", title=f"Novel Book {i}", stock=5, **books) for i in range(1, 6)
        ]
        r = client.post("/v1/products", json={"items": items}, headers=merchant)
        assert r.status_code == 200, r.text
        events = []
        for n in range(6):
            events.append(_event(2 * n, "view_item", f"u{n}", "ph1", n))
            events.append(_event(2 * n + 1, "view_item", f"u{n}", "case1", n + 1))
        events.append(_event(50, "view_item", "reader", "b1", 30))
        r = client.post("/v1/events", json={"events": events}, headers=merchant)
        assert r.status_code == 200, r.text
        orders = [
            make.order(f"o{n}", customer_id=f"u{n}", lines=_lines("ph1", "case1")) for n in (1, 2)
        ]
        r = client.post("/v1/orders", json={"items": orders}, headers=merchant)
        assert r.status_code == 200, r.text
        yield client


def _lines(*pids: str) -> list[dict[str, Any]]:
    return [{"product_id": p, "quantity": 1, "unit_price": "5.00"} for p in pids]


def test_surfaces_answer_with_reasons(api: TestClient, auth: Auth) -> None:
    shop = auth(Role.STOREFRONT)
    similar = api.get("/v1/recommend/similar/ph1?limit=3", headers=shop)
    assert similar.status_code == 200, similar.text
    body = similar.json()
    assert body["items"][0]["id"] == "case1"
    assert body["items"][0]["reason"] == "viewed together with Nova Phone 1"
    together = api.get("/v1/recommend/bought-together/ph1", headers=shop).json()
    assert together["items"][0]["reason"] == "bought together with Nova Phone 1 (2 orders)"
    cart = api.post("/v1/recommend/cart", json={"product_ids": ["ph1"], "limit": 2}, headers=shop)
    assert cart.status_code == 200 and cart.json()["items"][0]["id"] == "case1"
    home = api.get("/v1/recommend/home/u0?record=false", headers=shop).json()
    assert not home["cold_start"] and all(i["reason"] for i in home["items"])
    assert "mug" not in [i["id"] for i in home["items"]]  # out of stock
    new = api.get("/v1/recommend/home/stranger", headers=shop).json()
    assert new["cold_start"] and new["items"][0]["reason_code"] == "trending"
    viewed = api.get("/v1/recommend/because-viewed/reader", headers=shop).json()
    assert viewed["anchor"] == "b1"


def test_a_posted_event_changes_the_next_home_feed(api: TestClient, auth: Auth) -> None:
    shop, merchant = auth(Role.STOREFRONT), auth(Role.MERCHANT)
    before = api.get("/v1/recommend/home/reader?record=false&limit=3", headers=shop).json()
    assert all(i["id"].startswith("b") for i in before["items"])
    event = _event(99, "view_item", "reader", "ph1", 59)
    assert api.post("/v1/events", json={"events": [event]}, headers=merchant).status_code == 200
    after = api.get("/v1/recommend/home/reader?record=false&limit=3", headers=shop).json()
    assert after["items"][0]["id"] == "case1"
    assert after["items"][0]["reason"] == "because you viewed Nova Phone 1"


def test_unknown_product_is_404_and_bad_input_is_422(api: TestClient, auth: Auth) -> None:
    shop = auth(Role.STOREFRONT)
    missing = api.get("/v1/recommend/similar/nope", headers=shop)
    assert missing.status_code == 404 and "nope" in missing.json()["message"]
    assert api.get("/v1/recommend/bought-together/nope", headers=shop).status_code == 404
    cart = api.post("/v1/recommend/cart", json={"product_ids": ["ph1", "nope"]}, headers=shop)
    assert cart.status_code == 404
    bad = api.get("/v1/recommend/similar/ph1?limit=0", headers=shop)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"].endswith("limit")
    assert api.post("/v1/recommend/cart", json={"product_ids": []}, headers=shop).status_code == 422
    extra = api.post("/v1/recommend/cart", json={"product_ids": ["ph1"], "x": 1}, headers=shop)
    assert extra.status_code == 422
    assert api.get("/v1/recommend/home/u0?currency=dollars", headers=shop).status_code == 422
    assert api.get("/v1/recommend/similar/ph1").status_code == 401


def test_experiments_over_http(api: TestClient, auth: Auth) -> None:
    merchant, shop = auth(Role.MERCHANT), auth(Role.STOREFRONT)
    body = {
        "id": "feed",
        "arms": [{"name": "a"}, {"name": "b", "config": {"source": "trending"}}],
    }
    assert api.post("/v1/recommend/experiments", json=body, headers=shop).status_code == 403
    created = api.post("/v1/recommend/experiments", json=body, headers=merchant)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "running"
    again = api.post("/v1/recommend/experiments", json=body | {"id": "other"}, headers=merchant)
    assert again.status_code == 422 and "already runs" in again.json()["message"]
    bad = body | {"id": "bad", "arms": [{"name": "a", "config": {"nope": 1}}, {"name": "b"}]}
    assert api.post("/v1/recommend/experiments", json=bad, headers=merchant).status_code == 422
    arms = {api.get(f"/v1/recommend/home/u{n}", headers=shop).json()["arm"] for n in range(6)}
    assert arms <= {"a", "b"} and arms
    listed = api.get("/v1/recommend/experiments", headers=merchant).json()["experiments"]
    assert [e["id"] for e in listed] == ["feed"]
    results = api.get("/v1/recommend/experiments/feed/results", headers=merchant)
    assert results.status_code == 200, results.text
    assert sum(arm["users"] for arm in results.json()["arms"]) == 6
    assert api.get("/v1/recommend/experiments/zzz/results", headers=merchant).status_code == 404
    stopped = api.post("/v1/recommend/experiments/feed/stop", headers=merchant).json()
    assert stopped["status"] == "stopped"


def test_train_endpoint_is_admin_only_and_swaps_the_model(api: TestClient, auth: Auth) -> None:
    assert api.post("/v1/recommend/train", headers=auth(Role.MERCHANT)).status_code == 403
    r = api.post("/v1/recommend/train?model=popularity", headers=auth(Role.ADMIN))
    assert r.status_code == 200, r.text
    assert r.json()["model"] == "popularity" and r.json()["products"] == 10
    home = api.get("/v1/recommend/home/u0?record=false", headers=auth(Role.STOREFRONT)).json()
    assert home["model"] == "popularity"
    bad = api.post("/v1/recommend/train?model=magic", headers=auth(Role.ADMIN))
    assert bad.status_code == 422 and "choose one of" in bad.json()["message"]
