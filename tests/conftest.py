"""Test isolation: no network beyond loopback, a temporary SHOPMIND_HOME, stores per backend."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shopmind.core.settings import get_settings
from shopmind.models.embed import register_embedder
from shopmind.store import Store, open_store

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
PG_URL = os.environ.get("SHOPMIND_TEST_PG_URL", "")
_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = False
        if not allowed:
            raise ConnectionRefusedError(f"tests may not reach the network ({host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    monkeypatch.setenv("SHOPMIND_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHOPMIND_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def _pg_admin(sql: str) -> None:
    import sqlalchemy as sa

    from shopmind.store.postgres import normalise_url

    engine = sa.create_engine(normalise_url(PG_URL))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def pg_unavailable_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    if not PG_URL:
        return "SHOPMIND_TEST_PG_URL is not set (make test sets it to the loopback server)"
    try:
        _pg_admin("SELECT 1")
    except Exception as exc:
        if os.environ.get("SHOPMIND_REQUIRE_PG"):
            raise RuntimeError(
                f"SHOPMIND_REQUIRE_PG is set but {PG_URL} is unreachable: {exc}"
            ) from exc
        return f"PostgreSQL at {PG_URL} is unreachable: {exc.__class__.__name__}"
    return None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty store URL on each backend: an SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    reason = pg_unavailable_reason()
    if reason:
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(schema)
    finally:
        _pg_admin(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, migrated store on each backend."""
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """An SQLite store only, for tests that are about files rather than backends."""
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def dataset() -> Any:
    """``dataset(*parts)``: a path under ../shared/datasets, or skip naming the missing file."""

    def need(*parts: str) -> Path:
        path = DATASETS.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"dataset {path} is absent (the shared datasets folder is not mounted)")
        return path

    return need


class HashEmbedder:
    """A test double for an embedder: a bag of hashed words, deterministic, no model files."""

    version = "1"

    def __init__(self, name: str, dim: int) -> None:
        self.name = name
        self.dim = dim

    def embed_queries(self, texts: Any) -> np.ndarray:
        out = np.full((len(texts), self.dim), 1e-3, np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
        normed: np.ndarray = out / np.linalg.norm(out, axis=1, keepdims=True)
        return normed

    def embed_passages(self, texts: Any, **_: Any) -> np.ndarray:
        return self.embed_queries(texts)


@pytest.fixture
def hash_embedder() -> Callable[[str], None]:
    """``hash_embedder(name)`` registers a `HashEmbedder` (32 dimensions) under ``name``."""

    def register(name: str) -> None:
        register_embedder(name, lambda: HashEmbedder(name, 32))

    return register
