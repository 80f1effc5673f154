"""/v1/search, /v1/suggest, /v1/search/analytics and /v1/search/reindex.

The index is loaded once per app on first use (built and saved when there is none yet) and kept
fresh by an `IndexRefresher` thread; ``stop_search(app)`` ends it when the app shuts down.
Searches are CPU work, so they run in a worker thread, and each is logged as a ``search`` event.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from starlette.concurrency import run_in_threadpool

from shopmind.api.auth import require
from shopmind.api.deps import SettingsDep, StoreDep
from shopmind.api.routers.entities import ERRORS
from shopmind.core.errors import InputError
from shopmind.core.settings import Settings
from shopmind.search.analytics import analytics
from shopmind.search.index import SearchIndex, build_index, load_index, save_index
from shopmind.search.refresh import IndexRefresher, refresh
from shopmind.search.rerank import RankerRerank, promoted_rerank
from shopmind.search.schemas import SearchRequest, SearchResponse
from shopmind.search.service import log_search, search
from shopmind.store import Role, Store

router = APIRouter(prefix="/v1", tags=["search"], responses=ERRORS)
_lock = threading.Lock()


class SearchState:
    """The app's index, its refresher and the promoted ranker (None: the blend ranks)."""

    def __init__(self, index: SearchIndex, refresher: IndexRefresher) -> None:
        self.index = index
        self.refresher = refresher
        self.rerank: RankerRerank | None = promoted_rerank(index)


def search_index(app: FastAPI, store: Store, settings: Settings) -> SearchIndex:
    """The app's index: loaded (or built) on first use, then refreshed in the background."""
    return search_state(app, store, settings).index


def search_state(app: FastAPI, store: Store, settings: Settings) -> SearchState:
    """The app's `SearchState`, created on first use."""
    state: SearchState | None = getattr(app.state, "search", None)
    if state is not None:
        return state
    with _lock:
        state = getattr(app.state, "search", None)
        if state is None:
            path = settings.home / "index" / "search"
            try:
                index = load_index(path)
            except InputError:
                index = build_index(store)
                save_index(index, path)
            refresh(index, store)  # what changed since the index was saved
            index.warm_up()  # the embedder loads here, not in some later shopper's request
            state = SearchState(index, IndexRefresher(index, store))
            state.refresher.start()
            app.state.search = state
    return state


def stop_search(app: FastAPI) -> None:
    """Stop the refresher thread (call from the app's lifespan on shutdown)."""
    state: SearchState | None = getattr(app.state, "search", None)
    if state is not None:
        state.refresher.stop()
        app.state.search = None


def _attributes(values: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        name, sep, wanted = value.partition(":")
        if not sep or not name.strip() or not wanted.strip():
            raise InputError(f"attr must look like name:value (e.g. colour:red), got {value!r}")
        out.setdefault(name.strip(), []).append(wanted.strip())
    return out


@router.get(
    "/search",
    response_model=SearchResponse,
    dependencies=[Depends(require(Role.STOREFRONT))],
    summary="Search products",
    description="Empty q browses by filters. Filters spelled in q are applied unless given.",
)
async def search_products(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: str = "",
    category: str | None = None,
    brand: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    price_min: float | None = None,
    price_max: float | None = None,
    currency: str | None = None,
    attr: Annotated[list[str], Query(description="name:value, repeatable")] = [],  # noqa: B006
    in_stock: bool | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    user_id: str | None = None,
    session_id: str | None = None,
    lang: str | None = None,
) -> SearchResponse:
    filters = {
        "category": category,
        "brand": brand,
        "price_min": price_min,
        "price_max": price_max,
        "currency": currency,
        "attributes": _attributes(attr),
        "in_stock": in_stock,
    }
    data: dict[str, Any] = {"q": q, "filters": filters, "sort": sort, "page": page}
    data.update(per_page=per_page, user_id=user_id, lang=lang)
    body = SearchRequest.parse(data)
    return await run_in_threadpool(_search, request.app, store, settings, body, session_id)


def _search(
    app: FastAPI, store: Store, settings: Settings, body: SearchRequest, session_id: str | None
) -> SearchResponse:
    state = search_state(app, store, settings)
    response = search(state.index, body, store=store, rerank=state.rerank)
    log_search(store, body, response, session_id=session_id)
    return response


@router.get(
    "/suggest",
    dependencies=[Depends(require(Role.STOREFRONT))],
    summary="Autocomplete a query prefix",
)
async def suggest(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> dict[str, list[str]]:
    index = await run_in_threadpool(search_index, request.app, store, settings)
    return {"suggestions": index.suggester.suggest(q, limit)}


@router.get(
    "/search/analytics",
    dependencies=[Depends(require(Role.MERCHANT))],
    summary="Top queries, zero-result queries and click-through rates",
)
async def search_analytics(
    store: StoreDep,
    days: Annotated[int, Query(ge=1, le=3650)] = 30,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    result = await run_in_threadpool(analytics, store, days)
    return result.to_dict(limit)


@router.post(
    "/search/reindex",
    dependencies=[Depends(require(Role.ADMIN))],
    summary="Rebuild the search index from the store (compacts it) and reload the promoted ranker",
)
async def reindex(request: Request, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    return await run_in_threadpool(_reindex, request.app, store, settings)


def _reindex(app: FastAPI, store: Store, settings: Settings) -> dict[str, Any]:
    index = build_index(store)
    save_index(index, settings.home / "index" / "search")
    with _lock:
        stop_search(app)
        state = SearchState(index, IndexRefresher(index, store))
        state.refresher.start()
        app.state.search = state
    return {
        "build_id": index.build_id,
        "products": index.size,
        "ranker": state.rerank.ranker.metadata.get("version") if state.rerank else None,
    }
