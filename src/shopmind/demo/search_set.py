"""A judged Chinese and mixed-language search set over a generated demo catalog.

Relevance is read from what the generator planted in each product record: its kind (leaf
category, in either language), colour, brand and price. Each query names a kind in Chinese and
may add a colour, a brand (English or Chinese name, so some queries mix scripts), a price ceiling
in yuan, or an English product word. A product of that kind that meets every constraint the query
states has gain 2; one of that kind that misses a constraint has gain 1; anything else 0. Products
titled in English count as much as Chinese ones: finding them is the cross-lingual part.
"""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shopmind.demo.catalog_types import COLOURS, Category, Kind
from shopmind.demo.categories import CATEGORIES

TEMPLATES = ("kind", "colour", "brand", "price", "english_word")
_COLOUR_EN = {zh: en for en, zh in COLOURS.pairs} | {en: en for en, _ in COLOURS.pairs}
_COLOUR_ZH = dict(COLOURS.pairs)


@dataclass(frozen=True)
class JudgedQuery:
    """One query, the template it came from and the gain of every relevant product."""

    query_id: str
    text: str
    template: str
    kind: str
    gains: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Product:
    id: str
    kind: str  # English leaf name
    colour: str | None  # English colour name
    brand: str  # English brand name
    cny: float | None  # price when the product is priced in yuan


def search_set(
    records: Iterable[Mapping[str, Any]], *, seed: int = 5, min_products: int = 5
) -> list[JudgedQuery]:
    """Queries over ``records`` (products.jsonl rows), one per template that fits each kind.

    Kinds with fewer than ``min_products`` products are skipped: a query with one relevant
    product measures luck more than ranking.
    """
    rng = random.Random(seed)
    by_kind: dict[str, list[_Product]] = defaultdict(list)
    for record in records:
        product = _read(record)
        if product is not None:
            by_kind[product.kind].append(product)
    out: list[JudgedQuery] = []
    for category in CATEGORIES:
        for kind in category.kinds:
            products = by_kind.get(kind.leaf[0], [])
            if len(products) >= min_products:
                out.extend(_queries(category, kind, products, rng))
    return [
        JudgedQuery(f"zh{i:03d}", q.text, q.template, q.kind, q.gains) for i, q in enumerate(out)
    ]


def _leaf_kinds() -> dict[str, tuple[Category, Kind]]:
    out: dict[str, tuple[Category, Kind]] = {}
    for category in CATEGORIES:
        for kind in category.kinds:
            out[kind.leaf[0]] = out[kind.leaf[1]] = (category, kind)
    return out


_LEAVES = _leaf_kinds()


def _read(record: Mapping[str, Any]) -> _Product | None:
    path = record.get("category_path") or []
    found = _LEAVES.get(str(path[-1])) if path else None
    if found is None:
        return None
    category, kind = found
    colour = (record.get("attributes") or {}).get("colour")
    brand = str(record.get("brand") or "")
    brand_en = next((en for en, zh in category.brands if brand in (en, zh)), brand)
    price = record.get("price")
    cny = float(price) if price is not None and record.get("currency") == "CNY" else None
    return _Product(
        id=str(record["id"]),
        kind=kind.leaf[0],
        colour=_COLOUR_EN.get(str(colour)) if colour else None,
        brand=brand_en,
        cny=cny,
    )


def _queries(
    category: Category, kind: Kind, products: list[_Product], rng: random.Random
) -> list[JudgedQuery]:
    leaf_zh = kind.leaf[1]
    every = {p.id: 2 for p in products}
    out = [JudgedQuery("", leaf_zh, "kind", kind.leaf[0], every)]
    colours = sorted({p.colour for p in products if p.colour})
    if colours:
        colour = rng.choice(colours)
        gains = {p.id: 2 if p.colour == colour else 1 for p in products}
        out.append(JudgedQuery("", f"{_COLOUR_ZH[colour]}{leaf_zh}", "colour", kind.leaf[0], gains))
    brands = sorted({p.brand for p in products})
    brand = rng.choice(brands)
    names = dict(category.brands)
    said = rng.choice([brand, names.get(brand, brand)])
    gains = {p.id: 2 if p.brand == brand else 1 for p in products}
    out.append(JudgedQuery("", f"{said} {leaf_zh}", "brand", kind.leaf[0], gains))
    prices = [p.cny for p in products if p.cny is not None]
    if len(prices) >= 4:
        ceiling = round(statistics.median(prices), -1) or 10.0
        gains = {p.id: 2 if p.cny is not None and p.cny <= ceiling else 1 for p in products}
        out.append(JudgedQuery("", f"{ceiling:.0f}元以下的{leaf_zh}", "price", kind.leaf[0], gains))
    english = kind.leaf[0].lower()
    if colours:
        colour = rng.choice(colours)
        gains = {p.id: 2 if p.colour == colour else 1 for p in products}
        text = f"{_COLOUR_ZH[colour]} {english}"
        out.append(JudgedQuery("", text, "english_word", kind.leaf[0], gains))
    return out


def qrels_of(queries: Iterable[JudgedQuery]) -> dict[str, dict[str, float]]:
    """query id -> product id -> gain, the shape `evaluate_run` reads."""
    return {q.query_id: {pid: float(g) for pid, g in q.gains.items()} for q in queries}
