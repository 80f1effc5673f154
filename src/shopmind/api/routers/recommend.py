"""/v1/recommend: home feed, similar items, bought together, complete the cart, because you
viewed, and A/B experiments.

The promoted recommender is loaded once per app on first use (trained and promoted when there
is none yet). Surfaces are CPU work, so they run in a worker thread.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from shopmind.api.auth import require
from shopmind.api.deps import SettingsDep, StoreDep
from shopmind.api.routers.entities import ERRORS
from shopmind.core.settings import Settings
from shopmind.models.embed import get_embedder
from shopmind.recommend import service as recs
from shopmind.recommend.schemas import CartRequest, ExperimentIn, RecResponse
from shopmind.recommend.service import RecommendService
from shopmind.recommend.trained import publish, train_recs
from shopmind.store import Role, Store

router = APIRouter(prefix="/v1/recommend", tags=["recommend"], responses=ERRORS)
_lock = threading.Lock()
_storefront = [Depends(require(Role.STOREFRONT))]
_merchant = [Depends(require(Role.MERCHANT))]

Limit = Annotated[int, Query(ge=1, le=100, description="how many products")]
Record = Annotated[
    bool, Query(description="log the impression (experiments, already-shown); needs a shopper")
]
Id = Annotated[str, Path(min_length=1, max_length=200)]
OptionalId = Annotated[str | None, Query(min_length=1, max_length=200)]
ExperimentId = Annotated[str, Path(min_length=1, max_length=40)]


def recommender(app: FastAPI, store: Store, settings: Settings) -> RecommendService:
    """The app's recommendation service, opened on first use."""
    current: RecommendService | None = getattr(app.state, "recommend", None)
    if current is not None:
        return current
    with _lock:
        current = getattr(app.state, "recommend", None)
        if current is None:
            current = RecommendService.open(
                store, embedder=get_embedder(settings.embedder), root=settings.models_dir
            )
            app.state.recommend = current
    return current


def _service(request: Request, store: Store, settings: Settings) -> RecommendService:
    return recommender(request.app, store, settings)


@router.get(
    "/home/{user_id}",
    response_model=RecResponse,
    dependencies=_storefront,
    summary="Home feed for a customer (trending for their locale when they are new)",
)
async def home(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    user_id: Id,
    limit: Limit = 10,
    session_id: OptionalId = None,
    category: Annotated[str | None, Query(max_length=500)] = None,
    locale: Annotated[str | None, Query(max_length=35, pattern=r"^[A-Za-z]{2,3}(-\w+)*$")] = None,
    currency: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    exclude: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006 (FastAPI copies)
    record: Record = True,
) -> RecResponse:
    def run() -> RecResponse:
        return _service(request, store, settings).home(
            user_id,
            session_id=session_id,
            limit=limit,
            category=category,
            locale=locale,
            currency=currency,
            exclude=exclude,
            record=record,
        )

    return await run_in_threadpool(run)


@router.get(
    "/because-viewed/{user_id}",
    response_model=RecResponse,
    dependencies=_storefront,
    summary="Products like the one the customer viewed last",
)
async def because_viewed(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    user_id: Id,
    limit: Limit = 10,
    session_id: OptionalId = None,
) -> RecResponse:
    def run() -> RecResponse:
        service = _service(request, store, settings)
        return service.because_viewed(user_id, session_id=session_id, limit=limit)

    return await run_in_threadpool(run)


@router.get(
    "/similar/{product_id}",
    response_model=RecResponse,
    dependencies=_storefront,
    summary="Similar products (co-viewed, then content neighbours)",
)
async def similar(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    product_id: Id,
    limit: Limit = 10,
    user_id: OptionalId = None,
    session_id: OptionalId = None,
    record: Record = True,
) -> RecResponse:
    def run() -> RecResponse:
        service = _service(request, store, settings)
        return service.similar(
            product_id, limit=limit, user_id=user_id, session_id=session_id, record=record
        )

    return await run_in_threadpool(run)


@router.get(
    "/bought-together/{product_id}",
    response_model=RecResponse,
    dependencies=_storefront,
    summary="Frequently bought together (support and lift thresholds; content when sparse)",
)
async def bought_together(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    product_id: Id,
    limit: Limit = 10,
    user_id: OptionalId = None,
    session_id: OptionalId = None,
    record: Record = True,
) -> RecResponse:
    def run() -> RecResponse:
        service = _service(request, store, settings)
        return service.bought_together(
            product_id, limit=limit, user_id=user_id, session_id=session_id, record=record
        )

    return await run_in_threadpool(run)


@router.post(
    "/cart",
    response_model=RecResponse,
    dependencies=_storefront,
    summary="Complete the cart",
)
async def cart(
    request: Request, store: StoreDep, settings: SettingsDep, body: CartRequest
) -> RecResponse:
    def run() -> RecResponse:
        return _service(request, store, settings).cart(
            body.product_ids,
            limit=body.limit,
            user_id=body.user_id,
            session_id=body.session_id,
            record=body.record,
        )

    return await run_in_threadpool(run)


# --- experiments ------------------------------------------------------------------------------


@router.post(
    "/experiments", dependencies=_merchant, status_code=201, summary="Start an A/B experiment"
)
async def create_experiment(store: StoreDep, body: ExperimentIn) -> dict[str, Any]:
    row = await run_in_threadpool(recs.create_experiment, store, body)
    return recs.public_experiment(row)


@router.get("/experiments", dependencies=_merchant, summary="Every experiment, newest first")
async def list_experiments(store: StoreDep) -> dict[str, list[dict[str, Any]]]:
    rows = await run_in_threadpool(recs.list_experiments, store)
    return {"experiments": [recs.public_experiment(r) for r in rows]}


@router.get(
    "/experiments/{experiment_id}/results",
    dependencies=_merchant,
    summary="CTR, add-to-cart rate, conversion and revenue per user per arm, with 95% intervals",
)
async def experiment_results(store: StoreDep, experiment_id: ExperimentId) -> dict[str, Any]:
    return await run_in_threadpool(recs.experiment_results, store, experiment_id)


@router.post("/experiments/{experiment_id}/stop", dependencies=_merchant, summary="Stop one")
async def stop_experiment(store: StoreDep, experiment_id: ExperimentId) -> dict[str, Any]:
    row = await run_in_threadpool(recs.stop_experiment, store, experiment_id)
    return recs.public_experiment(row)


@router.post(
    "/train",
    dependencies=[Depends(require(Role.ADMIN))],
    summary="Train the recommender on the store's current events, promote it and serve it",
)
async def train(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    model: Annotated[str, Query(max_length=40)] = "itemknn",
) -> dict[str, Any]:
    return await run_in_threadpool(_train, request.app, store, settings, model)


def _train(app: FastAPI, store: Store, settings: Settings, model: str) -> dict[str, Any]:
    trained = train_recs(store, get_embedder(settings.embedder), model=model)
    folder = publish(trained, root=settings.models_dir)
    with _lock:
        app.state.recommend = RecommendService(store, trained)
    return {"version": folder.name, "model": model, **trained.meta["counts"]}
