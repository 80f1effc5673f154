"""/v1/keys: API key management, admin only. A new token is shown once, in the create response."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Response

from shopmind.api.auth import AdminKey, require
from shopmind.api.deps import StoreDep
from shopmind.api.routers.entities import ERRORS
from shopmind.api.schemas import KeyCreatedOut, KeyIn, KeyOut, RevokedOut
from shopmind.store import Role, create_api_key, list_api_keys, revoke_api_key

log = logging.getLogger("shopmind.api.audit")
router = APIRouter(
    prefix="/v1/keys",
    tags=["keys"],
    responses=ERRORS,
    dependencies=[Depends(require(Role.ADMIN))],
)


@router.get("", response_model=list[KeyOut], summary="List API keys (never their secrets)")
def list_keys(store: StoreDep) -> list[KeyOut]:
    return [KeyOut.of(key) for key in list_api_keys(store)]


@router.post("", response_model=KeyCreatedOut, status_code=201, summary="Create an API key")
def create_key(body: KeyIn, store: StoreDep, caller: AdminKey, response: Response) -> KeyCreatedOut:
    key, token = create_api_key(store, body.name, body.role)
    log.info("key %s (%s) created by key %s", key.id, key.role.value, caller.id)
    # The only response that carries a secret: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return KeyCreatedOut(**KeyOut.of(key).model_dump(), token=token)


@router.delete("/{key_id}", response_model=RevokedOut, summary="Revoke an API key")
def revoke_key(key_id: str, store: StoreDep, caller: AdminKey) -> RevokedOut:
    revoke_api_key(store, key_id)
    log.info("key %s revoked by key %s", key_id, caller.id)
    return RevokedOut(id=key_id)
