"""Pick products the way a shopper meets them: by category, language and price band, favouring
the popular ones (a few products get most views, as in every shop)."""

from __future__ import annotations

import random

import numpy as np

from shopmind.demo.catalog import CatalogPlan
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.people import Persona

_GROUPS_PER_CATEGORY = 6  # 2 languages x 3 price bands


class ProductPicker:
    """Products sorted by (category, language, band); each group is a contiguous slice."""

    def __init__(self, plan: CatalogPlan) -> None:
        if plan.count == 0:
            raise ValueError("products must be > 0 to generate behaviour, reviews or orders")
        key = (plan.category * 2 + plan.language) * 3 + plan.band
        self._order = np.argsort(key, kind="stable")
        counts = np.bincount(key, minlength=len(CATEGORIES) * _GROUPS_PER_CATEGORY)
        self._starts: list[int] = [0, *np.cumsum(counts).tolist()]
        self.count = plan.count

    def pick(self, rng: random.Random, category: int, language: int, band: int) -> int:
        """A product index, widening to any band, then any language, then anything when empty."""
        group = (category * 2 + language) * 3 + band
        for low_key, high_key in (
            (group, group + 1),
            (group - band, group - band + 3),
            (category * 6, category * 6 + 6),
        ):
            low, high = self._starts[low_key], self._starts[high_key]
            if high > low:
                return self._skewed(rng, low, high)
        return self._skewed(rng, 0, self.count)

    def _skewed(self, rng: random.Random, low: int, high: int) -> int:
        # Squaring a uniform draw puts half the picks in the first quarter: a popularity long tail.
        u = rng.random()
        return int(self._order[low + int((high - low) * u * u)])


ON_TASTE = 0.85  # share of browsing and buying inside the shopper's preferred categories
OWN_BAND = 0.7
_CATEGORY_WEIGHTS = tuple(c.weight for c in CATEGORIES)


def taste_category(rng: random.Random, persona: Persona) -> int:
    """A category the persona looks at: usually a preferred one, sometimes anything."""
    if rng.random() < ON_TASTE:
        return rng.choices(persona.categories, weights=persona.weights)[0]
    return rng.choices(range(len(CATEGORIES)), weights=_CATEGORY_WEIGHTS)[0]


def taste_band(rng: random.Random, persona: Persona) -> int:
    return persona.band if rng.random() < OWN_BAND else rng.randrange(3)
