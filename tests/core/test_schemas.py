from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from shopmind.core.schemas import (
    Availability,
    Customer,
    Event,
    Order,
    Product,
    Review,
    error_message,
)


def _order(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "o1",
        "lines": [{"product_id": "p1", "quantity": 2, "unit_price": "9.99"}],
        "currency": "usd",
        "status": "paid",
        "placed_at": "2024-05-01T10:00:00",
    }
    base.update(overrides)
    return base


def test_product_money_is_exact_decimal_and_currency_upper() -> None:
    p = Product.model_validate({"id": "p", "title": "T", "price": "19.99", "currency": "cny"})
    assert p.price == Decimal("19.99") and isinstance(p.price, Decimal)
    assert p.currency == "CNY"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("price", "-1", "must not be negative"),
        ("price", "NaN", "finite"),
        ("currency", "dollars", "ISO 4217"),
        ("title", "", "at least 1 character"),
        ("id", "bad\x00id", "control or invisible"),
        ("language", "English!", "language tag"),
    ],
)
def test_product_rejects_bad_fields_naming_them(field: str, value: str, fragment: str) -> None:
    data = {"id": "p", "title": "T", "price": "1", "currency": "USD", field: value}
    with pytest.raises(ValidationError) as info:
        Product.model_validate(data)
    errors = info.value.errors()
    assert errors[0]["loc"][0] == field
    assert fragment in error_message(errors[0])


def test_product_price_needs_currency_and_availability_follows_stock() -> None:
    with pytest.raises(ValidationError, match="currency is required"):
        Product.model_validate({"id": "p", "title": "T", "price": "5"})
    out = Product.model_validate({"id": "p", "title": "T", "stock": 0})
    assert out.availability is Availability.OUT_OF_STOCK
    assert (
        Product.model_validate({"id": "p", "title": "T", "stock": 2}).availability
        is Availability.IN_STOCK
    )


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Product.model_validate({"id": "p", "title": "T", "titel": "typo"})


def test_times_become_utc() -> None:
    plus8 = timezone(timedelta(hours=8))
    e = Event.model_validate(
        {"name": "view_item", "session_id": "s", "timestamp": datetime(2024, 1, 1, 8, tzinfo=plus8)}
    )
    assert e.timestamp == datetime(2024, 1, 1, 0, tzinfo=UTC)
    naive = Event.model_validate(
        {"name": "view_item", "session_id": "s", "timestamp": "2024-01-01T00:00"}
    )
    assert naive.timestamp.tzinfo is UTC


def test_event_needs_identity_and_search_needs_query() -> None:
    with pytest.raises(ValidationError, match="customer_id or a session_id"):
        Event.model_validate({"name": "view_item", "timestamp": "2024-01-01T00:00:00Z"})
    with pytest.raises(ValidationError, match="needs a query"):
        Event.model_validate(
            {"name": "search", "session_id": "s", "timestamp": "2024-01-01T00:00:00Z"}
        )
    with pytest.raises(ValidationError):
        Event.model_validate(
            {"name": "page_view", "session_id": "s", "timestamp": "2024-01-01T00:00:00Z"}
        )


def test_order_totals_computed_and_checked() -> None:
    order = Order.model_validate(_order(shipping="5", tax="1.60", discount="2"))
    assert order.subtotal == Decimal("19.98")
    assert order.total == Decimal("24.58")
    with pytest.raises(ValidationError, match="differs from subtotal"):
        Order.model_validate(_order(total="99"))
    with pytest.raises(ValidationError, match="differs from the sum of lines"):
        Order.model_validate(_order(subtotal="1"))
    with pytest.raises(ValidationError, match="before placed_at"):
        Order.model_validate(_order(paid_at="2024-04-01T00:00:00"))
    with pytest.raises(ValidationError):
        Order.model_validate(_order(lines=[]))
    with pytest.raises(ValidationError):
        Order.model_validate(_order(status="lost"))


def test_customer_email_validated_and_lowercased() -> None:
    assert (
        Customer.model_validate({"id": "c", "email": "Ann@Example.COM"}).email == "ann@example.com"
    )
    with pytest.raises(ValidationError, match="e-mail"):
        Customer.model_validate({"id": "c", "email": "not-an-email"})


def test_review_rating_range() -> None:
    ok = {"id": "r", "product_id": "p", "rating": 5, "created_at": "2024-01-01T00:00:00Z"}
    assert Review.model_validate(ok).rating == 5
    for bad in (0, 6):
        with pytest.raises(ValidationError, match="rating"):
            Review.model_validate({**ok, "rating": bad})
