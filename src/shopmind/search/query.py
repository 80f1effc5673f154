"""Query understanding: what a shopper typed, as filters, search words and a likely category.

``understand("red nike shoes under $80", vocab)`` gives brand Nike, colour red and a price below
80 USD as filters, "shoes" as the words to search, typos fixed from the catalog's own words,
synonym expansions kept apart, and the category when the catalog's titles make it clear. It is a
pure function of the text and the `QueryVocabulary`, and takes well under a millisecond for a
typical query (jieba's dictionary loads once per process on the first Chinese text).

Steps, in order: clip and normalise (NFKC, case-folded, emoji dropped); join split words the
catalog writes as one ("blue tooth" -> "bluetooth"); take out price, stock, price-hint, size, brand
and colour phrases; correct spelling of the words left; expand synonyms; predict the category.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from shopmind.search.constraints import (
    Constraints,
    extract_brands,
    extract_colours,
    extract_in_stock,
    extract_price,
    extract_price_hint,
    extract_sizes,
)
from shopmind.search.synonyms import SynonymUse
from shopmind.search.vocabulary import CategoryGuess, QueryVocabulary
from shopmind.text.lang import detect_language
from shopmind.text.normalise import normalise_for_match

MAX_QUERY_CHARS = 256  # longer input is cut at a word boundary: no shopper types more
MAX_CORRECTIONS = 8
CATEGORY_THRESHOLD = 0.6

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z]{2,}")
_WORD = re.compile(r"(?<![a-z0-9])[a-z]+(?![a-z0-9])")
_DROP_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn", "Cc"})  # emoji, symbols, controls
# Words a constraint leaves stranded at either end ("shoes in red" -> "shoes in" -> "shoes").
_EDGE_WORDS = frozenset(
    "for with in and or of at the a an by from to priced price size color colour that is are"
    " which on".split()
)
_EDGE_CHARS = "的在和或与及"
# Ordinary query words that are not catalog words and must not be "corrected".
_KEEP = frozenset(
    "best good great cheap nice new sale gift gifts kids women womens mens girls boys baby with"
    " without from that this these those what when where which very most more less much many"
    " some other only also just into over under your their about after before while would could"
    " should near like than then them they have here there does each every both same such"
    " colour color size price free shipping deal deals review reviews quality online shop store"
    " brand buy cost original genuine official used set pack pair pairs".split()
)


@dataclass(frozen=True)
class Correction:
    """One rewrite: a misspelt word, or words joined or split ("blue tooth" -> "bluetooth")."""

    word: str
    replacement: str
    distance: int

    def to_dict(self) -> dict[str, Any]:
        return {"word": self.word, "replacement": self.replacement, "distance": self.distance}


@dataclass(frozen=True)
class ParsedQuery:
    """What `understand` made of a query; `to_dict` is what the storefront shows.

    ``text`` is the query without its filter words; ``corrected`` the same after spelling fixes
    (None when nothing changed) and ``did_you_mean`` the whole query with the fixes, for a
    "did you mean" link. ``tokens`` are the analyzer tokens to search for; ``expansions`` the
    tokens synonyms add, for the caller to weight lower.
    """

    original: str
    language: str
    text: str
    corrected: str | None = None
    did_you_mean: str | None = None
    corrections: tuple[Correction, ...] = ()
    synonyms_applied: tuple[SynonymUse, ...] = ()
    tokens: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()
    constraints: Constraints = field(default_factory=Constraints)
    category: CategoryGuess | None = None
    truncated: bool = False

    @property
    def search_text(self) -> str:
        """The words to search for: the corrected text when there is one."""
        return self.corrected if self.corrected is not None else self.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "language": self.language,
            "text": self.text,
            "corrected": self.corrected,
            "did_you_mean": self.did_you_mean,
            "corrections": [c.to_dict() for c in self.corrections],
            "synonyms_applied": [s.to_dict() for s in self.synonyms_applied],
            "tokens": list(self.tokens),
            "expansions": list(self.expansions),
            "constraints": self.constraints.to_dict(),
            "category": self.category.to_dict() if self.category else None,
            "truncated": self.truncated,
        }


def understand(
    text: str, vocab: QueryVocabulary, *, category_threshold: float = CATEGORY_THRESHOLD
) -> ParsedQuery:
    """Parse a shopper's query against the catalog's vocabulary. Never raises on odd input.

    ``category_threshold`` is the posterior a category path needs before it is returned.
    """
    if not 0 < category_threshold <= 1:
        raise ValueError(f"category_threshold must be in (0, 1], got {category_threshold}")
    query, truncated = _clean(text)
    if not query:
        return ParsedQuery(original=text, language="other", text="", truncated=truncated)
    joined, joins = _join_words(query, vocab)
    constraints, rest = _constraints(joined, vocab)
    corrected, fixes = _correct(rest, vocab)
    if fixes:  # a fixed word may be a brand ("voltx" -> "voltix"): make it a filter too
        constraints, corrected = _late_brands(constraints, corrected, vocab)
    corrections = (*joins, *fixes)
    tokens = vocab.analyzer.tokens(corrected)
    uses, expansions = vocab.synonyms.expand(tokens, vocab.analyzer)
    return ParsedQuery(
        original=text,
        language=_language(query),
        text=_unjoin(rest, joins),
        corrected=corrected if corrections else None,
        did_you_mean=_replace_words(joined, fixes) if corrections else None,
        corrections=corrections,
        synonyms_applied=tuple(uses),
        tokens=tuple(tokens),
        expansions=tuple(expansions),
        constraints=constraints,
        category=_category(tokens, expansions, vocab, category_threshold),
        truncated=truncated,
    )


def _clean(text: str) -> tuple[str, bool]:
    """Normalised text without emoji or control characters, clipped to `MAX_QUERY_CHARS`."""
    # Clip before normalising, so a 10 MB paste costs no more than a long query.
    text = normalise_for_match(text[: MAX_QUERY_CHARS * 2])
    text = "".join(" " if unicodedata.category(ch) in _DROP_CATEGORIES else ch for ch in text)
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_CHARS:
        return text, False
    cut = text.rfind(" ", 0, MAX_QUERY_CHARS + 1)
    return text[: cut if cut > MAX_QUERY_CHARS // 2 else MAX_QUERY_CHARS].strip(), True


def _language(text: str) -> str:
    guess = detect_language(text)
    if guess == "zh" and _LATIN.search(text):
        return "mixed"
    return guess


def _join_words(text: str, vocab: QueryVocabulary) -> tuple[str, list[Correction]]:
    """Join neighbours the catalog writes as one word ("blue tooth" -> "bluetooth")."""
    words = list(_WORD.finditer(text))
    joins: list[Correction] = []
    out: list[str] = []
    last = i = 0
    while i + 1 < len(words):
        left, right = words[i], words[i + 1]
        joined = None
        if text[left.end() : right.start()] == " ":
            joined = vocab.speller.join(left.group(), right.group())
        if joined is None:
            i += 1
            continue
        out.append(text[last : left.start()] + joined)
        joins.append(Correction(f"{left.group()} {right.group()}", joined, 1))
        last = right.end()
        i += 2
    out.append(text[last:])
    return "".join(out), joins


def _unjoin(text: str, joins: tuple[Correction, ...] | list[Correction]) -> str:
    for join in joins:
        text = re.sub(rf"(?<![a-z0-9]){join.replacement}(?![a-z0-9])", join.word, text, count=1)
    return text


def _constraints(text: str, vocab: QueryVocabulary) -> tuple[Constraints, str]:
    lexicon = vocab.lexicon
    price, text = extract_price(text)
    in_stock, text = extract_in_stock(text)
    hint, text = extract_price_hint(text)
    sizes, text = extract_sizes(text, lexicon)
    brands, text = extract_brands(text, lexicon)
    colours, text = extract_colours(text, lexicon)
    found = Constraints(brands, colours, sizes, price, hint, in_stock)
    return found, _tidy(text)


def _late_brands(
    constraints: Constraints, text: str, vocab: QueryVocabulary
) -> tuple[Constraints, str]:
    brands, rest = extract_brands(text, vocab.lexicon)
    if not brands:
        return constraints, text
    merged = tuple(dict.fromkeys([*constraints.brand, *brands]))
    return replace(constraints, brand=merged), _tidy(rest)


def _tidy(text: str) -> str:
    """Collapse spaces and drop connecting words left stranded at either end."""
    words = text.split()
    while words and words[0] in _EDGE_WORDS:
        words.pop(0)
    while words and words[-1] in _EDGE_WORDS:
        words.pop()
    text = " ".join(words).strip(_EDGE_CHARS + " ")
    return text if text == " ".join(words) else _tidy(text)


def _correct(text: str, vocab: QueryVocabulary) -> tuple[str, list[Correction]]:
    """Fix misspelt Latin words; leave known words, brands, numbers and other scripts alone."""
    fixes: list[Correction] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if len(fixes) >= MAX_CORRECTIONS or not _correctable(word, vocab):
            return word
        suggestion = vocab.speller.correct(word)
        if suggestion is None:
            return word
        fixes.append(Correction(word, suggestion.text, suggestion.distance))
        return suggestion.text

    return _WORD.sub(fix, text), fixes


def _correctable(word: str, vocab: QueryVocabulary) -> bool:
    if len(word) < 4 or word in vocab.words or word in _KEEP or word in vocab.brand_words:
        return False
    if word in vocab.synonyms:
        return False
    return not any(vocab.knows_token(t) for t in vocab.analyzer.tokens(word))


def _replace_words(text: str, fixes: list[Correction]) -> str:
    for fix in fixes:
        text = re.sub(rf"(?<![a-z0-9]){fix.word}(?![a-z0-9])", fix.replacement, text)
    return text


def _category(
    tokens: list[str], expansions: list[str], vocab: QueryVocabulary, threshold: float
) -> CategoryGuess | None:
    model = vocab.categories
    if any(model.knows(t) for t in tokens):
        return model.predict(tokens, threshold)
    # Only when no query word is a catalog word ("rucksack") do expansions decide, one script at
    # a time: a Chinese and an English synonym together point at two paths and neither wins.
    han = [t for t in expansions if _HAN.search(t)]
    latin = [t for t in expansions if not _HAN.search(t)]
    guesses = [model.predict(group, threshold) for group in (latin, han) if group]
    return max((g for g in guesses if g), key=lambda g: g.score, default=None)
