"""The routes every entity kind shares, built once per kind by ``entity_router``.

``POST /v1/{kind}`` batch upsert, ``GET /v1/{kind}`` listing or batch get, ``GET`` one,
``DELETE`` one and ``POST /v1/{kind}/delete`` many. Each kind's module calls the factory with its
types and the role that may read it; writes and deletes always need a merchant key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from shopmind.api.auth import require
from shopmind.api.batches import parse_batch, reject_duplicate_ids, write_batch
from shopmind.api.deps import SettingsDep, StoreDep
from shopmind.api.errors import BatchTooLargeError
from shopmind.api.openapi import json_body
from shopmind.api.schemas import DeletedOut, ErrorOut, IdsIn, Items, Page, WriteCountsOut
from shopmind.core.errors import InputError, NotFoundError
from shopmind.core.settings import Settings
from shopmind.store import Role, Store

AfterWrite = Callable[[Store, Settings, Sequence[Any]], None]

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (401, "no valid API key"),
        (403, "the key's role is too low"),
        (422, "invalid input; detail says where"),
    )
}
MAX_PAGE = 1000


def entity_router(
    kind: str,
    *,
    model: type[BaseModel],
    batch_in: type[Items[Any]],
    page_out: type[Page[Any]],
    read_role: Role,
    deletable: bool = True,
    after_write: AfterWrite | None = None,
) -> APIRouter:
    """The shared routes of one kind; ``deletable=False`` leaves deletion to the caller.

    ``after_write(store, settings, items)`` runs after a batch upsert that inserted or updated
    something, once the response is sent (a background task): follow-up work such as analysing
    new reviews neither slows nor fails the write.
    """
    router = APIRouter(prefix=f"/v1/{kind}", tags=[kind], responses=ERRORS)
    read = [Depends(require(read_role))]
    write = [Depends(require(Role.MERCHANT))]
    singular = kind.removesuffix("s")

    @router.post(
        "",
        response_model=WriteCountsOut,
        dependencies=write,
        openapi_extra=json_body(batch_in),
        summary=f"Insert or update {kind}",
        description="All or nothing: one invalid item and nothing is written (422 lists all).",
    )
    async def upsert(
        request: Request, store: StoreDep, settings: SettingsDep, background: BackgroundTasks
    ) -> WriteCountsOut:
        body = await request.body()
        counts, items = await run_in_threadpool(
            _upsert, store, kind, batch_in, body, settings.max_batch
        )
        if after_write is not None and counts.inserted + counts.updated:
            background.add_task(after_write, store, settings, items)
        return counts

    @router.get("", response_model=page_out, dependencies=read, summary=f"List or get {kind}")
    def list_or_get(
        store: StoreDep,
        settings: SettingsDep,
        ids: Annotated[str | None, Query(description="comma-separated ids to get")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        after: Annotated[str | None, Query(description="next_after of the last page")] = None,
    ) -> Page[Any]:
        if ids is None:
            return _page(store, kind, page_out, limit, after)
        if after is not None:
            raise InputError("give either ids (batch get) or after (listing), not both")
        return _batch_get(store, kind, page_out, ids, settings.max_batch)

    @router.get(
        "/{item_id:path}", response_model=model, dependencies=read, summary=f"Get a {singular}"
    )
    def get_one(item_id: str, store: StoreDep) -> BaseModel:
        found = store.get(kind, [item_id])
        if item_id not in found:
            raise NotFoundError(singular, item_id)
        return found[item_id]

    if deletable:

        @router.post(
            "/delete", response_model=DeletedOut, dependencies=write, summary=f"Delete {kind}"
        )
        def delete_many(body: IdsIn, store: StoreDep, settings: SettingsDep) -> DeletedOut:
            check_batch_size(body.ids, settings.max_batch)
            return DeletedOut(deleted=store.delete(kind, body.ids))

        @router.delete(
            "/{item_id:path}",
            response_model=DeletedOut,
            dependencies=write,
            summary=f"Delete a {singular}",
        )
        def delete_one(item_id: str, store: StoreDep) -> DeletedOut:
            if store.delete(kind, [item_id]) == 0:
                raise NotFoundError(singular, item_id)
            return DeletedOut(deleted=1)

    return router


def check_batch_size(ids: list[str], max_batch: int) -> None:
    if len(ids) > max_batch:
        raise BatchTooLargeError(f"{len(ids)} ids in one request; the limit is {max_batch}")


def _upsert(
    store: Store, kind: str, batch_in: type[Items[Any]], body: bytes, max_batch: int
) -> tuple[WriteCountsOut, list[Any]]:
    batch = parse_batch(batch_in, body, "items", max_batch)
    reject_duplicate_ids(batch.items)
    counts = WriteCountsOut(**write_batch(store, kind, batch.items).as_dict())
    return counts, list(batch.items)


def _page(
    store: Store, kind: str, page_out: type[Page[Any]], limit: int, after: str | None
) -> Page[Any]:
    # One id more than asked tells whether a next page exists without a count query.
    ids = store.list_ids(kind, limit=limit + 1, after=after)
    next_after = ids[limit - 1] if len(ids) > limit else None
    ids = ids[:limit]
    found = store.get(kind, ids)
    # An id deleted between the two reads is skipped, not an error.
    return page_out(items=[found[i] for i in ids if i in found], next_after=next_after)


def _batch_get(
    store: Store, kind: str, page_out: type[Page[Any]], ids: str, max_batch: int
) -> Page[Any]:
    wanted = list(dict.fromkeys(i for i in ids.split(",") if i))
    check_batch_size(wanted, max_batch)
    found = store.get(kind, wanted)
    return page_out(
        items=[found[i] for i in wanted if i in found],
        missing=[i for i in wanted if i not in found],
    )
