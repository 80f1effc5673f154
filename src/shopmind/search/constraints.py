"""Filters spelled out in a query: price, brand, colour, size, stock, in English and Chinese.

Each extractor takes normalised query text (NFKC, case-folded: see `normalise_for_match`) and
returns what it found plus the text with the matched words replaced by spaces, so the words left
over are the product words ("red nike shoes under $80" -> "shoes"). Brands and colours are only
recognised when the catalog has them (the `Lexicon`); price and size phrases are recognised by
pattern. Matching is by dictionary lookups over word n-grams, not one regex per brand, so a
catalog with tens of thousands of brands costs the same per query as one with ten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shopmind.text.normalise import normalise_for_match
from shopmind.text.segment import tokenize as segment

_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{_HAN_CHARS}]")
_HAN_RUN = re.compile(f"[{_HAN_CHARS}]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_MAX_PHRASE_WORDS = 5
_MAX_HAN_PHRASE = 12
AROUND = 0.2  # "about $50" means 40..60


@dataclass(frozen=True)
class PriceRange:
    """Inclusive bounds; None is open. ``currency`` is an ISO code or None when not said."""

    min: float | None = None
    max: float | None = None
    currency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "currency": self.currency}


@dataclass(frozen=True)
class Constraints:
    """Filters found in a query; ``brand`` and ``colour`` hold catalog values to filter on."""

    brand: tuple[str, ...] = ()
    colour: tuple[str, ...] = ()
    size: tuple[str, ...] = ()
    price: PriceRange | None = None
    price_hint: str | None = None  # "low" or "high": the caller picks the category's price band
    in_stock: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "brand": list(self.brand),
            "colour": list(self.colour),
            "size": list(self.size),
            "price": self.price.to_dict() if self.price else None,
            "price_hint": self.price_hint,
            "in_stock": self.in_stock,
        }


# --- colours ---------------------------------------------------------------------------------

# Names of one colour in English and Chinese. A catalog value matching any name joins that colour,
# so "红" finds products coloured "Red" and "红色". Values not listed here match their own name.
COLOUR_NAMES: dict[str, tuple[str, ...]] = {
    "black": ("black", "黑色", "黑"),
    "white": ("white", "白色", "白"),
    "grey": ("grey", "gray", "灰色", "灰"),
    "navy": ("navy", "navy blue", "藏青色", "藏青", "藏蓝色", "藏蓝"),
    "indigo": ("indigo", "dark blue", "深蓝色", "深蓝", "靛蓝色", "靛蓝"),
    "blue": ("blue", "蓝色", "蓝"),
    "light blue": ("light blue", "sky blue", "浅蓝色", "浅蓝", "天蓝色"),
    "red": ("red", "红色", "红"),
    "green": ("green", "绿色", "绿"),
    "olive": ("olive", "olive green", "橄榄绿", "橄榄色"),
    "pink": ("pink", "粉色", "粉红色", "粉红"),
    "beige": ("beige", "米色", "杏色"),
    "brown": ("brown", "棕色", "咖啡色", "褐色"),
    "purple": ("purple", "violet", "紫色", "紫"),
    "yellow": ("yellow", "黄色", "黄"),
    "orange": ("orange", "橙色", "橘色"),
    "gold": ("gold", "金色"),
    "silver": ("silver", "银色"),
    "walnut": ("walnut", "胡桃色", "胡桃木色"),
    "khaki": ("khaki", "卡其色"),
}
COLOUR_WORDS = frozenset(
    name for names in COLOUR_NAMES.values() for name in names if not _HAN.search(name)
)
_CONCEPT_OF = {name: concept for concept, names in COLOUR_NAMES.items() for name in names}


def colour_concept(value: str) -> str:
    """The colour a catalog value names ("Red", "红色" -> "red"); unknown values name themselves."""
    key = normalise_for_match(value)
    return _CONCEPT_OF.get(key, key)


# --- the catalog's brands and colours --------------------------------------------------------


@dataclass
class _Phrases:
    """Normalised phrase -> catalog values, looked up by Latin word n-grams and Han substrings."""

    latin: dict[str, tuple[str, ...]] = field(default_factory=dict)
    han: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Han names of one character ("红") match only as a word of their own, never inside another
    # word: "蓝牙" (Bluetooth) is not blue, "红茶" (black tea) is not red.
    han_char: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, phrase: str, values: Iterable[str]) -> None:
        key = normalise_for_match(phrase)
        if _HAN.search(key):
            table = self.han_char if len(key) == 1 else self.han
            table[key] = _merge(table.get(key, ()), values)
            return
        words = _LATIN_WORD.findall(key)
        if not words or len("".join(words)) < 2 or "".join(words).isdigit():
            return  # a one-letter or numeric name would match everywhere
        for form in {" ".join(words), "".join(words)}:
            self.latin[form] = _merge(self.latin.get(form, ()), values)


def _merge(old: tuple[str, ...], new: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*old, *new]))


class Lexicon:
    """What the catalog can be filtered on: its brands, colours and sizes.

    ``colour_phrases`` are word pairs such as "black tea" where a colour word names a product,
    not its colour; a colour word in such a pair is left in the query.
    """

    def __init__(
        self,
        brands: Iterable[str],
        colours: Iterable[str],
        sizes: Iterable[str] = (),
        *,
        brand_aliases: Mapping[str, Iterable[str]] | None = None,
        colour_phrases: Iterable[str] = (),
    ) -> None:
        self.brands = _Phrases()
        known = dict.fromkeys(brands)
        for brand in known:
            self.brands.add(brand, [brand])
        for canonical, aliases in (brand_aliases or {}).items():
            names = (canonical, *aliases)
            group = [name for name in names if name in known]
            for name in names if group else ():
                self.brands.add(name, group)  # an alias finds the catalog's spellings
        self.colours = _Phrases()
        by_concept: dict[str, list[str]] = {}
        for value in colours:
            by_concept.setdefault(colour_concept(value), []).append(value)
        for concept, values in by_concept.items():
            for name in {*COLOUR_NAMES.get(concept, ()), concept, *values}:
                self.colours.add(name, sorted(values))
        self.sizes = {normalise_for_match(s): s for s in sizes}
        self.colour_phrases = frozenset(colour_phrases)


# --- extraction ------------------------------------------------------------------------------


def extract_brands(text: str, lexicon: Lexicon) -> tuple[tuple[str, ...], str]:
    """Catalog brands named in ``text`` (longest name first), and the text without them."""
    return _extract(text, lexicon.brands, frozenset())


def extract_colours(text: str, lexicon: Lexicon) -> tuple[tuple[str, ...], str]:
    """Catalog colour values named in ``text``, and the text without the colour words."""
    return _extract(text, lexicon.colours, lexicon.colour_phrases)


def _extract(
    text: str, phrases: _Phrases, keep_pairs: frozenset[str]
) -> tuple[tuple[str, ...], str]:
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    if phrases.latin:
        spans.extend(_latin_spans(text, phrases.latin, keep_pairs))
    if phrases.han or phrases.han_char:
        spans.extend(_han_spans(text, phrases))
    if not spans:
        return (), text
    found: list[str] = []
    for _, _, values in sorted(spans):
        found.extend(values)
    return tuple(dict.fromkeys(found)), _blank(text, [(s, e) for s, e, _ in spans])


def _latin_spans(
    text: str, table: Mapping[str, tuple[str, ...]], keep_pairs: frozenset[str]
) -> list[tuple[int, int, tuple[str, ...]]]:
    words = list(_LATIN_WORD.finditer(text))
    spans = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            group = [m.group() for m in words[i : i + n]]
            values = table.get(" ".join(group)) or (table.get("".join(group)) if n > 1 else None)
            if values and not _in_pair(words, i, n, keep_pairs):
                spans.append((words[i].start(), words[i + n - 1].end(), values))
                i += n
                break
        else:
            i += 1
    return spans


def _in_pair(words: list[re.Match[str]], i: int, n: int, pairs: frozenset[str]) -> bool:
    """Whether the phrase at words[i:i+n] is half of a pair such as "black tea"."""
    if not pairs or n != 1:
        return False
    word = words[i].group()
    before = f"{words[i - 1].group()} {word}" if i > 0 else ""
    after = f"{word} {words[i + 1].group()}" if i + 1 < len(words) else ""
    return before in pairs or after in pairs


def _han_spans(text: str, phrases: _Phrases) -> list[tuple[int, int, tuple[str, ...]]]:
    spans = []
    for run in _HAN_RUN.finditer(text):
        chunk, base = run.group(), run.start()
        covered = [False] * len(chunk)
        start = 0
        while start < len(chunk):
            for length in range(min(_MAX_HAN_PHRASE, len(chunk) - start), 1, -1):
                values = phrases.han.get(chunk[start : start + length])
                if values:
                    spans.append((base + start, base + start + length, values))
                    covered[start : start + length] = [True] * length
                    start += length
                    break
            else:
                start += 1
        if phrases.han_char:
            spans.extend(_han_char_spans(chunk, base, phrases.han_char, covered))
    return spans


def _han_char_spans(
    chunk: str, base: int, table: Mapping[str, tuple[str, ...]], covered: list[bool]
) -> list[tuple[int, int, tuple[str, ...]]]:
    if not any(ch in table for ch in chunk):
        return []
    words = segment(chunk, lang="zh")
    if "".join(words) != chunk:
        return []  # offsets would not line up; leave single characters alone
    spans = []
    at = 0
    for word in words:
        if word in table and not covered[at]:
            spans.append((base + at, base + at + 1, table[word]))
        at += len(word)
    return spans


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# --- sizes -----------------------------------------------------------------------------------

_LETTER_SIZE = r"xxxs|xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl"
_NUMBER_SIZE = r"\d{1,2}(?:\.5)?"
_SIZE_PATTERNS = (
    # "size 10", "size: XL", "sz 9.5", "EU 42", "尺码42"
    re.compile(rf"(?:\b(?:size|sz|eu|us|uk)\s*:?|尺码[:：]?)\s*({_LETTER_SIZE}|{_NUMBER_SIZE})\b"),
    # "42码", "XL码", "10号" (not "5号电池", an AA battery)
    re.compile(rf"(?<![a-z0-9.])({_LETTER_SIZE}|{_NUMBER_SIZE})\s*(?:码|号(?!电池))"),
    # XL, XXL, XS alone; a lone s, m or l is too often something else
    re.compile(r"(?<![a-z0-9])(xxxs|xxs|xs|xl|xxl|xxxl|[2-5]xl)(?![a-z0-9])"),
)
_SIZE_ALIASES = {"2xl": "xxl", "3xl": "xxxl"}


def extract_sizes(text: str, lexicon: Lexicon) -> tuple[tuple[str, ...], str]:
    """Sizes asked for ("size 10", "XL", "42码", "10号"), spelled as the catalog spells them."""
    found: list[str] = []
    for pattern in _SIZE_PATTERNS:
        for match in pattern.finditer(text):
            found.append(_size_value(match.group(1), lexicon))
        text = pattern.sub(" ", text)
    return tuple(dict.fromkeys(found)), text


def _size_value(raw: str, lexicon: Lexicon) -> str:
    key = _SIZE_ALIASES.get(raw, raw)
    if key.endswith(".0"):
        key = key[:-2]
    return lexicon.sizes.get(key, key.upper())


# --- stock and price words -------------------------------------------------------------------

_IN_STOCK = re.compile(r"\bin[- ]?stock\b|\bavailable now\b|有货|现货|有库存")
_PRICE_HINTS = (
    (
        "low",
        re.compile(
            r"\b(?:cheap(?:est|er)?|affordable|budget|inexpensive|bargain"
            r"|low[- ](?:cost|price[ds]?))\b"
            r"|(?:便宜|实惠|平价|低价|廉价)(?:的|点|些|一点)?"
        ),
    ),
    (
        "high",
        re.compile(
            r"\b(?:expensive|premium|luxury|luxurious|high[- ]end|top[- ]end|upscale)\b"
            r"|(?:高端|高档|奢华|奢侈)(?:的)?"
        ),
    ),
)


def extract_in_stock(text: str) -> tuple[bool, str]:
    """True for "in stock", "有货" or "现货", and the text without those words."""
    found = bool(_IN_STOCK.search(text))
    return found, _IN_STOCK.sub(" ", text) if found else text


def extract_price_hint(text: str) -> tuple[str | None, str]:
    """Hint "low" for "cheap", "便宜的"; "high" for "premium", "高端" (the first one said wins)."""
    hits = [(m.start(), hint) for hint, pattern in _PRICE_HINTS for m in pattern.finditer(text)]
    if not hits:
        return None, text
    for _, pattern in _PRICE_HINTS:
        text = pattern.sub(" ", text)
    return min(hits)[1], text


# --- price -----------------------------------------------------------------------------------

_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_ZH_DIGITS |= {"八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?k(?![a-z]))?|[零一二两三四五六七八九十百千万]+"
_PREFIX = r"us\$|\$|usd|¥|rmb|cny|€|eur|£|gbp"
_SUFFIX = (
    r"dollars?|usd|bucks?|euros?|eur|yuan|rmb|cny|gbp|块钱|块|元|圆|美元|美金|欧元|人民币|\$|€|£"
)
# A number followed by a unit is a size or a quantity, not a price ("under 5 kg", "低于3岁").
_UNIT_AFTER = re.compile(
    r"\s?(?:%|x\b|码|号|寸|英寸|岁|片|件|个|人|页|克|千克|公斤|斤|升|毫升|米|厘米|毫米|瓦|天|小时|分钟"
    r"|(?:mah|w|v|a|ah|kg|g|lbs?|oz|ml|l|mm|cm|m|km|ft|in|inch(?:es)?|gb|tb|hz|pcs|pieces?"
    r"|count|pack|pk|person|people|years?|yrs?|months?|days?|hours?|minutes?|watts?)\b)"
)
# The lookahead keeps numbers whole: without it "under $80 in red" could match "under $8".
_MONEY = (
    rf"(?:(?P<preN>{_PREFIX})\s?)?(?P<numN>{_NUM})(?![\d零一二两三四五六七八九十百千万]|[.,]\d)"
    rf"(?:\s?(?P<sufN>{_SUFFIX}))?"
)


def _money(i: int) -> str:
    """The money pattern with its groups numbered ``i``, as a pattern may hold two amounts."""
    return _MONEY.replace("N>", f"{i}>")


_M1, _M2 = _money(1), _money(2)
_EN_MAX = (
    r"under|below|less than|cheaper than|lower than|up to|at most|no more than|not more than"
    r"|max(?:imum)?|within|<=?|≤"
)
_EN_MIN = r"over|above|more than|at least|min(?:imum)?|starting at|higher than|>=?|≥"
_EN_AROUND = r"around|about|approx(?:\.|imately)?|roughly|circa|~"
# (kind, pattern); the first pattern that matches wins, so ranges come before single bounds.
_PRICE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "range",
            rf"(?:价格|价位|预算)?(?:在)?(?:\b(?P<cue>between|from)\s+)?{_M1}"
            rf"\s*(?:-|–|—|~|～|to|and|到|至)\s*{_M2}(?:之间|以内|左右)?",
        ),
        (
            "max",
            rf"(?:\b(?:{_EN_MAX})|低于|少于|不超过|不高于|不到|最多|小于)\s*{_M1}(?:以下|以内)?",
        ),
        (
            "max",
            rf"{_M1}\s*(?:or less|or under|and under|and below|or below|or cheaper|max\b"
            r"|及以下|以下|以内|之内|内|封顶)",
        ),
        ("min", rf"(?:\b(?:{_EN_MIN})|高于|超过|大于|不低于|至少|多于)\s*{_M1}(?:以上)?"),
        ("min", rf"{_M1}\s*(?:\+|or more|and up\b|and above|or above|or over|及以上|以上|起)"),
        ("around", rf"(?:\b(?:{_EN_AROUND})|约|大约|大概|差不多)\s*{_M1}(?:左右)?"),
        ("around", rf"{_M1}\s*(?:左右|上下|-?ish\b)"),
        ("around", rf"(?<![\w.]){_M1}(?![\w.])"),  # a bare "$80": about that much
    )
)
_CURRENCY = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "buck": "USD",
    "bucks": "USD", "美元": "USD", "美金": "USD",
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "元": "CNY", "块": "CNY",
    "块钱": "CNY", "圆": "CNY", "人民币": "CNY",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "£": "GBP", "gbp": "GBP",
}  # fmt: skip
_PRICE_WORDS = re.compile(r"\b(?:price[ds]?|priced|costs?|costing)\b|价格|价位|预算")


def extract_price(text: str) -> tuple[PriceRange | None, str]:
    """A price range said in words: "under $80", "$50-$100", "500元以下", "¥300左右" (±20%)."""
    cued = bool(_PRICE_WORDS.search(text))
    for kind, pattern in _PRICE_PATTERNS:
        for match in pattern.finditer(text):
            price = _price(kind, match, cued)
            if price is not None and (price.currency or not _UNIT_AFTER.match(text, match.end())):
                rest = text[: match.start()] + " " + text[match.end() :]
                return price, _PRICE_WORDS.sub(" ", rest)
    return None, text


def _price(kind: str, match: re.Match[str], cued: bool) -> PriceRange | None:
    groups = match.groupdict()
    currency = _currency(groups, 1) or (_currency(groups, 2) if kind == "range" else None)
    low = _number(groups["num1"])
    if low is None:
        return None
    if kind == "range":
        high = _number(groups["num2"])
        if high is None or not (currency or cued or groups.get("cue")):
            return None  # "10-20" alone may be sizes or pieces
        low, high = min(low, high), max(low, high)
        return PriceRange(low, high, currency)
    if kind == "max":
        return PriceRange(None, low, currency)
    if kind == "min":
        return PriceRange(low, None, currency)
    if match.re is _PRICE_PATTERNS[-1][1] and not currency:
        return None  # a bare number is a price only with a currency sign or word
    return PriceRange(round(low * (1 - AROUND), 2), round(low * (1 + AROUND), 2), currency)


_ZH_ONLY = re.compile(r"[零一二两三四五六七八九十百千万]+")


def _currency(groups: Mapping[str, str | None], i: int) -> str | None:
    for key in (f"pre{i}", f"suf{i}"):
        word = groups.get(key)
        if word:
            return _CURRENCY.get(word)
    return None


def _number(raw: str | None) -> float | None:
    if not raw:
        return None
    if _ZH_ONLY.fullmatch(raw):
        return _chinese_number(raw)
    raw = raw.replace(",", "").replace(" ", "")
    scale = 1000.0 if raw.endswith("k") else 1.0
    try:
        return float(raw.rstrip("k")) * scale
    except ValueError:
        return None


def _chinese_number(text: str) -> float | None:
    """Chinese numerals as a number: "五百" 500, "两千五" 2500, "一万" 10000; None for zero."""
    total, section, digit = 0, 0, 0
    last_unit = 0
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section, digit, last_unit = 0, 0, 10000
        else:
            unit = _ZH_UNITS[ch]
            section += (digit or 1) * unit
            digit, last_unit = 0, unit
    if digit and last_unit >= 100 and len(text) > 1 and text[-2] in "百千万":
        digit *= last_unit // 10  # "两千五" is 2500, not 2005; "一百零五" stays 105
    value = total + section + digit
    return float(value) if value else None
