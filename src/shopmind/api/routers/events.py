"""/v1/events: the hot write path, a batch of behaviour events per call.

Per-request cost is kept flat: the body is validated from raw bytes in one pydantic pass and the
store writes the batch in one transaction, both in a worker thread so the event loop stays free.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from shopmind.api.auth import require
from shopmind.api.batches import parse_batch, write_batch
from shopmind.api.deps import SettingsDep, StoreDep
from shopmind.api.openapi import json_body
from shopmind.api.routers.entities import ERRORS
from shopmind.api.schemas import EventBatchIn, EventCountsOut
from shopmind.store import Role, Store

router = APIRouter(prefix="/v1/events", tags=["events"], responses=ERRORS)


@router.post(
    "",
    response_model=EventCountsOut,
    dependencies=[Depends(require(Role.STOREFRONT))],
    openapi_extra=json_body(EventBatchIn),
    summary="Record events",
    description="Events already stored, or repeated in the batch, are counted unchanged.",
)
async def add_events(request: Request, store: StoreDep, settings: SettingsDep) -> EventCountsOut:
    body = await request.body()
    return await run_in_threadpool(_add_events, store, body, settings.max_batch)


def _add_events(store: Store, body: bytes, max_batch: int) -> EventCountsOut:
    batch = parse_batch(EventBatchIn, body, "events", max_batch)
    counts = write_batch(store, "events", batch.events)
    return EventCountsOut(inserted=counts.inserted, unchanged=counts.unchanged)
