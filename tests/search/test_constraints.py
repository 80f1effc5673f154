"""Filters read from query text: prices, sizes, stock, price hints, brands and colours."""

from __future__ import annotations

import pytest

from shopmind.search.constraints import (
    Lexicon,
    PriceRange,
    colour_concept,
    extract_brands,
    extract_colours,
    extract_in_stock,
    extract_price,
    extract_price_hint,
    extract_sizes,
)
from shopmind.text.normalise import normalise_for_match


def _price(text: str) -> tuple[PriceRange | None, str]:
    price, rest = extract_price(normalise_for_match(text))
    return price, " ".join(rest.split())


@pytest.mark.parametrize(
    ("query", "low", "high", "currency", "rest"),
    [
        ("red nike shoes under $80", None, 80, "USD", "red nike shoes"),
        ("below 80 dollars", None, 80, "USD", ""),
        ("less than 80", None, 80, None, ""),
        ("headphones up to 99.99 usd", None, 99.99, "USD", "headphones"),
        ("shoes under $80 in red", None, 80, "USD", "shoes in red"),  # not "$8" + "0 in"
        ("under 2 kg under $30", None, 30, "USD", "under 2 kg"),
        ("$50-$100", 50, 100, "USD", ""),
        ("$50 - 100 speaker", 50, 100, "USD", "speaker"),
        ("from $50 to $100", 50, 100, "USD", ""),
        ("between 50 and 100", 50, 100, None, ""),
        ("between 100 and 50", 50, 100, None, ""),  # reversed bounds are put right
        ("over 200", 200, None, None, ""),
        ("$1,200 or more", 1200, None, "USD", ""),
        ("sofa under 1k", None, 1000, None, "sofa"),
        ("80 or less", None, 80, None, ""),
        ("around 50 euros", 40, 60, "EUR", ""),
        ("about $50 watch", 40, 60, "USD", "watch"),
        ("headphones $80", 64, 96, "USD", "headphones"),  # a bare amount: about that much
        ("500元以下", None, 500, "CNY", ""),
        ("500块以内", None, 500, "CNY", ""),
        ("低于500元", None, 500, "CNY", ""),
        ("不超过300元的耳机", None, 300, "CNY", "的耳机"),
        ("100到200元", 100, 200, "CNY", ""),
        ("价格在100到200元之间", 100, 200, "CNY", ""),
        ("50-100元", 50, 100, "CNY", ""),
        ("200元以上", 200, None, "CNY", ""),
        ("¥300左右", 240, 360, "CNY", ""),
        ("￥300左右", 240, 360, "CNY", ""),  # full-width yen sign
        ("500以下", None, 500, None, ""),
        ("五百元以下", None, 500, "CNY", ""),
        ("两千五左右的沙发", 2000, 3000, None, "的沙发"),
        ("一百零五元以下", None, 105, "CNY", ""),
    ],
)
def test_price_phrases(
    query: str, low: float | None, high: float | None, currency: str | None, rest: str
) -> None:
    price, left = _price(query)
    assert price == PriceRange(low, high, currency)
    assert left == rest


@pytest.mark.parametrize(
    "query",
    [
        "under 5 kg",  # a weight
        "3岁以下",  # an age
        "20000mah power bank",
        "10-20 pcs",
        "over ear headphones",
        "iphone 15 pro",
        "2 person tent under 4 lbs",
        "一件t恤",
        "",
    ],
)
def test_numbers_that_are_not_prices(query: str) -> None:
    price, left = _price(query)
    assert price is None
    assert left == " ".join(normalise_for_match(query).split())


_LEXICON = Lexicon(
    ["Northway", "Highland Leaf", "Stride", "云裳", "聚能", "Juneng", "Nike", "耐克"],
    ["Red", "红色", "Black", "黑色", "Light blue", "浅蓝色", "Indigo", "深蓝色", "Blue", "蓝色"],
    ["XS", "M", "XL", "XXL", "42", "36"],
    brand_aliases={"Juneng": ["聚能"], "Nike": ["耐克"]},
    colour_phrases=["black tea"],
)


@pytest.mark.parametrize(
    ("query", "sizes", "rest"),
    [
        ("size 10 shoes", ("10",), "shoes"),
        ("hoodie size: xl", ("XL",), "hoodie"),
        ("sneakers eu 42", ("42",), "sneakers"),
        ("XL hoodie", ("XL",), "hoodie"),
        ("2xl hoodie", ("XXL",), "hoodie"),
        ("42码跑鞋", ("42",), "跑鞋"),
        ("男士卫衣 m码", ("M",), "男士卫衣"),
        ("10号 凉鞋", ("10",), "凉鞋"),
        ("尺码36", ("36",), ""),
        ("5号电池", (), "5号电池"),  # an AA battery, not a size
        ("m&m cookies", (), "m&m cookies"),  # a lone m is no size
        ("size 9.5 boots", ("9.5",), "boots"),
    ],
)
def test_sizes(query: str, sizes: tuple[str, ...], rest: str) -> None:
    found, left = extract_sizes(normalise_for_match(query), _LEXICON)
    assert found == sizes
    assert " ".join(left.split()) == rest


@pytest.mark.parametrize(
    ("query", "expected"),
    [("in stock shoes", True), ("in-stock", True), ("有货的耳机", True), ("现货", True)],
)
def test_in_stock(query: str, expected: bool) -> None:
    found, left = extract_in_stock(query)
    assert found is expected
    assert "stock" not in left and "货" not in left


def test_in_stock_absent() -> None:
    assert extract_in_stock("stockings") == (False, "stockings")


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("cheap headphones", "low"),
        ("affordable sofa", "low"),
        ("budget phone", "low"),
        ("便宜的跑鞋", "low"),
        ("实惠耳机", "low"),
        ("expensive watch", "high"),
        ("premium office chair", "high"),
        ("high-end speaker", "high"),
        ("高端耳机", "high"),
        ("headphones", None),
    ],
)
def test_price_hints(query: str, hint: str | None) -> None:
    found, left = extract_price_hint(query)
    assert found == hint
    if hint:
        assert len(left.split()) <= len(query.split())
        assert "便宜" not in left and "cheap" not in left


@pytest.mark.parametrize(
    ("query", "brands", "rest"),
    [
        ("northway hoodie", ("Northway",), "hoodie"),
        ("NORTHWAY hoodie", ("Northway",), "hoodie"),
        ("highland leaf green tea", ("Highland Leaf",), "green tea"),
        ("highland-leaf tea", ("Highland Leaf",), "tea"),
        ("highlandleaf tea", ("Highland Leaf",), "tea"),
        ("云裳卫衣", ("云裳",), "卫衣"),
        ("juneng 充电宝", ("Juneng", "聚能"), "充电宝"),  # an alias finds both spellings
        ("耐克跑鞋", ("耐克", "Nike"), "跑鞋"),
        ("adidas shoes", (), "adidas shoes"),  # not in the catalog: stays a search word
        ("strides", (), "strides"),  # whole words only
    ],
)
def test_brands_only_from_the_catalog(query: str, brands: tuple[str, ...], rest: str) -> None:
    found, left = extract_brands(normalise_for_match(query), _LEXICON)
    assert found == brands
    assert " ".join(left.split()) == rest


@pytest.mark.parametrize(
    ("query", "colours", "rest"),
    [
        ("red hoodie", ("Red", "红色"), "hoodie"),
        ("红色卫衣", ("Red", "红色"), "卫衣"),
        ("红 跑鞋", ("Red", "红色"), "跑鞋"),
        ("深蓝色牛仔裤", ("Indigo", "深蓝色"), "牛仔裤"),  # not also "蓝色"
        ("light blue jeans", ("Light blue", "浅蓝色"), "jeans"),
        ("blue jeans", ("Blue", "蓝色"), "jeans"),
        ("蓝牙耳机", (), "蓝牙耳机"),  # Bluetooth, not blue
        ("红茶", (), "红茶"),  # black tea, not red
        ("black tea", (), "black tea"),  # the catalog names a tea "black"
        ("black hoodie", ("Black", "黑色"), "hoodie"),
        ("orange hoodie", (), "orange hoodie"),  # no orange products: not a filter
        ("purple", (), "purple"),
    ],
)
def test_colours_only_from_the_catalog(query: str, colours: tuple[str, ...], rest: str) -> None:
    found, left = extract_colours(normalise_for_match(query), _LEXICON)
    assert found == colours
    assert " ".join(left.split()) == rest


def test_colour_concepts_are_bilingual() -> None:
    assert colour_concept("Red") == colour_concept("红色") == "red"
    assert colour_concept("Gray") == colour_concept("灰色") == "grey"
    assert colour_concept("Rose gold") == "rose gold"  # unknown values name themselves


def test_unlisted_catalog_colour_matches_its_own_name() -> None:
    lexicon = Lexicon([], ["Rose gold"])
    assert extract_colours("rose gold watch", lexicon)[0] == ("Rose gold",)


def test_one_letter_and_numeric_brands_are_ignored() -> None:
    lexicon = Lexicon(["X", "3", "Voltix"], [])
    assert extract_brands("x 3 voltix", lexicon)[0] == ("Voltix",)
