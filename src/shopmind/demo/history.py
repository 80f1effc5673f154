"""Orders placed in the year before the event log began: they follow the same hidden tastes.

The event log covers six months and converts like a real shop, so most of the requested orders
come from before it, as they would in a shop that turned on tracking recently.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from itertools import accumulate

from shopmind.demo.catalog import CatalogPlan
from shopmind.demo.clock import DAY, EVENTS_START, HISTORY_START, HOUR, NOW
from shopmind.demo.orders import Purchase, decide_status
from shopmind.demo.people import Persona
from shopmind.demo.picker import ProductPicker, taste_band, taste_category
from shopmind.demo.sessions import PersonaChooser

_GUEST_SHARE = 0.12
_EXTRA_LINE = 0.25


def history_purchases(
    count: int,
    chooser: PersonaChooser,
    plan: CatalogPlan,
    picker: ProductPicker,
    rng: random.Random,
    width: int,
    numbers: Iterator[int],
) -> list[Purchase]:
    """``count`` purchases in time order, numbered from ``numbers``."""
    drafts = []
    for persona in _buyers(count, chooser, rng):
        lines = _basket(persona, plan, picker, rng)
        newest = max(int(plan.created[index]) for index, _ in lines)
        drafts.append((_placed(persona, newest, rng), persona, lines))
    drafts.sort(key=lambda draft: draft[0])
    return [
        Purchase(
            order_id=f"o{next(numbers):0{width}d}",
            persona=persona,
            lines=lines,
            placed=placed,
            status=decide_status(NOW - placed, rng),
            coupon=rng.random() < 0.08,
            express=rng.random() < 0.1,
        )
        for placed, persona, lines in drafts
    ]


def _buyers(count: int, chooser: PersonaChooser, rng: random.Random) -> list[Persona]:
    eligible = [c for c in chooser.customers if c.created < EVENTS_START - 30 * DAY]
    weights = list(accumulate(c.activity for c in eligible))
    buyers = []
    for _ in range(count):
        if eligible and rng.random() >= _GUEST_SHARE:
            point = rng.random() * weights[-1]
            buyers.append(eligible[min(bisect.bisect_right(weights, point), len(eligible) - 1)])
        else:
            buyers.append(chooser.guest())
    return buyers


def _basket(
    persona: Persona, plan: CatalogPlan, picker: ProductPicker, rng: random.Random
) -> list[tuple[int, int]]:
    first = picker.pick(
        rng, taste_category(rng, persona), persona.language, taste_band(rng, persona)
    )
    lines = {first: _quantity(rng)}
    for _ in range(2):
        if rng.random() < _EXTRA_LINE:
            extra = picker.pick(
                rng, taste_category(rng, persona), persona.language, taste_band(rng, persona)
            )
            if plan.currency[extra] == plan.currency[first] and extra not in lines:
                lines[extra] = _quantity(rng)
    return list(lines.items())


def _quantity(rng: random.Random) -> int:
    return 1 if rng.random() < 0.8 else rng.randint(2, 3)


def _placed(persona: Persona, newest_product: int, rng: random.Random) -> int:
    """After the buyer signed up and every product was listed, and before the event log."""
    low = max(HISTORY_START, persona.created + HOUR, newest_product + HOUR)
    high = EVENTS_START - DAY
    if low >= high:
        return low
    return low + int(rng.random() * (high - low))
