"""Tools as plain code: order status, return and refund eligibility, shipping fee and ETA, hand-off.

Authorisation comes from the session identity only, never from what the message says:
a customer session sees the orders whose ``customer_id`` is the session's customer; a guest
sees an order only after giving its number together with the e-mail on it, and only that order.
An order the caller may not see is reported exactly like an order that does not exist, so the
answer leaks nothing (not even existence).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from shopmind.assistant.compose import Answer, Citation
from shopmind.assistant.policy import PolicyRules, region_of
from shopmind.core.schemas import Order, OrderStatus, Product
from shopmind.store import Store
from shopmind.store import assistant as db


@dataclass(slots=True)
class Identity:
    """Who the session speaks for: a customer id (set when the session is created by a trusted
    storefront) or a guest with the orders they proved they own."""

    customer_id: str | None = None
    verified_orders: set[str] = field(default_factory=set)

    @property
    def is_guest(self) -> bool:
        return self.customer_id is None


def _same_email(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return hmac.compare_digest(a.strip().lower().encode(), b.strip().lower().encode())


def verify_guest(store: Store, identity: Identity, order_id: str, email: str) -> bool:
    """Add ``order_id`` to a guest's verified orders when the e-mail matches the order's."""
    order = db.find_order(store, order_id)
    if order is None or not _same_email(order.email, email):
        return False
    identity.verified_orders.add(order.id)
    return True


def visible_order(store: Store, identity: Identity, order_id: str) -> Order | None:
    """The order if this identity may see it, else None (missing and forbidden look the same)."""
    order = db.find_order(store, order_id)
    if order is None:
        return None
    if identity.customer_id is not None and order.customer_id == identity.customer_id:
        return order
    if order.id in identity.verified_orders:
        return order
    return None


def visible_orders(store: Store, identity: Identity, *, limit: int = 20) -> list[Order]:
    """Every order the identity may see, newest first."""
    orders: dict[str, Order] = {}
    if identity.customer_id is not None:
        for order in db.customer_orders(store, identity.customer_id, limit=limit):
            orders[order.id] = order
    for order_id in sorted(identity.verified_orders):
        found = db.find_order(store, order_id)
        if found is not None:
            orders[found.id] = found
    return sorted(orders.values(), key=lambda o: (o.placed_at, o.id), reverse=True)[:limit]


_STATUS_ZH = {
    "placed": "已下单",
    "paid": "已付款",
    "shipped": "已发货",
    "delivered": "已签收",
    "returned": "已退货",
    "cancelled": "已取消",
}


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment is not None else ""


def order_status(order: Order, language: str) -> Answer:
    """Status and tracking of one order the caller may see, each fact cited."""
    cites = [Citation("order", order.id, "status", order.status.value)]
    zh = language == "zh"
    status = _STATUS_ZH[order.status.value] if zh else order.status.value
    parts = [f"订单 {order.id} 的状态：{status}。" if zh else f"Order {order.id} is {status}."]
    when = {
        OrderStatus.DELIVERED: ("delivered_at", order.delivered_at),
        OrderStatus.SHIPPED: ("shipped_at", order.shipped_at),
        OrderStatus.CANCELLED: ("cancelled_at", order.cancelled_at),
        OrderStatus.RETURNED: ("returned_at", order.returned_at),
    }.get(order.status, ("placed_at", order.placed_at))
    if when[1] is not None:
        day = _day(when[1])
        cites.append(Citation("order", order.id, when[0], day))
        parts.append(f"日期：{day}。" if zh else f"Date: {day}.")
    if (
        order.carrier
        and order.tracking_number
        and order.status
        in (
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
        )
    ):
        cites.append(Citation("order", order.id, "carrier", order.carrier))
        cites.append(Citation("order", order.id, "tracking_number", order.tracking_number))
        parts.append(
            f"承运商 {order.carrier}，运单号 {order.tracking_number}。"
            if zh
            else f"Carrier {order.carrier}, tracking number {order.tracking_number}."
        )
    return Answer(("" if zh else " ").join(parts), language, cites, intent="order_status")


@dataclass(frozen=True, slots=True)
class Eligibility:
    """A return decision and why: ``reason`` is a stable code."""

    eligible: bool
    reason: str
    deadline: datetime | None = None


def return_eligibility(
    order: Order,
    products: dict[str, Product],
    rules: PolicyRules,
    *,
    now: datetime | None = None,
    condition_ok: bool | None = None,
    faulty: bool = False,
) -> Eligibility:
    """Whether an order's items can be returned, by the policy rules.

    Reasons: ``not_delivered``, ``already_returned``, ``cancelled``, ``window_passed``,
    ``final_sale``, ``condition`` (the customer said it is used/without packaging), ``ok``.
    """
    now = now or datetime.now(UTC)
    if order.status is OrderStatus.CANCELLED:
        return Eligibility(False, "cancelled")
    if order.status is OrderStatus.RETURNED:
        return Eligibility(False, "already_returned")
    if order.delivered_at is None:
        return Eligibility(False, "not_delivered")
    deadline = order.delivered_at + timedelta(days=rules.return_window_days)
    if now > deadline:
        return Eligibility(False, "window_passed", deadline)
    if not faulty:
        for line in order.lines:
            product = products.get(line.product_id)
            if product is not None and rules.final_sale_key(product.category_path, product.tags):
                return Eligibility(False, "final_sale", deadline)
        if condition_ok is False:
            return Eligibility(False, "condition", deadline)
    return Eligibility(True, "ok", deadline)


_REASON_TEXT = {
    "en": {
        "ok": "Order {order} can be returned until {deadline} ({days} days from delivery), if "
        "the items are {condition}. Refunds go back to the original payment method within "
        "{refund_days} business days of receiving the return.",
        "not_delivered": "Order {order} has not been delivered yet; the {days}-day return "
        "window starts at delivery.",
        "already_returned": "Order {order} has already been returned.",
        "cancelled": "Order {order} was cancelled, so there is nothing to return.",
        "window_passed": "The {days}-day return window for order {order} ended on {deadline}.",
        "final_sale": "Order {order} contains a final-sale item, which cannot be returned "
        "unless it is faulty.",
        "condition": "Items can only be returned {condition}.",
    },
    "zh": {
        "ok": "订单 {order} 可在 {deadline} 前退货（签收后 {days} 天内），商品需{condition}。"
        "收到退货后 {refund_days} 个工作日内原路退款。",
        "not_delivered": "订单 {order} 尚未签收；{days} 天退货期从签收开始计算。",
        "already_returned": "订单 {order} 已经退货。",
        "cancelled": "订单 {order} 已取消，无需退货。",
        "window_passed": "订单 {order} 的 {days} 天退货期已于 {deadline} 结束。",
        "final_sale": "订单 {order} 含有不支持退货的商品（最终销售），除非存在质量问题。",
        "condition": "只有{condition}的商品才能退货。",
    },
}
_CONDITION_ZH = "未使用、原包装完好、吊牌齐全"


def eligibility_answer(
    order: Order, decision: Eligibility, rules: PolicyRules, language: str
) -> Answer:
    """The decision in words, citing the order fields and policy rules it used."""
    zh = language == "zh"
    table = _REASON_TEXT["zh" if zh else "en"]
    deadline = decision.deadline.date().isoformat() if decision.deadline else ""
    text = table[decision.reason].format(
        order=order.id,
        deadline=deadline,
        days=str(rules.return_window_days),
        refund_days=str(rules.refund_business_days),
        condition=_CONDITION_ZH if zh else rules.return_condition,
    )
    cites = [
        Citation("order", order.id, "status", order.status.value),
        Citation("policy", "policy", "return_window_days", str(rules.return_window_days)),
    ]
    if order.delivered_at is not None:
        cites.append(Citation("order", order.id, "delivered_at", _day(order.delivered_at)))
    if decision.deadline is not None:
        cites.append(Citation("policy", "policy", "return_deadline", deadline))
    if decision.reason == "ok":
        cites.append(
            Citation(
                "policy",
                "policy",
                "refund_processing_business_days",
                str(rules.refund_business_days),
            )
        )
        cites.append(Citation("policy", "policy", "return_condition", rules.return_condition))
    if decision.reason == "final_sale":
        cites.append(Citation("policy", "policy", "final_sale", ", ".join(rules.final_sale)))
    return Answer(text, language, cites, intent="return")


def _money(amount: Decimal, currency: str) -> str:
    text = f"{int(amount)}" if amount == amount.to_integral() else f"{amount:.2f}"
    if currency == "CNY":
        return f"{text} 元"
    symbol = {"USD": "$", "EUR": "€"}.get(currency, currency + " ")
    return f"{symbol}{text}"


def shipping_answer(
    rules: PolicyRules,
    language: str,
    *,
    currency: str,
    region: str | None = None,
    subtotal: Decimal | None = None,
    express: bool = False,
) -> Answer:
    """Shipping fee (standard or express, free above the threshold) and transit days."""
    zh = language == "zh"
    currency = currency.upper()
    if currency not in rules.standard_shipping_fee:
        currency = next(iter(rules.standard_shipping_fee))
    table = rules.express_shipping_fee if express else rules.standard_shipping_fee
    field_name = "express_shipping_fee" if express else "standard_shipping_fee"
    fee = table[currency]
    threshold = rules.free_shipping_threshold[currency]
    cites = [
        Citation("policy", "policy", f"{field_name}.{currency}", str(fee)),
        Citation("policy", "policy", f"free_shipping_threshold.{currency}", str(threshold)),
    ]
    free = not express and subtotal is not None and subtotal >= threshold
    if zh:
        kind = "加急配送" if express else "标准配送"
        parts = [
            f"{kind}运费 {_money(fee, currency)}；标准配送满 {_money(threshold, currency)} 包邮。"
        ]
        if free:
            parts.append("您的订单金额已达到包邮门槛。")
    else:
        kind = "Express" if express else "Standard"
        parts = [
            f"{kind} shipping costs {_money(fee, currency)}; standard shipping is free from "
            f"{_money(threshold, currency)}."
        ]
        if free:
            parts.append("Your order qualifies for free standard shipping.")
    if region is not None and region in rules.delivery_days:
        low, high = rules.delivery_days[region]
        cites.append(Citation("policy", "policy", f"delivery_days.{region}", f"{low}-{high}"))
        parts.append(
            f"发货后 {low}-{high} 天送达。"
            if zh
            else f"Delivery takes {low}-{high} days after dispatch."
        )
    return Answer(("" if zh else " ").join(parts), language, cites, intent="shipping")


# How the delivery regions of the policy are named to a customer.
REGION_NAMES: dict[str, tuple[str, str]] = {
    "us_contiguous": ("the contiguous United States", "美国本土"),
    "us_alaska_hawaii": ("Alaska and Hawaii", "阿拉斯加和夏威夷"),
    "cn_tier1": ("Beijing, Shanghai, Guangzhou and Shenzhen", "北京、上海、广州、深圳"),
    "cn_other": ("the rest of mainland China", "中国大陆其他地区"),
    "cn_remote": ("Xinjiang and Tibet", "新疆、西藏"),
}


def unlisted_destination_answer(rules: PolicyRules, language: str, place: str) -> Answer:
    """A place the delivery policy does not list: say which areas it lists, promise nothing."""
    zh = language == "zh"
    names = [REGION_NAMES.get(key, (key, key))[1 if zh else 0] for key in rules.delivery_days]
    cites = [
        Citation("policy", "policy", f"delivery_days.{key}", f"{low}-{high}")
        for key, (low, high) in rules.delivery_days.items()
    ]
    if zh:
        text = (
            f"我们的配送政策列出的送达区域是：{'；'.join(names)}，其中没有「{place}」，"
            "所以我无法确认能否配送到那里。需要为您转接人工客服吗？"
        )
    else:
        text = (
            f"Our delivery policy lists these areas: {'; '.join(names)}. It doesn't list "
            f'"{place}", so I can\'t confirm that we deliver there. Would you like me to pass '
            "your question to our team?"
        )
    return Answer(text, language, cites, grounded=False, offer_handoff=True, intent="shipping")


def order_region(order: Order) -> str | None:
    """The delivery region of an order's shipping address."""
    return region_of(order.shipping_address or "")


def create_handoff(
    store: Store,
    *,
    session_id: str,
    identity: Identity,
    reason: str,
    summary: str,
    language: str,
) -> str:
    """Queue a ticket for a human with a summary of the conversation; returns the ticket id."""
    return db.create_handoff(
        store,
        session_id=session_id,
        customer_id=identity.customer_id,
        reason=reason,
        summary=summary[:4000],
        language=language,
    )
