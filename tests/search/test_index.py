"""SearchIndex: build, persistence, incremental refresh, deletions and the refresher thread."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from shopmind.core.schemas import Event, EventName, Product
from shopmind.search.index import build_index, load_index, save_index
from shopmind.search.refresh import IndexRefresher, refresh
from shopmind.search.schemas import SearchRequest
from shopmind.search.service import search
from shopmind.store import Store

pytestmark = pytest.mark.slow

CATALOG = [
    ("p1", "Trailblazer waterproof hiking boots", "Peakline", ["Shoes", "Boots"], "Brown", 5),
    ("p2", "Cushioned running shoes", "Stride", ["Shoes", "Running"], "Blue", 0),
    ("p3", "降噪蓝牙耳机", "蜻蜓", ["数码", "音频"], "黑色", 12),
    ("p4", "Stainless steel water bottle 750 ml", "Hydra", ["Sports", "Bottles"], "Silver", 3),
    ("p5", "Cotton crew neck t-shirt", "Basicly", ["Apparel", "Tops"], "Red", 40),
]


def product(pid: str, title: str, brand: str, path: list[str], colour: str, stock: int) -> Product:
    return Product(
        id=pid,
        title=title,
        brand=brand,
        category_path=path,
        attributes={"colour": colour},
        price=Decimal("19.99"),
        currency="USD",
        stock=stock,
    )


@pytest.fixture
def filled(sqlite_store: Store) -> Store:
    sqlite_store.upsert("products", [product(*row) for row in CATALOG])
    return sqlite_store


def ids(store_index: object, q: str, **filters: object) -> list[str]:
    request = SearchRequest.parse({"q": q, "filters": filters})
    return [i.id for i in search(store_index, request).items]  # type: ignore[arg-type]


def test_build_aligns_columns_and_clears_dirty_flags(filled: Store) -> None:
    index = build_index(filled)
    assert index.size == 5 and list(index.catalog.ids) == [r[0] for r in CATALOG]
    assert list(index.catalog.in_stock) == [True, False, True, True, True]
    assert index.vectors.shape[0] == 5 and index.vectors.dtype == np.float16
    assert filled.stats()["dirty_products"] == 0
    assert ids(index, "hiking boots")[0] == "p1"


def test_save_and_load_round_trip(filled: Store, tmp_path: Path) -> None:
    index = build_index(filled)
    path = save_index(index, tmp_path / "search")
    meta = json.loads((path / "meta.json").read_text())
    assert meta["build_id"] == index.build_id and meta["products"] == 5
    assert not list(tmp_path.glob(".*tmp"))  # the temp folder was renamed or removed
    loaded = load_index(path)
    request = SearchRequest.parse({"q": "boots", "filters": {"in_stock": True}})
    assert search(loaded, request).model_dump(exclude={"took_ms"}) == search(
        index, request
    ).model_dump(exclude={"took_ms"})
    save_index(loaded, path)  # overwriting an existing index works too
    assert load_index(path).build_id == index.build_id


def test_load_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="shopmind search index"):
        load_index(tmp_path / "missing")


def test_refresh_adds_new_products_and_applies_stock_changes(filled: Store) -> None:
    index = build_index(filled)
    assert refresh(index, filled) == 0
    new = product("p6", "Ultralight trekking poles", "Peakline", ["Sports", "Hiking"], "Grey", 9)
    sold_out = product(*CATALOG[0][:5], 0)
    filled.upsert("products", [new, sold_out])
    assert refresh(index, filled) == 2
    assert "p6" in ids(index, "trekking poles")
    assert "p1" not in ids(index, "hiking boots", in_stock=True)
    assert ids(index, "hiking boots").count("p1") == 1  # the old position is masked
    assert filled.stats()["dirty_products"] == 0
    assert index.size == 6 and len(index.bm25.segments) == 2


def test_deleted_products_disappear(filled: Store) -> None:
    index = build_index(filled)
    filled.delete("products", ["p3"])
    assert refresh(index, filled) == 1
    assert "p3" not in ids(index, "蓝牙耳机")
    assert index.size == 4


def test_refreshed_index_survives_a_round_trip(filled: Store, tmp_path: Path) -> None:
    index = build_index(filled)
    filled.upsert(
        "products", [product("p7", "Merino wool socks", "Basicly", ["Apparel"], "Grey", 4)]
    )
    refresh(index, filled)
    loaded = load_index(save_index(index, tmp_path / "s"))
    assert "p7" in ids(loaded, "wool socks")
    assert loaded.size == 6


def test_refresher_makes_an_upsert_searchable_within_a_second(filled: Store) -> None:
    index = build_index(filled)
    index.warm_up()
    refresher = IndexRefresher(index, filled, interval=0.1)
    refresher.start()
    try:
        filled.upsert(
            "products",
            [product("p8", "Folding camping chair", "Peakline", ["Outdoor"], "Green", 2)],
        )
        start = time.monotonic()
        while "p8" not in ids(index, "camping chair"):
            assert time.monotonic() - start < 1.0, "not searchable within 1 s"
            time.sleep(0.05)
    finally:
        refresher.stop()


def test_refresher_rejects_a_bad_interval(filled: Store) -> None:
    with pytest.raises(ValueError, match="interval"):
        IndexRefresher(build_index(filled), filled, interval=0)


def test_large_catalogs_use_hnsw_and_round_trip(
    filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shopmind.search.index.EXACT_BELOW", 0)
    index = build_index(filled)
    assert type(index.ann).__name__ == "HnswIndex"
    filled.upsert("products", [product(*CATALOG[1][:5], 7)])  # p2 back in stock
    filled.delete("products", ["p4"])
    assert refresh(index, filled) == 2
    loaded = load_index(save_index(index, tmp_path / "h"))
    assert type(loaded.ann).__name__ == "HnswIndex"
    assert ids(loaded, "running shoes", in_stock=True)[0] == "p2"
    assert "p4" not in ids(loaded, "water bottle")


def _list_event(eid: str, name: str, products: list[str]) -> Event:
    return Event(
        id=eid,
        name=EventName(name),
        session_id="s1",
        product_ids=products,
        timestamp=datetime(2026, 11, 1, tzinfo=UTC),
    )


def test_click_through_comes_from_list_impressions_and_clicks(filled: Store) -> None:
    assert not build_index(filled).catalog.ctr.any()  # no impressions logged: neutral
    events = [_list_event(f"l{i}", "view_item_list", ["p1", "p2", "p3"]) for i in range(30)]
    events += [_list_event(f"c{i}", "select_item", ["p1"]) for i in range(15)]
    events += [_list_event("c-p2", "select_item", ["p2"])]
    filled.add_events(events)
    catalog = build_index(filled).catalog
    ctr = dict(zip(catalog.ids, catalog.ctr, strict=True))
    prior = 16 / 90  # the shop's clicks over impressions
    assert ctr["p1"] > prior > ctr["p2"] > ctr["p3"] > 0  # smoothed, never exactly zero
    assert ctr["p4"] == pytest.approx(prior)  # never shown: the shop's rate
    assert ctr["p1"] < 15 / 30  # shrunk towards the prior
