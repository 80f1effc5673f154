"""The demo shop's policy facts: one source for orders, product copy, documents and ground truth.

An assistant grounded on the documents is later checked against ``policy_facts()``, so every number
a document states comes from here.
"""

from __future__ import annotations

from typing import Any

RETURN_WINDOW_DAYS = 30
REFUND_BUSINESS_DAYS = 5
CANCEL_WINDOW = "until the order ships"
DISPATCH_CUTOFF = "16:00"
ERASURE_DAYS = 30
WELCOME_CODE = "WELCOME10"
WELCOME_PERCENT = 10
SUPPORT_EMAIL = "support@demo.shopmind.local"

# Money in cents per currency.
FREE_SHIPPING = {"CNY": 9900, "USD": 4900, "EUR": 4500}
STANDARD_SHIPPING = {"CNY": 800, "USD": 599, "EUR": 499}
EXPRESS_SHIPPING = {"CNY": 2000, "USD": 1499, "EUR": 1299}
RETURN_SHIPPING = {"CNY": 1200, "USD": 695, "EUR": 595}

# Months of warranty by category key; every other category gets DEFAULT_WARRANTY_MONTHS.
WARRANTY_MONTHS = {"phone_accessories": 12, "audio": 12, "wearables": 12, "furniture": 24}
DEFAULT_WARRANTY_MONTHS = 6
FINAL_SALE = ("grocery", "opened_beauty", "marked_final_sale", "gift_cards")

# Transit days (inclusive range) after dispatch, by delivery region.
DELIVERY_DAYS = {
    "cn_tier1": (1, 2),
    "cn_other": (2, 4),
    "cn_remote": (5, 8),
    "us_contiguous": (3, 5),
    "us_alaska_hawaii": (6, 10),
}
CARRIERS = {
    "zh": ("迅达快递", "熊猫速运", "云鸟物流"),
    "en": ("Swift Parcel", "NorthStar Logistics", "BlueLine Express"),
}
PAYMENT_METHODS = {
    "CNY": ("Alipay", "WeChat Pay", "UnionPay"),
    "USD": ("Visa", "Mastercard", "American Express", "PayPal", "Apple Pay"),
    "EUR": ("Visa", "Mastercard", "PayPal", "SEPA Direct Debit"),
}
SUPPORT_HOURS = {
    "zh": "每天 9:00-21:00（北京时间）",
    "en": "Monday to Friday, 9am-6pm Eastern Time",
}
_SYMBOL = {"USD": "$", "EUR": "€", "CNY": "¥"}


def money_phrase(cents: int, currency: str, zh: bool) -> str:
    """How a price reads in copy: "$49", "€4.99", "99 元"."""
    amount = f"{cents // 100}" if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"
    if zh and currency == "CNY":
        return f"{amount} 元"
    return f"{_SYMBOL[currency]}{amount}"


def _decimal(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def policy_facts() -> dict[str, Any]:
    """The facts as JSON-ready values (money as decimal strings), for ground_truth.json."""
    return {
        "return_window_days": RETURN_WINDOW_DAYS,
        "return_window_starts": "delivery",
        "return_condition": "unused, in original packaging, with tags attached",
        "final_sale": list(FINAL_SALE),
        "refund_processing_business_days": REFUND_BUSINESS_DAYS,
        "defective_items_return_shipping": "free",
        "return_shipping_fee": {k: _decimal(v) for k, v in RETURN_SHIPPING.items()},
        "free_shipping_threshold": {k: _decimal(v) for k, v in FREE_SHIPPING.items()},
        "standard_shipping_fee": {k: _decimal(v) for k, v in STANDARD_SHIPPING.items()},
        "express_shipping_fee": {k: _decimal(v) for k, v in EXPRESS_SHIPPING.items()},
        "delivery_days": {k: list(v) for k, v in DELIVERY_DAYS.items()},
        "same_day_dispatch_cutoff": DISPATCH_CUTOFF,
        "cancel_window": CANCEL_WINDOW,
        "warranty_months": {**WARRANTY_MONTHS, "default": DEFAULT_WARRANTY_MONTHS},
        "payment_methods": {k: list(v) for k, v in PAYMENT_METHODS.items()},
        "carriers": {k: list(v) for k, v in CARRIERS.items()},
        "support_email": SUPPORT_EMAIL,
        "support_hours": dict(SUPPORT_HOURS),
        "data_erasure_days": ERASURE_DAYS,
        "welcome_coupon": {"code": WELCOME_CODE, "percent_off": WELCOME_PERCENT},
        "prices_include_tax": True,
    }
