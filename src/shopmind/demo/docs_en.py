# ruff: noqa: E501
# Prose and Markdown tables: wrapping their lines would change the rendered pages.
"""English help pages. Every number comes from ``policies`` so both languages agree."""

from __future__ import annotations

from shopmind.demo import policies as p

Doc = tuple[str, str, str, str]  # (topic, kind, title, Markdown body)


def _m(table: dict[str, int], currency: str) -> str:
    return p.money_phrase(table[currency], currency, zh=False)


def _fees(table: dict[str, int]) -> str:
    return ", ".join(f"{_m(table, c)} ({c})" for c in ("USD", "EUR", "CNY"))


def _days(region: str) -> str:
    low, high = p.DELIVERY_DAYS[region]
    return f"{low}-{high} days"


RETURNS = f"""# Returns & Refunds

You can return most items within **{p.RETURN_WINDOW_DAYS} days of delivery**.

## What can be returned
- Items must be unused, in their original packaging, with all tags attached.
- **Final sale** (not returnable): grocery and snacks, opened beauty and skincare products,
  items marked "Final sale" and gift cards.
- Faulty or damaged items can always be returned within the {p.RETURN_WINDOW_DAYS}-day window,
  and we pay the return shipping.

## Return shipping
If you change your mind, a return label costs {_fees(p.RETURN_SHIPPING)}.
Returns of faulty items are free.

## Refunds
We refund to the original payment method within **{p.REFUND_BUSINESS_DAYS} business days** of
receiving your return. Shipping fees are refunded only when the item was faulty.

## How to start a return
Open *My orders*, choose the order and select **Return items**, or email {p.SUPPORT_EMAIL}
with your order number.
"""

SHIPPING = f"""# Shipping Policy

## Fees
| Service | USD | EUR | CNY |
|---|---|---|---|
| Standard shipping | {_m(p.STANDARD_SHIPPING, "USD")} | {_m(p.STANDARD_SHIPPING, "EUR")} | {_m(p.STANDARD_SHIPPING, "CNY")} |
| Free standard shipping from | {_m(p.FREE_SHIPPING, "USD")} | {_m(p.FREE_SHIPPING, "EUR")} | {_m(p.FREE_SHIPPING, "CNY")} |
| Express shipping | {_m(p.EXPRESS_SHIPPING, "USD")} | {_m(p.EXPRESS_SHIPPING, "EUR")} | {_m(p.EXPRESS_SHIPPING, "CNY")} |

The free-shipping threshold applies to the order total after discounts.

## Dispatch
Orders placed before **4 pm ({p.DISPATCH_CUTOFF}) local warehouse time** on a working day ship
the same day; later orders ship the next working day.

## Delivery times after dispatch
- Contiguous United States: {_days("us_contiguous")}
- Alaska and Hawaii: {_days("us_alaska_hawaii")}
- Beijing, Shanghai, Guangzhou and Shenzhen: {_days("cn_tier1")}
- Other mainland Chinese cities: {_days("cn_other")}
- Xinjiang and Tibet: {_days("cn_remote")}

We ship with {", ".join(p.CARRIERS["en"])} in the US and {", ".join(p.CARRIERS["zh"])} in China.
"""

PAYMENT = f"""# Payment Methods

**Which payment methods do you accept?**
- Orders in US dollars: {", ".join(p.PAYMENT_METHODS["USD"])}.
- Orders in euros: {", ".join(p.PAYMENT_METHODS["EUR"])}.
- Orders in yuan: {", ".join(p.PAYMENT_METHODS["CNY"])}.

**When am I charged?** When you place the order. If an order is cancelled before it ships, the
charge is reversed within {p.REFUND_BUSINESS_DAYS} business days.

**Do prices include tax?** Yes. All prices include applicable taxes; there is nothing to add at
checkout except shipping.

**Can I pay in instalments?** Not at the moment.
"""

WARRANTY = f"""# Warranty

Every product is covered against manufacturing defects:
- Phone accessories, audio and wearables: **{p.WARRANTY_MONTHS["audio"]} months**
- Furniture: **{p.WARRANTY_MONTHS["furniture"]} months**
- Everything else: **{p.DEFAULT_WARRANTY_MONTHS} months**

The warranty starts on the delivery date. It does not cover accidental damage, normal wear or
misuse. To make a claim, email {p.SUPPORT_EMAIL} with your order number and a photo of the fault;
we repair, replace or refund the item.
"""

PRIVACY = f"""# Privacy Policy

We collect what we need to run your orders: your name, email, shipping address and order history,
plus how you use the shop (pages viewed, searches) to improve recommendations.

- We never sell your personal data.
- Payment details are handled by our payment providers; we do not store card numbers.
- You can ask for a copy of your data or for its deletion at any time by writing to
  {p.SUPPORT_EMAIL}. We complete deletion requests within **{p.ERASURE_DAYS} days**.
- Marketing emails are sent only if you opt in, and every email has an unsubscribe link.
"""

TRACKING = f"""# Tracking Your Order

**Where is my order?** Open *My orders* to see its status: placed, paid, shipped, delivered,
returned or cancelled.

**When do I get a tracking number?** As soon as the parcel leaves our warehouse we email you the
carrier and tracking number.

**My tracking has not updated.** Carriers can take up to 24 hours to show the first scan. If it has
not moved for 3 days, contact us at {p.SUPPORT_EMAIL}.

**How long will delivery take?** Contiguous US {_days("us_contiguous")}, Alaska and Hawaii
{_days("us_alaska_hawaii")}, China {_days("cn_tier1")} to {_days("cn_remote")} after dispatch.
"""

CANCEL = f"""# Changing or Cancelling an Order

You can cancel or change an order **{p.CANCEL_WINDOW}**. Open *My orders* and select
**Cancel order**, or email {p.SUPPORT_EMAIL}.

Once the order has shipped it can no longer be cancelled, but you can return it within
{p.RETURN_WINDOW_DAYS} days of delivery. Refunds for cancelled orders reach your original payment
method within {p.REFUND_BUSINESS_DAYS} business days.
"""

SIZE_GUIDE = """# Size Guide

## Clothing (chest, cm)
| Size | XS | S | M | L | XL | XXL |
|---|---|---|---|---|---|---|
| Chest | 82-86 | 87-91 | 92-97 | 98-103 | 104-110 | 111-117 |

## Shoes
| EU | 38 | 39 | 40 | 41 | 42 | 43 | 44 | 45 |
|---|---|---|---|---|---|---|---|---|
| US men | 5.5 | 6.5 | 7 | 8 | 8.5 | 9.5 | 10 | 11 |
| US women | 7.5 | 8.5 | 9 | 10 | 10.5 | 11.5 | 12 | 13 |

Between two sizes? Choose the larger one. Exchanges for a different size are free within the
return window.
"""

CONTACT = f"""# Contact Us

- Email: {p.SUPPORT_EMAIL}
- Hours: {p.SUPPORT_HOURS["en"]}
- We answer emails within one working day.

Please include your order number so we can help faster.
"""

COUPONS = f"""# Coupons and Promotions

**Do you have a welcome offer?** Yes: use code **{p.WELCOME_CODE}** for {p.WELCOME_PERCENT}% off
your first order.

**Can I combine coupons?** One coupon per order.

**Does the discount count towards free shipping?** The free-shipping threshold applies to the
order total after discounts ({_m(p.FREE_SHIPPING, "USD")} in USD, {_m(p.FREE_SHIPPING, "EUR")} in
EUR, {_m(p.FREE_SHIPPING, "CNY")} in CNY).
"""

ACCOUNT = f"""# Account & Security

**Do I need an account to order?** No. You can check out as a guest with just an email address;
an account lets you see your order history and save addresses.

**I forgot my password.** Use *Forgot password* on the sign-in page; the reset link is valid for
one hour.

**How do I delete my account?** Email {p.SUPPORT_EMAIL}. We delete your personal data within
{p.ERASURE_DAYS} days, keeping only what the law requires for invoices.
"""

ABOUT = """# About ShopMind Demo Store

ShopMind Demo Store is an invented shop used to show what ShopMind can do. It sells electronics,
audio, wearables, home and kitchen goods, furniture, toys, books, apparel, shoes, skincare, sports
and outdoor gear, snacks, pet supplies and baby products, in English and Chinese.

None of the brands, products, customers or reviews are real.
"""

DOCS: tuple[Doc, ...] = (
    ("returns", "policy", "Returns & Refunds", RETURNS),
    ("shipping", "policy", "Shipping Policy", SHIPPING),
    ("payment", "faq", "Payment Methods", PAYMENT),
    ("warranty", "policy", "Warranty", WARRANTY),
    ("privacy", "policy", "Privacy Policy", PRIVACY),
    ("order-tracking", "faq", "Tracking Your Order", TRACKING),
    ("cancellations", "faq", "Changing or Cancelling an Order", CANCEL),
    ("size-guide", "page", "Size Guide", SIZE_GUIDE),
    ("contact", "page", "Contact Us", CONTACT),
    ("coupons", "faq", "Coupons and Promotions", COUPONS),
    ("account", "faq", "Account & Security", ACCOUNT),
    ("about", "page", "About ShopMind Demo Store", ABOUT),
)
