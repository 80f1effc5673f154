"""/v1/search, /v1/suggest, /v1/search/analytics, /v1/search/reindex over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopmind.api.routers import search as search_router
from shopmind.store import Role, Store

pytestmark = pytest.mark.slow

Auth = Callable[[Role], dict[str, str]]
TITLES = [
    ("p1", "Waterproof hiking boots", "Peakline", "Brown"),
    ("p2", "Cushioned running shoes", "Stride", "Blue"),
    ("p3", "降噪蓝牙耳机", "蜻蜓", "黑色"),
    ("p4", "Stainless steel water bottle", "Hydra", "Silver"),
    ("p5", "Cotton crew neck t-shirt", "Basicly", "Red"),
]


@pytest.fixture
def api(app: FastAPI, store: Store, auth: Auth, make: Any) -> Iterator[TestClient]:
    """A client whose app serves the search routes, over a five-product catalog."""
    assert "/v1/search" in app.openapi()["paths"]
    with TestClient(app) as client:
        products = [
            make.product(pid, title=t, brand=b, attributes={"colour": c}, stock=5)
            for pid, t, b, c in TITLES
        ]
        r = client.post("/v1/products", json={"items": products}, headers=auth(Role.MERCHANT))
        assert r.status_code == 200, r.text
        yield client
        search_router.stop_search(app)


def get(client: TestClient, auth: Auth, path: str, **params: Any) -> Any:
    return client.get(path, params=params, headers=auth(Role.STOREFRONT))


def test_search_finds_products(api: TestClient, auth: Auth) -> None:
    r = get(api, auth, "/v1/search", q="hiking boots")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["items"][0]["id"] == "p1"
    assert body["parsed"]["original"] == "hiking boots"
    assert {"category", "brand", "price", "in_stock"} <= set(body["facets"])


def test_filters_through_query_params(api: TestClient, auth: Auth) -> None:
    r = get(api, auth, "/v1/search", q="shoes boots", brand=["Stride"], attr="colour:blue")
    assert [i["id"] for i in r.json()["items"]] == ["p2"]
    r = get(api, auth, "/v1/search", brand=["Peakline", "Hydra"], sort="price_asc")
    assert {i["id"] for i in r.json()["items"]} == {"p1", "p4"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q is empty"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "a", "price_min": 5, "price_max": 1}, "price_min"),
        ({"q": "a", "per_page": 1000}, "per_page"),
        ({"q": "a", "sort": "cheapest"}, "sort"),
        ({"q": "a", "attr": "colour"}, "attr"),
    ],
)
def test_invalid_searches_are_422_naming_the_field(
    api: TestClient, auth: Auth, params: dict[str, Any], field: str
) -> None:
    r = get(api, auth, "/v1/search", **params)
    assert r.status_code == 422
    assert field in r.json()["message"]
    assert "xxxxxxxxxx" not in r.text


def test_auth_is_required(api: TestClient, auth: Auth) -> None:
    assert api.get("/v1/search", params={"q": "boots"}).status_code == 401
    assert api.get("/v1/suggest", params={"q": "bo"}).status_code == 401
    r = get(api, auth, "/v1/search/analytics")
    assert r.status_code == 403
    r = api.post("/v1/search/reindex", headers=auth(Role.MERCHANT))
    assert r.status_code == 403


def test_suggest(api: TestClient, auth: Auth) -> None:
    r = get(api, auth, "/v1/suggest", q="蓝牙", limit=3)
    assert r.status_code == 200
    assert any(s.startswith("蓝牙") for s in r.json()["suggestions"])
    assert get(api, auth, "/v1/suggest", q="x", limit=500).status_code == 422


def test_upsert_is_searchable_within_a_second(api: TestClient, auth: Auth, make: Any) -> None:
    assert get(api, auth, "/v1/search", q="boots").status_code == 200  # loads the index
    new = make.product("p9", title="Folding camping chair", stock=3)
    sold_out = make.product("p1", title="Waterproof hiking boots", brand="Peakline", stock=0)
    r = api.post("/v1/products", json={"items": [new, sold_out]}, headers=auth(Role.MERCHANT))
    assert r.status_code == 200
    start = time.monotonic()
    while True:
        found = [i["id"] for i in get(api, auth, "/v1/search", q="camping chair").json()["items"]]
        stocked = get(api, auth, "/v1/search", q="hiking boots", in_stock=True).json()["items"]
        if "p9" in found and "p1" not in [i["id"] for i in stocked]:
            break
        assert time.monotonic() - start < 1.0, "the upsert was not searchable within 1 s"
        time.sleep(0.05)


def test_searches_are_logged_and_analysed(api: TestClient, auth: Auth, store: Store) -> None:
    get(api, auth, "/v1/search", q="water bottle", session_id="s1")
    get(api, auth, "/v1/search", q="unobtainium gizmo", user_id="c1")
    events = [e for e in store.iter_models("events") if getattr(e, "name", "") == "search"]
    assert {e.query for e in events} == {"water bottle", "unobtainium gizmo"}  # type: ignore[attr-defined]
    assert all("results" in e.properties for e in events)  # type: ignore[attr-defined]
    r = api.get("/v1/search/analytics", headers=auth(Role.MERCHANT))
    assert r.status_code == 200
    assert r.json()["searches"] == 2


def test_reindex_rebuilds(api: TestClient, auth: Auth) -> None:
    r = api.post("/v1/search/reindex", headers=auth(Role.ADMIN))
    assert r.status_code == 200, r.text
    assert r.json()["products"] == 5
    assert get(api, auth, "/v1/search", q="t-shirt").json()["items"][0]["id"] == "p5"
