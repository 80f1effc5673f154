"""Batch bodies: validated straight from the raw bytes, all or nothing, every bad item named.

Pydantic validates the JSON bytes in one pass (no intermediate dicts, exact decimals), which is
what keeps ``POST /v1/events`` cheap per item. These functions are synchronous: routes call them
in the thread pool together with the store write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from shopmind.api.errors import BatchRejectedError, BatchTooLargeError, MalformedJsonError
from shopmind.api.schemas import ItemError
from shopmind.core.schemas import error_message
from shopmind.store import Store, WriteCounts, erased_among

# The field that names the person a record belongs to, for kinds that have one.
PERSON_FIELD = {
    "customers": "id",
    "orders": "customer_id",
    "reviews": "customer_id",
    "events": "customer_id",
}

B = TypeVar("B", bound=BaseModel)


def parse_batch(model: type[B], body: bytes, field: str, max_batch: int) -> B:
    """``model`` validated from ``body``; its list ``field`` holds at most ``max_batch`` items."""
    try:
        batch = model.model_validate_json(body)
    except ValidationError as exc:
        raise _rejection(exc, field) from None
    items: Sequence[Any] = getattr(batch, field)
    if len(items) > max_batch:
        raise BatchTooLargeError(
            f"{len(items)} {field} in one request; the limit is {max_batch}: split the batch"
        )
    return batch


def reject_duplicate_ids(items: Sequence[Any]) -> None:
    """BatchRejectedError naming every item whose id an earlier item of the batch already has."""
    first: dict[str, int] = {}
    errors: list[ItemError] = []
    for n, item in enumerate(items):
        if item.id in first:
            reason = f"duplicate id {item.id!r}: item {first[item.id]} has it too"
            errors.append(ItemError(item=n, field="id", reason=reason))
        else:
            first[item.id] = n
    if errors:
        raise BatchRejectedError(errors)


def write_batch(store: Store, kind: str, items: Sequence[Any]) -> WriteCounts:
    """Upsert ``items`` in one transaction, refusing the batch if any belongs to an erased customer.

    Erasure must stick: as in ingest, an erased customer's data is not accepted again. The check
    shares the write's transaction so an erasure cannot slip in between.
    """
    with store.write() as conn:
        field = PERSON_FIELD.get(kind)
        if field is not None:
            _reject_erased(store, conn, items, field)
        return store.upsert(kind, items, conn)


def _reject_erased(store: Store, conn: sa.Connection, items: Sequence[Any], field: str) -> None:
    people = {person for item in items if (person := getattr(item, field))}
    erased = erased_among(store, people, conn) if people else set()
    if erased:
        reason = "this customer was erased; their data is not accepted again"
        errors = [
            ItemError(item=n, field=field, reason=reason)
            for n, item in enumerate(items)
            if getattr(item, field) in erased
        ]
        raise BatchRejectedError(errors)


def _rejection(exc: ValidationError, field: str) -> MalformedJsonError | BatchRejectedError:
    errors = exc.errors(include_input=False, include_url=False)
    if any(e["type"] == "json_invalid" for e in errors):
        return MalformedJsonError(
            f'the request body is not valid JSON; expected {{"{field}": [...]}}'
        )
    return BatchRejectedError([_item_error(e["loc"], error_message(e), field) for e in errors])


def _item_error(loc: tuple[int | str, ...], msg: str, field: str) -> ItemError:
    # ("items", 3, "lines", 0, "quantity") -> item 3, field "lines.0.quantity".
    if len(loc) >= 2 and loc[0] == field and isinstance(loc[1], int):
        inner = ".".join(str(p) for p in loc[2:])
        return ItemError(item=loc[1], field=inner or None, reason=msg)
    return ItemError(item=None, field=".".join(str(p) for p in loc) or None, reason=msg)
