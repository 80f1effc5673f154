"""``GET /healthz`` (no auth, for load balancers) and ``GET /v1/stats`` (merchant)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends

from shopmind.api.auth import require
from shopmind.api.deps import StoreDep
from shopmind.api.errors import UnavailableError
from shopmind.api.routers.entities import ERRORS
from shopmind.api.schemas import ErrorOut, HealthOut
from shopmind.store import Role

log = logging.getLogger("shopmind.api")
router = APIRouter()


@router.get(
    "/healthz",
    response_model=HealthOut,
    tags=["health"],
    responses={503: {"model": ErrorOut, "description": "the store does not answer"}},
)
def healthz(store: StoreDep) -> HealthOut:
    try:
        # The cheapest query that proves the database answers and has our schema.
        store.list_ids("products", limit=1)
    except Exception as exc:
        log.warning("health check failed: %s", type(exc).__name__)
        raise UnavailableError("the store does not answer") from exc
    return HealthOut(status="ok")


@router.get(
    "/v1/stats",
    response_model=dict[str, int],
    tags=["health"],
    responses=ERRORS,
    dependencies=[Depends(require(Role.MERCHANT))],
    summary="Row counts per entity",
)
def stats(store: StoreDep) -> dict[str, int]:
    return store.stats()
