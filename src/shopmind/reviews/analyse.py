"""Analyse reviews into stored rows: aspects, needs and the sentiment of each review."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shopmind.core.schemas import Review
from shopmind.reviews.aspects import analyse_text, sign_of
from shopmind.reviews.sentiment import Sentiment, rule_sentiment
from shopmind.reviews.taxonomy import Taxonomy
from shopmind.text import detect_language

# Bump when the rules, the taxonomy or the stored fields change: stored rows become stale.
# (rules-3: rows carry the review sentiment's probability, source and rating agreement.)
# A promoted sentiment model adds its own tag (``SentimentModels.tag``).
ANALYSER = "rules-3"


def review_language(review: Review) -> str:
    """'zh' or 'en' (anything not Chinese is read with the English rules)."""
    language = (review.language or "").lower()
    if not language:
        language = detect_language(review.text)
    return "zh" if language.startswith("zh") else "en"


def analyse_review(
    review: Review,
    taxonomy: Taxonomy,
    *,
    category: str = "",
    content_hash: str = "",
    sentiment: Sentiment | None = None,
    analyser: str = ANALYSER,
) -> dict[str, Any]:
    """One ``review_analyses`` row for ``review`` (a product in ``category``).

    ``sentiment``: the review's sentiment from a trained model; None uses the rules.
    """
    language = review_language(review)
    mentions, needs = analyse_text(review.text, language, taxonomy, category)
    if sentiment is None:
        sentiment = rule_sentiment(review.rating, [sign_of(m.polarity) for m in mentions])
    return {
        "review_id": review.id,
        "product_id": review.product_id,
        "review_time": review.created_at,
        "language": language,
        "rating": review.rating,
        "polarity": sentiment.label,
        "polarity_p": sentiment.probability,
        "polarity_source": sentiment.source,
        "rating_agrees": sentiment.agrees,
        "aspects": [m.as_dict() for m in mentions],
        "needs": [n.as_dict() for n in needs],
        "analyser": analyser,
        "content_hash": content_hash,
        "analysed_at": datetime.now(UTC),
    }
