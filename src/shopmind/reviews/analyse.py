"""Analyse reviews into stored rows: aspects, needs and an overall polarity per review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from shopmind.core.schemas import Review
from shopmind.reviews.aspects import analyse_text, polarity_of, sign_of
from shopmind.reviews.taxonomy import Taxonomy
from shopmind.text import detect_language

# Bump when the rules or the taxonomy change what is found: stored rows become stale.
ANALYSER = "rules-2"


def review_language(review: Review) -> str:
    """'zh' or 'en' (anything not Chinese is read with the English rules)."""
    language = (review.language or "").lower()
    if not language:
        language = detect_language(review.text)
    return "zh" if language.startswith("zh") else "en"


def review_polarity(rating: int, aspect_signs: Sequence[int]) -> str:
    """The review's overall polarity: its aspects' balance, the star rating when they tie."""
    score = sum(aspect_signs)
    if score == 0:
        score = 1 if rating >= 4 else -1 if rating <= 2 else 0
    return polarity_of(score)


def analyse_review(
    review: Review, taxonomy: Taxonomy, *, category: str = "", content_hash: str = ""
) -> dict[str, Any]:
    """One ``review_analyses`` row for ``review`` (a product in ``category``)."""
    language = review_language(review)
    mentions, needs = analyse_text(review.text, language, taxonomy, category)
    return {
        "review_id": review.id,
        "product_id": review.product_id,
        "review_time": review.created_at,
        "language": language,
        "rating": review.rating,
        "polarity": review_polarity(review.rating, [sign_of(m.polarity) for m in mentions]),
        "aspects": [m.as_dict() for m in mentions],
        "needs": [n.as_dict() for n in needs],
        "analyser": ANALYSER,
        "content_hash": content_hash,
        "analysed_at": datetime.now(UTC),
    }
