"""Plans of visits: who comes, when, for how many events, and whether they buy.

Plans are small (a few numbers per session), drawn up front so the event total comes out exact and
sessions can be written in time order, before any event is built.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from itertools import accumulate

from shopmind.demo.clock import EVENTS_END, EVENTS_START, HOUR, NOW
from shopmind.demo.orders import decide_status
from shopmind.demo.people import Persona, guest_persona

MAX_SESSION = 30
MIN_SESSION = 3
MIN_PURCHASE_SESSION = 6  # list, select, view, add, checkout, purchase
_MEAN_SESSION = 12.6  # of the length draw below
_ANONYMOUS_SHARE = 0.15
_PURCHASE_RATE = 0.2  # of logged-in sessions long enough to buy; guests buy a third as often
_SESSION_ORDER_SHARE = 0.6  # at most this share of the orders is placed inside the event log


@dataclass
class SessionPlan:
    persona: Persona
    start: int
    length: int
    purchase: bool
    status: str | None  # status of the order the session places, if any

    @property
    def refund(self) -> bool:
        """A returned order of a known customer is refunded in a later, server-side event."""
        return self.status == "returned" and self.persona.id is not None


class PersonaChooser:
    """Registered customers picked by how active they are; visitors made up on the fly."""

    def __init__(self, customers: list[Persona], rng: random.Random) -> None:
        self.customers = customers
        self._cumulative = list(accumulate(c.activity for c in customers))
        self._rng = rng
        self.guests = 0

    def customer(self) -> Persona | None:
        if not self.customers:
            return None
        point = self._rng.random() * self._cumulative[-1]
        return self.customers[
            min(bisect.bisect_right(self._cumulative, point), len(self.customers) - 1)
        ]

    def guest(self) -> Persona:
        self.guests += 1
        return guest_persona(self._rng, self.guests - 1)


def plan_sessions(
    events: int, orders: int, chooser: PersonaChooser, rng: random.Random
) -> list[SessionPlan]:
    """Sessions whose events (plus refund events) add up to exactly ``events``, by start time."""
    expected = max(events / _MEAN_SESSION, 1.0)
    rate = min(_PURCHASE_RATE, _SESSION_ORDER_SHARE * orders / expected)
    sessions: list[SessionPlan] = []
    total = purchases = 0
    while total < events:
        plan = _session(rng, chooser, rate, purchases < orders)
        sessions.append(plan)
        total += plan.length + plan.refund
        purchases += plan.purchase
    _fit(sessions, total - events, chooser, rng)
    sessions.sort(key=lambda s: s.start)
    return sessions


def _session(
    rng: random.Random, chooser: PersonaChooser, rate: float, may_buy: bool
) -> SessionPlan:
    length = MIN_SESSION + int((MAX_SESSION - MIN_SESSION) * rng.random() ** 1.8)
    customer = None if rng.random() < _ANONYMOUS_SHARE else chooser.customer()
    persona = customer or chooser.guest()
    low = max(EVENTS_START, persona.created + HOUR) if customer else EVENTS_START
    start = low + int(rng.random() * (EVENTS_END - 2 * HOUR - low))
    chance = rate if customer else rate / 3
    purchase = may_buy and length >= MIN_PURCHASE_SESSION and rng.random() < chance
    status = decide_status(NOW - start, rng) if purchase else None
    return SessionPlan(persona, start, length, purchase, status)


def _fit(
    sessions: list[SessionPlan], excess: int, chooser: PersonaChooser, rng: random.Random
) -> None:
    """Trim the overshoot from the last sessions, then top up any shortfall."""
    while excess > 0 and sessions:
        last = sessions[-1]
        shortest = MIN_PURCHASE_SESSION if last.purchase else MIN_SESSION
        if last.length - excess >= shortest:
            last.length -= excess
            return
        sessions.pop()
        excess -= last.length + last.refund
    shortfall = -excess
    while shortfall > 0:
        roomy = next((s for s in sessions if s.length + shortfall <= MAX_SESSION), None)
        if roomy is not None:
            roomy.length += shortfall
            return
        extra = _session(rng, chooser, 0.0, False)
        extra.length = min(shortfall, MAX_SESSION)
        sessions.append(extra)
        shortfall -= extra.length
