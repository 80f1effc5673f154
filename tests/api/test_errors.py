"""Every error answers ``{"error", "message", "detail"}``, and never a traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shopmind.core.errors import ConfigError
from shopmind.store import Role

ERROR_KEYS = {"error", "message", "detail"}


def test_unknown_route_is_404_json(client: TestClient) -> None:
    response = client.get("/v2/nothing")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "Not Found", "detail": None}


def test_wrong_method_is_405_json(client: TestClient) -> None:
    response = client.put("/healthz")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert set(response.json()) == ERROR_KEYS


def test_unexpected_errors_are_a_generic_500(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("secret internals at /srv/db")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def test_config_errors_do_not_reach_the_client(app: FastAPI) -> None:
    def misconfigured() -> None:
        raise ConfigError("SHOPMIND_DATABASE_URL points at /etc/secret.db")

    app.add_api_route("/misconfigured", misconfigured)
    with TestClient(app) as client:
        response = client.get("/misconfigured")
    assert response.status_code == 500
    assert response.json()["error"] == "config_error"
    assert "/etc/secret.db" not in response.text


def test_validation_errors_do_not_echo_input(
    client: TestClient, auth: Callable[[Role], dict[str, str]]
) -> None:
    secret = "do-not-echo-this-value"
    response = client.get(f"/v1/products?limit={secret}", headers=auth(Role.STOREFRONT))
    assert response.status_code == 422
    assert secret not in response.text
    assert set(response.json()) == ERROR_KEYS


def test_malformed_json_on_a_fastapi_parsed_route_is_400(
    client: TestClient, auth: Callable[[Role], dict[str, str]]
) -> None:
    headers = auth(Role.MERCHANT) | {"Content-Type": "application/json"}
    response = client.post("/v1/products/delete", content=b'{"ids": [', headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


def test_a_locked_store_is_503_with_retry_after(app: FastAPI, tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock

    def write() -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")

    app.add_api_route("/write", write, methods=["POST"])
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.post("/write")
    finally:
        holder.close()  # closing rolls the held transaction back
        engine.dispose()
    assert response.status_code == 503
    assert response.json()["error"] == "busy"
    assert response.headers["Retry-After"] == "1"
    assert "locked.db" not in response.text


def test_an_unreachable_store_is_503_not_500(app: FastAPI, tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")

    def read() -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    app.add_api_route("/read", read)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/read")
    assert response.status_code == 503
    assert response.json()["error"] == "store_unavailable"
