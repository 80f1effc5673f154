"""Every error answers ``{"error", "message", "detail"}``, and never a traceback."""

from __future__ import annotations

from collections.abc import Callable

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
