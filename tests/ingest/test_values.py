from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopmind.ingest.values import parse_decimal, parse_price, parse_timestamp, split_category


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$19.99", "19.99", "USD"),
        ("¥1,299.00", "1299.00", "CNY"),
        ("1.299,00 €", "1299.00", "EUR"),
        ("29.99 USD", "29.99", "USD"),
        ("R$ 49,90", "49.90", "BRL"),
        ("500元", "500", "CNY"),
        ("£5", "5", "GBP"),
        ("12.50", "12.50", None),
        ("1,299", "1299", None),
        ("RMB 88", "88", "CNY"),
    ],
)
def test_parse_price(text: str, amount: str, currency: str | None) -> None:
    assert parse_price(text) == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["-5", "free", "", "1 - 2", "$"])
def test_parse_price_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_price(text)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_parse_price_round_trips_plain_and_grouped(value: Decimal) -> None:
    assert parse_price(f"{value}")[0] == value
    assert parse_price(f"${value:,}")[0] == value
    assert (
        parse_decimal(f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")) == value
    )


def test_parse_timestamp_epoch_magnitudes_and_iso() -> None:
    expected = datetime(2017, 11, 24, 17, 21, 10, tzinfo=UTC)
    assert parse_timestamp("1511544070") == expected
    assert parse_timestamp(1511544070000) == expected
    assert parse_timestamp("1511544070000000") == expected
    assert parse_timestamp("2017-11-24 17:21:10") == expected
    assert parse_timestamp("2017-11-25T01:21:10+08:00") == expected
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_timestamp("yesterday")


def test_split_category() -> None:
    assert split_category("Home > Kitchen > Pots") == ["Home", "Kitchen", "Pots"]
    assert split_category("数码/耳机") == ["数码", "耳机"]
    assert split_category("Toys") == ["Toys"]
