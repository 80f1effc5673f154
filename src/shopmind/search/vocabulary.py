"""What query understanding knows about a catalog, built once by a job and read by requests.

`QueryVocabulary.build` reads every product once (title, brand, category path, colour and size
attributes, price) and keeps counts, not products: word and token frequencies for spelling, brands,
colours and sizes for filters, price quartiles per category, and a naive Bayes category model. A
million demo products build in about 35 s on a busy two-core machine (300 MB peak): titles are
tokenised a piece at a time (Han runs, and Latin text between commas) through a cache, as variants
repeat the same pieces. It is saved as JSON (`save`/`load`, no pickle); the spelling index and
phrase tables are rebuilt on first use or by `warm_up`.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from shopmind.search.analyzer import Analyzer
from shopmind.search.constraints import COLOUR_WORDS, Lexicon, PriceRange, colour_concept
from shopmind.search.spell import SpellChecker
from shopmind.search.synonyms import SynonymTable
from shopmind.text.normalise import normalise_for_match

F64 = npt.NDArray[np.float64]
FORMAT = "shopmind.query-vocabulary"
VERSION = 1
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECES = re.compile(f"[{_HAN_CHARS}]+|[^{_HAN_CHARS},]+(?:,\\d[^{_HAN_CHARS},]*)*")
_HAN = re.compile(f"[{_HAN_CHARS}]")
_LATIN_WORDS = re.compile(r"[a-z]+")
_SIZE_KEYS = ("size", "shoe_size", "diaper_size")
_CACHE_LIMIT = 500_000
_ALPHA = 0.01  # additive smoothing: small, so one telling word can make a confident guess
_OTHER_SCRIPT = math.log(0.25)  # an English query prefers English category names, and so on
# Words that tell nothing about a category, whatever titles say.
_STOP = frozenset("a an and for from in of on or the to with by 的 和 与 及 或".split())


@dataclass(frozen=True)
class PriceBand:
    """Price quartiles of one category path in one currency."""

    count: int
    q1: float
    median: float
    q3: float

    def for_hint(self, hint: str, currency: str | None) -> PriceRange:
        """Hint "low" means up to the first quartile, "high" from the third quartile up."""
        if hint == "low":
            return PriceRange(None, self.q1, currency)
        if hint == "high":
            return PriceRange(self.q3, None, currency)
        raise ValueError(f"price hint must be 'low' or 'high', got {hint!r}")


@dataclass(frozen=True)
class CategoryGuess:
    """A predicted category path (a leaf, or a parent when leaves are too close to call)."""

    path: tuple[str, ...]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"path": list(self.path), "score": round(self.score, 4)}


class CategoryModel:
    """Multinomial naive Bayes over title tokens, one class per category path.

    Each product counts each distinct token of its title and category path once. Scores are
    posteriors; `predict` returns the best leaf when it has at least ``threshold`` of the mass,
    else the deepest parent path that has, else None.
    """

    def __init__(
        self,
        paths: list[tuple[str, ...]],
        docs: list[int],
        counts: dict[str, dict[int, int]],
    ) -> None:
        self.paths = paths
        self.counts = counts
        self._docs = np.asarray(docs, np.float64)
        totals = np.zeros(len(paths), np.float64)
        for by_path in counts.values():
            for path, count in by_path.items():
                totals[path] += count
        self._log_prior = np.log(np.maximum(self._docs, 1) / max(self._docs.sum(), 1))
        self._log_norm = np.log(totals + _ALPHA * max(len(counts), 1))
        self._han_paths = np.array([bool(_HAN.search("".join(p))) for p in paths], dtype=bool)

    def knows(self, token: str) -> bool:
        """Whether ``token`` is evidence for some category (a catalog word, not a stop word)."""
        return token in self.counts and token not in _STOP

    def posterior(self, tokens: Iterable[str]) -> F64 | None:
        """Probability of each path given the tokens the model knows; None if it knows none.

        Paths named in another script than the query's words start at a quarter of their prior,
        which settles words both languages' titles share ("gps").
        """
        known = [t for t in dict.fromkeys(tokens) if t in self.counts and t not in _STOP]
        if not known or not self.paths:
            return None
        scores = self._log_prior - len(known) * self._log_norm
        han = [bool(_HAN.search(t)) for t in known]
        if all(han) or not any(han):
            scores = scores + np.where(self._han_paths == all(han), 0.0, _OTHER_SCRIPT)
        for token in known:
            row = np.full(len(self.paths), _ALPHA)
            for path, count in self.counts[token].items():
                row[path] += count
            scores += np.log(row)
        scores -= scores.max()
        probabilities: F64 = np.exp(scores)
        probabilities /= probabilities.sum()
        return probabilities

    def predict(self, tokens: Iterable[str], threshold: float = 0.6) -> CategoryGuess | None:
        probabilities = self.posterior(tokens)
        if probabilities is None:
            return None
        best = int(probabilities.argmax())
        if probabilities[best] >= threshold:
            return CategoryGuess(self.paths[best], float(probabilities[best]))
        depth = max(len(p) for p in self.paths)
        for level in range(depth - 1, 0, -1):
            mass: Counter[tuple[str, ...]] = Counter()
            for path, p in zip(self.paths, probabilities.tolist(), strict=True):
                if len(path) > level:
                    mass[path[:level]] += p
            if mass:
                prefix, share = mass.most_common(1)[0]
                if share >= threshold:
                    return CategoryGuess(prefix, share)
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "paths": [list(p) for p in self.paths],
            "docs": self._docs.astype(int).tolist(),
            "tokens": {t: sorted(by_path.items()) for t, by_path in self.counts.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CategoryModel:
        counts = {t: {int(p): int(n) for p, n in pairs} for t, pairs in data["tokens"].items()}
        return cls([tuple(p) for p in data["paths"]], list(data["docs"]), counts)


class QueryVocabulary:
    """Catalog knowledge for `understand`: build once with `build`, then share between requests.

    Treat it as read-only once requests use it (set `synonyms` before); its lazily built parts
    (spelling index, phrase tables) are safe to build twice, so threads may share one.
    """

    def __init__(
        self,
        *,
        products: int,
        words: dict[str, int],
        brands: dict[str, int],
        colours: dict[str, int],
        sizes: dict[str, int],
        colour_phrases: list[str],
        price_bands: dict[tuple[tuple[str, ...], str], PriceBand],
        categories: CategoryModel,
        synonyms: SynonymTable | None = None,
        brand_aliases: dict[str, list[str]] | None = None,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.products = products
        self.words = words
        self.brands = brands
        self.colours = colours
        self.sizes = sizes
        self.colour_phrases = colour_phrases
        self.price_bands = price_bands
        self.categories = categories
        self.synonyms = synonyms if synonyms is not None else SynonymTable.default()
        self.brand_aliases = brand_aliases or {}
        self.analyzer = analyzer or Analyzer()

    @classmethod
    def build(
        cls,
        products: Iterable[Any],
        *,
        synonyms: SynonymTable | None = None,
        brand_aliases: Mapping[str, Iterable[str]] | None = None,
        analyzer: Analyzer | None = None,
    ) -> QueryVocabulary:
        """Read products (dicts or objects with title, brand, category_path, attributes with
        "colour" or "color", price and optionally currency) once and keep what queries need.

        ``brand_aliases`` groups names of one brand ({"Nike": ["耐克"]}) so either finds both.
        """
        builder = _Builder(analyzer or Analyzer())
        for product in products:
            builder.add(product)
        return builder.finish(synonyms, {k: list(v) for k, v in (brand_aliases or {}).items()})

    # --- derived, built on first use -----------------------------------------------------------

    def warm_up(self) -> None:
        """Build the lazy parts now (and load jieba's dictionary), not in the first request."""
        _ = self.lexicon, self.speller, self.brand_words
        self.synonyms.expand(self.analyzer.tokens("预热 warm up"), self.analyzer)

    @cached_property
    def lexicon(self) -> Lexicon:
        return Lexicon(
            self.brands,
            self.colours,
            self.sizes,
            brand_aliases=self.brand_aliases,
            colour_phrases=self.colour_phrases,
        )

    @cached_property
    def speller(self) -> SpellChecker:
        return SpellChecker(self.words)

    @cached_property
    def brand_words(self) -> frozenset[str]:
        """Latin words of brand names: never spelling-corrected."""
        aliases = [name for names in self.brand_aliases.values() for name in names]
        names = [*self.brands, *self.brand_aliases, *aliases]
        return frozenset(w for b in names for w in _LATIN_WORDS.findall(normalise_for_match(b)))

    def knows_token(self, token: str) -> bool:
        """Whether an analyzer token (a stem, a jieba word) occurs in the catalog."""
        return token in self.categories.counts

    def price_band(self, path: Iterable[str] = (), currency: str | None = None) -> PriceBand | None:
        """Quartiles for a category path (``()`` = whole catalog); without a currency, those of
        the currency most of the path's products use."""
        key = tuple(path)
        if currency is not None:
            return self.price_bands.get((key, currency))
        bands = [band for (p, _), band in self.price_bands.items() if p == key]
        return max(bands, key=lambda band: band.count, default=None)

    def hint_range(
        self, hint: str, path: Iterable[str] = (), currency: str | None = None
    ) -> PriceRange | None:
        """The price range a "cheap"/"premium" hint stands for in a category, if it has prices."""
        key = tuple(path)
        band = self.price_band(key, currency)
        if band is None:
            return None
        if currency is None:
            currency = next(c for (p, c), b in self.price_bands.items() if p == key and b is band)
        return band.for_hint(hint, currency or None)  # "" marks products without a currency

    # --- files ---------------------------------------------------------------------------------

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "products": self.products,
                "words": self.words,
                "brands": self.brands,
                "brand_aliases": self.brand_aliases,
                "colours": self.colours,
                "colour_phrases": self.colour_phrases,
                "sizes": self.sizes,
                "price_bands": [
                    {"path": list(path), "currency": currency, **band.__dict__}
                    for (path, currency), band in self.price_bands.items()
                ],
                "categories": self.categories.to_dict(),
                "synonyms": self.synonyms.to_dict(),
            }
        )

    @classmethod
    def from_json(cls, data: bytes | str, *, analyzer: Analyzer | None = None) -> QueryVocabulary:
        raw = orjson.loads(data)
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ValueError(
                "not a query vocabulary: rebuild it with QueryVocabulary.build(products).save(path)"
            )
        if raw.get("version") != VERSION:
            raise ValueError(
                f"query vocabulary version {raw.get('version')} is not {VERSION}: rebuild it with "
                "QueryVocabulary.build(products)"
            )
        bands = {
            (tuple(b["path"]), b["currency"]): PriceBand(b["count"], b["q1"], b["median"], b["q3"])
            for b in raw["price_bands"]
        }
        return cls(
            products=raw["products"],
            words=raw["words"],
            brands=raw["brands"],
            colours=raw["colours"],
            sizes=raw["sizes"],
            colour_phrases=raw["colour_phrases"],
            price_bands=bands,
            categories=CategoryModel.from_dict(raw["categories"]),
            synonyms=SynonymTable.from_dict(raw["synonyms"]),
            brand_aliases=raw["brand_aliases"],
            analyzer=analyzer,
        )

    def save(self, path: Path) -> None:
        Path(path).write_bytes(self.to_json())

    @classmethod
    def load(cls, path: Path, *, analyzer: Analyzer | None = None) -> QueryVocabulary:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"no query vocabulary at {path}: build one with QueryVocabulary.build(products)"
                ".save(path)"
            )
        return cls.from_json(path.read_bytes(), analyzer=analyzer)


def _field(product: Any, name: str) -> Any:
    if type(product) is dict or isinstance(product, Mapping):  # the exact check is the fast one
        return product.get(name)
    return getattr(product, name, None)


class _Builder:
    """Counts gathered over one pass through the products."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.products = 0
        self.words: Counter[str] = Counter()
        self.brands: Counter[str] = Counter()
        self.colours: Counter[str] = Counter()
        self.sizes: Counter[str] = Counter()
        self.phrases: Counter[str] = Counter()  # colour word + neighbour, used as a colour
        self.not_colour: Counter[str] = Counter()  # ... and used in a name ("black tea")
        self.prices: dict[tuple[tuple[str, ...], str], array[float]] = {}
        self.paths: dict[tuple[str, ...], int] = {}
        self.path_tokens: list[set[str]] = []
        self.docs: list[int] = []
        self.pairs: Counter[tuple[str, int]] = Counter()  # (token, path number) -> products
        self._pieces: dict[str, list[str]] = {}

    def add(self, product: Any) -> None:
        self.products += 1
        title = normalise_for_match(str(_field(product, "title") or ""))
        brand = _field(product, "brand")
        path = tuple(str(p) for p in (_field(product, "category_path") or ()) if p)
        attributes = _field(product, "attributes") or {}
        colour = attributes.get("colour", attributes.get("color"))
        words = _LATIN_WORDS.findall(title)
        self.words.update(set(words))
        if brand:
            self.brands[str(brand)] += 1
        if isinstance(colour, str) and colour:
            self.colours[colour] += 1
        for key in _SIZE_KEYS:
            size = attributes.get(key)
            if size is not None and not isinstance(size, bool):
                self.sizes[str(size)] += 1
        self._colour_words(words, colour if isinstance(colour, str) else "")
        self._price(product, path)
        if path:
            self._category(title, path)

    def _colour_words(self, words: list[str], colour: str) -> None:
        """Count colour words next to other words, split by whether the product has that colour."""
        names = set(colour_concept(colour).split()) if colour else set()
        for i, word in enumerate(words):
            if word not in COLOUR_WORDS:
                continue
            target = self.phrases if colour_concept(word) in names else self.not_colour
            if i > 0:
                target[f"{words[i - 1]} {word}"] += 1
            if i + 1 < len(words):
                target[f"{word} {words[i + 1]}"] += 1

    def _price(self, product: Any, path: tuple[str, ...]) -> None:
        try:
            price = float(_field(product, "price"))
        except (TypeError, ValueError):
            return
        if not math.isfinite(price) or price < 0:
            return
        currency = str(_field(product, "currency") or "")
        for depth in range(len(path) + 1):
            self.prices.setdefault((path[:depth], currency), array("d")).append(price)

    def _category(self, title: str, path: tuple[str, ...]) -> None:
        number = self.paths.get(path)
        if number is None:
            number = self.paths[path] = len(self.paths)
            self.docs.append(0)
            words = self._tokens(" ".join(normalise_for_match(part) for part in path))
            self.path_tokens.append(set(words))
        self.docs[number] += 1
        tokens = self.path_tokens[number].union(self._tokens(title))
        self.pairs.update((token, number) for token in tokens)

    def _tokens(self, text: str) -> list[str]:
        # The analyzer cuts Han and Latin runs apart anyway; caching the pieces makes variants
        # ("..., Black, Size M") cost one dictionary read per piece. Numbers say little about a
        # category and would bloat the model.
        tokens: list[str] = []
        for piece in _PIECES.findall(text):
            cached = self._pieces.get(piece)
            if cached is None:
                if len(self._pieces) >= _CACHE_LIMIT:
                    self._pieces.clear()
                words = self.analyzer.tokens(piece)
                cached = self._pieces[piece] = [w for w in words if not w.isdigit()]
            tokens.extend(cached)
        return tokens

    def finish(
        self, synonyms: SynonymTable | None, brand_aliases: dict[str, list[str]]
    ) -> QueryVocabulary:
        bands = {}
        for key, values in self.prices.items():
            q1, median, q3 = np.percentile(np.frombuffer(values, np.float64), [25, 50, 75])
            bands[key] = PriceBand(
                len(values), round(float(q1), 2), round(float(median), 2), round(float(q3), 2)
            )
        phrases = [
            phrase
            for phrase, count in self.not_colour.items()
            if count >= 2 and count > self.phrases[phrase]
        ]
        counts: dict[str, dict[int, int]] = {}
        for (token, number), count in self.pairs.items():
            counts.setdefault(token, {})[number] = count
        return QueryVocabulary(
            products=self.products,
            words=dict(self.words),
            brands=dict(self.brands),
            colours=dict(self.colours),
            sizes=dict(self.sizes),
            colour_phrases=sorted(phrases),
            price_bands=bands,
            categories=CategoryModel(list(self.paths), self.docs, counts),
            synonyms=synonyms,
            brand_aliases=brand_aliases,
            analyzer=self.analyzer,
        )
