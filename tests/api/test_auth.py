"""Who may call what: 401 without a valid key, 403 for a role too low, success otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shopmind.api.auth import RANK
from shopmind.core.schemas import Customer, Document, Order, Product, Review
from shopmind.store import Role, Store, create_api_key, revoke_api_key

from .conftest import Make

# (method, path, body, least role allowed, status on success): at least one route per resource.
ROUTES: list[tuple[str, str, Any, Role, int]] = [
    ("GET", "/v1/products", None, Role.STOREFRONT, 200),
    ("GET", "/v1/products/p1", None, Role.STOREFRONT, 200),
    ("POST", "/v1/products", {"items": []}, Role.MERCHANT, 200),
    ("DELETE", "/v1/products/p1", None, Role.MERCHANT, 200),
    ("GET", "/v1/documents/d1", None, Role.STOREFRONT, 200),
    ("POST", "/v1/documents/delete", {"ids": ["d1"]}, Role.MERCHANT, 200),
    ("GET", "/v1/customers", None, Role.MERCHANT, 200),
    ("DELETE", "/v1/customers/c1", None, Role.MERCHANT, 200),
    ("GET", "/v1/orders/o1", None, Role.MERCHANT, 200),
    ("GET", "/v1/reviews?ids=r1", None, Role.MERCHANT, 200),
    ("POST", "/v1/events", {"events": []}, Role.STOREFRONT, 200),
    ("GET", "/v1/stats", None, Role.MERCHANT, 200),
    ("GET", "/v1/keys", None, Role.ADMIN, 200),
    ("POST", "/v1/keys", {"name": "k", "role": "storefront"}, Role.ADMIN, 201),
]
IDS = [f"{method} {path}" for method, path, *_ in ROUTES]


@pytest.fixture(autouse=True)
def seeded(store: Store, make: Make) -> None:
    for kind, model, rid in (
        ("products", Product, "p1"),
        ("documents", Document, "d1"),
        ("customers", Customer, "c1"),
        ("orders", Order, "o1"),
        ("reviews", Review, "r1"),
    ):
        store.upsert(kind, [model.model_validate(make.record(kind, rid))])


def call(
    client: TestClient, route: tuple[str, str, Any, Role, int], headers: dict[str, str]
) -> Any:
    method, path, body, *_ = route
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_no_key_is_401_with_challenge(client: TestClient, route: Any) -> None:
    response = call(client, route, {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthorized"


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_wrong_key_is_401(client: TestClient, tokens: dict[Role, str], route: Any) -> None:
    # A real key id with a wrong secret: the hardest wrong key to tell apart.
    prefix, key_id, _ = tokens[Role.ADMIN].split("_", 2)
    forged = f"{prefix}_{key_id}_{'A' * 43}"
    for token in (forged, "not-a-key", "sm__"):
        response = call(client, route, {"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert token not in response.text


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_revoked_key_is_401(client: TestClient, store: Store, route: Any) -> None:
    key, token = create_api_key(store, "soon revoked", Role.ADMIN)
    revoke_api_key(store, key.id)
    response = call(client, route, {"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "revoked" in response.json()["message"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_role_matrix(
    client: TestClient, auth: Callable[[Role], dict[str, str]], route: Any, role: Role
) -> None:
    *_, least, success = route
    response = call(client, route, auth(role))
    if RANK[role] >= RANK[least]:
        assert response.status_code == success, response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden"
        assert least.value in response.json()["message"]


def test_ranks_order_the_roles() -> None:
    assert RANK[Role.STOREFRONT] < RANK[Role.MERCHANT] < RANK[Role.ADMIN]


def test_x_api_key_header_is_accepted(client: TestClient, tokens: dict[Role, str]) -> None:
    response = client.get("/v1/stats", headers={"X-API-Key": tokens[Role.MERCHANT]})
    assert response.status_code == 200
    assert response.json()["products"] == 1


def test_other_authorization_schemes_are_401(client: TestClient, tokens: dict[Role, str]) -> None:
    response = client.get("/v1/stats", headers={"Authorization": f"Basic {tokens[Role.ADMIN]}"})
    assert response.status_code == 401
    assert tokens[Role.ADMIN] not in response.text
