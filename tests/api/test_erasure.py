"""DELETE /v1/customers/{id}: GDPR erasure through the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from shopmind.store import Role, Store

from .conftest import Make


@pytest.fixture
def merchant(auth: Callable[[Role], dict[str, str]]) -> dict[str, str]:
    return auth(Role.MERCHANT)


@pytest.fixture
def shop(client: TestClient, merchant: dict[str, str], make: Make) -> None:
    """c1 with an order, a review and events (one anonymous, in a session c1 logged into)."""
    for kind, items in (
        ("customers", [make.customer("c1"), make.customer("c2")]),
        ("orders", [make.order("o1"), make.order("o2", customer_id="c2", email="c2@example.com")]),
        ("reviews", [make.review("r1")]),
    ):
        assert client.post(f"/v1/{kind}", json={"items": items}, headers=merchant).is_success
    events = [
        make.event(1, customer_id="c1", session_id="s-c1"),
        make.event(2, session_id="s-c1"),  # before login: anonymous, but c1's session
        make.event(3, customer_id="c2", session_id="s-c2"),
    ]
    assert client.post("/v1/events", json={"events": events}, headers=merchant).is_success


@pytest.mark.usefixtures("shop")
def test_erasure_removes_events_and_anonymises(
    client: TestClient, merchant: dict[str, str], store: Store
) -> None:
    response = client.delete("/v1/customers/c1", headers=merchant)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "customer_id": "c1",
        "customers_deleted": 1,
        "events_deleted": 2,
        "reviews_anonymised": 1,
        "orders_anonymised": 1,
    }
    assert client.get("/v1/customers/c1", headers=merchant).status_code == 404
    assert [e.id for e in store.iter_models("events")] == ["e3"]  # type: ignore[attr-defined]

    order = client.get("/v1/orders/o1", headers=merchant).json()
    assert order["customer_id"] is None
    assert order["email"] is None
    assert order["shipping_address"] is None
    assert order["total"] == "10.00"  # the tax record stays

    review = client.get("/v1/reviews/r1", headers=merchant).json()
    assert review["customer_id"] is None
    assert review["author_name"] is None
    assert review["rating"] == 4

    # The other customer is untouched.
    assert client.get("/v1/orders/o2", headers=merchant).json()["customer_id"] == "c2"


@pytest.mark.usefixtures("shop")
def test_erasing_twice_is_404(client: TestClient, merchant: dict[str, str]) -> None:
    assert client.delete("/v1/customers/c1", headers=merchant).status_code == 200
    response = client.delete("/v1/customers/c1", headers=merchant)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.usefixtures("shop")
def test_batch_erasure_counts_known_customers(
    client: TestClient, merchant: dict[str, str], store: Store
) -> None:
    response = client.post(
        "/v1/customers/delete", json={"ids": ["c1", "nobody", "c2"]}, headers=merchant
    )
    assert response.json() == {"deleted": 2}
    assert store.stats()["customers"] == 0
    assert store.stats()["events"] == 0


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("customers", "id"),
        ("orders", "customer_id"),
        ("reviews", "customer_id"),
        ("events", "customer_id"),
    ],
)
def test_erased_customers_data_is_not_accepted_again(
    client: TestClient, merchant: dict[str, str], store: Store, make: Make, kind: str, field: str
) -> None:
    assert client.delete("/v1/customers/c1", headers=merchant).status_code == 200
    before = store.stats()
    if kind == "events":
        body = {"events": [make.event(50, customer_id="c3"), make.event(51, customer_id="c1")]}
    else:
        records = [
            make.record(kind, "new3", **{field: "c3"}),
            make.record(kind, "new1", **{field: "c1"}),
        ]
        body = {"items": records}
    response = client.post(f"/v1/{kind}", json=body, headers=merchant)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["item"], error["field"]) == (1, field)
    assert "erased" in error["reason"]
    assert store.stats() == before  # the whole batch was refused, c3's record included
