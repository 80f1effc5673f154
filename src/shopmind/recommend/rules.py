"""Business rules over candidate scores: exclusions, boost/bury, and category diversity.

Scores from different sources live on different scales, so rules work on per-request z-scores:
a boost of 1.0 lifts a product by one standard deviation of that request's candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from shopmind.recommend.base import FloatArray
from shopmind.recommend.catalog import ItemCatalog, ItemFacts


class Boost(BaseModel):
    """Lift (weight > 0) or bury (weight < 0) products whose ``field`` matches ``value``."""

    model_config = ConfigDict(extra="forbid")

    field: Literal["category", "brand", "product", "tag"]
    value: str = Field(min_length=1, max_length=500)
    weight: float = Field(ge=-100, le=100)

    def matches(self, item: ItemFacts) -> bool:
        if self.field == "category":
            return item.in_category(self.value)
        if self.field == "brand":
            return item.brand.casefold() == self.value.casefold()
        if self.field == "product":
            return item.id == self.value
        return self.value.casefold() in (t.casefold() for t in item.tags)


class RecConfig(BaseModel):
    """One configuration of the recommender; an experiment arm overrides some fields."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["personal", "trending"] = "personal"
    exclude_purchased: bool = True
    # Consumables: category prefix -> days after a purchase when the product may come back.
    repurchase_days: dict[str, int] = Field(default_factory=dict)
    exclude_out_of_stock: bool = True
    # The shopper's last N distinct chosen products are left out (they just saw them); older
    # ones may come back, or a small catalog runs out of the categories they like.
    exclude_recent: int = Field(default=10, ge=0, le=200)
    shown_minutes: int = Field(default=30, ge=0, le=60 * 24 * 30)  # 0: show again at once
    diversity: Literal["cap", "mmr", "none"] = "cap"
    max_per_category: int = Field(default=3, ge=1, le=1000)
    mmr_lambda: float = Field(default=0.7, ge=0.0, le=1.0)
    trend_weight: float = Field(default=0.1, ge=0.0, le=10.0)
    # How much the share of a shopper's history in a category lifts that category's products.
    affinity_weight: float = Field(default=1.0, ge=0.0, le=10.0)
    affinity_depth: int = Field(default=2, ge=1, le=10)
    # How much products that look like the newest few viewed ones are lifted (session intent).
    session_weight: float = Field(default=0.5, ge=0.0, le=10.0)
    boosts: list[Boost] = Field(default_factory=list, max_length=100)

    def with_overrides(self, overrides: dict[str, object]) -> RecConfig:
        return RecConfig.model_validate({**self.model_dump(), **overrides})


def standardise(scores: FloatArray) -> FloatArray:
    """z-scores over the finite entries; -inf (not a candidate) stays -inf."""
    finite = np.isfinite(scores)
    if finite.all():  # the common case: one pass, no masked copies
        std = float(scores.std()) or 1.0
        return np.asarray((scores - scores.mean()) / std, dtype=np.float32)
    out = np.full(scores.shape, -np.inf, dtype=np.float32)
    if finite.any():
        values = scores[finite]
        std = float(values.std()) or 1.0
        out[finite] = (values - values.mean()) / std
    return out


def apply_boosts(scores: FloatArray, catalog: ItemCatalog, boosts: Sequence[Boost]) -> None:
    """Add each matching boost's weight to the (standardised) score, in place."""
    for boost in boosts:
        scores[boost_mask(catalog, boost)] += boost.weight


def boost_mask(catalog: ItemCatalog, boost: Boost) -> npt.NDArray[np.bool_]:
    """Which products a boost matches, computed over whole columns (no loop over products,
    except for tags, which few shops boost on)."""
    if boost.field == "category":
        return catalog.in_category(boost.value)
    if boost.field == "brand":
        return np.asarray(np.char.lower(catalog.column("brand")) == boost.value.casefold())
    mask = np.zeros(len(catalog), dtype=bool)
    if boost.field == "product":
        pos = catalog.position(boost.value)
        if pos is not None:
            mask[pos] = True
        return mask
    return np.asarray([boost.matches(item) for item in catalog.items], dtype=bool)


def recent_distinct(history: Sequence[int], count: int) -> list[int]:
    """The last ``count`` distinct positions of ``history`` (oldest first in, newest first out)."""
    return list(dict.fromkeys(reversed(history)))[:count] if count else []


def purchased_blocked(
    purchased: dict[str, datetime], catalog: ItemCatalog, config: RecConfig, now: datetime
) -> list[int]:
    """Positions of bought products that may not be shown yet (consumables come back later)."""
    blocked = []
    for pid, when in purchased.items():
        pos = catalog.position(pid)
        if pos is None:
            continue
        days = _repurchase_days(catalog.items[pos], config.repurchase_days)
        if days is None or now - when < timedelta(days=days):
            blocked.append(pos)
    return blocked


def _repurchase_days(item: ItemFacts, rules: dict[str, int]) -> int | None:
    matches = [(len(prefix), days) for prefix, days in rules.items() if item.in_category(prefix)]
    return max(matches)[1] if matches else None  # the most specific category wins


def diversify(
    ranked: Sequence[int],
    scores: FloatArray,
    catalog: ItemCatalog,
    config: RecConfig,
    limit: int,
    similarity: Callable[[int], FloatArray] | None = None,
) -> list[int]:
    """Pick ``limit`` of ``ranked`` (best first) under the configured diversity rule."""
    if config.diversity == "mmr" and similarity is not None:
        return _mmr(ranked, scores, config.mmr_lambda, limit, similarity)
    if config.diversity == "none":
        return list(ranked[:limit])
    return _capped(ranked, catalog, config.max_per_category, limit)


def _capped(ranked: Sequence[int], catalog: ItemCatalog, cap: int, limit: int) -> list[int]:
    """At most ``cap`` per category; when that leaves the list short, the best of the rest."""
    picked: list[int] = []
    spill: list[int] = []
    per_category: dict[str, int] = {}
    for pos in ranked:
        category = catalog.items[pos].category
        if per_category.get(category, 0) < cap:
            per_category[category] = per_category.get(category, 0) + 1
            picked.append(pos)
            if len(picked) == limit:
                return picked
        else:
            spill.append(pos)
    return picked + spill[: limit - len(picked)]


def _mmr(
    ranked: Sequence[int],
    scores: FloatArray,
    lam: float,
    limit: int,
    similarity: Callable[[int], FloatArray],
) -> list[int]:
    """Maximal marginal relevance: relevance minus the closest likeness to what is picked."""
    pool = list(ranked)
    if not pool:
        return []
    rel = scores[pool].astype(np.float64)
    rel = (rel - rel.min()) / ((rel.max() - rel.min()) or 1.0)
    closest = np.zeros(len(pool))
    picked: list[int] = []
    taken = np.zeros(len(pool), dtype=bool)
    while len(picked) < min(limit, len(pool)):
        value = np.where(taken, -np.inf, lam * rel - (1 - lam) * closest)
        best = int(value.argmax())
        taken[best] = True
        picked.append(pool[best])
        closest = np.maximum(closest, similarity(pool[best])[pool])
    return picked
