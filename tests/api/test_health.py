"""Health, stats, the OpenAPI document and the app factory's store lifecycle."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopmind.api import create_app
from shopmind.core.settings import Settings
from shopmind.store import Role, Store

from .conftest import Make


def test_healthz_needs_no_key(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_503_when_the_store_fails(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[str]:
        raise sa.exc.OperationalError("SELECT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(store, "list_ids", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
    assert "disk" not in response.text


def test_stats_counts_rows(
    client: TestClient, auth: Callable[[Role], dict[str, str]], make: Make
) -> None:
    merchant = auth(Role.MERCHANT)
    items = [make.product("p1"), make.product("p2")]
    client.post("/v1/products", json={"items": items}, headers=merchant)
    stats = client.get("/v1/stats", headers=merchant).json()
    assert stats["products"] == 2
    assert stats["dirty_products"] == 2
    assert stats["events"] == 0


def test_openapi_documents_routes_bodies_and_auth(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/v1/events", "/v1/products", "/v1/keys", "/healthz"} <= set(schema["paths"])
    components = schema["components"]
    # Raw-body routes still document their body, and the reference resolves.
    body = schema["paths"]["/v1/events"]["post"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[-1]
    assert name == "EventBatchIn"
    assert components["schemas"]["EventBatchIn"]["properties"]["events"]["items"]["$ref"].endswith(
        "/Event"
    )
    assert "Event" in components["schemas"]
    assert {"HTTPBearer", "APIKeyHeader"} <= set(components["securitySchemes"])


def test_docs_page_is_served(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


def test_app_opens_and_closes_its_own_store(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path}/own.db")
    app = create_app(settings=settings)
    assert app.state.store is None  # nothing opened by the factory itself
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert isinstance(app.state.store, Store)
    assert app.state.store is None
    assert (tmp_path / "own.db").exists()


def test_a_given_store_is_not_closed_by_the_app(
    app: FastAPI, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[bool] = []
    monkeypatch.setattr(store, "close", lambda: closed.append(True))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
    assert closed == []
    assert app.state.store is store


def test_importing_the_api_builds_nothing() -> None:
    code = (
        "import shopmind.api, shopmind.api.app\n"
        "from shopmind.core.settings import get_settings\n"
        "assert get_settings.cache_info().currsize == 0, 'settings built at import'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
