"""Query understanding over the demo shop's catalog: filters, spelling, synonyms, categories."""

from __future__ import annotations

import dataclasses
import json
import random
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from shopmind.core.schemas import Product
from shopmind.demo import generate
from shopmind.demo.categories import CATEGORIES
from shopmind.search.constraints import PriceRange
from shopmind.search.query import MAX_QUERY_CHARS, ParsedQuery, understand
from shopmind.search.synonyms import SynonymTable, load_synonym_file, mine_synonyms
from shopmind.search.vocabulary import QueryVocabulary


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=7, products=3000, customers=10, events=10, orders=10, reviews=10)
    return [orjson.loads(line) for line in (out / "products.jsonl").read_bytes().splitlines()]


@pytest.fixture(scope="module")
def vocab(catalog: list[dict[str, Any]]) -> QueryVocabulary:
    return QueryVocabulary.build(catalog)


def _copy(vocab: QueryVocabulary) -> QueryVocabulary:
    """A private vocabulary a test may change."""
    return QueryVocabulary.from_json(vocab.to_json())


# --- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "price", "text"),
    [
        ("running shoes under $80", PriceRange(None, 80, "USD"), "running shoes"),
        ("headphones below 80 dollars", PriceRange(None, 80, "USD"), "headphones"),
        ("speaker less than 80", PriceRange(None, 80, None), "speaker"),
        ("office chair $50-$100", PriceRange(50, 100, "USD"), "office chair"),
        ("yoga mat between 50 and 100", PriceRange(50, 100, None), "yoga mat"),
        ("smartwatch over 200", PriceRange(200, None, None), "smartwatch"),
        ("sandals 80 or less", PriceRange(None, 80, None), "sandals"),
        ("跑步鞋 500元以下", PriceRange(None, 500, "CNY"), "跑步鞋"),
        ("移动电源 500块以内", PriceRange(None, 500, "CNY"), "移动电源"),
        ("低于500元的耳机", PriceRange(None, 500, "CNY"), "耳机"),
        ("卫衣 100到200元", PriceRange(100, 200, "CNY"), "卫衣"),
        ("200元以上的办公椅", PriceRange(200, None, "CNY"), "办公椅"),
        ("¥300左右 牛仔裤", PriceRange(240, 360, "CNY"), "牛仔裤"),
        ("shoes for under $80", PriceRange(None, 80, "USD"), "shoes"),
    ],
)
def test_price_phrases(vocab: QueryVocabulary, query: str, price: PriceRange, text: str) -> None:
    parsed = understand(query, vocab)
    assert parsed.constraints.price == price
    assert parsed.text == text


def test_all_filters_come_out_of_the_text(vocab: QueryVocabulary) -> None:
    parsed = understand("red Stride running shoes size 42 under $80 in stock", vocab)
    c = parsed.constraints
    assert c.brand == ("Stride",)
    assert set(c.colour) == {"Red", "红色"}
    assert c.size == ("42",)
    assert c.price == PriceRange(None, 80, "USD")
    assert c.in_stock is True
    assert parsed.text == "running shoes"
    assert parsed.tokens == ("run", "shoe")


def test_mixed_chinese_and_english(vocab: QueryVocabulary) -> None:
    parsed = understand("nike 跑鞋 红色 500元以下", vocab)
    assert parsed.language == "mixed"
    assert parsed.constraints.brand == ()  # the demo shop sells no Nike: it stays a word
    assert "红色" in parsed.constraints.colour
    assert parsed.constraints.price == PriceRange(None, 500, "CNY")
    assert parsed.text == "nike 跑鞋"


def test_brands_in_both_languages_when_the_catalog_has_them() -> None:
    products = [
        {"title": "Nike Air Running Shoes", "brand": "Nike", "category_path": ["Shoes"]},
        {"title": "耐克 跑步鞋", "brand": "耐克", "category_path": ["鞋靴"]},
        {"title": "Stride Sneakers", "brand": "Stride", "category_path": ["Shoes"]},
    ]
    vocab = QueryVocabulary.build(products)
    assert understand("nike 跑鞋 红色 500元以下", vocab).constraints.brand == ("Nike",)
    assert understand("耐克跑鞋", vocab).constraints.brand == ("耐克",)
    assert understand("NIKE shoes", vocab).constraints.brand == ("Nike",)
    # No red product: "红色" is no filter here, it stays a word to search.
    assert understand("红色跑鞋", vocab).constraints.colour == ()
    grouped = QueryVocabulary.build(products, brand_aliases={"Nike": ["耐克"]})
    assert set(understand("耐克跑鞋", grouped).constraints.brand) == {"Nike", "耐克"}


@pytest.mark.parametrize(
    ("query", "brand", "text"),
    [
        ("stride sneakers", ("Stride",), "sneakers"),
        ("Ｓｔｒｉｄｅ sneakers", ("Stride",), "sneakers"),  # full-width letters
        ("highland leaf tea", ("Highland Leaf",), "tea"),
        ("蜻蜓 降噪耳机", ("蜻蜓",), "降噪耳机"),
        ("adidas sneakers", (), "adidas sneakers"),
    ],
)
def test_brands(vocab: QueryVocabulary, query: str, brand: tuple[str, ...], text: str) -> None:
    parsed = understand(query, vocab)
    assert parsed.constraints.brand == brand
    assert parsed.text == text


@pytest.mark.parametrize(
    ("query", "colours", "text"),
    [
        ("navy hoodie", {"Navy", "藏青色"}, "hoodie"),
        ("红色的卫衣", {"Red", "红色"}, "卫衣"),
        ("红 卫衣", {"Red", "红色"}, "卫衣"),
        ("white sneakers", {"White", "白色"}, "sneakers"),
        ("灰色 智能手表", {"Grey", "灰色"}, "智能手表"),
        ("black tea", set(), "black tea"),  # a kind of tea in the demo shop, not a colour
        ("蓝牙耳机", set(), "蓝牙耳机"),
        ("orange hoodie", set(), "orange hoodie"),  # no orange products
    ],
)
def test_colours(vocab: QueryVocabulary, query: str, colours: set[str], text: str) -> None:
    assert "Orange" not in vocab.colours
    parsed = understand(query, vocab)
    assert set(parsed.constraints.colour) == colours
    assert parsed.text == text


@pytest.mark.parametrize(
    ("query", "size", "text"),
    [
        ("hoodie size xl", ("XL",), "hoodie"),
        ("XXL hoodie", ("XXL",), "hoodie"),
        ("running shoes size 10", ("10",), "running shoes"),
        ("男士卫衣 XL码", ("XL",), "男士卫衣"),
        ("跑步鞋 42码", ("42",), "跑步鞋"),
        ("凉鞋 10号", ("10",), "凉鞋"),
    ],
)
def test_sizes(vocab: QueryVocabulary, query: str, size: tuple[str, ...], text: str) -> None:
    parsed = understand(query, vocab)
    assert parsed.constraints.size == size
    assert parsed.text == text


@pytest.mark.parametrize(
    ("query", "in_stock", "hint", "text"),
    [
        ("cheap headphones in stock", True, "low", "headphones"),
        ("便宜的跑步鞋 有货", True, "low", "跑步鞋"),
        ("affordable sofa", False, "low", "sofa"),
        ("budget power bank", False, "low", "power bank"),
        ("现货 高端耳机", True, "high", "耳机"),
        ("premium office chair", False, "high", "office chair"),
        ("expensive smartwatch", False, "high", "smartwatch"),
    ],
)
def test_stock_and_price_hints(
    vocab: QueryVocabulary, query: str, in_stock: bool, hint: str, text: str
) -> None:
    parsed = understand(query, vocab)
    assert parsed.constraints.in_stock is in_stock
    assert parsed.constraints.price_hint == hint
    assert parsed.text == text


def test_price_hint_maps_to_the_category_price_band(vocab: QueryVocabulary) -> None:
    parsed = understand("cheap running shoes", vocab)
    assert parsed.category is not None
    low = vocab.hint_range("low", parsed.category.path)
    high = vocab.hint_range("high", parsed.category.path)
    band = vocab.price_band(parsed.category.path)
    assert band is not None and low is not None and high is not None
    assert low == PriceRange(None, band.q1, "USD")
    assert high == PriceRange(band.q3, None, "USD")
    assert 0 < band.q1 < band.median < band.q3
    zh = vocab.price_band(("鞋靴", "跑步鞋"))
    assert zh is not None and zh.q1 > band.q1  # yuan, not dollars
    assert vocab.hint_range("low", ("No such category",)) is None


# --- spelling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "corrected"),
    [
        ("headphnes", "headphones"),
        ("noise cancelling headphnoes", "noise cancelling headphones"),
        ("sneekers", "sneakers"),
        ("campign tent", "camping tent"),
        ("cofee beans", "coffee beans"),
        ("hoddie", "hoodie"),
        ("stroler", "stroller"),
        ("smartwach", "smartwatch"),
        ("sunscren spf 50", "sunscreen spf 50"),
        ("sandles", "sandals"),
        ("blue tooth speaker", "bluetooth speaker"),  # joined, and "blue" is no colour here
        ("bluetoothspeaker", "bluetooth speaker"),  # split
    ],
)
def test_corrects_typos_of_catalog_words(
    vocab: QueryVocabulary, query: str, corrected: str
) -> None:
    parsed = understand(query, vocab)
    assert parsed.corrected == corrected
    assert parsed.did_you_mean == corrected
    assert parsed.text == query
    for token in vocab.analyzer.tokens(corrected):
        assert token.isdigit() or vocab.knows_token(token)  # rewritten into catalog words
    assert parsed.constraints.colour == ()


@pytest.mark.parametrize(
    "query",
    [
        "voltix",  # a brand
        "aurora headphones",
        "10000mah power bank",  # numbers
        "nova 12 pro phone case",
        "hoodie",  # known words
        "headphone",  # a known word's singular: its stem is known
        "耳机",  # Chinese
        "降噪耳机 蓝牙",
        "iphone",  # an unknown word whose near neighbour starts differently
        "television",  # a synonym, though no catalog word
        "wiremesh",  # two replaced letters far apart: another word, not a typo of wireless
        "toys for kids",
        "qwzx",
    ],
)
def test_leaves_known_words_brands_numbers_and_chinese_alone(
    vocab: QueryVocabulary, query: str
) -> None:
    parsed = understand(query, vocab)
    assert parsed.corrected is None
    assert parsed.did_you_mean is None
    assert parsed.corrections == ()


def test_did_you_mean_keeps_the_filters(vocab: QueryVocabulary) -> None:
    parsed = understand("red headphnes under $80", vocab)
    assert parsed.text == "headphnes"
    assert parsed.corrected == "headphones"
    assert parsed.did_you_mean == "red headphones under $80"
    assert parsed.tokens == ("headphon",)
    assert [(c.word, c.replacement) for c in parsed.corrections] == [("headphnes", "headphones")]


def test_a_corrected_brand_becomes_a_filter(vocab: QueryVocabulary) -> None:
    parsed = understand("voltx charger", vocab)
    assert parsed.constraints.brand == ("Voltix",)
    assert parsed.corrected == "charger"
    assert parsed.did_you_mean == "voltix charger"


def test_typos_of_generated_catalog_words(vocab: QueryVocabulary) -> None:
    # One letter dropped from each frequent catalog word of 7+ letters (many are brands).
    rng = random.Random(3)
    words = sorted(w for w, n in vocab.words.items() if len(w) >= 7 and n >= 20)
    fixed = 0
    for word in words:
        cut = rng.randrange(1, len(word))
        typo = word[:cut] + word[cut + 1 :]
        parsed = understand(typo, vocab)
        # Right when rewritten, or when it already stems like the word ("earphons"), so the
        # search finds the same products.
        same_stem = vocab.analyzer.tokens(typo) == vocab.analyzer.tokens(word)
        fixed += parsed.did_you_mean == word or (same_stem and parsed.corrected is None)
    assert len(words) >= 20
    assert fixed / len(words) >= 0.9


# --- synonyms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tv", {"televis", "电视"}),
        ("television", {"tv", "电视"}),
        ("电视", {"tv", "televis"}),
        ("耳机", {"earphon", "headphon"}),
        ("earphones", {"耳机", "headphon"}),
        ("headphones", {"耳机"}),
        ("手机", {"phone", "smartphon"}),
        ("phone", {"手机"}),
        ("rucksack", {"backpack", "背包"}),
    ],
)
def test_synonyms_expand_both_ways(vocab: QueryVocabulary, query: str, expected: set[str]) -> None:
    parsed = understand(query, vocab)
    assert expected <= set(parsed.expansions)
    assert not set(parsed.expansions) & set(parsed.tokens)  # kept apart from the query's own
    assert parsed.synonyms_applied


def test_synonyms_from_a_json_file(vocab: QueryVocabulary, tmp_path: Path) -> None:
    path = tmp_path / "synonyms.json"
    path.write_text(json.dumps({"jumper": ["hoodie", "卫衣"]}), encoding="utf-8")
    mine = _copy(vocab)
    mine.synonyms = SynonymTable.from_json_file(path)
    parsed = understand("jumper", mine)
    assert {"hoodi", "卫衣"} <= set(parsed.expansions)
    assert parsed.category is not None and parsed.category.path == ("Apparel", "Hoodies")
    assert "tv" in mine.synonyms  # the defaults are kept
    assert "tv" not in SynonymTable.from_json_file(path, with_defaults=False)


@pytest.mark.parametrize(
    ("content", "message"),
    [("[1, 2]", "must hold one object"), ("{not json", "not valid JSON")],
)
def test_bad_synonym_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "synonyms.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_synonym_file(path)
    with pytest.raises(FileNotFoundError, match="pass an existing JSON file"):
        load_synonym_file(tmp_path / "missing.json")


def _click_pairs() -> list[tuple[str, str]]:
    """Synthetic searches with known answers: settee and 沙发 mean sofa, pram means stroller (but
    is rarely searched), "gift" finds anything, and every title says "edition"."""
    rng = random.Random(11)
    brands = ["Oakhaven", "Mujia", "Nordlund", "Linmu", "Basicly", "Aurora"]
    styles = ["Fabric", "Leather", "Velvet", "Corner", "Compact", "Modular"]
    things = ["Sofa", "Office Chair", "Desk", "Bookshelf", "Stroller", "Headphones", "Lamp"]
    things += ["Rug", "Mirror", "Wardrobe", "Kettle", "Toaster"]

    def title(thing: str) -> str:
        return f"{rng.choice(brands)} {rng.choice(styles)} {thing} Edition"

    pairs = [("settee", title("Sofa")) for _ in range(30)]
    pairs += [("沙发", title("Sofa")) for _ in range(10)]
    pairs += [("sofas", title("Sofa")) for _ in range(10)]  # plural: not a synonym
    pairs += [("pram", title("Stroller")) for _ in range(3)]
    pairs += [("gift", title(rng.choice(things))) for _ in range(30)]
    pairs += [(thing.lower(), title(thing)) for thing in things for _ in range(20)]
    return pairs


def test_mined_synonyms_from_co_clicks() -> None:
    mined = mine_synonyms(_click_pairs())
    found = {(m.query_term, m.title_term) for m in mined}
    assert found == {("settee", "sofa"), ("沙发", "sofa")}
    settee = next(m for m in mined if m.query_term == "settee")
    assert settee.support == 30 and settee.confidence == 1.0 and settee.lift > 3


def test_mining_thresholds() -> None:
    pairs = _click_pairs()
    rare = {(m.query_term, m.title_term) for m in mine_synonyms(pairs, min_support=3)}
    assert ("pram", "stroller") in rare  # three clicks are enough when asked for three
    loose = mine_synonyms(pairs, min_confidence=0.1, min_lift=0.0)
    assert ("settee", "edition") in {(m.query_term, m.title_term) for m in loose}  # lift drops it
    capped = mine_synonyms(pairs, min_confidence=0.1, min_lift=0.0, max_per_term=2)
    assert sum(m.query_term == "settee" for m in capped) == 2
    with pytest.raises(ValueError, match="min_support >= 1"):
        mine_synonyms(pairs, min_support=0)


def test_mined_synonyms_expand_one_way(vocab: QueryVocabulary) -> None:
    mine = _copy(vocab)
    mine.synonyms.add_mined(mine_synonyms(_click_pairs()))
    assert "settee" not in vocab.synonyms
    assert "sofa" in understand("settee", mine).expansions
    assert "settee" not in understand("sofa", mine).expansions
    guess = understand("settee", mine).category
    assert guess is not None and guess.path == ("Furniture", "Sofas")


# --- categories ------------------------------------------------------------------------------


def _leaf_queries() -> list[tuple[str, tuple[str, ...]]]:
    """Each demo product type's English and Chinese name, and its category path."""
    queries = []
    for category in CATEGORIES:
        for kind in category.kinds:
            queries.append((kind.leaf[0], (*category.path_en, kind.leaf[0])))
            queries.append((kind.leaf[1], (*category.path_zh, kind.leaf[1])))
    return queries


def _shopper_queries() -> list[tuple[str, tuple[str, ...]]]:
    """The demo's own example searches per category, in both languages."""
    queries = []
    for category in CATEGORIES:
        queries += [(q, category.path_en) for q in category.queries_en]
        queries += [(q, category.path_zh) for q in category.queries_zh]
    return queries


def test_category_of_product_type_names(vocab: QueryVocabulary) -> None:
    queries = _leaf_queries()
    right = sum(
        (guess := understand(q, vocab).category) is not None and guess.path == path
        for q, path in queries
    )
    assert len(queries) >= 30
    assert right / len(queries) >= 0.8


def test_category_of_shopper_searches(vocab: QueryVocabulary) -> None:
    queries = _shopper_queries()
    right = sum(
        (guess := understand(q, vocab).category) is not None and guess.path[: len(path)] == path
        for q, path in queries
    )
    assert len(queries) >= 30
    assert right / len(queries) >= 0.8


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("running shoes", ("Shoes", "Running Shoes")),
        ("跑步鞋", ("鞋靴", "跑步鞋")),
        ("头戴式耳机", ("数码", "音频", "头戴式耳机")),
        ("noise cancelling headphones", ("Electronics", "Audio", "Headphones")),
        ("red stride running shoes under $80", ("Shoes", "Running Shoes")),
    ],
)
def test_category_examples(vocab: QueryVocabulary, query: str, path: tuple[str, ...]) -> None:
    guess = understand(query, vocab).category
    assert guess is not None and guess.path == path and guess.score >= 0.6


@pytest.mark.parametrize("query", ["pro", "air", "qwzx", "nike"])
def test_no_category_when_unsure(vocab: QueryVocabulary, query: str) -> None:
    assert understand(query, vocab).category is None


def test_a_category_too_close_to_call_falls_back_to_its_parent(vocab: QueryVocabulary) -> None:
    # Bluetooth is in headphones, earbuds and speakers alike: only "Audio" is sure.
    guess = understand("bluetooth", vocab).category
    assert guess is not None and guess.path == ("Electronics", "Audio")
    strict = understand("bluetooth", vocab, category_threshold=0.9999).category
    assert strict is None or strict.score >= 0.9999
    with pytest.raises(ValueError, match="category_threshold must be in"):
        understand("bluetooth", vocab, category_threshold=0)


# --- odd input -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\u3000"])
def test_empty_queries(vocab: QueryVocabulary, query: str) -> None:
    parsed = understand(query, vocab)
    assert parsed.text == "" and parsed.tokens == () and parsed.category is None
    assert parsed.language == "other"
    assert parsed.original == query


@pytest.mark.parametrize(
    "query",
    [
        ("red running shoes under $80 " * 400)[:10240],
        "耳机" * 5120,
        "a" * 10240,
        "😀" * 2560,
    ],
)
def test_a_10kb_query_is_cut_and_fast(vocab: QueryVocabulary, query: str) -> None:
    vocab.warm_up()  # lazy tables and jieba built outside the timing
    start = time.perf_counter()
    parsed = understand(query, vocab)
    assert time.perf_counter() - start < 0.05
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert parsed.original == query


def test_a_long_query_is_cut_at_a_word(vocab: QueryVocabulary) -> None:
    parsed = understand("running shoes " * 100, vocab)
    assert parsed.truncated
    assert parsed.text.endswith("shoes")
    assert not understand("running shoes", vocab).truncated


@pytest.mark.parametrize(
    ("query", "text", "language"),
    [
        ("👟 running shoes 🔥", "running shoes", "en"),
        ("耳机🎧", "耳机", "zh"),
        ("ｒｕｎｎｉｎｇ　ｓｈｏｅｓ", "running shoes", "en"),  # full-width, ideographic space
        ("ＸＬ ｈｏｏｄｉｅ", "hoodie", "en"),
        ("RUNNING Shoes", "running shoes", "en"),
        ("running\u200bshoes\x00", "runningshoes", "en"),
        ("ランニングシューズ", "ランニングシューズ", "other"),
    ],
)
def test_emoji_width_and_case(vocab: QueryVocabulary, query: str, text: str, language: str) -> None:
    parsed = understand(query, vocab)
    assert parsed.text == text
    assert parsed.language == language


def test_parsed_query_is_frozen_and_json_ready(vocab: QueryVocabulary) -> None:
    parsed = understand("red headphnes 蓝牙 under $80", vocab)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.text = "x"  # type: ignore[misc]
    data = json.loads(json.dumps(parsed.to_dict(), ensure_ascii=False))
    assert data["constraints"]["price"] == {"min": None, "max": 80.0, "currency": "USD"}
    assert data["corrected"] == parsed.search_text
    assert set(data) == {f.name for f in dataclasses.fields(ParsedQuery)}


# --- the vocabulary --------------------------------------------------------------------------


def test_vocabulary_round_trips_through_json(vocab: QueryVocabulary, tmp_path: Path) -> None:
    path = tmp_path / "vocab.json"
    vocab.save(path)
    loaded = QueryVocabulary.load(path)
    for query in ["red stride running shoes under $80", "nike 跑鞋 红色 500元以下", "headphnes"]:
        assert understand(query, loaded) == understand(query, vocab)
    assert loaded.price_bands == vocab.price_bands
    assert b"pickle" not in path.read_bytes()[:200]


def test_vocabulary_files_that_are_not_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"QueryVocabulary\.build"):
        QueryVocabulary.load(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="not a query vocabulary"):
        QueryVocabulary.from_json(b'{"format": "something else"}')
    with pytest.raises(ValueError, match="rebuild it"):
        QueryVocabulary.from_json(b'{"format": "shopmind.query-vocabulary", "version": 99}')


def test_vocabulary_from_product_objects_and_a_generator(catalog: list[dict[str, Any]]) -> None:
    products = (Product.model_validate(record) for record in catalog[:300])
    vocab = QueryVocabulary.build(products)
    assert vocab.products == 300
    assert vocab.brands and vocab.colours and vocab.sizes
    assert all(isinstance(band.q1, float) for band in vocab.price_bands.values())


def test_vocabulary_counts(vocab: QueryVocabulary, catalog: list[dict[str, Any]]) -> None:
    assert vocab.products == len(catalog)
    assert vocab.brands["Stride"] == sum(p["brand"] == "Stride" for p in catalog)
    assert set(vocab.colours) == {
        p["attributes"]["colour"] for p in catalog if "colour" in p["attributes"]
    }
    assert {"XL", "42", "M"} <= set(vocab.sizes)
    assert "black tea" in vocab.colour_phrases
    assert vocab.price_band() is not None  # the whole catalog
