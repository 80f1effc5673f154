"""/v1/reviews: batch upsert, get, list and delete reviews."""

from __future__ import annotations

from shopmind.api.routers.entities import entity_router
from shopmind.api.schemas import ReviewBatchIn, ReviewPage
from shopmind.core.schemas import Review
from shopmind.store import Role

router = entity_router(
    "reviews",
    model=Review,
    batch_in=ReviewBatchIn,
    page_out=ReviewPage,
    read_role=Role.MERCHANT,  # shop-private data
)
