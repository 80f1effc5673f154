"""Reviews carry the planted aspect sentiment, in the product's language."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import chain

import pytest

from demo.shop import Shop
from shopmind.demo.review_phrases import FILLER, WISHES, phrase_labels


def _all_phrases(language: str) -> list[str]:
    wishes = chain.from_iterable(WISHES[language].values())
    return [*phrase_labels(language), *FILLER[language], *wishes]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_phrase_contains_another(language: str) -> None:
    phrases = _all_phrases(language)
    assert len(phrases) == len(set(phrases))
    for phrase in phrases:
        others = [other for other in phrases if other != phrase and phrase in other]
        assert not others, (phrase, others)


def _mentions(shop: Shop) -> list[tuple[dict[str, object], str, str]]:
    labels = {"en": phrase_labels("en"), "zh": phrase_labels("zh")}
    found = []
    for review in shop.records["reviews"]:
        text = str(review["text"])
        for phrase, (aspect, polarity) in labels[str(review["language"])].items():
            if phrase in text:
                found.append((review, aspect, polarity))
    return found


def test_reviews_are_in_the_products_language(shop: Shop) -> None:
    products = shop.by_id("products")
    for review in shop.records["reviews"]:
        assert review["language"] == products[review["product_id"]]["language"]
        assert review["created_at"] > products[review["product_id"]]["created_at"]


def test_every_review_mentions_one_to_three_discussed_aspects(shop: Shop) -> None:
    per_review: dict[str, set[str]] = defaultdict(set)
    for review, aspect, _ in _mentions(shop):
        profile = shop.truth["product_aspects"][review["product_id"]]
        assert profile[aspect] != "absent"
        per_review[str(review["id"])].add(aspect)
    assert len(per_review) == len(shop.records["reviews"])
    assert all(1 <= len(aspects) <= 3 for aspects in per_review.values())


def test_majority_polarity_follows_the_planted_profile(shop: Shop) -> None:
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for review, aspect, polarity in _mentions(shop):
        votes[str(review["product_id"]), aspect][polarity] += 1
    judged = [(key, count) for key, count in votes.items() if sum(count.values()) >= 3]
    assert len(judged) >= 30
    truth = shop.truth["product_aspects"]
    agree = sum(count.most_common(1)[0][0] == truth[pid][aspect] for (pid, aspect), count in judged)
    assert agree / len(judged) >= 0.85


def test_ratings_are_higher_for_well_liked_products(shop: Shop) -> None:
    liked, disliked = [], []
    for review in shop.records["reviews"]:
        profile = shop.truth["product_aspects"][review["product_id"]].values()
        balance = sum(p == "positive" for p in profile) - sum(p == "negative" for p in profile)
        if balance > 0:
            liked.append(review["rating"])
        elif balance < 0:
            disliked.append(review["rating"])
    assert liked and disliked
    assert sum(liked) / len(liked) > sum(disliked) / len(disliked) + 1


def test_wishes_are_counted_in_the_ground_truth(shop: Shop) -> None:
    needs = shop.truth["review_needs"]
    for language in ("en", "zh"):
        texts = [r["text"] for r in shop.records["reviews"] if r["language"] == language]
        for wish, count in needs[language].items():
            assert sum(text.count(wish) for text in texts) == count
    assert sum(needs["en"].values()) + sum(needs["zh"].values()) > 0
