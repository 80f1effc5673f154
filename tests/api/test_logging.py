"""API keys never reach the logs, whatever happens to the request."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopmind.store import Role

from .conftest import MAX_BODY


def test_keys_never_appear_in_logs(
    app: FastAPI, tokens: dict[Role, str], caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> None:
        raise RuntimeError("unexpected")

    app.add_api_route("/boom", boom)
    admin = tokens[Role.ADMIN]
    prefix, key_id, _ = admin.split("_", 2)
    forged = f"{prefix}_{key_id}_{'B' * 43}"
    caplog.set_level(logging.DEBUG)
    with TestClient(app, raise_server_exceptions=False) as client:
        bearer = {"Authorization": f"Bearer {admin}"}
        client.get("/v1/products", headers=bearer)
        client.get("/v1/stats", headers={"X-API-Key": tokens[Role.MERCHANT]})
        client.get("/v1/keys", headers={"X-API-Key": tokens[Role.STOREFRONT]})  # 403
        client.get("/v1/stats", headers={"Authorization": f"Bearer {forged}"})  # 401
        client.post("/v1/products", json={"items": [{"id": 1}]}, headers=bearer)  # 422
        client.post("/v1/products", content=b"x" * (MAX_BODY + 1), headers=bearer)  # 413
        client.get("/boom", headers=bearer)  # 500
        created = client.post("/v1/keys", json={"name": "n", "role": "admin"}, headers=bearer)
    new_token = created.json()["token"]

    secrets = [*tokens.values(), forged, new_token]
    logged = caplog.text + "".join(repr(r.args) for r in caplog.records)
    for secret in secrets:
        assert secret not in logged
        assert secret.split("_", 2)[2] not in logged  # not even the secret part alone
    # The log does say what happened, and which key (by id) did it.
    requests = [r.getMessage() for r in caplog.records if r.name == "shopmind.api.requests"]
    assert any(m.startswith("GET /v1/products 200") and f"key={key_id}" in m for m in requests)
    assert any(m.startswith("GET /v1/stats 401") for m in requests)
    assert any(m.startswith("POST /v1/products 413") for m in requests)
    assert any("unhandled error" in r.getMessage() for r in caplog.records)
