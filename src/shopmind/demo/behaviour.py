"""GA4-style events of one visit: lists, searches, product views, carts, checkouts, purchases.

A visit is a walk through a small state machine whose choices lean on the visitor's hidden tastes:
mostly their preferred categories, their language and their price band.
"""

from __future__ import annotations

import random
from typing import Any

from shopmind.demo.catalog import CURRENCIES, CatalogPlan, money, product_id
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.clock import iso
from shopmind.demo.orders import Purchase, order_record, totals
from shopmind.demo.people import Persona
from shopmind.demo.picker import ProductPicker, taste_band, taste_category
from shopmind.demo.policies import WELCOME_CODE
from shopmind.demo.products import brand_of
from shopmind.demo.sessions import SessionPlan

_OWN_LANGUAGE = 0.95
_SEARCH_SHARE = 0.35
# Next step after viewing a product: (add to cart, add to wishlist, another item of the list).
_AFTER_VIEW = {True: (0.35, 0.04, 0.4), False: (0.12, 0.05, 0.4)}


class SessionBuilder:
    """Builds the events (and the order, if any) of one planned session."""

    def __init__(
        self, plan: CatalogPlan, picker: ProductPicker, width: int, event_width: int, seed: int
    ) -> None:
        self.plan = plan
        self.picker = picker
        self.width = width
        self.event_width = event_width
        self.rng = random.Random(f"{seed}:events")
        self.event_number = 0

    def build(
        self, session: SessionPlan, session_id: str, order_id: str | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Events of the session in time order, then its refund event if the order comes back."""
        visit = _Visit(self, session, session_id)
        visit.browse(session.length - (2 if session.purchase else 0))
        if not session.purchase or order_id is None or session.status is None:
            return visit.events, None
        coupon = self.rng.random() < 0.08
        visit.begin_checkout(coupon)
        purchase = Purchase(
            order_id=order_id,
            persona=session.persona,
            lines=list(visit.cart.items()),
            placed=visit.clock + self.rng.randint(60, 600),
            status=session.status,
            coupon=coupon,
            express=self.rng.random() < 0.1,
        )
        visit.pay(purchase)
        order, refund_at = order_record(self.plan, purchase, self.width, self.rng)
        if refund_at is not None and session.refund:
            visit.refund(purchase, refund_at)
        return visit.events, order

    def next_event_id(self) -> str:
        self.event_number += 1
        return f"e{self.event_number:0{self.event_width}d}"


class _Visit:
    def __init__(self, builder: SessionBuilder, session: SessionPlan, session_id: str) -> None:
        self.b = builder
        self.rng = builder.rng
        self.persona: Persona = session.persona
        self.session_id = session_id
        self.purchase = session.purchase
        self.clock = session.start
        self.events: list[dict[str, Any]] = []
        self.cart: dict[int, int] = {}
        self.currency: int | None = None
        self.listing: list[int] = []
        self.list_id = ""
        self.viewed: int | None = None

    def browse(self, steps: int) -> None:
        state = "entry"
        while len(self.events) < steps:
            if len(self.events) == steps - 1:
                if self.purchase and not self.cart:
                    state = "cart"  # a buyer must have something in the cart
                elif self.cart and not self.purchase and self.rng.random() < 0.3:
                    state = "abandon"
            state = getattr(self, f"_step_{state}")()

    def _step_entry(self) -> str:
        category = taste_category(self.rng, self.persona)
        language = self.persona.language
        if self.rng.random() >= _OWN_LANGUAGE:
            language = 1 - language
        band = taste_band(self.rng, self.persona)
        size = self.rng.randint(4, 8)
        self.listing = list(
            dict.fromkeys(
                self.b.picker.pick(self.rng, category, language, band) for _ in range(size)
            )
        )
        if self.rng.random() < _SEARCH_SHARE:
            query = self._query(category)
            self.list_id = "search_results"
            self._emit("search", [], query=query, props={"results": len(self.listing)})
        else:
            key = CATEGORIES[category].key
            self.list_id = f"category_{key}"
            name = " > ".join(
                CATEGORIES[category].path_zh if language == 0 else CATEGORIES[category].path_en
            )
            self._emit(
                "view_item_list",
                self.listing,
                props={"item_list_id": self.list_id, "item_list_name": name},
            )
        return "select"

    def _step_select(self) -> str:
        u = self.rng.random()
        position = int(len(self.listing) * u * u)
        self.viewed = self.listing[position]
        props = {"item_list_id": self.list_id, "index": position}
        self._emit("select_item", [self.viewed], props=props)
        return "view"

    def _step_view(self) -> str:
        assert self.viewed is not None
        self._emit("view_item", [self.viewed], *self._price(self.viewed, 1))
        add, wish, again = _AFTER_VIEW[self.purchase]
        draw = self.rng.random()
        if draw < add:
            return "cart"
        if draw < add + wish:
            return "wishlist"
        return "select" if draw < add + wish + again else "entry"

    def _emit(
        self,
        name: str,
        products: list[int],
        value: int | None = None,
        currency: str | None = None,
        *,
        query: str | None = None,
        props: dict[str, Any] | None = None,
    ) -> None:
        self.clock += 3 + int(self.rng.random() * 120)
        self.events.append(self._event(name, products, value, currency, query=query, props=props))

    def _step_cart(self) -> str:
        product = self.viewed if self.viewed is not None else self.listing[0]
        currency = int(self.b.plan.currency[product])
        if self.currency is not None and currency != self.currency:
            return "select"  # one order, one currency: shoppers check out each shop separately
        self.currency = currency
        quantity = 1 if self.rng.random() < 0.8 else self.rng.randint(2, 3)
        self.cart[product] = min(self.cart.get(product, 0) + quantity, 3)
        self._emit(
            "add_to_cart", [product], *self._price(product, quantity), props={"quantity": quantity}
        )
        # Buyers only drop an item when something else stays in the cart.
        removable = len(self.cart) > 1 or not self.purchase
        return "remove" if removable and self.rng.random() < 0.12 else "entry"

    def _step_remove(self) -> str:
        product = next(iter(self.cart))
        quantity = self.cart.pop(product)
        self._emit(
            "remove_from_cart",
            [product],
            *self._price(product, quantity),
            props={"quantity": quantity},
        )
        return "entry"

    def _step_wishlist(self) -> str:
        assert self.viewed is not None
        self._emit("add_to_wishlist", [self.viewed], *self._price(self.viewed, 1))
        return "select"

    def _step_abandon(self) -> str:
        self._emit("begin_checkout", list(self.cart), *self._cart_value())
        return "entry"

    def begin_checkout(self, coupon: bool) -> None:
        props: dict[str, Any] = {"coupon": WELCOME_CODE} if coupon else {}
        self._emit("begin_checkout", list(self.cart), *self._cart_value(), props=props)

    def pay(self, purchase: Purchase) -> None:
        sums = totals(self.b.plan, purchase)
        currency = CURRENCIES[self.currency or 0]
        props: dict[str, Any] = {"coupon": WELCOME_CODE} if purchase.coupon else {}
        self.clock = purchase.placed
        self.events.append(
            self._event(
                "purchase",
                list(self.cart),
                sums["subtotal"] - sums["discount"],
                currency,
                props={
                    "transaction_id": purchase.order_id,
                    "shipping": money(sums["shipping"]),
                    "tax": "0.00",
                    **props,
                },
            )
        )

    def refund(self, purchase: Purchase, when: int) -> None:
        sums = totals(self.b.plan, purchase)
        event = self._event(
            "refund",
            [i for i, _ in purchase.lines],
            sums["subtotal"] - sums["discount"],
            CURRENCIES[self.currency or 0],
            props={"transaction_id": purchase.order_id},
        )
        del event["session_id"]  # sent by the back office, outside any visit
        event["timestamp"] = iso(when)
        self.events.append(event)

    def _query(self, category: int) -> str:
        info = CATEGORIES[category]
        zh = self.persona.language == 0
        draw = self.rng.random()
        if draw < 0.2 and self.listing:
            row = self.b.plan.row(self.listing[0])
            brand = brand_of(row)
            leaf = CATEGORIES[row.category].kinds[row.kind].leaf[zh]  # small shops fall back
            return f"{brand} {leaf}" if zh else f"{brand} {leaf}".lower()
        query = self.rng.choice(info.queries_zh if zh else info.queries_en)
        if not zh and draw > 0.93 and len(query) > 4:
            cut = self.rng.randrange(1, len(query) - 2)  # a typo: two letters swapped
            query = query[:cut] + query[cut + 1] + query[cut] + query[cut + 2 :]
        return query

    def _price(self, product: int, quantity: int) -> tuple[int, str]:
        plan = self.b.plan
        return int(plan.price_cents[product]) * quantity, CURRENCIES[int(plan.currency[product])]

    def _cart_value(self) -> tuple[int, str]:
        value = sum(self._price(p, q)[0] for p, q in self.cart.items())
        return value, CURRENCIES[self.currency or 0]

    def _event(
        self,
        name: str,
        products: list[int],
        value: int | None = None,
        currency: str | None = None,
        *,
        query: str | None = None,
        props: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {"id": self.b.next_event_id(), "name": name}
        if self.persona.id is not None:
            event["customer_id"] = self.persona.id
        event["session_id"] = self.session_id
        event["product_ids"] = [product_id(p, self.b.width) for p in products]
        if query is not None:
            event["query"] = query
        if value is not None and currency is not None:
            event["value"] = money(value)
            event["currency"] = currency
        event["timestamp"] = iso(self.clock)
        event["properties"] = props or {}
        return event
