"""GET /v1/reviews/insights and /insights/chart, POST /v1/reviews/analyse."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shopmind.api import create_app
from shopmind.core.schemas import Product, Review
from shopmind.core.settings import Settings
from shopmind.store import Role, Store, create_api_key

Headers = Callable[[Role], dict[str, str]]


@pytest.fixture
def client(store: Store, tmp_path: Path) -> Iterator[TestClient]:
    store.upsert(
        "products",
        [
            Product(id="p1", title="Earbuds", category_path=["Electronics", "Audio"]),
            Product(id="p2", title="Pan", category_path=["Home", "Kitchen"]),
        ],
    )
    texts = ["Delivery was super fast.", "Arrived two days early, great value.", "物流太慢了"]
    store.upsert(
        "reviews",
        [
            Review(
                id=f"r{i}",
                product_id="p1",
                rating=4,
                text=text,
                created_at=datetime(2026, 3, 1 + i, tzinfo=UTC),
            )
            for i, text in enumerate(texts)
        ],
    )
    with TestClient(create_app(store=store, settings=Settings(home=tmp_path))) as client:
        yield client


@pytest.fixture
def auth(store: Store) -> Headers:
    tokens = {role: create_api_key(store, f"t {role.value}", role)[1] for role in Role}
    return lambda role: {"Authorization": f"Bearer {tokens[role]}"}


def test_product_insights(client: TestClient, auth: Headers) -> None:
    url = "/v1/reviews/insights?product_id=p1&themes=false"
    response = client.get(url, headers=auth(Role.MERCHANT))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["reviews"] == 3
    delivery = next(a for a in body["aspects"] if a["aspect"] == "logistics")
    assert (delivery["positive"], delivery["negative"]) == (2, 1)
    assert body["pros"][0]["review_ids"] == ["r0", "r1"]
    assert body["needs"]["themes"] is None
    zh = client.get(url + "&lang=zh", headers=auth(Role.MERCHANT)).json()
    assert next(a for a in zh["aspects"] if a["aspect"] == "logistics")["label"] == "物流"


def test_category_insights_read_what_the_job_stored(client: TestClient, auth: Headers) -> None:
    url = "/v1/reviews/insights?category=Electronics&themes=false"
    assert client.get(url, headers=auth(Role.MERCHANT)).json()["reviews"] == 0
    done = client.post("/v1/reviews/analyse", headers=auth(Role.MERCHANT))
    assert done.json() == {"analysed": 3}
    assert client.get(url, headers=auth(Role.MERCHANT)).json()["reviews"] == 3


@pytest.mark.parametrize(
    "query",
    [
        "",
        "product_id=p1&category=Home",
        "product_id=",
        "category=%20",
        "product_id=p1&lang=fr",
        "product_id=" + "x" * 201,
    ],
)
def test_bad_scopes_are_422(client: TestClient, auth: Headers, query: str) -> None:
    response = client.get(f"/v1/reviews/insights?{query}", headers=auth(Role.MERCHANT))
    assert response.status_code == 422, response.text


def test_unknown_product_or_category_is_404(client: TestClient, auth: Headers) -> None:
    for query in ("product_id=nope", "category=Garden"):
        response = client.get(f"/v1/reviews/insights?{query}", headers=auth(Role.MERCHANT))
        assert response.status_code == 404, response.text


def test_insights_need_a_merchant_key(client: TestClient, auth: Headers) -> None:
    url = "/v1/reviews/insights?product_id=p1&themes=false"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=auth(Role.STOREFRONT)).status_code == 403


def test_chart(client: TestClient, auth: Headers) -> None:
    png = client.get("/v1/reviews/insights/chart?product_id=p1", headers=auth(Role.MERCHANT))
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(
        "/v1/reviews/insights/chart?product_id=p1&format=svg", headers=auth(Role.MERCHANT)
    )
    assert svg.headers["content-type"].startswith("image/svg+xml")
    bad = client.get(
        "/v1/reviews/insights/chart?product_id=p1&format=gif", headers=auth(Role.MERCHANT)
    )
    assert bad.status_code == 422


def test_entity_routes_still_work(client: TestClient, auth: Headers) -> None:
    response = client.get("/v1/reviews/r0", headers=auth(Role.MERCHANT))
    assert response.status_code == 200 and response.json()["id"] == "r0"
