"""Search request and response models (what api and cli exchange with `service.search`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shopmind.core.errors import InputError

MAX_Q = 512
MAX_PER_PAGE = 100
MAX_PAGE = 1000


class Sort(StrEnum):
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"
    RATING = "rating"


class Filters(BaseModel):
    """Explicit filters; each one given here wins over the same filter read from the query."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, max_length=500, description="path prefix, 'A > B'")
    brand: list[str] = Field(default_factory=list, max_length=50)
    price_min: float | None = Field(default=None, ge=0)
    price_max: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    attributes: dict[str, list[str]] = Field(default_factory=dict, max_length=20)
    in_stock: bool | None = None

    @model_validator(mode="after")
    def _price_order(self) -> Filters:
        low, high = self.price_min, self.price_max
        if low is not None and high is not None and low > high:
            raise ValueError(f"price_min ({low}) must not exceed price_max ({high})")
        return self

    def is_empty(self) -> bool:
        return not (
            self.category
            or self.brand
            or self.price_min is not None
            or self.price_max is not None
            or self.attributes
            or self.in_stock is not None
        )


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(default="", max_length=MAX_Q)
    filters: Filters = Field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=20, ge=1, le=MAX_PER_PAGE)
    user_id: str | None = Field(default=None, max_length=200)
    lang: str | None = Field(
        default=None,
        max_length=20,
        description="storefront language (zh, en, zh-CN): its products win near-ties",
    )

    @model_validator(mode="after")
    def _browse_needs_filters(self) -> SearchRequest:
        if not self.q.strip() and self.filters.is_empty():
            raise ValueError("q is empty: give a query, or filters to browse by")
        return self

    @classmethod
    def parse(cls, data: dict[str, Any]) -> SearchRequest:
        """Validate ``data``; an `InputError` names every bad field and why."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InputError(f"invalid search request: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """'field: reason; …' without echoing the input (a 10 KB query stays out of the message)."""
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e.get("loc", ())) or "request"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


class Item(BaseModel):
    id: str
    title: str
    price: float | None
    currency: str | None
    brand: str | None
    in_stock: bool
    score: float


class FacetValue(BaseModel):
    value: str
    count: int


class SearchResponse(BaseModel):
    items: list[Item]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    parsed: dict[str, Any] | None
    inferred: list[str] = Field(description="filters read from the query, not given explicitly")
    relaxed: list[str] = Field(description="what was dropped to find any result")
    did_you_mean: str | None
    took_ms: float
