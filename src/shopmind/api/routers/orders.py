"""/v1/orders: batch upsert, get, list and delete orders."""

from __future__ import annotations

from shopmind.api.routers.entities import entity_router
from shopmind.api.schemas import OrderBatchIn, OrderPage
from shopmind.core.schemas import Order
from shopmind.store import Role

router = entity_router(
    "orders",
    model=Order,
    batch_in=OrderBatchIn,
    page_out=OrderPage,
    read_role=Role.MERCHANT,  # shop-private data
)
