"""Orders: lines at catalog prices, shipping fees by the policy, statuses with coherent times."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from shopmind.demo.catalog import CURRENCIES, CatalogPlan, money, product_id
from shopmind.demo.clock import DAY, HOUR, NOW, iso
from shopmind.demo.people import Persona
from shopmind.demo.policies import (
    CARRIERS,
    DELIVERY_DAYS,
    EXPRESS_SHIPPING,
    FREE_SHIPPING,
    REFUND_BUSINESS_DAYS,
    STANDARD_SHIPPING,
    WELCOME_PERCENT,
)
from shopmind.demo.products import product_record

_TRACKING_PREFIX = {"zh": ("XD", "XM", "YN"), "en": ("SP", "NS", "BL")}
# Age thresholds (from the session start) that keep every later timestamp before NOW:
# dispatch <= 2 days, transit <= 10.5 days, return <= 28 days, refund <= 5 days after that.
_SHIPPED_AGE = 2 * DAY
_DELIVERED_AGE = 13 * DAY
_RETURNED_AGE = 50 * DAY


@dataclass(frozen=True)
class Purchase:
    """What an order needs from the session or history that produced it."""

    order_id: str
    persona: Persona
    lines: list[tuple[int, int]]  # (product index, quantity)
    placed: int
    status: str
    coupon: bool
    express: bool


def decide_status(age: int, rng: random.Random) -> str:
    """A plausible status for an order placed ``age`` seconds before NOW."""
    draw = rng.random()
    if age < _SHIPPED_AGE:
        return "placed" if draw < 0.25 else "cancelled" if draw < 0.3 else "paid"
    if draw < 0.05:
        return "cancelled"
    if age < _DELIVERED_AGE:
        return "shipped"
    if age >= _RETURNED_AGE and draw < 0.13:
        return "returned"
    return "delivered"


def totals(plan: CatalogPlan, purchase: Purchase) -> dict[str, int]:
    """Subtotal, discount, shipping and total in cents: free shipping from the threshold up."""
    currency = CURRENCIES[int(plan.currency[purchase.lines[0][0]])]
    subtotal = sum(int(plan.price_cents[i]) * qty for i, qty in purchase.lines)
    discount = (subtotal * WELCOME_PERCENT + 50) // 100 if purchase.coupon else 0
    if purchase.express:
        shipping = EXPRESS_SHIPPING[currency]
    elif subtotal - discount >= FREE_SHIPPING[currency]:
        shipping = 0
    else:
        shipping = STANDARD_SHIPPING[currency]
    return {
        "subtotal": subtotal,
        "discount": discount,
        "shipping": shipping,
        "total": subtotal + shipping - discount,
    }


def order_record(
    plan: CatalogPlan, purchase: Purchase, width: int, rng: random.Random
) -> tuple[dict[str, Any], int | None]:
    """The order as ``Order.model_dump(mode="json", exclude_none=True)`` writes it, and the time
    its refund is issued when the order was returned (else None)."""
    persona = purchase.persona
    sums = totals(plan, purchase)
    record: dict[str, Any] = {"id": purchase.order_id}
    if persona.id is not None:
        record["customer_id"] = persona.id
    record["email"] = persona.email
    record["shipping_address"] = persona.address
    record["lines"] = [_line(plan, index, quantity, width) for index, quantity in purchase.lines]
    record["currency"] = CURRENCIES[int(plan.currency[purchase.lines[0][0]])]
    record["subtotal"] = money(sums["subtotal"])
    record["shipping"] = money(sums["shipping"])
    record["tax"] = "0.00"
    record["discount"] = money(sums["discount"])
    record["total"] = money(sums["total"])
    status, times = _timeline(purchase, rng)
    record["status"] = status
    if "shipped_at" in times:
        record.update(_tracking(persona, rng))
    record["placed_at"] = iso(purchase.placed)
    for key in ("paid_at", "shipped_at", "delivered_at", "cancelled_at", "returned_at"):
        if key in times:
            record[key] = iso(times[key])
    refund = None
    if "returned_at" in times:
        refund = times["returned_at"] + rng.randint(1, REFUND_BUSINESS_DAYS) * DAY
    return record, refund


def _line(plan: CatalogPlan, index: int, quantity: int, width: int) -> dict[str, Any]:
    product = product_record(plan.row(index), width)
    return {
        "product_id": product_id(index, width),
        "sku": product["sku"],
        "title": product["title"],
        "quantity": quantity,
        "unit_price": product["price"],
    }


def _timeline(purchase: Purchase, rng: random.Random) -> tuple[str, dict[str, int]]:
    """The final status and the times of each step reached (a shipment may have arrived since)."""
    status = purchase.status
    times: dict[str, int] = {}
    paid = purchase.placed + rng.randint(30, 900)
    if status == "placed":
        return status, times
    if status == "cancelled":
        if rng.random() < 0.5:
            times["paid_at"] = paid
        times["cancelled_at"] = paid + rng.randint(600, 20 * HOUR)
        return status, times
    times["paid_at"] = paid
    if status == "paid":
        return status, times
    shipped = paid + rng.randint(4 * HOUR, 40 * HOUR)
    low, high = DELIVERY_DAYS[purchase.persona.region]
    delivered = shipped + rng.randint(low, high) * DAY + rng.randint(0, 8 * HOUR)
    times["shipped_at"] = shipped
    if status == "shipped" and delivered <= NOW - HOUR:
        status = "delivered"
    if status in ("delivered", "returned"):
        times["delivered_at"] = delivered
    if status == "returned":
        times["returned_at"] = delivered + rng.randint(2, 28) * DAY + rng.randint(0, 20 * HOUR)
    return status, times


def _tracking(persona: Persona, rng: random.Random) -> dict[str, str]:
    language = "zh" if persona.language == 0 else "en"
    which = rng.randrange(len(CARRIERS[language]))
    number = f"{_TRACKING_PREFIX[language][which]}{rng.randrange(10**11, 10**12)}"
    return {"carrier": CARRIERS[language][which], "tracking_number": number}
