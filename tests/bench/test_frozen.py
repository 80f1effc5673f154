"""Classifiers on frozen embeddings: method names, sklearn's probabilities, the MLP."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from shopmind.bench import frozen
from shopmind.core.errors import InputError
from shopmind.models.train import LabelledTexts, Splits


def test_method_names_parse_into_embedders(hash_embedder: Callable[[str], None]) -> None:
    hash_embedder("hash-a")
    hash_embedder("hash-b")
    assert frozen.parse("head:hash-a") == ("head", ["hash-a"])
    assert frozen.parse("mlp:hash-a+hash-b") == ("mlp", ["hash-a", "hash-b"])
    assert frozen.parse("tfidf") is None and frozen.parse("lora") is None
    assert frozen.parse("full:hash-a") is None
    for bad in ("head:", "head:nope", "mlp:hash-a+hash-a", "head:hash-a+nope"):
        with pytest.raises(InputError, match="choose from"):
            frozen.parse(bad)


@pytest.mark.parametrize("classes", [2, 4])
def test_probabilities_match_sklearn(classes: int) -> None:
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 6)).astype(np.float32)
    y = rng.integers(0, classes, 120)
    model = LogisticRegression(C=3.0, max_iter=2000).fit(x, y)
    got = frozen.softmax_scores(
        x, model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
    )
    assert got.shape == (120, classes)
    assert np.allclose(got, model.predict_proba(x), atol=1e-4)


def _blobs(n: int, seed: int) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    centres = np.eye(4, 8, dtype=np.float32) * 5
    labels = [f"k{i % 4}" for i in range(n)]
    x = centres[[i % 4 for i in range(n)]] + rng.normal(size=(n, 8)).astype(np.float32)
    return x, labels


def _splits() -> tuple[Splits, dict[str, np.ndarray]]:
    parts = {name: _blobs(n, s) for name, n, s in (("train", 200, 1), ("validation", 40, 2))}
    parts["test"] = _blobs(40, 3)
    texts = {name: [f"{name} {i}" for i in range(len(y))] for name, (_, y) in parts.items()}
    splits = Splits(
        *(LabelledTexts(texts[n], parts[n][1]) for n in ("train", "validation", "test")),
        seed=13,
        scheme="test",
    )
    return splits, {name: x for name, (x, _) in parts.items()}


def test_mlp_learns_separable_classes_and_repeats_itself() -> None:
    splits, x = _splits()
    settings = frozen.MlpSettings(hidden=32, epochs=30, lr=1e-2)
    fit = frozen.fit_mlp(x, splits, seed=13, settings=settings)
    assert fit.labels == ["k0", "k1", "k2", "k3"]
    assert fit.validation.shape == (40, 4) and fit.test.shape == (40, 4)
    assert np.allclose(fit.test.sum(axis=1), 1, atol=1e-5)
    assert fit.validation_accuracy >= 0.9
    test_accuracy = np.mean(
        [
            fit.labels[i] == t
            for i, t in zip(fit.test.argmax(axis=1), splits.test.labels, strict=True)
        ]
    )
    assert test_accuracy >= 0.85
    again = frozen.fit_mlp(x, splits, seed=13, settings=settings)
    assert np.array_equal(again.test, fit.test)


def test_logistic_regression_picks_c_on_validation() -> None:
    splits, x = _splits()
    fit = frozen.fit_lr(x, splits, (0.01, 1.0))
    assert fit.note.startswith("logistic regression, C=")
    assert fit.validation_accuracy >= 0.9
    assert np.allclose(fit.validation.sum(axis=1), 1, atol=1e-5)


def test_embedding_cache_embeds_each_split_once_per_embedder() -> None:
    splits, _ = _splits()
    calls: list[tuple[str, int]] = []

    def embed(name: str, texts: list[str]) -> np.ndarray:
        calls.append((name, len(texts)))
        return np.ones((len(texts), 3 if name == "a" else 2), np.float32)

    from shopmind.models.train import Reporter

    cache = frozen.EmbeddingCache(splits, Reporter(enabled=False), embed=embed)
    assert cache.features(["a", "b"])["train"].shape == (200, 5)
    assert cache.features(["b"])["test"].shape == (40, 2)
    assert sorted(calls) == sorted([(n, k) for n in "ab" for k in (200, 40, 40)])


@pytest.mark.parametrize("kind", ["head", "mlp"])
def test_refit_changes_only_the_test_predictions(kind: str) -> None:
    splits, x = _splits()
    settings = frozen.MlpSettings(hidden=32, epochs=10, lr=1e-2)

    def fit(refit: bool) -> frozen.FrozenFit:
        if kind == "head":
            return frozen.fit_lr(x, splits, (0.1, 1.0), refit=refit)
        return frozen.fit_mlp(x, splits, 13, settings, refit=refit)

    once, again = fit(False), fit(True)
    assert np.array_equal(once.validation, again.validation)  # what the ensemble weighs
    assert not np.allclose(once.test, again.test)  # trained on 240 rows, not 200
    assert "refit on train+validation" in again.note and "refit" not in once.note
    assert np.allclose(again.test.sum(axis=1), 1, atol=1e-5)
