"""Domain types shared by every capability.

Money is ``Decimal`` with an ISO 4217 currency; times are timezone-aware UTC; ids are short
printable strings. Validation here is the edge every reader and the API pass through, so each
error message names the field and why it is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

MAX_TEXT = 100_000
_ZERO = timedelta(0)
MAX_SHORT = 2_000


def _check_currency(value: str) -> str:
    value = value.strip().upper()
    if not _CURRENCY_RE.match(value):
        raise ValueError(f"must be a 3-letter ISO 4217 code, got {value!r}")
    return value


def _check_money(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    if value < 0:
        raise ValueError(f"must not be negative, got {value}")
    if value > Decimal("1e12"):
        raise ValueError(f"is implausibly large: {value}")
    return value


def _check_lang(value: str) -> str:
    value = value.strip()
    if not _LANG_RE.match(value):
        raise ValueError(f"must be a language tag such as 'en' or 'zh-CN', got {value!r}")
    return value


def _utc(value: datetime) -> datetime:
    # Naive times from exports are taken as UTC: the GA4 and Shopify exports we read are UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if value.tzinfo is UTC or value.utcoffset() == _ZERO:
        return value  # already UTC (pydantic's own zero-offset tzinfo compares equal to UTC)
    return value.astimezone(UTC)


# Checked by pydantic-core's regex engine, not a Python function: ids are validated several
# times per event, on the hottest ingest path. No control, format (zero-width, bidi) or
# line-separator characters.
Id = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=200,
        pattern=r"^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$",
    ),
]
Currency = Annotated[str, AfterValidator(_check_currency)]
Money = Annotated[Decimal, AfterValidator(_check_money)]
LanguageTag = Annotated[str, AfterValidator(_check_lang)]
UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_SHORT)]
LongText = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
AttributeValue = str | int | float | bool | list[str]


class Strict(BaseModel):
    """Base: unknown fields are errors, so a typo in a mapping is caught, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False)


class Availability(StrEnum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"
    PREORDER = "preorder"
    BACKORDER = "backorder"


class Product(Strict):
    """One sellable product (a variant, when the shop has variants: see ``variant_group``)."""

    id: Id
    sku: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SHORT)
    ]
    description: LongText = ""
    brand: ShortText | None = None
    category_path: list[ShortText] = Field(default_factory=list, max_length=20)
    attributes: dict[ShortText, AttributeValue] = Field(default_factory=dict, max_length=500)
    price: Money | None = None
    currency: Currency | None = None
    compare_at_price: Money | None = None
    stock: int | None = Field(default=None, ge=-1_000_000, le=1_000_000_000)
    availability: Availability | None = None
    images: list[Annotated[str, StringConstraints(max_length=MAX_SHORT)]] = Field(
        default_factory=list, max_length=100
    )
    url: Annotated[str, StringConstraints(max_length=MAX_SHORT)] | None = None
    language: LanguageTag | None = None
    tags: list[ShortText] = Field(default_factory=list, max_length=200)
    variant_group: ShortText | None = None
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None

    @field_validator("category_path", "tags")
    @classmethod
    def _drop_empty(cls, values: list[str]) -> list[str]:
        return [v for v in values if v]

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        if (self.price is not None or self.compare_at_price is not None) and not self.currency:
            raise ValueError("currency is required when a price is given")
        if self.availability is None and self.stock is not None:
            self.availability = (
                Availability.IN_STOCK if self.stock > 0 else Availability.OUT_OF_STOCK
            )
        return self

    @property
    def category(self) -> str:
        """The category path joined with ' > ', as feeds write it."""
        return " > ".join(self.category_path)


class Customer(Strict):
    """A shop's customer. ``email`` and ``name`` are personal data, removed on erasure."""

    id: Id
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=320)] | None = None
    name: ShortText | None = None
    locale: LanguageTag | None = None
    country: Annotated[str, StringConstraints(max_length=2, min_length=2)] | None = None
    created_at: UtcDatetime | None = None
    attributes: dict[ShortText, AttributeValue] = Field(default_factory=dict, max_length=200)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not _EMAIL_RE.match(value):
            raise ValueError("is not an e-mail address")
        return value.lower()


class EventName(StrEnum):
    """GA4 recommended e-commerce event names."""

    VIEW_ITEM = "view_item"
    VIEW_ITEM_LIST = "view_item_list"
    SELECT_ITEM = "select_item"
    ADD_TO_CART = "add_to_cart"
    REMOVE_FROM_CART = "remove_from_cart"
    BEGIN_CHECKOUT = "begin_checkout"
    PURCHASE = "purchase"
    REFUND = "refund"
    SEARCH = "search"
    ADD_TO_WISHLIST = "add_to_wishlist"


class Event(Strict):
    """A behaviour event. Exactly who did it: a known customer, an anonymous session, or both."""

    id: Id | None = None
    name: EventName
    customer_id: Id | None = None
    session_id: Id | None = None
    product_ids: list[Id] = Field(default_factory=list, max_length=200)
    query: ShortText | None = None
    value: Money | None = None
    currency: Currency | None = None
    timestamp: UtcDatetime
    properties: dict[ShortText, AttributeValue | None] = Field(default_factory=dict, max_length=50)

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if not self.customer_id and not self.session_id:
            raise ValueError("an event needs a customer_id or a session_id")
        if self.name is EventName.SEARCH and not self.query:
            raise ValueError("a search event needs a query")
        if self.value is not None and not self.currency:
            raise ValueError("currency is required when a value is given")
        return self


class OrderStatus(StrEnum):
    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class OrderLine(Strict):
    product_id: Id
    sku: ShortText | None = None
    title: ShortText | None = None
    quantity: int = Field(ge=1, le=1_000_000)
    unit_price: Money

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


_CENT = Decimal("0.01")


class Order(Strict):
    """An order with its lines. ``email`` and ``shipping_address`` are personal data."""

    id: Id
    customer_id: Id | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=320)] | None = None
    shipping_address: LongText | None = None
    lines: list[OrderLine] = Field(min_length=1, max_length=10_000)
    currency: Currency
    subtotal: Money | None = None
    shipping: Money = Decimal(0)
    tax: Money = Decimal(0)
    discount: Money = Decimal(0)
    total: Money | None = None
    status: OrderStatus
    carrier: ShortText | None = None
    tracking_number: ShortText | None = None
    placed_at: UtcDatetime
    paid_at: UtcDatetime | None = None
    shipped_at: UtcDatetime | None = None
    delivered_at: UtcDatetime | None = None
    cancelled_at: UtcDatetime | None = None
    returned_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _totals(self) -> Order:
        lines_sum = sum((line.total for line in self.lines), Decimal(0))
        if self.subtotal is None:
            self.subtotal = lines_sum
        elif abs(self.subtotal - lines_sum) > _CENT:
            raise ValueError(f"subtotal {self.subtotal} differs from the sum of lines {lines_sum}")
        expected = self.subtotal + self.shipping + self.tax - self.discount
        if self.total is None:
            self.total = max(expected, Decimal(0))
        elif abs(self.total - expected) > _CENT:
            raise ValueError(
                f"total {self.total} differs from subtotal + shipping + tax - discount = {expected}"
            )
        if self.email:
            self.email = Customer.model_validate({"id": "x", "email": self.email}).email
        self._check_times()
        return self

    def _check_times(self) -> None:
        for name in ("paid_at", "shipped_at", "delivered_at", "cancelled_at", "returned_at"):
            moment = getattr(self, name)
            if moment is not None and moment < self.placed_at:
                raise ValueError(f"{name} {moment.isoformat()} is before placed_at")


class Review(Strict):
    """A product review. ``author_name`` is personal data; erasure unlinks ``customer_id``."""

    id: Id
    product_id: Id
    customer_id: Id | None = None
    author_name: ShortText | None = None
    rating: int = Field(ge=1, le=5)
    title: ShortText | None = None
    text: LongText = ""
    language: LanguageTag | None = None
    created_at: UtcDatetime


class DocumentKind(StrEnum):
    FAQ = "faq"
    POLICY = "policy"
    PAGE = "page"


class Document(Strict):
    """A FAQ entry, a policy or a content page, used to ground answers."""

    id: Id
    kind: DocumentKind = DocumentKind.PAGE
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SHORT)
    ]
    body: Annotated[str, StringConstraints(min_length=1, max_length=1_000_000)]
    language: LanguageTag | None = None
    url: ShortText | None = None
    tags: list[ShortText] = Field(default_factory=list, max_length=100)
    updated_at: UtcDatetime | None = None


EntityKind = Literal["products", "customers", "events", "orders", "reviews", "documents"]
ENTITY_MODELS: dict[str, type[Strict]] = {
    "products": Product,
    "customers": Customer,
    "events": Event,
    "orders": Order,
    "reviews": Review,
    "documents": Document,
}


_FRIENDLY = {
    "string_pattern_mismatch": "must be 1-200 characters without control or invisible characters",
}


def error_message(error: Mapping[str, Any]) -> str:
    """A pydantic error's message, with regex-speak replaced by words a user can act on."""
    return _FRIENDLY.get(str(error.get("type")), str(error.get("msg", "")))


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def model_dump_json_ready(model: BaseModel) -> dict[str, Any]:
    """A dict of JSON-ready values (Decimals as strings, times as ISO 8601), Nones dropped."""
    return model.model_dump(mode="json", exclude_none=True)
