"""/v1/documents: batch upsert, get, list and delete documents."""

from __future__ import annotations

from shopmind.api.routers.entities import entity_router
from shopmind.api.schemas import DocumentBatchIn, DocumentPage
from shopmind.core.schemas import Document
from shopmind.store import Role

router = entity_router(
    "documents",
    model=Document,
    batch_in=DocumentBatchIn,
    page_out=DocumentPage,
    read_role=Role.STOREFRONT,  # public catalogue: storefronts render it
)
