"""Browser calls from other origins: allowed only for the configured ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from shopmind.api import create_app
from shopmind.core.settings import Settings
from shopmind.store import Store

SHOP = "https://shop.example"


def _client(store: Store, tmp_path: Path, origins: str) -> TestClient:
    return TestClient(
        create_app(store=store, settings=Settings(home=tmp_path, api_cors_origins=origins))
    )


def test_a_listed_origin_gets_its_preflight_and_reads_the_answer(
    store: Store, tmp_path: Path
) -> None:
    with _client(store, tmp_path, f"{SHOP}/, https://m.shop.example") as client:
        preflight = client.options(
            "/v1/search",
            headers={
                "Origin": SHOP,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == SHOP
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        answer = client.get("/healthz", headers={"Origin": SHOP})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == SHOP


def test_other_origins_and_the_default_get_no_cors_headers(store: Store, tmp_path: Path) -> None:
    with _client(store, tmp_path, SHOP) as client:
        refused = client.options(
            "/v1/search",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers
    with _client(store, tmp_path, "") as client:
        plain = client.get("/healthz", headers={"Origin": SHOP})
        assert plain.status_code == 200
        assert "access-control-allow-origin" not in plain.headers


@pytest.mark.parametrize("bad", ["shop.example", "https://shop.example/path", "ftp://x.example"])
def test_an_origin_that_is_not_one_is_refused_naming_it(bad: str) -> None:
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(api_cors_origins=f"{SHOP},{bad}")
