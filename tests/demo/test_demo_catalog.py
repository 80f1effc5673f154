"""The catalog reads like a real bilingual shop: categories, brands, prices, variants, copy."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from demo.shop import Shop

_CJK = re.compile(r"[\u4e00-\u9fff]")
_INVISIBLE = re.compile("[\u200b-\u200f\ufeff]")


def test_at_least_twelve_categories_in_both_languages(shop: Shop) -> None:
    products = shop.records["products"]
    assert len({shop.category_of(p) for p in products}) >= 12
    languages = {p["language"] for p in products}
    assert languages == {"zh", "en"}
    share = sum(p["language"] == "zh" for p in products) / len(products)
    assert 0.35 < share < 0.65


def test_language_decides_path_currency_and_title_script(shop: Shop) -> None:
    categories = shop.truth["categories"]
    for product in shop.records["products"]:
        prefix = categories[shop.category_of(product)][product["language"]]
        assert product["category_path"][: len(prefix)] == prefix
        if product["language"] == "zh":
            assert product["currency"] == "CNY"
            assert _CJK.search(product["title"])
        else:
            assert product["currency"] in ("USD", "EUR")
            assert not _CJK.search(product["title"] + product["description"])


def test_prices_stock_and_links_look_like_a_shop(shop: Shop) -> None:
    products = shop.records["products"]
    currencies = {p["currency"] for p in products}
    assert currencies == {"CNY", "USD", "EUR"}
    discounted = [p for p in products if "compare_at_price" in p]
    assert discounted
    assert all(Decimal(p["compare_at_price"]) > Decimal(p["price"]) for p in discounted)
    assert any(p["stock"] == 0 and p["availability"] == "out_of_stock" for p in products)
    for product in products:
        assert product["url"].startswith("https://demo.shopmind.local/")
        assert product["images"]
        assert all(i.startswith("https://demo.shopmind.local/img/") for i in product["images"])
        assert product["attributes"]
        assert product["brand"]


def test_variants_share_a_model_and_differ_in_colour_or_size(shop: Shop) -> None:
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for product in shop.records["products"]:
        if "variant_group" in product:
            groups[product["variant_group"]].append(product)
    assert len(groups) >= 10
    for members in groups.values():
        assert len(members) >= 2
        assert len({m["brand"] for m in members}) == 1
        assert len({m["price"] for m in members}) == 1
        assert len({str(m["category_path"]) for m in members}) == 1
        assert len({m["title"] for m in members}) == len(members)


def test_descriptions_mix_plain_text_html_and_invisible_characters(shop: Shop) -> None:
    descriptions = [p["description"] for p in shop.records["products"]]
    assert any("<ul><li>" in d for d in descriptions)
    assert any("<" not in d for d in descriptions)
    assert any(_INVISIBLE.search(d) for d in descriptions)
    plain = [d for d in descriptions if "<" not in d and d.count(".") + d.count("。") >= 3]
    assert len(plain) > len(descriptions) / 3


def test_created_over_two_years_before_the_events(shop: Shop) -> None:
    created = sorted(p["created_at"] for p in shop.records["products"])
    assert created[0] < "2023-07-01" and created[-1] >= "2024-07-01"
    assert created[-1] < shop.truth["time"]["events_start"]
