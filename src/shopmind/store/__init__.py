"""The only package that speaks SQL. ``open_store(url)`` picks the backend from the URL scheme."""

from __future__ import annotations

from shopmind.core.errors import ConfigError
from shopmind.core.settings import get_settings
from shopmind.store import migrate
from shopmind.store.apikeys import (
    ApiKey,
    Role,
    create_api_key,
    list_api_keys,
    revoke_api_key,
    verify_api_key,
)
from shopmind.store.erasure import erase_customer, erased_among
from shopmind.store.store import ENTITY_KINDS, Store, WriteCounts


def open_store(url: str | None = None, *, upgrade: bool = True) -> Store:
    """Open (and by default migrate) the store at ``url``; default: the configured one.

    ``sqlite:///path`` opens an embedded database; ``postgresql://…`` a PostgreSQL server.
    """
    url = url or get_settings().resolved_database_url()
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    if scheme == "sqlite":
        from shopmind.store import sqlite as backend
    elif scheme in ("postgresql", "postgres"):
        from shopmind.store import postgres as backend  # type: ignore[no-redef]
    else:
        raise ConfigError(
            f"unsupported store URL scheme {scheme!r}: use sqlite:///… or postgresql://…"
        )
    store = Store(url, backend.create_engine(url), backend)
    if upgrade:
        migrate.upgrade(store.engine)
    return store


__all__ = [
    "ENTITY_KINDS",
    "ApiKey",
    "Role",
    "Store",
    "WriteCounts",
    "create_api_key",
    "erase_customer",
    "erased_among",
    "list_api_keys",
    "open_store",
    "revoke_api_key",
    "verify_api_key",
]
