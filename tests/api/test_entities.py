"""Entity routes: batch upsert counts, idempotency, atomic rejection, get, list, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shopmind.store import Role, Store

from .conftest import MAX_BATCH, Make

KINDS = ["products", "customers", "orders", "reviews", "documents"]
Auth = Callable[[Role], dict[str, str]]
# One field per kind whose change must count as an update.
CHANGES: dict[str, dict[str, Any]] = {
    "products": {"title": "Renamed"},
    "customers": {"name": "Renamed"},
    "orders": {"status": "shipped"},
    "reviews": {"rating": 1},
    "documents": {"title": "Renamed"},
}


@pytest.fixture
def merchant(auth: Auth) -> dict[str, str]:
    return auth(Role.MERCHANT)


def post(client: TestClient, headers: dict[str, str], kind: str, items: list[Any]) -> Any:
    return client.post(f"/v1/{kind}", json={"items": items}, headers=headers)


@pytest.mark.parametrize("kind", KINDS)
def test_upsert_counts_and_idempotency(
    client: TestClient, merchant: dict[str, str], make: Make, kind: str
) -> None:
    items = [make.record(kind, f"x{n}") for n in range(3)]
    first = post(client, merchant, kind, items)
    assert first.status_code == 200, first.text
    assert first.json() == {"inserted": 3, "updated": 0, "unchanged": 0}

    again = post(client, merchant, kind, items)
    assert again.json() == {"inserted": 0, "updated": 0, "unchanged": 3}

    changed = [*items[:2], make.record(kind, "x2", **CHANGES[kind])]
    assert post(client, merchant, kind, changed).json() == {
        "inserted": 0,
        "updated": 1,
        "unchanged": 2,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_get_one_returns_the_record(
    client: TestClient, merchant: dict[str, str], make: Make, kind: str
) -> None:
    record = make.record(kind, "a1")
    post(client, merchant, kind, [record])
    response = client.get(f"/v1/{kind}/a1", headers=merchant)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "a1"
    for field in ("title", "name", "status", "rating"):
        if field in record:
            assert body[field] == record[field]


@pytest.mark.parametrize("kind", KINDS)
def test_missing_record_is_404_json(
    client: TestClient, merchant: dict[str, str], kind: str
) -> None:
    response = client.get(f"/v1/{kind}/nope", headers=merchant)
    assert response.status_code == 404
    singular = kind.removesuffix("s")
    assert response.json() == {
        "error": "not_found",
        "message": f"{singular} 'nope' not found",
        "detail": None,
    }


@pytest.mark.parametrize("kind", ["products", "orders", "reviews", "documents"])
def test_delete_one_and_many(
    client: TestClient, merchant: dict[str, str], make: Make, store: Store, kind: str
) -> None:
    post(client, merchant, kind, [make.record(kind, f"d{n}") for n in range(4)])
    assert client.delete(f"/v1/{kind}/d0", headers=merchant).json() == {"deleted": 1}
    assert client.delete(f"/v1/{kind}/d0", headers=merchant).status_code == 404
    response = client.post(
        f"/v1/{kind}/delete", json={"ids": ["d1", "d2", "nope"]}, headers=merchant
    )
    assert response.json() == {"deleted": 2}
    assert store.list_ids(kind) == ["d3"]


def test_one_bad_item_rejects_the_whole_batch(
    client: TestClient, merchant: dict[str, str], make: Make, store: Store
) -> None:
    post(client, merchant, "products", [make.product("p0", title="Old")])
    batch = [
        make.product("p0", title="New"),
        make.product("p1", price="-1"),
        make.product("p2", title=""),
        make.product("p3"),
    ]
    response = post(client, merchant, "products", batch)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_items"
    assert "nothing was written" in body["message"]
    bad = {(e["item"], e["field"]) for e in body["detail"]}
    assert bad == {(1, "price"), (2, "title")}
    assert all(e["reason"] for e in body["detail"])
    # Nothing written: p0 keeps its title, p3 was not inserted.
    assert store.list_ids("products") == ["p0"]
    assert store.get("products", ["p0"])["p0"].title == "Old"  # type: ignore[attr-defined]


def test_item_errors_name_nested_and_whole_item_problems(
    client: TestClient, merchant: dict[str, str], make: Make
) -> None:
    order = make.order("o1")
    order["lines"][0]["quantity"] = 0
    response = post(client, merchant, "orders", [make.order("o0"), order])
    assert (1, "lines.0.quantity") in {(e["item"], e["field"]) for e in response.json()["detail"]}

    # A rule across fields has no single field to name.
    response = post(client, merchant, "products", [{"id": "p", "title": "t", "price": "1"}])
    [error] = response.json()["detail"]
    assert error["item"] == 0
    assert error["field"] is None
    assert "currency" in error["reason"]


def test_unknown_fields_are_errors(
    client: TestClient, merchant: dict[str, str], make: Make
) -> None:
    response = post(client, merchant, "products", [make.product("p1", colour="red")])
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "colour"


def test_duplicate_ids_reject_the_batch(
    client: TestClient, merchant: dict[str, str], make: Make, store: Store
) -> None:
    batch = [make.product("p1"), make.product("p2"), make.product("p1", title="Twin")]
    response = post(client, merchant, "products", batch)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["item"] == 2
    assert error["field"] == "id"
    assert "item 0" in error["reason"]
    assert store.stats()["products"] == 0


def test_too_many_items_is_413(
    client: TestClient, merchant: dict[str, str], make: Make, store: Store
) -> None:
    batch = [make.document(f"d{n}", body="x") for n in range(MAX_BATCH + 1)]
    response = post(client, merchant, "documents", batch)
    assert response.status_code == 413
    assert response.json()["error"] == "batch_too_large"
    assert str(MAX_BATCH) in response.json()["message"]
    assert store.stats()["documents"] == 0


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (b'{"items": [', 400, "invalid_json"),
        (b"[]", 422, "invalid_items"),
        (b"{}", 422, "invalid_items"),
        (b'{"items": [], "extra": 1}', 422, "invalid_items"),
    ],
)
def test_malformed_bodies(
    client: TestClient, merchant: dict[str, str], body: bytes, status: int, error: str
) -> None:
    headers = merchant | {"Content-Type": "application/json"}
    response = client.post("/v1/products", content=body, headers=headers)
    assert response.status_code == status
    assert response.json()["error"] == error
    if status == 422:
        assert all(e["item"] is None for e in response.json()["detail"])


def test_batch_get_keeps_order_and_names_missing(
    client: TestClient, merchant: dict[str, str], make: Make
) -> None:
    post(client, merchant, "products", [make.product(f"p{n}") for n in range(4)])
    response = client.get("/v1/products?ids=p3,nope,p1,p3", headers=merchant)
    body = response.json()
    assert [item["id"] for item in body["items"]] == ["p3", "p1"]
    assert body["missing"] == ["nope"]


def test_paging_walks_every_record_once(
    client: TestClient, merchant: dict[str, str], make: Make
) -> None:
    post(client, merchant, "products", [make.product(f"p{n}") for n in range(7)])
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"after": after} if after else {})
        body = client.get("/v1/products", params=params, headers=merchant).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        after = body["next_after"]
        if after is None:
            break
    assert seen == [f"p{n}" for n in range(7)]
    assert pages == 3


def test_ids_and_after_together_are_refused(client: TestClient, merchant: dict[str, str]) -> None:
    response = client.get("/v1/products?ids=a&after=b", headers=merchant)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"


def test_query_validation_errors_are_json(client: TestClient, merchant: dict[str, str]) -> None:
    response = client.get("/v1/products?limit=0", headers=merchant)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert body["detail"][0]["field"] == "query.limit"


def test_ids_may_contain_slashes(client: TestClient, merchant: dict[str, str], make: Make) -> None:
    post(client, merchant, "products", [make.product("shoes/red-42")])
    response = client.get("/v1/products/shoes%2Fred-42", headers=merchant)
    assert response.status_code == 200
    assert response.json()["id"] == "shoes/red-42"


def test_money_survives_exactly(client: TestClient, merchant: dict[str, str], make: Make) -> None:
    # A JSON number must not pass through a float on its way to a Decimal.
    body = b'{"items": [{"id": "p1", "title": "t", "price": 0.1, "currency": "EUR"}]}'
    headers = merchant | {"Content-Type": "application/json"}
    assert client.post("/v1/products", content=body, headers=headers).status_code == 200
    assert client.get("/v1/products/p1", headers=merchant).json()["price"] == "0.1"
