"""Personal data in replies and logs; escalations on anger and high-value refunds."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from shopmind.assistant import Assistant
from shopmind.assistant.guard import allow_message, clean_message, mask_reply
from shopmind.core.schemas import Document, Order
from shopmind.store import Store

from .conftest import NOW, customer_with_orders


def test_personal_data_from_documents_is_masked(assistant: Assistant, shop: Store) -> None:
    leaked = Document(
        id="old-faq-en",
        title="Courier pickup",
        body="# Courier pickup\n\nCourier pickup is booked by our team. Last time Jane called "
        "from +1 415-555-2671 and jane.doe@example.com asked about courier pickup.",
        language="en",
    )
    shop.upsert("documents", [leaked])
    assistant.set_documents([d for d in shop.iter_models("documents") if isinstance(d, Document)])
    answer = assistant.reply(assistant.start_session(), "How does courier pickup work?")
    assert "old-faq-en" in {c.id for c in answer.citations}
    assert "555-2671" not in answer.text and "jane.doe@example.com" not in answer.text


def test_mask_reply_keeps_allowed_values() -> None:
    text = "Write to support@shop.test or bob@example.com"
    assert mask_reply(text, {"support@shop.test"}) == "Write to support@shop.test or [EMAIL]"


def test_logs_hold_no_personal_data(assistant: Assistant, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="shopmind.assistant"):
        assistant.reply(assistant.start_session(), "my phone is +86 138 0013 8000, mail me@x.com")
    assert caplog.records
    assert all("13800138000" not in r.getMessage().replace(" ", "") for r in caplog.records)
    assert all("me@x.com" not in r.getMessage() for r in caplog.records)


def test_invisible_characters_are_removed() -> None:
    assert clean_message("hel\u200blo\u202e") == "hello"
    assert len(clean_message("x" * 10_000)) == 2000


def test_sliding_window() -> None:
    ok, times = allow_message([], limit=1, window_s=10, now=100.0)
    assert ok
    assert not allow_message(times, limit=1, window_s=10, now=105.0)[0]
    assert allow_message(times, limit=1, window_s=10, now=111.0)[0]


def test_angry_customer_is_escalated(assistant: Assistant) -> None:
    answer = assistant.reply(assistant.start_session(), "This is ridiculous, where is my refund?")
    assert answer.handoff_id is not None
    assert assistant.handoffs()[0]["reason"] == "angry"


def test_high_value_refund_is_escalated(assistant: Assistant, shop: Store) -> None:
    customer, orders = customer_with_orders(shop, at_least=1)
    base = orders[0]
    big = Order.model_validate(
        {
            **base.model_dump(mode="json", exclude={"subtotal", "total"}),
            "id": "o999999",
            "lines": [
                {"product_id": base.lines[0].product_id, "quantity": 1, "unit_price": "1500"}
            ],
            "status": "delivered",
            "placed_at": (NOW - timedelta(days=6)).isoformat(),
            "paid_at": None,
            "shipped_at": None,
            "delivered_at": (NOW - timedelta(days=2)).isoformat(),
            "cancelled_at": None,
            "returned_at": None,
            "discount": "0",
        }
    )
    shop.upsert("orders", [big])
    answer = assistant.reply(
        assistant.start_session(customer_id=customer), "Can I return order o999999? It is faulty"
    )
    assert answer.handoff_id is not None, answer.text
    assert assistant.handoffs()[0]["reason"] == "high_value_refund"
