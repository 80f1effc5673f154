"""bench absa's pieces: whole-sentence validation, LR probabilities, span ids, vote weights."""

from __future__ import annotations

import numpy as np
import pytest

from shopmind.bench.absa_models import (
    _span_ids,
    choose_weights,
    fit_lr,
    grouped_validation,
    standardised,
)
from shopmind.bench.ensemble import Member


def test_validation_keeps_each_sentence_on_one_side() -> None:
    texts = [f"sentence {i // 3}" for i in range(300)]  # three aspects per sentence
    fit, val = grouped_validation(texts, seed=4)
    assert sorted([*fit, *val]) == list(range(300))
    assert not {texts[i] for i in fit} & {texts[i] for i in val}
    assert len(val) == 30
    again, _ = grouped_validation(texts, seed=4)
    assert list(again) == list(fit)


def test_fit_lr_gives_probabilities_in_label_order() -> None:
    rng = np.random.default_rng(0)
    labels = ["positive", "negative", "neutral"] * 40
    centres = {"positive": 2.0, "negative": -2.0, "neutral": 0.0}
    x = np.array([[centres[y], 0.0] for y in labels]) + rng.normal(0, 0.3, (120, 2))
    fit_idx, val_idx = np.arange(100), np.arange(100, 120)
    fitted, c = fit_lr(x, labels, fit_idx, val_idx, x[:5], (0.1, 1.0))
    assert fitted.labels == ["negative", "neutral", "positive"]
    assert fitted.validation.shape == (20, 3) and fitted.test.shape == (5, 3)
    assert np.allclose(fitted.test.sum(axis=1), 1, atol=1e-5)
    assert fitted.predicted() == labels[:5]
    assert c in (0.1, 1.0)


def test_standardised_uses_train_statistics() -> None:
    train = np.array([[1.0, 5.0], [3.0, 5.0]], np.float32)
    a, b = standardised(train, np.array([[2.0, 7.0]], np.float32))
    assert np.allclose(a.mean(axis=0), 0)
    assert b[0, 0] == pytest.approx(0.0) and np.isfinite(b).all()


class _Tokens:
    """Word-per-token encoder double: ids are word lengths."""

    def prefix(self, kind: str) -> str:
        return "query: "

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        return [[len(w) for w in t.split()] for t in texts]

    def wrap(self, content: list[int]) -> list[int]:
        return [0, *content, 2]


def test_span_ids_point_at_the_aspect() -> None:
    ids, s, e = _span_ids(_Tokens(), "the battery life was short", "battery life", 4, 64)
    assert ids == [0, 6, 3, 7, 4, 3, 5, 2] and (s, e) == (3, 5)
    ids, s, e = _span_ids(_Tokens(), "很好", "价格", -1, 64)  # a category goes first
    assert ids[s:e] == [2]
    _, s, e = _span_ids(_Tokens(), "a b c d e f g h", "h", 14, 6)  # truncated: last kept token
    assert 1 <= s < e <= 5


def test_weights_come_from_validation_alone() -> None:
    truth = ["a", "b", "a", "b"]
    good = np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3], [0.4, 0.6]], np.float32)
    bad = good[:, ::-1].copy()
    test = np.full((3, 2), np.nan, np.float32)  # test probabilities are never looked at
    members = {"bad": Member(["a", "b"], bad, test), "good": Member(["a", "b"], good, test)}
    weights, f1 = choose_weights(members, ["a", "b"], truth, step=0.5)
    assert weights == {"bad": 0.0, "good": 1.0} and f1 == 1.0
    with pytest.raises(ValueError):
        choose_weights({}, ["a"], [])
