"""The catalog plan: every product's numbers drawn at once with numpy, text built later per row.

A million products fit as a few numpy columns (about 60 bytes each), so later stages can pick
products by category, language and price band and read exact prices without holding a million dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from shopmind.demo.catalog_types import AttrSpec, Kind, Pick, Words
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.clock import CATALOG_END, CATALOG_START, DAY, EVENTS_END

LANGUAGES = ("zh", "en")
CURRENCIES = ("CNY", "USD", "EUR")
BANDS = ("budget", "mid", "premium")
ASPECTS = ("quality", "logistics", "service", "price", "packaging", "size")
USD_RATE = {"CNY": 7.2, "USD": 1.0, "EUR": 0.92}

_VARIANT_COUNTS = np.array([1, 2, 3, 4])
_VARIANT_P = np.array([0.45, 0.2, 0.2, 0.15])
_EUR_SHARE = 0.07  # of English products: a few imported items are priced in euros
_COMPARE_SHARE = 0.18
_ZERO_STOCK = 0.08
_UPDATED_SHARE = 0.35
# How often each aspect is part of a product's profile; size only where things have a size.
_ASPECT_PRESENT = np.array([0.9, 0.7, 0.5, 0.6, 0.45, 0.8])


class ProductRow(NamedTuple):
    """One product's planned numbers as plain Python values."""

    position: int  # 0-based place in the catalog
    model: int
    variant: int
    variants: int
    category: int
    kind: int
    language: int
    currency: int
    band: int
    price_cents: int
    compare_cents: int
    stock: int
    created: int
    updated: int
    images: int
    salt: int
    created_at: str
    updated_at: str  # "" when never updated


@dataclass(frozen=True)
class CatalogPlan:
    """Column arrays, one entry per product (``aspects`` is products x ASPECTS, -1/0/+1)."""

    count: int
    model: NDArray[np.int64]
    variant: NDArray[np.int64]
    variants: NDArray[np.int64]
    category: NDArray[np.int64]
    kind: NDArray[np.int64]
    language: NDArray[np.int8]
    currency: NDArray[np.int8]
    band: NDArray[np.int8]
    price_cents: NDArray[np.int64]
    compare_cents: NDArray[np.int64]
    stock: NDArray[np.int64]
    created: NDArray[np.int64]
    updated: NDArray[np.int64]
    images: NDArray[np.int64]
    salt: NDArray[np.int64]
    aspects: NDArray[np.int8]

    def rows(self, start: int, stop: int) -> list[ProductRow]:
        """Rows ``start``..``stop`` as plain Python values (numpy scalars are slow one by one)."""
        numbers = [getattr(self, name)[start:stop].tolist() for name in _NUMBER_FIELDS]
        updated = self.updated[start:stop]
        columns = [
            range(start, stop),
            *numbers,
            iso_strings(self.created[start:stop]),
            [
                text if when else ""
                for text, when in zip(iso_strings(updated), updated.tolist(), strict=True)
            ],
        ]
        return [ProductRow(*values) for values in zip(*columns, strict=True)]

    def row(self, index: int) -> ProductRow:
        return self.rows(index, index + 1)[0]


_NUMBER_FIELDS = ProductRow._fields[1:-2]


def iso_strings(seconds: NDArray[np.int64]) -> list[str]:
    """Many epoch seconds as ISO 8601 UTC strings at once (like ``clock.iso``, vectorised)."""
    return [text + "Z" for text in np.datetime_as_string(seconds.astype("datetime64[s]")).tolist()]


def id_width(count: int) -> int:
    """Digits in generated ids: at least six, more for huge counts, so ids sort as numbers."""
    return max(6, len(str(count)))


def product_id(index: int, width: int) -> str:
    return f"p{index + 1:0{width}d}"


def money(cents: int) -> str:
    """Cents as the decimal string pydantic writes for a two-place Decimal."""
    return f"{cents // 100}.{cents % 100:02d}"


def price_band_edges() -> dict[str, list[dict[str, Any]]]:
    """Per category, each kind's leaf names and the prices (in each currency, before rounding to
    shop prices) splitting budget | mid | premium: the thirds of its log-price range."""
    edges: dict[str, list[dict[str, Any]]] = {}
    for category in CATEGORIES:
        for kind in category.kinds:
            low, high = kind.price_usd
            cuts = [low * (high / low) ** (k / 3) for k in (1, 2)]
            edges.setdefault(category.key, []).append(
                {
                    "kind": kind.key,
                    "leaf": {"en": kind.leaf[0], "zh": kind.leaf[1]},
                    "edges": {
                        cur: [f"{cut * rate:.2f}" for cut in cuts] for cur, rate in USD_RATE.items()
                    },
                }
            )
    return edges


def _most_variants(kind: Kind) -> int:
    """Distinct variants a kind can have: one axis walks its values, two walk a 2x2 grid."""
    sizes = [len(_choices(kind.attrs[axis])) for axis in kind.axis]
    if not sizes:
        return 1
    if len(sizes) == 1:
        return sizes[0]
    return min(sizes[0], 2) * min(sizes[1], 2)


def _choices(spec: AttrSpec) -> tuple[object, ...]:
    if isinstance(spec, Words):
        return spec.pairs
    if isinstance(spec, Pick):
        return spec.values
    return ()


def _kind_table() -> tuple[
    NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]
]:
    """Per category, where its kinds start; per kind, its price range and most variants."""
    offsets: list[int] = []
    lows: list[float] = []
    highs: list[float] = []
    most: list[int] = []
    for category in CATEGORIES:
        offsets.append(len(lows))
        for kind in category.kinds:
            lows.append(kind.price_usd[0])
            highs.append(kind.price_usd[1])
            most.append(_most_variants(kind))
    return np.array(offsets), np.array(lows), np.array(highs), np.array(most)


def nice_cents(usd: NDArray[np.float64], currency: NDArray[np.int8]) -> NDArray[np.int64]:
    """Shop-style prices: $34.99, ¥59.90 or ¥299.00, €27.95."""
    cny = usd * USD_RATE["CNY"]
    cny_cents = np.where(cny < 100, np.floor(cny) * 100 + 90, (np.floor(cny / 10) * 10 + 9) * 100)
    usd_cents = np.floor(usd) * 100 + 99
    eur_cents = np.floor(usd * USD_RATE["EUR"]) * 100 + 95
    cents = np.select([currency == 0, currency == 1], [cny_cents, usd_cents], eur_cents)
    return cents.astype(np.int64)


def plan_catalog(count: int, seed: int) -> CatalogPlan:
    """Draw the numbers of ``count`` products: models first, then their colour/size variants."""
    rng = np.random.default_rng([seed, 101])
    offsets, lows, highs, most = _kind_table()
    weights = np.array([c.weight for c in CATEGORIES])
    upper = max(count, 1)
    category = rng.choice(len(CATEGORIES), size=upper, p=weights / weights.sum())
    kinds_in = np.array([len(c.kinds) for c in CATEGORIES])
    kind = (rng.random(upper) * kinds_in[category]).astype(np.int64)
    flat = offsets[category] + kind
    variants = np.minimum(rng.choice(_VARIANT_COUNTS, size=upper, p=_VARIANT_P), most[flat])
    models = int(np.searchsorted(np.cumsum(variants), count)) + 1 if count else 0
    m = _draw_models(rng, models, flat[:models], lows, highs, category[:models])
    model_of = np.repeat(np.arange(models), variants[:models])[:count]
    first = np.cumsum(variants[:models]) - variants[:models]
    variant = np.arange(count) - first[model_of]
    created = m["created"][model_of] + variant * 97
    stock = np.minimum(rng.geometric(1 / 60, size=count), 999)
    stock[rng.random(count) < _ZERO_STOCK] = 0
    span = np.maximum(EVENTS_END - created, 1)
    updated = np.where(
        rng.random(count) < _UPDATED_SHARE, created + (rng.random(count) * span).astype(np.int64), 0
    )
    return CatalogPlan(
        count=count,
        model=model_of,
        variant=variant,
        variants=variants[:models][model_of],
        category=category[:models][model_of],
        kind=kind[:models][model_of],
        language=m["language"][model_of].astype(np.int8),
        currency=m["currency"][model_of].astype(np.int8),
        band=m["band"][model_of].astype(np.int8),
        price_cents=m["price"][model_of],
        compare_cents=m["compare"][model_of],
        stock=stock,
        created=created,
        updated=updated,
        images=rng.integers(1, 5, size=count),
        salt=m["salt"][model_of],
        aspects=m["aspects"][model_of].astype(np.int8),
    )


def _draw_models(
    rng: np.random.Generator,
    models: int,
    flat: NDArray[np.int64],
    lows: NDArray[np.float64],
    highs: NDArray[np.float64],
    category: NDArray[np.int64],
) -> dict[str, NDArray[np.int64]]:
    language = (rng.random(models) < 0.5).astype(np.int64)
    currency = np.where(language == 0, 0, np.where(rng.random(models) < _EUR_SHARE, 2, 1))
    position = rng.random(models)
    usd = lows[flat] * (highs[flat] / lows[flat]) ** position
    price = nice_cents(usd, currency.astype(np.int8))
    markup = 1.15 + 0.45 * rng.random(models)
    compare = nice_cents(usd * markup, currency.astype(np.int8))
    compare = np.where((rng.random(models) < _COMPARE_SHARE) & (compare > price), compare, 0)
    created = CATALOG_START + (rng.random(models) * (CATALOG_END - DAY - CATALOG_START)).astype(
        np.int64
    )
    return {
        "language": language,
        "currency": currency,
        "band": np.minimum((position * 3).astype(np.int64), 2),
        "price": price,
        "compare": compare,
        "created": created,
        "salt": rng.integers(0, 2**62, size=models),
        "aspects": _draw_aspects(rng, models, category),
    }


def _draw_aspects(
    rng: np.random.Generator, models: int, category: NDArray[np.int64]
) -> NDArray[np.int64]:
    # One latent quality per model makes a product's aspects lean the same way, as real ones do.
    quality = rng.beta(2.2, 1.5, size=models)
    sized = np.array([c.sized for c in CATEGORIES])[category]
    chance = np.tile(_ASPECT_PRESENT, (models, 1))
    chance[:, 5] *= sized
    present = rng.random((models, len(ASPECTS))) < chance
    present[~present.any(axis=1), 0] = True
    polarity = np.where(rng.random((models, len(ASPECTS))) < quality[:, None], 1, -1)
    return (present * polarity).astype(np.int64)
