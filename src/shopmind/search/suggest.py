"""Autocomplete: catalog phrases and shoppers' popular queries, ranked by how often they occur.

Phrases are word n-grams of titles (Chinese words joined without spaces, so "蓝牙" completes to
"蓝牙耳机"), brands and category names; a query shoppers searched counts `QUERY_WEIGHT` times,
because it is what people type. Lookup is a binary search over the sorted keys.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from shopmind.core.schemas import Product
from shopmind.store import Store
from shopmind.store.queries import search_query_counts
from shopmind.text.normalise import normalise_for_match
from shopmind.text.segment import tokenize

MAX_NGRAM = 3
QUERY_WEIGHT = 3
MAX_PREFIX = 100
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _key(text: str) -> str:
    return " ".join(normalise_for_match(text).split())


def _join(words: list[str]) -> str:
    out = words[0]
    for word in words[1:]:
        both_han = _HAN.match(out[-1]) and _HAN.match(word[0])
        out += word if both_han else f" {word}"
    return out


def _ngrams(title: str) -> Iterable[str]:
    words = tokenize(title)
    for n in range(1, MAX_NGRAM + 1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if not any(w.isdigit() for w in gram) and len(_join(gram)) > 1:
                yield _join(gram)


class Suggester:
    """Sorted phrase keys with weights; `suggest` returns the heaviest keys with a prefix."""

    def __init__(self, weights: Mapping[str, int]) -> None:
        self.keys = sorted(weights)
        self.weights = [int(weights[k]) for k in self.keys]

    @classmethod
    def build(cls, products: Iterable[Product], queries: Mapping[str, int]) -> Suggester:
        counts: Counter[str] = Counter()
        for p in products:
            counts.update(_ngrams(p.title))
            counts.update(_key(x) for x in (p.brand, *p.category_path) if x)
        for query, n in queries.items():
            counts[_key(query)] += QUERY_WEIGHT * n
        counts.pop("", None)
        return cls(counts)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Up to ``limit`` completions of ``prefix``, most frequent first."""
        if not 1 <= limit <= 50:
            raise ValueError(f"limit must be in 1..50, got {limit}")
        key = _key(prefix[:MAX_PREFIX])
        if not key:
            return []
        lo = bisect.bisect_left(self.keys, key)
        hi = bisect.bisect_left(self.keys, key + "\U0010ffff")
        best = heapq.nlargest(limit, range(lo, hi), key=lambda i: (self.weights[i], -i))
        return [self.keys[i] for i in best]

    def to_dict(self) -> dict[str, Any]:
        return {"keys": self.keys, "weights": self.weights}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Suggester:
        return cls(dict(zip(data["keys"], data["weights"], strict=True)))


def popular_queries(store: Store, limit: int = 5000) -> dict[str, int]:
    """The most searched queries from `search` events, with their counts."""
    return search_query_counts(store, limit)
