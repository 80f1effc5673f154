"""The item index: product id <-> dense position, and the few product facts rules need.

Positions ``0..n_model-1`` are the products the models were trained with; products that arrive
after training are appended (content neighbours only) until the next training.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.core.schemas import Product

CATALOG_FILE = "catalog.json"


@dataclass
class ItemFacts:
    """What rules, reasons and cold start read about one product."""

    id: str
    title: str
    category: str  # the full path joined with ' > '
    brand: str = ""
    currency: str = ""
    language: str = ""
    tags: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, product: Product) -> ItemFacts:
        return cls(
            id=product.id,
            title=product.title,
            category=product.category,
            brand=product.brand or "",
            currency=product.currency or "",
            language=(product.language or "").split("-")[0].lower(),
            tags=list(product.tags),
        )

    def in_category(self, prefix: str) -> bool:
        """True when the product sits in ``prefix`` or below it (case-blind)."""
        mine, wanted = self.category.casefold(), prefix.casefold().strip()
        return mine == wanted or mine.startswith(wanted + " > ")


@dataclass
class ItemCatalog:
    """Products by position; ``n_model`` of them are known to the trained models."""

    items: list[ItemFacts]
    n_model: int
    _positions: dict[str, int] = field(default_factory=dict, repr=False)
    _columns: dict[str, npt.NDArray[np.str_]] = field(default_factory=dict, repr=False)
    # Arrays other modules derive from the items (cleared with the columns when items change).
    derived: dict[str, npt.NDArray[Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._positions = {item.id: i for i, item in enumerate(self.items)}

    def column(self, name: str) -> npt.NDArray[np.str_]:
        """One text fact of every product as an array (cached), for vectorised filters."""
        if name not in self._columns:
            self._columns[name] = np.asarray([getattr(f, name) for f in self.items], dtype=str)
        return self._columns[name]

    def in_category(self, prefix: str) -> npt.NDArray[np.bool_]:
        """Which products sit in ``prefix`` or below it (case-blind)."""
        wanted = prefix.casefold().strip()
        folded = np.char.lower(self.column("category"))
        return np.asarray((folded == wanted) | np.char.startswith(folded, wanted + " > "))

    @classmethod
    def build(cls, products: Iterable[Product]) -> ItemCatalog:
        items = sorted((ItemFacts.of(p) for p in products), key=lambda f: f.id)
        return cls(items, len(items))

    def __len__(self) -> int:
        return len(self.items)

    def position(self, product_id: str) -> int | None:
        return self._positions.get(product_id)

    def positions(self, product_ids: Iterable[str]) -> list[int]:
        """Positions of the known ids, in order; unknown ids are skipped."""
        return [p for pid in product_ids if (p := self._positions.get(pid)) is not None]

    def append(self, facts: ItemFacts) -> int:
        """Add a product that arrived after training; returns its position."""
        known = self._positions.get(facts.id)
        if known is not None:
            self.items[known] = facts
            self._columns.clear()
            self.derived.clear()
            return known
        self.items.append(facts)
        self._columns.clear()
        self.derived.clear()
        self._positions[facts.id] = len(self.items) - 1
        return len(self.items) - 1

    def save(self, folder: Path) -> None:
        rows = [item.__dict__ for item in self.items[: self.n_model]]
        (folder / CATALOG_FILE).write_text(json.dumps(rows, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> ItemCatalog:
        rows: list[dict[str, Any]] = json.loads((folder / CATALOG_FILE).read_text())
        items = [ItemFacts(**row) for row in rows]
        return cls(items, len(items))
