"""Tools: order authorisation from the session identity, return eligibility, shipping quotes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shopmind.assistant import PolicyRules
from shopmind.assistant import tools as t
from shopmind.assistant.policy import destination_of, region_of
from shopmind.core.schemas import Order, OrderStatus, Product
from shopmind.store import Store

from .conftest import all_orders, customer_with_orders


def test_customer_sees_only_own_orders(shop: Store) -> None:
    customer, mine = customer_with_orders(shop)
    others = [o for o in all_orders(shop) if o.customer_id != customer]
    me = t.Identity(customer_id=customer)
    assert t.visible_order(shop, me, mine[0].id) == mine[0]
    assert all(t.visible_order(shop, me, o.id) is None for o in others)
    assert {o.id for o in t.visible_orders(shop, me)} == {o.id for o in mine}
    assert t.visible_order(shop, me, "no-such-order") is None


def test_guest_needs_matching_order_number_and_email(shop: Store) -> None:
    order = next(o for o in all_orders(shop) if o.email)
    other = next(o for o in all_orders(shop) if o.email and o.email != order.email)
    guest = t.Identity()
    assert t.visible_order(shop, guest, order.id) is None
    assert not t.verify_guest(shop, guest, order.id, other.email or "")
    assert not t.verify_guest(shop, guest, "no-such-order", order.email or "")
    assert t.visible_order(shop, guest, order.id) is None
    assert t.verify_guest(shop, guest, order.id, (order.email or "").upper())
    assert t.visible_order(shop, guest, order.id) == order
    # Verifying one order opens that order only, even for the same e-mail.
    assert t.visible_order(shop, guest, other.id) is None


def _order(status: OrderStatus, delivered_days_ago: int | None, product: str = "p1") -> Order:
    from .conftest import NOW

    placed = NOW - timedelta(days=60)
    delivered = NOW - timedelta(days=delivered_days_ago) if delivered_days_ago is not None else None
    return Order.model_validate(
        {
            "id": "o1",
            "lines": [{"product_id": product, "quantity": 1, "unit_price": "10.00"}],
            "currency": "USD",
            "status": status.value,
            "placed_at": placed,
            "delivered_at": delivered,
        }
    )


def test_return_rules(rules: PolicyRules) -> None:
    from .conftest import NOW

    shirt = Product(id="p1", title="Shirt", category_path=["Apparel"])
    card = Product(id="p2", title="Gift card", tags=["final sale"])
    ok = t.return_eligibility(_order(OrderStatus.DELIVERED, 3), {"p1": shirt}, rules, now=NOW)
    assert ok.eligible and ok.reason == "ok"
    assert ok.deadline is not None and (ok.deadline - (NOW - timedelta(days=3))).days == 30
    late = t.return_eligibility(_order(OrderStatus.DELIVERED, 31), {"p1": shirt}, rules, now=NOW)
    assert late.reason == "window_passed"
    assert t.return_eligibility(_order(OrderStatus.SHIPPED, None), {}, rules, now=NOW).reason == (
        "not_delivered"
    )
    final = _order(OrderStatus.DELIVERED, 3, "p2")
    assert t.return_eligibility(final, {"p2": card}, rules, now=NOW).reason == "final_sale"
    assert t.return_eligibility(final, {"p2": card}, rules, now=NOW, faulty=True).eligible
    used = t.return_eligibility(
        _order(OrderStatus.DELIVERED, 3), {"p1": shirt}, rules, now=NOW, condition_ok=False
    )
    assert used.reason == "condition"
    assert t.return_eligibility(_order(OrderStatus.CANCELLED, None), {}, rules).reason == (
        "cancelled"
    )


def test_final_sale_by_category(rules: PolicyRules) -> None:
    paths = rules.final_sale_paths["grocery"]
    assert paths
    assert rules.final_sale_key(paths[0] + ["Snacks"], []) == "grocery"
    assert rules.final_sale_key(["Apparel"], []) is None


def test_eligibility_answer_cites_order_and_policy(rules: PolicyRules) -> None:
    from .conftest import NOW

    order = _order(OrderStatus.DELIVERED, 3)
    decision = t.return_eligibility(order, {}, rules, now=NOW)
    for language in ("en", "zh"):
        answer = t.eligibility_answer(order, decision, rules, language)
        kinds = {(c.kind, c.field) for c in answer.citations}
        assert ("order", "delivered_at") in kinds
        assert ("policy", "return_window_days") in kinds
        assert "30" in answer.text
        assert ("天" in answer.text) == (language == "zh")


def test_shipping_quote(rules: PolicyRules) -> None:
    en = t.shipping_answer(rules, "en", currency="USD", region="us_alaska_hawaii", express=True)
    assert "$14.99" in en.text and "$49" in en.text and "6-10 days" in en.text
    zh = t.shipping_answer(rules, "zh", currency="CNY", region="cn_tier1", subtotal=Decimal(120))
    assert "8 元" in zh.text and "99 元" in zh.text and "1-2 天" in zh.text and "包邮" in zh.text
    assert {c.field for c in zh.citations} >= {
        "standard_shipping_fee.CNY",
        "free_shipping_threshold.CNY",
        "delivery_days.cn_tier1",
    }


def test_regions() -> None:
    assert region_of("780 Oak Avenue, Honolulu, HI 96813, United States") == "us_alaska_hawaii"
    assert region_of("杭州市西湖区光明街") == "cn_other"
    assert region_of("上海市浦东新区") == "cn_tier1"
    assert region_of("乌鲁木齐市") == "cn_remote"
    assert region_of("Springfield, IL, United States") == "us_contiguous"
    assert region_of("Berlin") is None
    assert region_of("Austin, Texas") == "us_contiguous"
    assert region_of("能送到杭州吗") == "cn_other"
    assert region_of("remaining balance") is None  # "maine" only as a whole word


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("Do you deliver to the Moon?", "Moon"),
        ("Do you ship orders to New York City?", "New York City"),
        ("Can you send it to the US?", "USA"),
        ("可以寄到日本吗？", "日本"),
        ("寄到新疆要多久", "新疆"),
        ("Can you deliver to my house?", None),
        ("送到我家吗", None),
        ("送到了吗", None),
        ("How much is shipping?", None),
    ],
)
def test_destination_of(question: str, place: str | None) -> None:
    assert destination_of(question) == place


def test_unlisted_destination_lists_the_policy_areas(rules: PolicyRules) -> None:
    answer = t.unlisted_destination_answer(rules, "en", "Moon")
    assert not answer.grounded and answer.offer_handoff
    assert '"Moon"' in answer.text and "Alaska and Hawaii" in answer.text
    assert {c.field for c in answer.citations} == {
        f"delivery_days.{k}" for k in rules.delivery_days
    }
    zh = t.unlisted_destination_answer(rules, "zh", "日本")
    assert "「日本」" in zh.text and "新疆、西藏" in zh.text


def test_handoff_ticket_is_queued(shop: Store) -> None:
    from shopmind.store import assistant as db

    session = db.create_session(shop, customer_id="c1", language="en")
    ticket = t.create_handoff(
        shop,
        session_id=session,
        identity=t.Identity(customer_id="c1"),
        reason="requested",
        summary="wants a human",
        language="en",
    )
    queue = db.list_handoffs(shop)
    assert [h["id"] for h in queue] == [ticket]
    assert queue[0]["summary"] == "wants a human" and queue[0]["status"] == "open"
