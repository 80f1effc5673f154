"""Conversion between domain models and table rows, one ``EntitySpec`` per entity kind."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from pydantic import BaseModel

from shopmind.core.schemas import Customer, Document, Event, Order, Product, Review, now_utc
from shopmind.store import tables

Row = dict[str, Any]


def content_hash(data: dict[str, Any] | bytes) -> str:
    """A 128-bit digest of a record's JSON; equal records hash equally."""
    raw = data if isinstance(data, bytes) else orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _money(value: Any) -> float | None:
    # Typed money columns serve filters and sorts; the exact Decimal lives in ``data``.
    return None if value is None else float(value)


def _entity_row(model: BaseModel) -> Row:
    # pydantic-core writes the JSON once and orjson.Fragment hands it to the JSON column as is:
    # half the cost of model_dump() + serialising again, on the path every upsert takes. Field
    # order is fixed by the model, so equal records give equal bytes and equal hashes.
    raw = model.__pydantic_serializer__.to_json(model, exclude_none=True)
    now = now_utc()
    return {
        "data": orjson.Fragment(raw),
        "content_hash": content_hash(raw),
        "created_at": now,
        "updated_at": now,
    }


def product_row(p: Product) -> Row:
    row = _entity_row(p)
    row.update(
        id=p.id,
        sku=p.sku,
        title=p.title,
        brand=p.brand,
        category=p.category or None,
        price=_money(p.price),
        currency=p.currency,
        stock=p.stock,
        availability=p.availability.value if p.availability else None,
        language=p.language,
        variant_group=p.variant_group,
        dirty=True,
    )
    return row


def customer_row(c: Customer) -> Row:
    row = _entity_row(c)
    row.update(id=c.id, email=c.email, locale=c.locale)
    return row


def order_row(o: Order) -> Row:
    row = _entity_row(o)
    row.update(
        id=o.id,
        customer_id=o.customer_id,
        email=o.email,
        status=o.status.value,
        currency=o.currency,
        total=_money(o.total),
        placed_at=o.placed_at,
    )
    return row


def order_line_rows(o: Order) -> list[Row]:
    return [
        {
            "order_id": o.id,
            "line_no": n,
            "product_id": line.product_id,
            "quantity": line.quantity,
            "unit_price": _money(line.unit_price),
        }
        for n, line in enumerate(o.lines, start=1)
    ]


def review_row(r: Review) -> Row:
    row = _entity_row(r)
    row.update(
        id=r.id,
        product_id=r.product_id,
        customer_id=r.customer_id,
        rating=r.rating,
        language=r.language,
        review_time=r.created_at,
    )
    return row


def document_row(d: Document) -> Row:
    row = _entity_row(d)
    row.update(id=d.id, kind=d.kind.value, title=d.title, language=d.language)
    return row


def event_id(e: Event) -> str:
    """The event's own id, or a deterministic one so re-ingesting the same event is a no-op."""
    if e.id:
        return e.id
    # A tuple of the fields, not model_dump(): this runs once per event on the ingest hot path.
    key = (
        e.name.value,
        e.customer_id,
        e.session_id,
        e.product_ids,
        e.query,
        None if e.value is None else str(e.value),
        e.currency,
        e.timestamp.isoformat(),
        e.properties or None,
    )
    digest = hashlib.blake2b(orjson.dumps(key, option=orjson.OPT_SORT_KEYS), digest_size=16)
    return "ev_" + digest.hexdigest()


def event_row(e: Event) -> Row:
    return {
        "id": event_id(e),
        "name": e.name.value,
        "customer_id": e.customer_id,
        "session_id": e.session_id,
        "ts": e.timestamp,
        "product_ids": e.product_ids,
        "query": e.query,
        "value": _money(e.value),
        "currency": e.currency,
        "properties": e.properties or None,
    }


def event_from_row(row: sa.Row[Any]) -> Event:
    m = row._mapping
    return Event.model_validate(
        {
            "id": m["id"],
            "name": m["name"],
            "customer_id": m["customer_id"],
            "session_id": m["session_id"],
            "product_ids": m["product_ids"],
            "query": m["query"],
            "value": None if m["value"] is None else str(m["value"]),
            "currency": m["currency"],
            "timestamp": _as_datetime(m["ts"]),
            "properties": m["properties"] or {},
        }
    )


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class EntitySpec:
    """How one entity kind maps onto its table."""

    kind: str
    model: type[BaseModel]
    table: sa.Table
    to_row: Callable[[Any], Row]


SPECS: dict[str, EntitySpec] = {
    "products": EntitySpec("products", Product, tables.products, product_row),
    "customers": EntitySpec("customers", Customer, tables.customers, customer_row),
    "orders": EntitySpec("orders", Order, tables.orders, order_row),
    "reviews": EntitySpec("reviews", Review, tables.reviews, review_row),
    "documents": EntitySpec("documents", Document, tables.documents, document_row),
}
