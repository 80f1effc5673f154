"""GA4 BigQuery JSON-lines exports: e-commerce events kept, others counted, idempotent ingest."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopmind.core.errors import IngestRejected
from shopmind.core.schemas import Event
from shopmind.ingest import ingest
from shopmind.ingest.ga4 import read_events
from shopmind.ingest.generic import Candidate, ReadOptions
from shopmind.ingest.report import RowError
from shopmind.store import Store

PSEUDO = "1026454.4271112504"
SESSION = {"key": "ga_session_id", "value": {"int_value": "1612069499"}}


def param(key: str, value: Any) -> dict[str, Any]:
    """An event parameter as BigQuery exports it, the value in its typed slot."""
    slot = {str: "string_value", int: "int_value", float: "double_value"}[type(value)]
    typed = str(value) if isinstance(value, int) else value  # BigQuery writes INT64 as a string
    empty = {"string_value": None, "int_value": None, "float_value": None, "double_value": None}
    return {"key": key, "value": {**empty, slot: typed}}


def event(name: str, micros: int, *params: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "event_date": "20210131",
        "event_timestamp": str(micros),
        "event_name": name,
        "event_params": [SESSION, *params],
        "user_pseudo_id": PSEUDO,
        "user_id": None,
        "platform": "WEB",
        "device": {"category": "mobile", "operating_system": "Android"},
        "geo": {"country": "Germany", "city": "Berlin"},
        **fields,
    }


def export() -> list[dict[str, Any]]:
    """One session: a page view, a search, a product view, a purchase, and engagement noise."""
    items = [
        {
            "item_id": "SKU-1",
            "item_name": "Organic Tee",
            "price": 19.5,
            "quantity": 2,
            "item_list_name": "Search results",
        },
        {"item_id": "(not set)", "item_name": "Gift wrap", "quantity": 1},
        {"item_id": "SKU-2", "item_name": "蓝牙耳机", "price": 20.5, "quantity": 1},
    ]
    return [
        event("session_start", 1612069500000001),
        event("page_view", 1612069500000002, param("page_location", "https://shop.example/")),
        event("view_search_results", 1612069505123456, param("search_term", " red tee ")),
        event(
            "view_item",
            1612069510766593,
            param("currency", "EUR"),
            param("value", 19.5),
            items=items[:1],
        ),
        event("scroll", 1612069511000000, param("percent_scrolled", 90)),
        event(
            "purchase",
            1612069590000007,
            param("currency", "EUR"),
            param("page_location", "https://shop.example/checkout/thanks"),
            param("ga_session_number", 3),
            user_id="cust-42",
            ecommerce={
                "total_item_quantity": "4",
                "purchase_revenue": 64.5,
                "purchase_revenue_in_usd": 70.1,
                "shipping_value": 4.5,
                "tax_value": None,
                "transaction_id": "T-1001",
                "unique_items": "3",
            },
            event_value_in_usd=70.1,
            items=items,
        ),
        event("user_engagement", 1612069600000000, param("engagement_time_msec", 5400)),
    ]


def write_lines(path: Path, rows: list[Any]) -> Path:
    text = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read(path: Path) -> tuple[list[Candidate], list[RowError], list[str]]:
    opts = ReadOptions(fmt="ga4", default_currency="USD", warnings=[])
    items = list(read_events(path, opts))
    candidates = [i for i in items if isinstance(i, Candidate)]
    errors = [i for i in items if isinstance(i, RowError)]
    return candidates, errors, opts.warnings or []


def stored_events(store: Store) -> list[Event]:
    return sorted(
        (e for e in store.iter_models("events") if isinstance(e, Event)),
        key=lambda e: e.timestamp,
    )


def test_commerce_events_are_mapped_and_the_rest_counted(tmp_path: Path) -> None:
    candidates, errors, warnings = read(write_lines(tmp_path / "events.jsonl", export()))
    assert errors == []
    assert [(c.line, c.data["name"]) for c in candidates] == [
        (3, "search"),  # GA4's site-search event
        (4, "view_item"),
        (6, "purchase"),
    ]
    search, view, purchase = (c.data for c in candidates)
    assert search["query"] == "red tee" and search["product_ids"] == []
    assert search["session_id"] == f"{PSEUDO}:1612069499" and "customer_id" not in search
    assert search["timestamp"] == "2021-01-31T05:05:05.123456+00:00"  # exact microseconds
    assert (view["value"], view["currency"]) == (Decimal("19.5"), "EUR")
    assert purchase["customer_id"] == "cust-42"
    assert purchase["product_ids"] == ["SKU-1", "SKU-2"]  # "(not set)" dropped
    assert (purchase["value"], purchase["currency"]) == (Decimal("64.5"), "EUR")
    assert "id" not in purchase  # the store derives a content id
    assert purchase["properties"] == {
        "transaction_id": "T-1001",
        "page_location": "https://shop.example/checkout/thanks",
        "item_list_name": "Search results",
        "platform": "WEB",
        "device_category": "mobile",
        "country": "Germany",
        "shipping": 4.5,
        "quantity": 4,
        "ga_session_number": 3,
    }
    assert warnings == [
        "skipped 4 non-commerce events (session_start: 1, page_view: 1, scroll: 1, "
        "user_engagement: 1)"
    ]


def test_flattened_params_usd_fallback_and_event_ids(tmp_path: Path) -> None:
    rows = [
        {
            "event_name": "add_to_cart",
            "event_timestamp": 1700000000000000,
            "user_pseudo_id": "p1",
            "event_params": {"ga_session_id": 77, "event_id": "evt-9"},
            "items": [{"item_id": 1234, "quantity": "2"}],
        },
        {
            "event_name": "refund",
            "event_timestamp": "1700000000500000",
            "user_id": "c9",
            "event_params.transaction_id": "T-7",
            "ecommerce": {"refund_value": None, "refund_value_in_usd": 12.25},
        },
    ]
    candidates, errors, _ = read(write_lines(tmp_path / "flat.jsonl", rows))
    assert errors == []
    cart, refund = (c.data for c in candidates)
    assert cart["id"] == "evt-9" and cart["session_id"] == "p1:77"
    assert cart["product_ids"] == ["1234"] and cart["properties"] == {"quantity": 2}
    assert "value" not in cart and "currency" not in cart
    assert refund["customer_id"] == "c9" and "session_id" not in refund
    assert (refund["value"], refund["currency"]) == (Decimal("12.25"), "USD")
    assert refund["properties"] == {"transaction_id": "T-7"}
    stamp = datetime.fromisoformat(refund["timestamp"])
    assert stamp == datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)


def test_bad_lines_are_reported_with_line_and_field(tmp_path: Path) -> None:
    rows: list[Any] = [
        event("search", 1612069500000000),  # no search_term
        '{"event_name": "purchase", "event_timestamp": ',  # cut off mid-line
        event("purchase", 1612069500000001, user_pseudo_id=None),
        event("add_to_cart", 1612069500000002, param("value", -3.0)),
        event("view_item", 0) | {"event_timestamp": None},
        event("view_item", 1612069500000003, items=[{"item_id": "ok"}]),
    ]
    candidates, errors, _ = read(write_lines(tmp_path / "bad.jsonl", rows))
    assert [(e.line, e.field) for e in errors] == [
        (1, "search_term"),
        (2, "-"),
        (3, "user_pseudo_id"),
        (4, "value"),
        (5, "event_timestamp"),
    ]
    assert "invalid JSON" in errors[1].reason and "negative" in errors[3].reason
    assert [c.line for c in candidates] == [6]


def test_ingest_is_idempotent_and_keeps_properties(sqlite_store: Store, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.jsonl", export())
    report = ingest(sqlite_store, "events", path, fmt="ga4")
    assert (report.read, report.inserted, report.rejected) == (3, 3, 0)
    assert report.warnings and report.warnings[0].startswith("skipped 4 non-commerce events")
    search, view, purchase = stored_events(sqlite_store)
    assert search.name == "search" and search.query == "red tee"
    assert view.product_ids == ["SKU-1"] and view.currency == "EUR"
    assert purchase.customer_id == "cust-42" and purchase.value == Decimal("64.5")
    assert purchase.timestamp == datetime(2021, 1, 31, 5, 6, 30, 7, tzinfo=UTC)
    assert purchase.properties["transaction_id"] == "T-1001"
    again = ingest(sqlite_store, "events", path, fmt="ga4")
    assert (again.inserted, again.unchanged) == (0, 3)
    assert sqlite_store.stats()["events"] == 3


def test_one_bad_event_rejects_the_file(sqlite_store: Store, tmp_path: Path) -> None:
    rows = export()
    rows[3]["event_params"].append(param("currency", "euros"))
    path = write_lines(tmp_path / "events.jsonl", rows)
    with pytest.raises(IngestRejected, match=r"events.jsonl:4: currency"):
        ingest(sqlite_store, "events", path, fmt="ga4")
    assert sqlite_store.stats()["events"] == 0
