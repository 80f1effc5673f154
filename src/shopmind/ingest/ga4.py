"""GA4 BigQuery exports (``events_*`` tables saved as newline-delimited JSON), one event a line.

Only the GA4 e-commerce events of ``EventName`` are kept; ``view_search_results`` (what GA4's
enhanced measurement sends for a site search) is read as ``search``. Every other event
(page_view, session_start, scroll, ...) is skipped and counted in one warning.

Mapping: ``customer_id`` = user_id; ``session_id`` = ``user_pseudo_id:ga_session_id`` (the
pseudo id alone when the session id is missing); ``product_ids`` = items[].item_id without GA4's
"(not set)"; ``query`` = search_term; ``value`` = ecommerce.purchase_revenue (purchase),
ecommerce.refund_value (refund), else the ``value`` parameter, in the ``currency`` parameter
(else the default), falling back to the USD columns; ``timestamp`` = event_timestamp in
microseconds. ``id`` stays empty, so the store derives it from the content and re-ingesting an
export is a no-op; an ``event_id`` parameter, when the site sends one, is used instead. Both the
BigQuery shape of ``event_params`` (``[{key, value: {string_value|int_value|...}}]``) and
flattened ones (``{key: value}`` or ``event_params.key`` columns) are read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopmind.core.schemas import EventName
from shopmind.ingest.generic import Candidate, CandidateOrError, ReadOptions
from shopmind.ingest.mapping import FieldError
from shopmind.ingest.report import RowError
from shopmind.ingest.sources import read_jsonl
from shopmind.ingest.values import parse_int, parse_price, parse_timestamp

_NAMES = frozenset(name.value for name in EventName)
_ALIASES = {"view_search_results": EventName.SEARCH.value}
_NOT_SET = ("", "(not set)", "(not provided)")
_VALUE_KEYS = ("string_value", "int_value", "double_value", "float_value")
_LOCAL_VALUE = {"purchase": "purchase_revenue", "refund": "refund_value"}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_PRODUCTS = 200
SHOWN_SKIPPED = 8


def read_events(path: Path, opts: ReadOptions) -> Iterator[CandidateOrError]:
    """E-commerce events from a GA4 BigQuery JSON-lines export; other events are counted."""
    skipped: Counter[str] = Counter()
    for row in read_jsonl(path, encoding=opts.encoding):
        if isinstance(row, RowError):
            yield row
            continue
        raw_name = _text(row.fields.get("event_name"))
        name = _ALIASES.get(raw_name, raw_name)
        if name not in _NAMES:
            skipped[raw_name or "(no event_name)"] += 1
            continue
        try:
            yield Candidate(row.line, _event(row.fields, name, opts.default_currency))
        except FieldError as exc:
            yield RowError(str(path), row.line, exc.field, exc.reason)
    if skipped and opts.warnings is not None:
        opts.warnings.append(_skipped_message(skipped))


def _skipped_message(skipped: Counter[str]) -> str:
    shown = ", ".join(f"{name}: {count}" for name, count in skipped.most_common(SHOWN_SKIPPED))
    more = ", ..." if len(skipped) > SHOWN_SKIPPED else ""
    return f"skipped {skipped.total()} non-commerce events ({shown}{more})"


def _event(fields: dict[str, Any], name: str, default_currency: str | None) -> dict[str, Any]:
    params = _params(fields)
    ecommerce = _dict(fields.get("ecommerce"))
    record: dict[str, Any] = {
        "name": name,
        "timestamp": _timestamp(fields.get("event_timestamp")),
        "product_ids": _product_ids(fields.get("items")),
    }
    record.update(_who(fields, params))
    if _text(params.get("event_id")):
        record["id"] = _text(params.get("event_id"))
    query = _text(params.get("search_term"))
    if query:
        record["query"] = query
    elif name == EventName.SEARCH.value:
        raise FieldError("search_term", "is missing: a search event needs the search terms")
    record.update(_value(fields, name, params, ecommerce, default_currency))
    properties = _properties(fields, params, ecommerce)
    if properties:
        record["properties"] = properties
    return record


def _who(fields: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    pseudo = _text(fields.get("user_pseudo_id"))
    user = _text(fields.get("user_id"))
    if not pseudo and not user:
        raise FieldError("user_pseudo_id", "is missing and so is user_id: an event needs one")
    session = _text(params.get("ga_session_id"))
    who: dict[str, Any] = {}
    if user:
        who["customer_id"] = user
    if pseudo:
        who["session_id"] = f"{pseudo}:{session}" if session else pseudo
    return who


def _params(fields: dict[str, Any]) -> dict[str, Any]:
    raw = fields.get("event_params")
    params: dict[str, Any] = {}
    if isinstance(raw, list):
        for entry in raw:
            if isinstance(entry, dict) and entry.get("key") is not None:
                params[str(entry["key"])] = _unwrap(entry.get("value"))
    elif isinstance(raw, dict):
        params = {str(key): _unwrap(value) for key, value in raw.items()}
    for key, value in fields.items():
        if key.startswith("event_params."):
            params[key.removeprefix("event_params.")] = _unwrap(value)
    return params


def _unwrap(value: Any) -> Any:
    """A BigQuery parameter value ``{"string_value": ..., "int_value": ...}`` as a plain one."""
    if not isinstance(value, dict):
        return value
    return next((value[k] for k in _VALUE_KEYS if value.get(k) is not None), None)


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = str(value).strip()
    return "" if text in _NOT_SET else text


def _timestamp(value: Any) -> str:
    if value is None or value == "":
        raise FieldError("event_timestamp", "is missing")
    text = str(value).strip()
    try:
        if text.isdigit() and len(text) >= 16:
            # Microseconds, converted exactly: a float would round some of them.
            return (_EPOCH + timedelta(microseconds=int(text))).isoformat()
        return parse_timestamp(value).isoformat()
    except (ValueError, OverflowError) as exc:
        raise FieldError("event_timestamp", str(exc)) from None


def _product_ids(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    ids = (_text(item.get("item_id")) for item in items if isinstance(item, dict))
    return list(dict.fromkeys(i for i in ids if i))[:MAX_PRODUCTS]


def _value(
    fields: dict[str, Any],
    name: str,
    params: dict[str, Any],
    ecommerce: dict[str, Any],
    default_currency: str | None,
) -> dict[str, Any]:
    currency = _text(params.get("currency")).upper() or default_currency
    local = _LOCAL_VALUE.get(name)
    choices: list[tuple[Any, str | None]] = []
    if local:
        choices.append((ecommerce.get(local), currency))
    choices.append((params.get("value"), currency))
    if local:
        choices.append((ecommerce.get(f"{local}_in_usd"), "USD"))
    choices.append((fields.get("event_value_in_usd"), "USD"))
    for amount, amount_currency in choices:
        if amount is not None and amount != "":
            return {"value": _amount(amount, "value"), "currency": amount_currency}
    return {}


def _amount(value: Any, name: str) -> Decimal:
    try:
        return parse_price(value)[0]
    except ValueError as exc:
        raise FieldError(name, str(exc)) from None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _properties(
    fields: dict[str, Any], params: dict[str, Any], ecommerce: dict[str, Any]
) -> dict[str, Any]:
    items = [i for i in fields.get("items") or [] if isinstance(i, dict)]
    first_item = items[0] if items else {}
    traffic = _dict(fields.get("collected_traffic_source"))
    texts = {
        "transaction_id": ecommerce.get("transaction_id") or params.get("transaction_id"),
        "page_location": params.get("page_location"),
        "page_referrer": params.get("page_referrer"),
        "page_title": params.get("page_title"),
        "item_list_id": params.get("item_list_id") or first_item.get("item_list_id"),
        "item_list_name": params.get("item_list_name") or first_item.get("item_list_name"),
        "coupon": params.get("coupon"),
        "platform": fields.get("platform"),
        "device_category": _dict(fields.get("device")).get("category"),
        "country": _dict(fields.get("geo")).get("country"),
        "source": traffic.get("manual_source"),
        "medium": traffic.get("manual_medium"),
    }
    properties: dict[str, Any] = {k: _text(v) for k, v in texts.items() if _text(v)}
    properties.update(_numbers(params, ecommerce, items))
    return properties


def _numbers(
    params: dict[str, Any], ecommerce: dict[str, Any], items: list[dict[str, Any]]
) -> dict[str, Any]:
    numbers: dict[str, Any] = {}
    for name, raw in (
        ("shipping", ecommerce.get("shipping_value", params.get("shipping"))),
        ("tax", ecommerce.get("tax_value", params.get("tax"))),
    ):
        if raw is not None and raw != "":
            numbers[name] = float(_amount(raw, name))
    quantity = ecommerce.get("total_item_quantity")
    if quantity is None and items:
        quantity = sum(_whole(i.get("quantity") or 0, "items.quantity") for i in items)
    if quantity is not None:
        numbers["quantity"] = _whole(quantity, "ecommerce.total_item_quantity")
    session_number = params.get("ga_session_number")
    if session_number is not None:
        numbers["ga_session_number"] = _whole(session_number, "ga_session_number")
    return numbers


def _whole(value: Any, name: str) -> int:
    try:
        return parse_int(value)
    except ValueError as exc:
        raise FieldError(name, str(exc)) from None
