"""Synonyms an index is built with: mined from the shop's search clicks, and the shop's file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from shopmind.core.errors import ConfigError
from shopmind.core.schemas import Event, EventName, Product
from shopmind.core.settings import get_settings
from shopmind.search.index import build_index
from shopmind.search.query import understand
from shopmind.search.schemas import SearchRequest
from shopmind.search.service import search
from shopmind.search.shop_synonyms import click_pairs, shop_synonyms
from shopmind.store import Store

T0 = datetime(2025, 3, 1, tzinfo=UTC)
COUCHES = [f"c{i}" for i in range(6)]
LAMPS = [f"l{i}" for i in range(12)]


def product(pid: str, title: str) -> Product:
    return Product(id=pid, title=title, price=Decimal("99.00"), currency="USD", stock=3)


def catalog() -> list[Product]:
    colours = ["grey", "blue", "green", "beige", "black", "white"]
    out = [product(p, f"{colours[i]} fabric couch three seats") for i, p in enumerate(COUCHES)]
    out += [product(p, f"led desk lamp model {i}") for i, p in enumerate(LAMPS)]
    return out


def session(n: int, query: str, clicked: str) -> list[Event]:
    sid, at = f"s{n}", T0 + timedelta(minutes=10 * n)
    return [
        Event(name=EventName.SEARCH, session_id=sid, query=query, timestamp=at),
        Event(name=EventName.SELECT_ITEM, session_id=sid, product_ids=[clicked],
              timestamp=at + timedelta(seconds=20)),
    ]  # fmt: skip


def events() -> list[Event]:
    out: list[Event] = []
    for n, pid in enumerate(COUCHES):
        out += session(n, "davenport", pid)
    for n, pid in enumerate(LAMPS):
        out += session(100 + n, "lamp for desk", pid)
    return out


def test_click_pairs_are_query_and_clicked_title() -> None:
    titles = {p.id: p.title for p in catalog()}
    pairs = click_pairs(events(), titles)
    assert ("davenport", titles["c0"]) in pairs
    assert len(pairs) == len(COUCHES) + len(LAMPS)
    assert click_pairs([], titles) == []


def test_mined_pairs_expand_the_query_one_way() -> None:
    table, mined = shop_synonyms(catalog(), events())
    assert ("davenport", "couch") in {(m.query_term, m.title_term) for m in mined}
    assert "couch" in table.to_dict()["davenport"]
    assert "davenport" not in table.to_dict().get("couch", [])


@pytest.mark.slow
def test_an_index_finds_couches_for_davenport(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sqlite_store.upsert("products", catalog())
    sqlite_store.add_events(events())
    groups = tmp_path / "synonyms.json"
    groups.write_text(json.dumps({"torchiere": ["desk lamp"]}), encoding="utf-8")
    monkeypatch.setenv("SHOPMIND_SEARCH_SYNONYMS", str(groups))
    monkeypatch.setenv("SHOPMIND_SEARCH_MINE_SYNONYMS", "true")
    get_settings.cache_clear()
    index = build_index(sqlite_store)
    parsed = understand("davenport", index.vocab)
    assert "couch" in parsed.expansions
    found = search(index, SearchRequest(q="davenport")).items
    assert found and all(i.id.startswith("c") for i in found[:6])
    assert understand("torchiere", index.vocab).expansions  # the shop's own group
    monkeypatch.setenv("SHOPMIND_SEARCH_MINE_SYNONYMS", "false")
    get_settings.cache_clear()
    assert "couch" not in understand("davenport", build_index(sqlite_store).vocab).expansions


def test_a_broken_synonym_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "synonyms.json"
    bad.write_text('{"tv": "television"}', encoding="utf-8")
    with pytest.raises(ValueError, match="term -> list of terms"):
        shop_synonyms(catalog(), None, path=bad)


@pytest.mark.slow
def test_brand_aliases_find_both_spellings(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sqlite_store.upsert(
        "products",
        [
            Product(
                id="a",
                title="20000mAh power bank",
                brand="Lanshan",
                price=Decimal("30"),
                currency="USD",
            ),
            Product(
                id="b",
                title="20000mAh 快充移动电源",
                brand="蓝山",
                price=Decimal("199"),
                currency="CNY",
            ),
            Product(
                id="c",
                title="20000mAh power bank",
                brand="Voltix",
                price=Decimal("35"),
                currency="USD",
            ),
        ],
    )
    aliases = tmp_path / "brands.json"
    aliases.write_text(json.dumps({"Lanshan": ["蓝山"]}), encoding="utf-8")
    monkeypatch.setenv("SHOPMIND_SEARCH_BRAND_ALIASES", str(aliases))
    get_settings.cache_clear()
    index = build_index(sqlite_store)
    for query in ("蓝山 power bank", "lanshan 移动电源"):
        found = {i.id for i in search(index, SearchRequest(q=query)).items}
        assert found == {"a", "b"}, query
    plain = build_index(sqlite_store, brand_aliases={})
    assert {i.id for i in search(plain, SearchRequest(q="蓝山 power bank")).items} == {"b"}
    aliases.write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match="SHOPMIND_SEARCH_BRAND_ALIASES"):
        build_index(sqlite_store)


def test_mining_compares_words_case_blind_on_stems() -> None:
    from shopmind.search.synonyms import mine_synonyms

    pairs = [("jeans", f"Women's Slim Jeans, Size {s}") for s in "SMLX"] * 3
    pairs += [("hoodies", "Fleece Hoodie, Grey")] * 6 + [("lamp", "desk lamp")] * 20
    mined = {(m.query_term, m.title_term) for m in mine_synonyms(pairs, min_support=3)}
    assert not any(q in ("jeans", "hoodies") for q, _ in mined)  # the title says it already


def test_cli_proposes_and_writes_synonyms_for_review(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from shopmind.cli.main import app
    from shopmind.store import open_store

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    store = open_store(url)
    store.upsert("products", catalog())
    store.add_events(events())
    store.close()
    out = tmp_path / "synonyms.json"
    out.write_text(json.dumps({"tv": ["television"]}), encoding="utf-8")
    args = ["--store", url, "search", "synonyms", "--write", str(out), "--json"]
    for _ in range(2):  # a second run merges without duplicates
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    proposals = json.loads(result.output.strip().splitlines()[-1])["proposals"]
    assert any(p["query_term"] == "davenport" and p["title_term"] == "couch" for p in proposals)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["tv"] == ["television"] and written["davenport"].count("couch") == 1
