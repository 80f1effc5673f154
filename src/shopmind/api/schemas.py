"""Request and response bodies of the REST API, kept apart from the domain types they carry.

Input schemas forbid unknown fields so a typo in a client is a 422, not silently dropped data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shopmind.core.schemas import Customer, Document, Event, Order, Product, Review
from shopmind.store import ApiKey, Role

T = TypeVar("T", bound=BaseModel)


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- batches in -------------------------------------------------------------------------------


class Items(In, Generic[T]):
    """A batch upsert: ``{"items": [...]}``."""

    items: list[T]


class ProductBatchIn(Items[Product]):
    pass


class CustomerBatchIn(Items[Customer]):
    pass


class OrderBatchIn(Items[Order]):
    pass


class ReviewBatchIn(Items[Review]):
    pass


class DocumentBatchIn(Items[Document]):
    pass


class EventBatchIn(In):
    """A batch of behaviour events: ``{"events": [...]}``."""

    events: list[Event]


# FastAPI does not see these bodies (the routes read raw bytes for speed), so the OpenAPI
# document gets their schemas from this list instead.
RAW_BODY_MODELS: tuple[type[BaseModel], ...] = (
    ProductBatchIn,
    CustomerBatchIn,
    OrderBatchIn,
    ReviewBatchIn,
    DocumentBatchIn,
    EventBatchIn,
)


class IdsIn(In):
    """Ids to delete (or, for customers, to erase)."""

    ids: list[str] = Field(min_length=1)


class KeyIn(In):
    name: str = Field(min_length=1, max_length=200)
    role: Role


# -- out --------------------------------------------------------------------------------------


class WriteCountsOut(BaseModel):
    inserted: int
    updated: int
    unchanged: int


class EventCountsOut(BaseModel):
    inserted: int
    unchanged: int


class DeletedOut(BaseModel):
    deleted: int


class Page(BaseModel, Generic[T]):
    """Records in id order. ``next_after`` is the cursor for the next page, null on the last.

    A batch get (``?ids=``) fills ``missing`` with the ids that do not exist instead.
    """

    items: list[T]
    next_after: str | None = None
    missing: list[str] = Field(default_factory=list)


class ProductPage(Page[Product]):
    pass


class CustomerPage(Page[Customer]):
    pass


class OrderPage(Page[Order]):
    pass


class ReviewPage(Page[Review]):
    pass


class DocumentPage(Page[Document]):
    pass


class ErasureReportOut(BaseModel):
    customer_id: str
    customers_deleted: int
    events_deleted: int
    reviews_anonymised: int
    orders_anonymised: int


class KeyOut(BaseModel):
    id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None = None

    @classmethod
    def of(cls, key: ApiKey) -> KeyOut:
        return cls(
            id=key.id,
            name=key.name,
            role=key.role,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


class KeyCreatedOut(KeyOut):
    token: str = Field(description="the secret; shown this once and never again")


class RevokedOut(BaseModel):
    id: str
    revoked: bool = True


class HealthOut(BaseModel):
    status: str


class ItemError(BaseModel):
    """One problem in a batch: ``item`` is its index (null when the batch itself is wrong)."""

    item: int | None
    field: str | None
    reason: str


class ErrorOut(BaseModel):
    """Every error response has this shape."""

    error: str = Field(description="a stable machine-readable code, e.g. not_found")
    message: str = Field(description="what went wrong and what to do, for humans")
    detail: Any = None
