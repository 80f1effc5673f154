"""The aspect taxonomy: built-in aspects, merged with a shop's JSON file, per category.

A shop file looks like the built-in data (``taxonomy_default.py``)::

    {"aspects": {"battery": {"label": {"en": "Battery"}, "terms": {"en": ["battery"]},
                             "cues": {"en": {"-": ["dies fast"]}}}},
     "categories": {"Electronics > Audio": {"aspects": {"noise": {...}}}}}

Top-level ``aspects`` apply to every product; ``categories`` entries apply to products whose
category path starts with the key. Entries add terms and cues to an aspect of the same key or
define a new one; nothing is removed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shopmind.core.errors import ConfigError
from shopmind.reviews.lexicon import NEGATIVE, POSITIVE
from shopmind.reviews.taxonomy_default import DEFAULT_TAXONOMY

LANGS = ("en", "zh")
OVERALL = "overall"


class _AspectSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: dict[str, str] = Field(default_factory=dict)
    terms: dict[str, list[str]] = Field(default_factory=dict)
    cues: dict[str, dict[str, list[str]]] = Field(default_factory=dict)


class _CategorySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aspects: dict[str, _AspectSpec] = Field(default_factory=dict)


class _ShopSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aspects: dict[str, _AspectSpec] = Field(default_factory=dict)
    categories: dict[str, _CategorySpec] = Field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """What a matched phrase means: an aspect term, an aspect cue or a generic opinion word."""

    kind: str  # "term" | "cue" | "opinion"
    aspect: str | None
    sign: int  # +1 / -1 for cues and opinions, 0 for terms


class Matcher:
    """One compiled regex per language over every term, cue and opinion word (longest first)."""

    def __init__(self, aspects: Mapping[str, Mapping[str, Any]], language: str) -> None:
        self.language = language
        self.hits: dict[str, Hit] = {}
        for word in POSITIVE[language]:
            self.hits[word] = Hit("opinion", None, 1)
        for word in NEGATIVE[language]:
            self.hits[word] = Hit("opinion", None, -1)
        for key, spec in aspects.items():
            for term in spec.get("terms", {}).get(language, []):
                opinion = self.hits.get(term.lower())
                # A term that also judges ("comfortable", "好用") is a cue for its aspect.
                sign = opinion.sign if opinion and opinion.kind == "opinion" else 0
                self.hits[term.lower()] = Hit("cue" if sign else "term", key, sign)
        for key, spec in aspects.items():
            for sign_key, words in spec.get("cues", {}).get(language, {}).items():
                for word in words:
                    self.hits[word.lower()] = Hit("cue", key, 1 if sign_key == "+" else -1)
        alternatives = "|".join(re.escape(w) for w in sorted(self.hits, key=len, reverse=True))
        if language == "en":
            self.regex = re.compile(rf"(?<![\w'-])(?:{alternatives})(?![\w'])", re.IGNORECASE)
        else:
            self.regex = re.compile(f"(?:{alternatives})", re.IGNORECASE)


class Taxonomy:
    """Aspects (built-in plus a shop's), labels per language, and matchers per category."""

    def __init__(self, shop: Mapping[str, Any] | None = None) -> None:
        spec = _parse(shop or {})
        self.base: dict[str, dict[str, Any]] = copy.deepcopy(DEFAULT_TAXONOMY)
        _merge(self.base, spec.aspects)
        self.categories = spec.categories
        self._matchers: dict[tuple[str, str], Matcher] = {}

    @classmethod
    def from_file(cls, path: Path) -> Taxonomy:
        """A taxonomy extended by the shop's JSON file at ``path``."""
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            raise ConfigError(f"review taxonomy file not found: {path}") from None
        except orjson.JSONDecodeError as exc:
            raise ConfigError(f"review taxonomy {path} is not valid JSON: {exc}") from None
        return cls(data)

    @cached_property
    def keys(self) -> list[str]:
        """Every aspect key, built-in first, then the shop's (categories included)."""
        keys = list(self.base)
        for category in self.categories.values():
            keys += [k for k in category.aspects if k not in keys]
        return [*keys, OVERALL]

    def label(self, aspect: str, language: str = "en") -> str:
        if aspect == OVERALL:
            return "Overall" if language == "en" else "整体"
        for spec in [self.base.get(aspect)] + [
            c.aspects[aspect].model_dump() for c in self.categories.values() if aspect in c.aspects
        ]:
            if spec and spec.get("label", {}).get(language):
                return str(spec["label"][language])
        return aspect

    def matcher(self, language: str, category: str = "") -> Matcher:
        """The matcher for a language ('zh' or else English) and a product category path."""
        language = "zh" if language == "zh" else "en"
        prefixes = tuple(k for k in self.categories if _under(category, k))
        key = (language, "\x1f".join(prefixes))
        if key not in self._matchers:
            aspects = copy.deepcopy(self.base)
            for prefix in prefixes:
                _merge(aspects, self.categories[prefix].aspects)
            self._matchers[key] = Matcher(aspects, language)
        return self._matchers[key]


def _under(category: str, prefix: str) -> bool:
    return category == prefix or category.startswith(prefix + " > ")


def _parse(data: Mapping[str, Any]) -> _ShopSpec:
    try:
        spec = _ShopSpec.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"invalid review taxonomy: {exc}") from None
    for name, aspect in [*spec.aspects.items()] + [
        (n, a) for c in spec.categories.values() for n, a in c.aspects.items()
    ]:
        bad = [s for cues in aspect.cues.values() for s in cues if s not in ("+", "-")]
        if bad:
            raise ConfigError(f"aspect {name!r}: cue keys must be '+' or '-', got {bad}")
    return spec


def _merge(into: dict[str, dict[str, Any]], extra: Mapping[str, _AspectSpec]) -> None:
    """Add the shop's terms, cues and labels to ``into`` (new aspects are created)."""
    for key, spec in extra.items():
        target = into.setdefault(key, {"label": {}, "terms": {}, "cues": {}})
        target.setdefault("label", {}).update(spec.label)
        for lang, terms in spec.terms.items():
            target.setdefault("terms", {}).setdefault(lang, [])
            target["terms"][lang] = [*target["terms"][lang], *terms]
        for lang, by_sign in spec.cues.items():
            cues = target.setdefault("cues", {}).setdefault(lang, {})
            for sign, words in by_sign.items():
                cues[sign] = [*cues.get(sign, []), *words]


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The built-in taxonomy, extended by ``path`` if given, else by the shop's default file.

    The default file is ``$SHOPMIND_HOME/reviews/taxonomy.json``; when it is absent the
    built-in taxonomy is used as it is.
    """
    if path is not None:
        return Taxonomy.from_file(path)
    from shopmind.core.settings import get_settings

    default = get_settings().home / "reviews" / "taxonomy.json"
    return Taxonomy.from_file(default) if default.is_file() else Taxonomy()
