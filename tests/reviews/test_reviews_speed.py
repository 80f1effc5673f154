"""bench reviews-speed: every generated review is analysed, and the result says which
sentiment models were in the loop."""

from __future__ import annotations

import pytest

from shopmind.bench import reviews_speed


def test_every_review_is_analysed_and_no_model_means_rules_only() -> None:
    result = reviews_speed.run(30, seed=3)
    assert result["dataset"]["reviews"] == 30
    languages = result["dataset"]["languages"]
    assert languages["zh"] > 0 and languages["en"] > 0
    assert result["sentiment_models"] == []
    assert result["results"]["job"]["reviews_per_s"] > 0
    assert result["results"]["analysis"]["reviews_per_s"] > 0


def test_reviews_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match=">= 1"):
        reviews_speed.run(0)
