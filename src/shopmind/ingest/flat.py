"""Flat rows (CSV cells, loosely typed JSON) to the nested dicts the domain models validate.

Columns named like a model field fill it; ``attr.NAME`` / ``attributes.NAME`` columns become
typed attributes (``properties.NAME`` for events). Empty cells mean "not given".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from shopmind.core.schemas import Customer, Event, Order, OrderLine, Product, Review
from shopmind.ingest.mapping import FieldError
from shopmind.ingest.values import (
    parse_bool,
    parse_int,
    parse_price,
    parse_timestamp,
    split_category,
    split_list,
    typed_attribute,
)

Converter = Callable[[Any], Any]
_PREFIXES = {"attr.": "attributes", "attributes.": "attributes", "properties.": "properties"}


def _timestamp(value: Any) -> Any:
    return parse_timestamp(value).isoformat()


def _json_object(value: Any) -> Any:
    if isinstance(value, dict):
        return value
    try:
        obj = orjson.loads(str(value))
    except orjson.JSONDecodeError:
        raise ValueError("is not a JSON object") from None
    if not isinstance(obj, dict):
        raise ValueError("is not a JSON object")
    return obj


def _image_list(value: Any) -> list[str]:
    return split_list(value, seps=",| ")


COMMON: dict[str, Converter] = {
    "created_at": _timestamp,
    "updated_at": _timestamp,
    "attributes": _json_object,
    "properties": _json_object,
}
PRODUCT: dict[str, Converter] = {
    **COMMON,
    "category_path": split_category,
    "tags": split_list,
    "images": _image_list,
    "stock": parse_int,
}
CUSTOMER: dict[str, Converter] = dict(COMMON)
REVIEW: dict[str, Converter] = {**COMMON, "rating": parse_int}
EVENT: dict[str, Converter] = {**COMMON, "timestamp": _timestamp, "product_ids": split_list}
ORDER: dict[str, Converter] = {
    **COMMON,
    **{
        f: _timestamp
        for f in (
            "placed_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "cancelled_at",
            "returned_at",
        )
    },
}
LINE: dict[str, Converter] = {"quantity": parse_int}

_PRICE_FIELDS = {
    "products": ("price", "compare_at_price"),
    "events": ("value",),
    "orders": ("subtotal", "shipping", "tax", "discount", "total"),
}
CONVERTERS: dict[str, dict[str, Converter]] = {
    "products": PRODUCT,
    "customers": CUSTOMER,
    "reviews": REVIEW,
    "events": EVENT,
    "orders": ORDER,
}
FIELDS: dict[str, frozenset[str]] = {
    "products": frozenset(Product.model_fields),
    "customers": frozenset(Customer.model_fields),
    "reviews": frozenset(Review.model_fields),
    "events": frozenset(Event.model_fields) | {"product_id"},
    "orders": frozenset(Order.model_fields)
    | {f"line_{f}" for f in OrderLine.model_fields}
    | set(OrderLine.model_fields),
    "documents": frozenset(),
}


def unknown_columns(kind: str, columns: list[str]) -> list[str]:
    """Columns a flat row of ``kind`` would ignore."""
    known = FIELDS[kind]
    return [c for c in columns if c not in known and not c.startswith(tuple(_PREFIXES))]


def to_entity(kind: str, row: dict[str, Any], default_currency: str | None) -> dict[str, Any]:
    """A flat row as the nested dict of ``kind``; raises FieldError naming the bad field."""
    converters = CONVERTERS[kind]
    out: dict[str, Any] = {}
    known = FIELDS[kind]
    for key, value in row.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        prefix = next((p for p in _PREFIXES if key.startswith(p)), None)
        if prefix:
            out.setdefault(_PREFIXES[prefix], {})[key[len(prefix) :]] = typed_attribute(value)
        elif key in known:
            out[key] = _convert(key, value, converters.get(key))
    _prices(kind, out, default_currency)
    if kind == "events" and "product_id" in out:
        out.setdefault("product_ids", []).insert(0, str(out.pop("product_id")))
    return out


def _convert(key: str, value: Any, converter: Converter | None) -> Any:
    if converter is None:
        return value.strip() if isinstance(value, str) else value
    try:
        return converter(value)
    except ValueError as exc:
        raise FieldError(key, str(exc)) from None


def _prices(kind: str, out: dict[str, Any], default_currency: str | None) -> None:
    for name in _PRICE_FIELDS.get(kind, ()):
        if name not in out:
            continue
        try:
            amount, currency = parse_price(out[name], None)
        except ValueError as exc:
            raise FieldError(name, str(exc)) from None
        out[name] = str(amount)
        if currency and out.get("currency") and str(out["currency"]).upper() != currency:
            raise FieldError(
                name, f"is in {currency} but the currency column says {out['currency']}"
            )
        if currency:
            out["currency"] = currency
    has_price = any(name in out for name in _PRICE_FIELDS.get(kind, ()))
    if has_price and "currency" not in out and default_currency:
        out["currency"] = default_currency


def order_line(row: dict[str, Any]) -> dict[str, Any]:
    """The order-line part of a one-row-per-line order file (``line_*`` or bare line columns)."""
    line: dict[str, Any] = {}
    for name in OrderLine.model_fields:
        value = row.get(f"line_{name}", row.get(name))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name == "unit_price":
            try:
                value = str(parse_price(value)[0])
            except ValueError as exc:
                raise FieldError("unit_price", str(exc)) from None
        elif name == "quantity":
            value = _convert("quantity", value, parse_int)
        line[name] = value.strip() if isinstance(value, str) else value
    return line


def bool_field(value: Any, name: str) -> bool:
    try:
        return parse_bool(value)
    except ValueError as exc:
        raise FieldError(name, str(exc)) from None
