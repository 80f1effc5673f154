"""/v1/products: batch upsert, get, list and delete products."""

from __future__ import annotations

from shopmind.api.routers.entities import entity_router
from shopmind.api.schemas import ProductBatchIn, ProductPage
from shopmind.core.schemas import Product
from shopmind.store import Role

router = entity_router(
    "products",
    model=Product,
    batch_in=ProductBatchIn,
    page_out=ProductPage,
    read_role=Role.STOREFRONT,  # public catalogue: storefronts render it
)
