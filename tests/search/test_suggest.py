"""Autocomplete from catalog phrases and popular queries, in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from shopmind.core.schemas import Event, Product
from shopmind.search.suggest import Suggester, popular_queries
from shopmind.store import Store


def _products() -> list[Product]:
    titles = [
        ("降噪蓝牙耳机 黑色", "蜻蜓", ["数码", "音频"]),
        ("真无线蓝牙耳机 白色", "蜻蜓", ["数码", "音频"]),
        ("便携蓝牙音箱", "蜻蜓", ["数码", "音频"]),
        ("Wireless Earbuds, Black", "Bassline", ["Electronics", "Audio"]),
        ("Wireless Earbuds, Blue", "Bassline", ["Electronics", "Audio"]),
        ("Wired In-Ear Earphones", "Shengyue", ["Electronics", "Audio"]),
    ]
    return [
        Product(
            id=f"p{i}",
            title=t,
            brand=b,
            category_path=c,
            price=Decimal(10),
            currency="USD",
        )
        for i, (t, b, c) in enumerate(titles)
    ]


def test_chinese_prefix_completes_to_catalog_phrases() -> None:
    s = Suggester.build(_products(), {})
    got = s.suggest("蓝牙")
    assert got[0] == "蓝牙" or "蓝牙耳机" in got[:3]
    assert "蓝牙耳机" in got and "蓝牙音箱" in got


def test_english_prefix_ranked_by_frequency() -> None:
    s = Suggester.build(_products(), {})
    got = s.suggest("wire")
    assert got[:2] == ["wireless", "wireless earbuds"]
    assert "wired" in got


def test_popular_queries_outrank_catalog_phrases() -> None:
    s = Suggester.build(_products(), {"wireless charger": 5})
    assert s.suggest("Wireless C") == ["wireless charger"]
    assert s.suggest("wire", limit=1) == ["wireless charger"]


def test_empty_prefix_and_limits() -> None:
    s = Suggester.build(_products(), {})
    assert s.suggest("   ") == []
    assert s.suggest("zzz") == []
    with pytest.raises(ValueError, match="limit"):
        s.suggest("a", limit=0)


def test_round_trip() -> None:
    s = Suggester.build(_products(), {"耳机": 2})
    again = Suggester.from_dict(s.to_dict())
    assert again.suggest("耳") == s.suggest("耳")


def test_popular_queries_come_from_search_events(sqlite_store: Store) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    events = [
        Event(name="search", session_id="s1", query=q, timestamp=now)
        for q in ("Dog Toy", "dog toy", "蓝牙耳机")
    ]
    sqlite_store.add_events(events)
    assert popular_queries(sqlite_store) == {"dog toy": 2, "蓝牙耳机": 1}
