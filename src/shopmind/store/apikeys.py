"""API keys: random secrets shown once, stored as SHA-256, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa

from shopmind.core.errors import InputError, NotFoundError
from shopmind.core.schemas import now_utc
from shopmind.store import tables
from shopmind.store.store import Store

PREFIX = "sm"


class Role(StrEnum):
    """What a key may do: admin > merchant > storefront."""

    ADMIN = "admin"
    MERCHANT = "merchant"
    STOREFRONT = "storefront"


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None = None


def _hash(secret: str) -> str:
    # Secrets are 256-bit random, so a fast hash is enough; slow KDFs guard low-entropy passwords.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(store: Store, name: str, role: Role | str) -> tuple[ApiKey, str]:
    """A new key and its token; the token is never stored, so it cannot be shown again."""
    try:
        role = Role(role)
    except ValueError:
        raise InputError(
            f"role must be one of {', '.join(r.value for r in Role)}, got {role!r}"
        ) from None
    if not name.strip():
        raise InputError("an API key needs a name")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(id=key_id, name=name.strip(), role=role, created_at=now_utc())
    with store.write() as conn:
        conn.execute(
            sa.insert(tables.api_keys).values(
                id=key.id,
                name=key.name,
                role=role.value,
                secret_hash=_hash(secret),
                created_at=key.created_at,
            )
        )
    return key, f"{PREFIX}_{key_id}_{secret}"


def verify_api_key(store: Store, token: str) -> ApiKey | None:
    """The key a token belongs to, or None if it is malformed, unknown or revoked."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    _, key_id, secret = parts
    with store.read() as conn:
        row = conn.execute(sa.select(tables.api_keys).where(tables.api_keys.c.id == key_id)).first()
    if row is None:
        # Spend the same time as a real comparison so unknown ids are not distinguishable.
        hmac.compare_digest(_hash(secret), _hash(""))
        return None
    if not hmac.compare_digest(_hash(secret), row.secret_hash) or row.revoked_at is not None:
        return None
    return ApiKey(id=row.id, name=row.name, role=Role(row.role), created_at=row.created_at)


def list_api_keys(store: Store) -> list[ApiKey]:
    with store.read() as conn:
        rows = conn.execute(sa.select(tables.api_keys).order_by(tables.api_keys.c.created_at))
        return [
            ApiKey(
                id=r.id,
                name=r.name,
                role=Role(r.role),
                created_at=r.created_at,
                revoked_at=r.revoked_at,
            )
            for r in rows
        ]


def revoke_api_key(store: Store, key_id: str) -> None:
    with store.write() as conn:
        stmt = (
            sa.update(tables.api_keys)
            .where(tables.api_keys.c.id == key_id)
            .values(revoked_at=now_utc())
        )
        if conn.execute(stmt).rowcount == 0:
            raise NotFoundError("api key", key_id)
