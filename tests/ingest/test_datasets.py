"""Real public data from ../shared/datasets (skipped with the reason when the folder is absent)."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from shopmind.ingest import Mapping, ingest
from shopmind.store import Store

pytestmark = pytest.mark.datasets

OLIST_MAPPING = Mapping.parse(
    [
        "id=product_id",
        "title={category_name} {product_id}",
        "category_path=category_name",
        "attributes.weight_g=weight_g",
        "attributes.length_cm=length_cm",
        "attributes.height_cm=height_cm",
        "attributes.width_cm=width_cm",
        "attributes.photos_qty=photos_qty",
    ]
)


def test_olist_products_full_table(sqlite_store: Store, dataset: Callable[..., Path]) -> None:
    path = dataset("catalog", "olist_partial", "full_tables", "olist_products_dataset.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    report = ingest(sqlite_store, "products", path, mapping=OLIST_MAPPING)
    assert report.rejected == 0 and report.inserted == len(rows) > 30_000
    assert any("ignored column" in w for w in report.warnings)  # name/description lengths
    first = rows[0]
    stored = sqlite_store.get("products", [first["product_id"]])[first["product_id"]]
    assert stored.category_path == [first["category_name"]]  # type: ignore[attr-defined]
    assert stored.attributes["weight_g"] == int(first["weight_g"])  # type: ignore[attr-defined]
    again = ingest(sqlite_store, "products", path, mapping=OLIST_MAPPING)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(rows))


def test_taobao_user_behaviour_events(sqlite_store: Store, dataset: Callable[..., Path]) -> None:
    path = dataset("recsys", "taobao_userbehavior_sample", "UserBehavior_sample.csv")
    with path.open() as handle:
        rows = [r for r in csv.reader(handle) if r]
    mapping = Mapping.parse(
        [
            "customer_id=user",
            "product_ids=item",
            "name=behavior",
            "timestamp=ts",
            "properties.category=category",
        ],
        ["name:pv=view_item,cart=add_to_cart,fav=add_to_wishlist,buy=purchase"],
    )
    report = ingest(
        sqlite_store,
        "events",
        path,
        columns=["user", "item", "category", "behavior", "ts"],
        mapping=mapping,
    )
    distinct = len({tuple(r) for r in rows})
    assert report.rejected == 0
    assert report.inserted == distinct and report.unchanged == len(rows) - distinct
    expected = Counter(
        {"pv": "view_item", "cart": "add_to_cart", "fav": "add_to_wishlist", "buy": "purchase"}[
            r[3]
        ]
        for r in {tuple(r) for r in rows}
    )
    stored = Counter(e.name.value for e in sqlite_store.iter_models("events"))  # type: ignore[attr-defined]
    assert stored == expected
