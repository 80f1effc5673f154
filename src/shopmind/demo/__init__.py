"""Deterministic demo shop: a bilingual catalog, customers with hidden tastes, GA4 events, orders,
reviews with planted aspect sentiment, help pages, and the ground truth behind them.

Everything is invented and drawn from the seed alone: the same seed gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from shopmind.demo.generator import FILES, GENERATOR_VERSION, DemoManifest, Progress, run

__all__ = [
    "FILES",
    "GENERATOR_VERSION",
    "DemoManifest",
    "Progress",
    "generate",
    "load_ground_truth",
]


def generate(
    out_dir: Path,
    *,
    seed: int = 7,
    products: int = 2000,
    customers: int = 600,
    events: int = 60000,
    orders: int = 3500,
    reviews: int = 12000,
    progress: Progress | None = None,
) -> DemoManifest:
    """Write the demo shop into ``out_dir`` (created if missing) and return its manifest.

    Files: products/customers/events/orders/reviews ``.jsonl`` (one schema-shaped object a line),
    ``documents/*.md``, ``ground_truth.json`` and ``manifest.json``. Counts are exact.
    ``progress(stage, done, total)`` is called now and then for a progress bar.
    """
    counts = {
        "products": products,
        "customers": customers,
        "events": events,
        "orders": orders,
        "reviews": reviews,
    }
    return run(Path(out_dir), seed, counts, progress)


def load_ground_truth(out_dir: Path) -> dict[str, Any]:
    """The hidden answers of a generated shop: customer tastes, aspect profiles, policies."""
    path = Path(out_dir) / FILES["ground_truth"]
    if not path.is_file():
        raise FileNotFoundError(
            f"no {FILES['ground_truth']} in {out_dir}: run shopmind.demo.generate(out_dir) first"
        )
    data: dict[str, Any] = orjson.loads(path.read_bytes())
    return data
