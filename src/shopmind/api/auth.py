"""API-key authentication and the role each route requires.

A key comes in ``Authorization: Bearer <token>`` or ``X-API-Key: <token>``. No key, an unknown
key or a revoked key is 401; a valid key whose role is too low is 403. Tokens are never logged
and never put in a response (only ``POST /v1/keys`` shows a new one, once).

Roles are ranked, each able to do everything the one below can:

=============  =================================================================
storefront     POST /v1/events, GET /v1/products…, GET /v1/documents…
merchant       + every entity read, write and delete, customer erasure, stats
admin          + API keys
=============  =================================================================

A route states its minimum with ``dependencies=[Depends(require(Role.MERCHANT))]`` or a
parameter typed ``MerchantKey`` (or ``StorefrontKey``, ``AdminKey``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from shopmind.api.deps import StoreDep
from shopmind.core.errors import AuthError, PermissionDenied
from shopmind.store import ApiKey, Role, verify_api_key

RANK: dict[Role, int] = {Role.STOREFRONT: 0, Role.MERCHANT: 1, Role.ADMIN: 2}

# auto_error=False: these only read the headers (and describe them in OpenAPI); the decision
# and its error body are ours.
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the API key")

_HOW = "send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"


def authenticate(
    request: Request,
    store: StoreDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> ApiKey:
    """The caller's key, or AuthError. Sync on purpose: the lookup is a blocking DB read."""
    token = bearer.credentials if bearer is not None else header
    if not token:
        raise AuthError(f"an API key is required: {_HOW}")
    key = verify_api_key(store, token)
    if key is None:
        raise AuthError(f"the API key is invalid or revoked: {_HOW}")
    # The key id (not the secret) lets the request log say who did what.
    request.state.api_key_id = key.id
    return key


Caller = Annotated[ApiKey, Depends(authenticate)]


def has_role(key: ApiKey, role: Role) -> bool:
    """Whether ``key`` may do what ``role`` may (its role ranks as high or higher)."""
    return RANK[key.role] >= RANK[role]


def _checker(role: Role) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    # Async so the check runs on the event loop: it does no I/O, a thread hop would be waste.
    async def check(caller: Caller) -> ApiKey:
        if not has_role(caller, role):
            raise PermissionDenied(
                f"this action needs a {role.value} key (or higher); this key is {caller.role.value}"
            )
        return caller

    check.__name__ = f"require_{role.value}"
    return check


# One checker per role, so a route naming the same role twice is checked once (FastAPI caches
# a dependency per request by its callable).
_CHECKERS = {role: _checker(role) for role in Role}


def require(role: Role) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    """A dependency that passes keys of ``role`` or higher and refuses the rest with 403."""
    return _CHECKERS[role]


StorefrontKey = Annotated[ApiKey, Depends(require(Role.STOREFRONT))]
MerchantKey = Annotated[ApiKey, Depends(require(Role.MERCHANT))]
AdminKey = Annotated[ApiKey, Depends(require(Role.ADMIN))]
