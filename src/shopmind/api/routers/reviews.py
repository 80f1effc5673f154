"""/v1/reviews: batch upsert, get, list and delete reviews; insights, their chart, the analysis job.

A batch upsert that changes reviews analyses them after responding (setting
``reviews_analyse_on_ingest``), so insights need no separate ``POST /v1/reviews/analyse``.

``insights_router`` is mounted before the entity routes, whose ``/{item_id:path}`` would
otherwise take ``/insights`` for a review id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from shopmind.api.auth import require
from shopmind.api.deps import StoreDep
from shopmind.api.routers.entities import ERRORS, entity_router
from shopmind.api.schemas import ReviewBatchIn, ReviewPage
from shopmind.core.schemas import Review
from shopmind.core.settings import Settings
from shopmind.store import Role, Store


def _analyse_written(store: Store, settings: Settings, items: Sequence[Any]) -> None:
    """Analyse the products' new or changed reviews after an upsert (a background task), so
    category insights are current; a failure is logged and leaves them pending."""
    if not settings.reviews_analyse_on_ingest:
        return
    from shopmind.reviews import analyse_after_ingest

    product_ids = sorted({review.product_id for review in items})
    analyse_after_ingest(store, product_ids=product_ids)


router = entity_router(
    "reviews",
    model=Review,
    batch_in=ReviewBatchIn,
    page_out=ReviewPage,
    read_role=Role.MERCHANT,  # shop-private data
    after_write=_analyse_written,
)

insights_router = APIRouter(
    prefix="/v1/reviews",
    tags=["reviews"],
    responses={**ERRORS, 404: {"description": "unknown product, or no product in the category"}},
)
ProductQ = Annotated[str | None, Query(description="one product id", max_length=200)]
CategoryQ = Annotated[
    str | None, Query(description="a category path, e.g. 'Home > Kitchen' (and below)")
]


@insights_router.get(
    "/insights",
    dependencies=[Depends(require(Role.MERCHANT))],
    summary="Aspect sentiment, pros/cons, needs themes and trend of a product or a category",
    description="Give exactly one of product_id and category. Every point cites review ids.",
)
async def review_insights(
    store: StoreDep,
    product_id: ProductQ = None,
    category: CategoryQ = None,
    lang: Annotated[Literal["en", "zh"], Query(description="language of the labels")] = "en",
    themes: Annotated[bool, Query(description="group needs into themes (embeds)")] = True,
) -> dict[str, Any]:
    from shopmind.reviews import Scope

    scope = Scope.parse(product_id, category)
    return await run_in_threadpool(_insights, store, scope, lang, themes)


def _insights(store: Store, scope: Any, lang: str, themes: bool) -> dict[str, Any]:
    from shopmind.models.embed import CachedEmbedder, get_embedder
    from shopmind.reviews import insights

    embedder = CachedEmbedder(get_embedder(), store) if themes else None
    return insights(store, scope, embedder=embedder, language=lang)


@insights_router.get(
    "/insights/chart",
    dependencies=[Depends(require(Role.MERCHANT))],
    summary="Chart of aspect sentiment over time (PNG or SVG)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
async def review_insights_chart(
    store: StoreDep,
    product_id: ProductQ = None,
    category: CategoryQ = None,
    format: Annotated[Literal["png", "svg"], Query()] = "png",
) -> Response:
    from shopmind.reviews import Scope, insights_chart

    scope = Scope.parse(product_id, category)
    body = await run_in_threadpool(insights_chart, store, scope, fmt=format)
    media = "image/png" if format == "png" else "image/svg+xml"
    return Response(content=body, media_type=media)


@insights_router.post(
    "/analyse",
    dependencies=[Depends(require(Role.MERCHANT))],
    summary="Analyse every review not analysed yet (or changed since) and store the results",
)
async def analyse_reviews(store: StoreDep) -> dict[str, int]:
    from shopmind.reviews import analyse_pending

    return {"analysed": await run_in_threadpool(analyse_pending, store)}
