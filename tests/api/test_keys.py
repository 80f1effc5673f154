"""/v1/keys: admin-only key management; tokens shown once and never again."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from shopmind.store import Role

Auth = Callable[[Role], dict[str, str]]


@pytest.fixture
def admin(auth: Auth) -> dict[str, str]:
    return auth(Role.ADMIN)


def test_create_use_list_and_revoke(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post(
        "/v1/keys", json={"name": "shop backend", "role": "merchant"}, headers=admin
    )
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    key = created.json()
    token = key["token"]
    assert key["role"] == "merchant"

    new = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/customers", headers=new).status_code == 200
    assert client.get("/v1/keys", headers=new).status_code == 403

    listed = client.get("/v1/keys", headers=admin)
    assert token not in listed.text
    [entry] = [k for k in listed.json() if k["id"] == key["id"]]
    assert entry["name"] == "shop backend"
    assert entry["revoked_at"] is None
    assert set(entry) == {"id", "name", "role", "created_at", "revoked_at"}

    assert client.delete(f"/v1/keys/{key['id']}", headers=admin).json() == {
        "id": key["id"],
        "revoked": True,
    }
    assert client.get("/v1/customers", headers=new).status_code == 401
    [entry] = [k for k in client.get("/v1/keys", headers=admin).json() if k["id"] == key["id"]]
    assert entry["revoked_at"] is not None


def test_revoking_an_unknown_key_is_404(client: TestClient, admin: dict[str, str]) -> None:
    response = client.delete("/v1/keys/nope", headers=admin)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    "body", [{"name": "k", "role": "owner"}, {"name": "", "role": "admin"}, {"role": "admin"}]
)
def test_invalid_key_requests_are_422(
    client: TestClient, admin: dict[str, str], body: dict[str, str]
) -> None:
    response = client.post("/v1/keys", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert response.json()["detail"][0]["field"].startswith("body")


@pytest.mark.parametrize("role", [Role.MERCHANT, Role.STOREFRONT])
def test_only_admins_create_keys(client: TestClient, auth: Auth, role: Role) -> None:
    response = client.post("/v1/keys", json={"name": "k", "role": "admin"}, headers=auth(role))
    assert response.status_code == 403
    assert "token" not in response.json()


def test_key_changes_are_audited_by_key_id(
    client: TestClient,
    admin: dict[str, str],
    tokens: dict[Role, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    admin_id = tokens[Role.ADMIN].split("_")[1]
    with caplog.at_level(logging.INFO, logger="shopmind.api.audit"):
        key = client.post(
            "/v1/keys", json={"name": "n", "role": "storefront"}, headers=admin
        ).json()
        client.delete(f"/v1/keys/{key['id']}", headers=admin)
    audit = [r.getMessage() for r in caplog.records if r.name == "shopmind.api.audit"]
    assert audit == [
        f"key {key['id']} (storefront) created by key {admin_id}",
        f"key {key['id']} revoked by key {admin_id}",
    ]
