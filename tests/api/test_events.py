"""POST /v1/events: batched, deduplicated, all or nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from shopmind.store import Role, Store

from .conftest import MAX_BATCH, Make


@pytest.fixture
def storefront(auth: Callable[[Role], dict[str, str]]) -> dict[str, str]:
    return auth(Role.STOREFRONT)


def test_duplicates_are_counted_unchanged(
    client: TestClient, storefront: dict[str, str], make: Make, store: Store
) -> None:
    events = [make.event(n) for n in range(10)] + [make.event(n) for n in (2, 5, 7)]
    response = client.post("/v1/events", json={"events": events}, headers=storefront)
    assert response.status_code == 200, response.text
    assert response.json() == {"inserted": 10, "unchanged": 3}
    again = client.post("/v1/events", json={"events": events}, headers=storefront)
    assert again.json() == {"inserted": 0, "unchanged": 13}
    assert store.stats()["events"] == 10


def test_events_without_ids_are_deduplicated_by_content(
    client: TestClient, storefront: dict[str, str], make: Make, store: Store
) -> None:
    event = make.event(1)
    del event["id"]
    other = event | {"name": "add_to_cart"}
    response = client.post("/v1/events", json={"events": [event, event, other]}, headers=storefront)
    assert response.json() == {"inserted": 2, "unchanged": 1}
    assert store.stats()["events"] == 2


def test_one_bad_event_rejects_the_batch(
    client: TestClient, storefront: dict[str, str], make: Make, store: Store
) -> None:
    events = [make.event(n) for n in range(6)]
    del events[4]["session_id"]  # nobody did it
    events[5]["name"] = "teleport"
    response = client.post("/v1/events", json={"events": events}, headers=storefront)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {e["item"] for e in detail} == {4, 5}
    assert any(e["field"] == "name" for e in detail if e["item"] == 5)
    assert store.stats()["events"] == 0


def test_too_many_events_is_413(
    client: TestClient, storefront: dict[str, str], make: Make, store: Store
) -> None:
    events = [make.event(n) for n in range(MAX_BATCH + 1)]
    response = client.post("/v1/events", json={"events": events}, headers=storefront)
    assert response.status_code == 413
    assert store.stats()["events"] == 0
