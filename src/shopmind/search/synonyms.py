"""Query expansion with synonyms: a configured bilingual table plus pairs mined from clicks.

Configured synonyms are groups read both ways ("tv", "television" and "电视" each expand to the
other two). Mined ones come from what shoppers clicked (`mine_synonyms`) and are read one way, from
the query word to the title word. Expansions are kept apart from the query's own tokens so the
caller can weight them lower.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shopmind.search.analyzer import Analyzer
from shopmind.text.normalise import normalise_for_match
from shopmind.text.segment import tokenize as segment

# Groups of equivalent shop words, English and Chinese. Keep entries to true equivalents: a
# broader term ("shoes" for "sneakers") would pull in products the shopper did not ask for.
DEFAULT_SYNONYMS: dict[str, list[str]] = {
    "tv": ["television", "电视", "电视机"],
    "耳机": ["earphones", "headphones", "earbuds"],
    "headset": ["headphones"],
    "手机": ["phone", "mobile phone", "smartphone", "cell phone"],
    "laptop": ["notebook computer", "笔记本电脑"],
    "power bank": ["portable charger", "充电宝", "移动电源"],
    "charger": ["充电器", "charging adapter"],
    "cable": ["cord", "数据线"],
    "phone case": ["phone cover", "手机壳"],
    "speaker": ["音箱", "音响"],
    "bluetooth": ["蓝牙"],
    "smartwatch": ["smart watch", "智能手表"],
    "fitness tracker": ["smart band", "运动手环", "智能手环"],
    "t-shirt": ["tee", "tshirt", "t恤"],
    "hoodie": ["sweatshirt", "卫衣"],
    "sneakers": ["trainers", "运动鞋"],
    "sofa": ["couch", "沙发"],
    "moisturiser": ["moisturizer", "face cream", "面霜"],
    "sunscreen": ["sunblock", "防晒霜"],
    "diapers": ["nappies", "纸尿裤", "尿不湿"],
    "stroller": ["pram", "pushchair", "婴儿推车"],
    "cookies": ["biscuits", "曲奇"],
    "backpack": ["rucksack", "背包", "双肩包"],
    "dumbbells": ["哑铃"],
    "yoga mat": ["瑜伽垫"],
}


@dataclass(frozen=True)
class SynonymUse:
    """One synonym rule that fired: the query ``term`` and what it added."""

    term: str
    equivalents: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "equivalents": list(self.equivalents)}


@dataclass(frozen=True)
class MinedSynonym:
    """A query word that shoppers used for products whose titles say ``title_term``.

    ``support``: query/click pairs with the query word but not the title word in the query,
    and the title word but not the query word in the title. ``confidence``: support over all
    pairs whose query has the word. ``lift``: confidence over the share of all clicked titles
    with the title word (1.0 means no more than chance).
    """

    query_term: str
    title_term: str
    support: int
    confidence: float
    lift: float


class SynonymTable:
    """Term -> equivalent terms; lookups go through the search analyzer (stems, jieba words)."""

    def __init__(self, mapping: Mapping[str, Iterable[str]] | None = None) -> None:
        self._map: dict[str, list[str]] = {}
        self._compiled: dict[tuple[str, ...], _Rule] | None = None
        self._longest = 1
        for term, equivalents in (mapping or {}).items():
            self.add(term, equivalents)

    @classmethod
    def default(cls) -> SynonymTable:
        """The built-in bilingual groups (`DEFAULT_SYNONYMS`)."""
        return cls(DEFAULT_SYNONYMS)

    @classmethod
    def from_json_file(cls, path: Path, *, with_defaults: bool = True) -> SynonymTable:
        """Groups from a JSON object ``{"term": ["equivalent", ...]}``, added to the defaults."""
        table = cls.default() if with_defaults else cls()
        table.update_from(load_synonym_file(path))
        return table

    def update_from(self, mapping: Mapping[str, Iterable[str]]) -> None:
        for term, equivalents in mapping.items():
            self.add(term, equivalents)

    def add(self, term: str, equivalents: Iterable[str], *, both_ways: bool = True) -> None:
        """Add a group; with ``both_ways`` every member expands to all the others."""
        group = [normalise_for_match(t) for t in (term, *equivalents)]
        group = [t for t in dict.fromkeys(group) if t]
        sources = group if both_ways else group[:1]
        for source in sources:
            targets = self._map.setdefault(source, [])
            targets.extend(t for t in group if t != source and t not in targets)
        self._compiled = None

    def add_mined(self, mined: Iterable[MinedSynonym]) -> None:
        """Mined pairs expand one way only: from the query word to the title word."""
        for pair in mined:
            self.add(pair.query_term, [pair.title_term], both_ways=False)

    def to_dict(self) -> dict[str, list[str]]:
        """Every term's expansions, one way each; ``SynonymTable(d)`` with ``both_ways`` off
        restores it exactly (see `from_dict`)."""
        return {term: list(targets) for term, targets in self._map.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Iterable[str]]) -> SynonymTable:
        table = cls()
        for term, targets in data.items():
            table.add(term, targets, both_ways=False)
        return table

    def __len__(self) -> int:
        return len(self._map)

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and normalise_for_match(term) in self._map

    def expand(
        self, tokens: Sequence[str], analyzer: Analyzer
    ) -> tuple[list[SynonymUse], list[str]]:
        """The rules that match runs of ``tokens`` (longest first) and the tokens they add."""
        index = self._index(analyzer)
        uses: list[SynonymUse] = []
        added: list[str] = []
        present = set(tokens)
        i = 0
        while i < len(tokens):
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                rule = index.get(tuple(tokens[i : i + n]))
                if rule is not None:
                    uses.append(SynonymUse(rule.term, rule.equivalents))
                    new = [t for t in rule.tokens if t not in present]
                    added.extend(new)
                    present.update(new)
                    i += n
                    break
            else:
                i += 1
        return uses, added

    def _index(self, analyzer: Analyzer) -> dict[tuple[str, ...], _Rule]:
        # Terms are matched on analyzer tokens, so "Headphones" in the table finds "headphone";
        # terms that analyse alike share their expansions.
        if self._compiled is None:
            grouped: dict[tuple[str, ...], list[str]] = {}
            for term in self._map:
                key = tuple(analyzer.tokens(term))
                if key:
                    grouped.setdefault(key, []).append(term)
            compiled = {key: self._rule(key, terms, analyzer) for key, terms in grouped.items()}
            self._longest = max((len(k) for k in compiled), default=1)
            self._compiled = compiled
        return self._compiled

    def _rule(self, key: tuple[str, ...], terms: list[str], analyzer: Analyzer) -> _Rule:
        equivalents: dict[str, None] = {}
        expansion: dict[str, None] = {}
        for term in terms:
            for target in self._map[term]:
                target_tokens = analyzer.tokens(target)
                if tuple(target_tokens) != key:
                    equivalents[target] = None
                    expansion.update(dict.fromkeys(target_tokens))
        return _Rule(terms[0], tuple(equivalents), tuple(expansion))


@dataclass(frozen=True)
class _Rule:
    term: str
    equivalents: tuple[str, ...]
    tokens: tuple[str, ...]


def load_synonym_file(path: Path) -> dict[str, list[str]]:
    """Read ``{"term": ["equivalent", ...]}`` from a JSON file, checking its shape."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"synonym file {path} not found: pass an existing JSON file"
        ) from None
    except json.JSONDecodeError as error:
        raise ValueError(f"synonym file {path} is not valid JSON: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
        for k, v in data.items()
    ):
        raise ValueError(
            f'synonym file {path} must hold one object of term -> list of terms, e.g. {{"tv": '
            '["television", "电视"]}'
        )
    return data


def mine_synonyms(
    pairs: Iterable[tuple[str, str]],
    *,
    min_support: int = 5,
    min_confidence: float = 0.5,
    min_lift: float = 3.0,
    max_per_term: int = 3,
    analyzer: Analyzer | None = None,
) -> list[MinedSynonym]:
    """Propose query-word -> title-word synonyms from (query, clicked product title) pairs.

    A pair counts for (q, t) when the query has word q and not t, and the title has t and not q:
    the shopper found with q a product that only says t. Kept when seen in ``min_support`` pairs,
    in at least ``min_confidence`` of the pairs whose query has q, and ``min_lift`` times more
    often than t's share of all clicked titles (which drops words every title has, such as a
    brand the shop mostly sells). Words that stem alike ("sneaker"/"sneakers") and numbers are
    skipped. At most ``max_per_term`` title words per query word, the most confident first.
    """
    if min_support < 1 or not 0 < min_confidence <= 1 or min_lift < 0:
        raise ValueError(
            "need min_support >= 1, 0 < min_confidence <= 1 and min_lift >= 0, got "
            f"{min_support}, {min_confidence}, {min_lift}"
        )
    analyzer = analyzer or Analyzer()
    query_counts: Counter[str] = Counter()
    title_counts: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    total = 0
    for query, title in pairs:
        q_words, t_words = _mining_words(query, analyzer), _mining_words(title, analyzer)
        total += 1
        query_counts.update(q_words.keys())
        title_counts.update(t_words.keys())
        # Compared on stems: "hoodies" is in a title that says "Hoodie".
        q_stems, t_stems = set(q_words.values()), set(t_words.values())
        q_only = [w for w, stem in q_words.items() if stem not in t_stems]
        t_only = [w for w, stem in t_words.items() if stem not in q_stems]
        together.update((q, t) for q in q_only for t in t_only)
    found = [
        MinedSynonym(q, t, n, n / query_counts[q], n / query_counts[q] * total / title_counts[t])
        for (q, t), n in together.items()
        if n >= min_support
    ]
    kept = [
        m
        for m in found
        if m.confidence >= min_confidence
        and m.lift >= min_lift
        and analyzer.tokens(m.query_term) != analyzer.tokens(m.title_term)
    ]
    kept.sort(key=lambda m: (m.query_term, -m.confidence, -m.support, m.title_term))
    per_term: Counter[str] = Counter()
    result = []
    for mined in kept:
        per_term[mined.query_term] += 1
        if per_term[mined.query_term] <= max_per_term:
            result.append(mined)
    return result


# Function words say nothing about what a product is; they would pair with every query word.
_STOP = frozenset(
    "a an and at by for from in into of on or the to with without your our new 的 和 与 及".split()
)


def _mining_words(text: str, analyzer: Analyzer) -> dict[str, tuple[str, ...]]:
    """Case-folded words (no numbers, no function words) -> their analyzer stems."""
    out: dict[str, tuple[str, ...]] = {}
    for word in segment(normalise_for_match(text)):
        if len(word) > 1 and word not in _STOP and not any(ch.isdigit() for ch in word):
            stems = tuple(analyzer.tokens(word))
            if stems:
                out[word] = stems
    return out
