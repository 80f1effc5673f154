"""Reviews whose text carries planted aspect sentiment.

Each product has a hidden profile over ASPECTS (+1, -1 or 0 for not discussed). A review mentions
one to three of the discussed aspects; each mention follows the profile with probability
FOLLOW_RATE and flips otherwise, and the star rating follows the mentions' overall polarity.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from shopmind.demo.catalog import ASPECTS, LANGUAGES, CatalogPlan, product_id
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.clock import DAY, HOUR, NOW, iso
from shopmind.demo.people import Persona, display_name
from shopmind.demo.review_phrases import FILLER, TITLES, WISHES, phrases_for

FOLLOW_RATE = 0.85
_LINKED_SHARE = 0.55  # reviews written by a registered customer
_FILLER_SHARE = 0.45
_WISH_SHARE = 0.08
_TITLE_SHARE = 0.75
_POLARITY = {1: "positive", -1: "negative", 0: "absent"}


@dataclass
class ReviewTally:
    """What ground truth needs from the review stage."""

    reviewed: set[int] = field(default_factory=set)
    wishes: dict[str, Counter[str]] = field(
        default_factory=lambda: {"en": Counter(), "zh": Counter()}
    )


class ReviewWriter:
    def __init__(self, plan: CatalogPlan, customers: list[Persona], width: int, seed: int) -> None:
        self.plan = plan
        self.width = width
        self.rng = random.Random(f"{seed}:reviews")
        self.by_language: dict[int, list[Persona]] = {0: [], 1: []}
        for persona in customers:
            self.by_language[persona.language].append(persona)
        self.tally = ReviewTally()

    def review(self, number: int) -> dict[str, Any]:
        """Review ``number`` as ``Review.model_dump(mode="json", exclude_none=True)`` writes it."""
        rng = self.rng
        index = int(self.plan.count * rng.random() ** 1.5)  # popular products get more reviews
        row = self.plan.row(index)
        language = LANGUAGES[row.language]
        group = CATEGORIES[row.category].group
        profile = self.plan.aspects[index].tolist()
        mentions = self._mentions(profile)
        rating = _rating(rng, [sign for _, sign in mentions])
        text = self._text(language, group, mentions)
        author = self._author(row.language)
        low = row.created + 3 * DAY
        if author is not None:
            low = max(low, author.created + DAY)
        record: dict[str, Any] = {
            "id": f"r{number + 1:0{self.width}d}",
            "product_id": product_id(index, self.width),
        }
        if author is not None:
            record["customer_id"] = author.id
        record["author_name"] = author.name if author else display_name(rng, row.language)
        record["rating"] = rating
        if rng.random() < _TITLE_SHARE:
            record["title"] = rng.choice(TITLES[language][rating])
        record["text"] = text
        record["language"] = language
        record["created_at"] = iso(low + int(rng.random() * max(NOW - HOUR - low, 0)))
        self.tally.reviewed.add(index)
        return record

    def _mentions(self, profile: list[int]) -> list[tuple[str, int]]:
        rng = self.rng
        discussed = [(aspect, sign) for aspect, sign in zip(ASPECTS, profile, strict=True) if sign]
        count = min(len(discussed), rng.choice((1, 1, 2, 2, 2, 3)))
        chosen = rng.sample(discussed, count)
        return [(aspect, sign if rng.random() < FOLLOW_RATE else -sign) for aspect, sign in chosen]

    def _text(self, language: str, group: str, mentions: list[tuple[str, int]]) -> str:
        rng = self.rng
        said = [rng.choice(phrases_for(language, a, s > 0, group)) for a, s in mentions]
        filler = rng.choice(FILLER[language]) if rng.random() < _FILLER_SHARE else None
        wish = None
        if rng.random() < _WISH_SHARE:
            options = WISHES[language]["general"] + WISHES[language].get(group, ())
            wish = rng.choice(options)
            self.tally.wishes[language][wish] += 1
        if language == "zh":
            parts = [f"{filler}。"] if filler else []
            parts.append("，".join(said) + "。")
            if wish:
                parts.append(f"{wish}。")
            return "".join(parts)
        sentences = [filler] if filler else []
        sentences += said
        if wish:
            sentences.append(wish)
        return " ".join(f"{s}." for s in sentences)

    def _author(self, language: int) -> Persona | None:
        pool = self.by_language[language]
        if not pool or self.rng.random() >= _LINKED_SHARE:
            return None
        return pool[int(self.rng.random() * len(pool))]


def _rating(rng: random.Random, signs: list[int]) -> int:
    """Stars from the mentions' mean polarity, with a little noise either way."""
    mean = sum(signs) / len(signs)
    draw = rng.random()
    if mean == 1:
        return 5 if draw < 0.75 else 4
    if mean > 0:
        return 4 if draw < 0.6 else 5 if draw < 0.75 else 3
    if mean == 0:
        return 3 if draw < 0.6 else 4 if draw < 0.8 else 2
    if mean > -1:
        return 2 if draw < 0.6 else 3 if draw < 0.85 else 1
    return 1 if draw < 0.6 else 2


def aspect_truth(plan: CatalogPlan, index: int) -> dict[str, str]:
    """A product's planted profile as ground_truth.json records it."""
    return {a: _POLARITY[s] for a, s in zip(ASPECTS, plan.aspects[index].tolist(), strict=True)}
