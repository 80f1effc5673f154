"""Catalog columns aligned with index positions: what filters, facets and sorts read.

Strings (brands, category paths, attribute values, currencies) are coded as int32 ids through
one shared `Codes` table, so a filter is an integer comparison and a facet is a `bincount`.
A category path is coded once per level ("Electronics", "Electronics > Audio", …), so a
category filter on any prefix is one lookup and one comparison per level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.core.schemas import Availability, Product
from shopmind.text.lang import detect_language

CTR_PRIOR = 20.0  # impressions' worth of the shop-wide click-through every product starts with
MAX_DEPTH = 4  # category levels kept; deeper paths are cut (no demo or real feed needs more)
SEP = " > "
COLOUR_KEYS = ("colour", "color")

I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def norm(value: str) -> str:
    """The form string values are coded and compared in: case-folded, trimmed."""
    return " ".join(value.split()).casefold()


@dataclass
class Codes:
    """value <-> id per field ("brand", "category", "currency", "attr:colour", …)."""

    fields: dict[str, dict[str, int]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)  # id -> first spelling seen

    def code(self, name: str, value: str) -> int:
        table = self.fields.setdefault(name, {})
        key = norm(value)
        if key not in table:
            table[key] = len(table)
            self.labels.setdefault(name, []).append(value.strip())
        return table[key]

    def find(self, name: str, value: str) -> int:
        """The id of ``value`` or -1 when the catalog never had it."""
        return self.fields.get(name, {}).get(norm(value), -1)

    def label(self, name: str, code: int) -> str:
        return self.labels[name][code]

    def size(self, name: str) -> int:
        return len(self.fields.get(name, {}))

    def to_dict(self) -> dict[str, list[str]]:
        return {name: list(values) for name, values in self.labels.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, list[str]]) -> Codes:
        codes = cls()
        for name, values in data.items():
            for value in values:
                codes.code(name, value)
        return codes


@dataclass(frozen=True)
class ProductStats:
    """Per-product figures from reviews and events (absent products have none)."""

    rating_sum: Mapping[str, float] = field(default_factory=dict)
    rating_count: Mapping[str, int] = field(default_factory=dict)
    views: Mapping[str, int] = field(default_factory=dict)
    purchases: Mapping[str, int] = field(default_factory=dict)
    impressions: Mapping[str, int] = field(default_factory=dict)  # listed in view_item_list
    clicks: Mapping[str, int] = field(default_factory=dict)  # select_item

    def ctr(self, ids: Sequence[str]) -> F32:
        """Click-through per product, shrunk towards the shop's overall rate by `CTR_PRIOR`
        impressions so a product shown twice and clicked once does not outrank a steady
        seller; 0 for every product when the shop logs no list impressions."""
        shown = sum(self.impressions.values())
        if not shown:
            return np.zeros(len(ids), np.float32)
        prior = min(sum(self.clicks.values()) / shown, 1.0)
        clicks = np.array([self.clicks.get(i, 0) for i in ids], np.float64)
        seen = np.array([self.impressions.get(i, 0) for i in ids], np.float64)
        rate = (clicks + CTR_PRIOR * prior) / (seen + CTR_PRIOR)
        return np.clip(rate, 0.0, 1.0).astype(np.float32)


@dataclass
class Catalog:
    """Numpy columns, one row per index position (dead rows stay until a rebuild)."""

    ids: npt.NDArray[np.str_]
    titles: npt.NDArray[np.str_]
    category: I32  # (n, MAX_DEPTH): code of each path prefix, -1 below the leaf
    brand: I32
    currency: I32
    price: F64  # NaN when unknown
    in_stock: BoolArray
    rating: F32  # mean review rating, NaN without reviews
    rating_count: I32
    created: F64  # epoch seconds, NaN when unknown
    updated: F64
    popularity: F32  # log1p(views + 5 * purchases)
    ctr: F32  # smoothed click-through from list impressions (`ProductStats.ctr`)
    language: I32  # code of the primary language subtag ("zh", "en"), from the feed or the title
    attrs: dict[str, I32]  # string attribute name -> value code (-1 absent)

    def __len__(self) -> int:
        return len(self.ids)

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        out: dict[str, npt.NDArray[Any]] = {k: getattr(self, k) for k in _COLUMNS}
        out.update({f"attr:{name}": col for name, col in self.attrs.items()})
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> Catalog:
        attrs = {k.removeprefix("attr:"): v for k, v in arrays.items() if k.startswith("attr:")}
        return cls(**{k: arrays[k] for k in _COLUMNS}, attrs=attrs)

    def extend(self, other: Catalog) -> Catalog:
        """A new catalog with ``other``'s rows after ours (attribute columns are unioned)."""
        n, m = len(self), len(other)
        names = set(self.attrs) | set(other.attrs)
        attrs = {
            a: np.concatenate(
                [self.attrs.get(a, np.full(n, -1, np.int32)), other.attrs.get(a, _none(m))]
            )
            for a in names
        }
        joined = {k: np.concatenate([getattr(self, k), getattr(other, k)]) for k in _COLUMNS}
        return Catalog(**joined, attrs=attrs)


_COLUMNS = (
    "ids", "titles", "category", "brand", "currency", "price", "in_stock", "rating",
    "rating_count", "created", "updated", "popularity", "ctr", "language",
)  # fmt: skip


def _none(n: int) -> I32:
    return np.full(n, -1, np.int32)


def _epoch(value: datetime | None) -> float:
    return value.timestamp() if value is not None else math.nan


def in_stock(product: Product) -> bool:
    """Sellable now: stock above zero, or an availability that takes orders."""
    if product.availability is not None:
        return product.availability is not Availability.OUT_OF_STOCK
    return product.stock is None or product.stock > 0


def primary_language(tag: str | None) -> str | None:
    """'zh-CN' -> 'zh'; None or blank -> None."""
    if not tag or not tag.strip():
        return None
    return tag.strip().replace("_", "-").split("-")[0].casefold()


def product_language(product: Product) -> str:
    """The product's language as the feed says it, else as its title reads."""
    return primary_language(product.language) or detect_language(product.title)


def string_attributes(product: Product) -> dict[str, str]:
    """Attributes with one string value (colour under one name), the ones worth filtering on."""
    out: dict[str, str] = {}
    for name, value in product.attributes.items():
        key = "colour" if name.casefold() in COLOUR_KEYS else name.casefold()
        if isinstance(value, str) and value.strip():
            out[key] = value
    return out


def build_catalog(products: Sequence[Product], codes: Codes, stats: ProductStats) -> Catalog:
    """Columns for ``products`` in order, coding new strings into ``codes``."""
    n = len(products)
    category = np.full((n, MAX_DEPTH), -1, np.int32)
    attrs: dict[str, I32] = {}
    for row, p in enumerate(products):
        for level in range(min(len(p.category_path), MAX_DEPTH)):
            category[row, level] = codes.code("category", SEP.join(p.category_path[: level + 1]))
        for name, value in string_attributes(p).items():
            attrs.setdefault(name, _none(n))[row] = codes.code(f"attr:{name}", value)
    ids = [p.id for p in products]
    rating_n = np.array([stats.rating_count.get(i, 0) for i in ids], np.int32)
    rating_sum = np.array([stats.rating_sum.get(i, 0.0) for i in ids], np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rating = np.where(rating_n > 0, rating_sum / np.maximum(rating_n, 1), np.nan)
    pop = [stats.views.get(i, 0) + 5 * stats.purchases.get(i, 0) for i in ids]
    return Catalog(
        ids=np.array(ids, dtype=np.str_).reshape(n),
        titles=np.array([p.title for p in products], dtype=np.str_).reshape(n),
        category=category,
        brand=_coded(codes, "brand", (p.brand for p in products), n),
        currency=_coded(codes, "currency", (p.currency for p in products), n),
        price=np.array([float(p.price) if p.price is not None else math.nan for p in products]),
        in_stock=np.array([in_stock(p) for p in products], bool).reshape(n),
        rating=rating.astype(np.float32),
        rating_count=rating_n,
        created=np.array([_epoch(p.created_at) for p in products], np.float64).reshape(n),
        updated=np.array([_epoch(p.updated_at) for p in products], np.float64).reshape(n),
        popularity=np.log1p(np.asarray(pop, np.float32)).reshape(n),
        ctr=stats.ctr(ids).reshape(n),
        language=_coded(codes, "language", (product_language(p) for p in products), n),
        attrs=attrs,
    )


def _coded(codes: Codes, name: str, values: Iterable[str | None], n: int) -> I32:
    out = np.fromiter((codes.code(name, v) if v else -1 for v in values), np.int32, count=n)
    return out
