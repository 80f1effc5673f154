"""Lexical baselines for the classification benchmarks: TF-IDF + logistic regression, and the
same features scaled by naive-Bayes log-count ratios (Wang & Manning 2012's NB-SVM idea, with
logistic regression so it gives probabilities).

Settings (C) are picked on the validation split's macro-F1; test texts are only transformed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from shopmind.models.train import Splits
from shopmind.models.train.lexical import grams_for, is_chinese, log_count_ratios, vectoriser

NB_TFIDF = "tfidf-nb"


@dataclass
class TfidfFit:
    """TF-IDF + logistic regression fitted on a split, C picked on validation."""

    vectoriser: Any
    model: Any
    c: float
    validation_macro_f1: float
    grams: str
    train_s: float

    @property
    def labels(self) -> list[str]:
        return [str(y) for y in self.model.classes_]

    def predict(self, texts: list[str]) -> list[str]:
        return [str(y) for y in self.model.predict(self.vectoriser.transform(texts))]

    def predict_proba(self, texts: list[str]) -> Any:
        """Probabilities, columns in ``labels`` order."""
        return self.model.predict_proba(self.vectoriser.transform(texts))

    @property
    def note(self) -> str:
        return f"TF-IDF {self.grams} + logistic regression, C={self.c:g}"


def tfidf_vectoriser(chinese: bool) -> Any:
    """The pipeline's n-gram kinds (``models.train.lexical.grams_for``) side by side: characters
    1-3 for Chinese (no word boundaries), words 1-2 plus characters 2-5 otherwise."""
    from sklearn.pipeline import FeatureUnion

    parts = [(g["name"], vectoriser(g, dtype=np.float64)) for g in grams_for(chinese)]
    return parts[0][1] if len(parts) == 1 else FeatureUnion(parts)


def tfidf_grams(chinese: bool) -> str:
    return " + ".join(
        f"{g['analyzer']} {g['ngram_range'][0]}-{g['ngram_range'][1]}" for g in grams_for(chinese)
    )


def _features(splits: Splits) -> tuple[bool, Any, Any, Any]:
    """Whether the texts are Chinese, the vectoriser fitted on train, train and validation rows."""
    chinese = is_chinese(splits.train.texts)
    vectoriser = tfidf_vectoriser(chinese)
    train_x = vectoriser.fit_transform(splits.train.texts)
    return chinese, vectoriser, train_x, vectoriser.transform(splits.validation.texts)


def fit_tfidf(splits: Splits) -> TfidfFit:
    """TF-IDF (``tfidf_vectoriser``) + logistic regression, C picked on validation macro-F1."""
    from sklearn.linear_model import LogisticRegression

    from shopmind.models.train.metrics import macro_f1

    started = time.perf_counter()
    chinese, vectoriser, train_x, val_x = _features(splits)
    labels = sorted(set(splits.train.labels))
    best: tuple[float, Any, float] | None = None
    for c in (1.0, 3.0, 10.0, 30.0):
        model = LogisticRegression(C=c, max_iter=3000).fit(train_x, splits.train.labels)
        f1 = macro_f1(splits.validation.labels, list(model.predict(val_x)), labels)
        if best is None or f1 > best[0]:
            best = (f1, model, c)
    assert best is not None
    grams = tfidf_grams(chinese)
    return TfidfFit(
        vectoriser, best[1], best[2], round(best[0], 4), grams, time.perf_counter() - started
    )


@dataclass
class NbTfidfFit:
    """TF-IDF scaled per feature by a log-count ratio, then logistic regression.

    Two labels: one ratio (second label vs first) and one model. More: one ratio and one
    binary model per label (one-vs-rest), their probabilities normalised to sum to 1.
    """

    vectoriser: Any
    ratios: list[Any]  # sparse diagonal matrices, one per model
    models: list[Any]
    labels: list[str]
    c: float
    validation_macro_f1: float
    grams: str
    train_s: float

    def predict_proba(self, texts: list[str]) -> Any:
        """Probabilities, columns in ``labels`` order."""
        return _nb_proba(self.models, self.ratios, self.vectoriser.transform(texts))

    @property
    def note(self) -> str:
        grams = f"TF-IDF {self.grams} x naive-Bayes log-count ratios"
        return f"{grams} + logistic regression, C={self.c:g}"


def _nb_proba(models: list[Any], ratios: list[Any], x: Any) -> Any:
    if len(models) == 1:
        return models[0].predict_proba(x @ ratios[0])
    scores = np.column_stack(
        [m.predict_proba(x @ r)[:, 1] for m, r in zip(models, ratios, strict=True)]
    )
    return scores / np.maximum(scores.sum(axis=1, keepdims=True), 1e-12)


def fit_nb_tfidf(splits: Splits, c_grid: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0)) -> NbTfidfFit:
    """``tfidf_vectoriser`` features times log-count ratios, C picked on validation macro-F1."""
    from sklearn.linear_model import LogisticRegression

    from shopmind.models.train.metrics import macro_f1

    started = time.perf_counter()
    chinese, vectoriser, train_x, val_x = _features(splits)
    labels = sorted(set(splits.train.labels))
    y = np.asarray(splits.train.labels)
    targets = [labels[1]] if len(labels) == 2 else labels
    from scipy import sparse

    ratios = [sparse.diags(log_count_ratios(train_x, y == target)) for target in targets]
    best: tuple[float, list[Any], float] | None = None
    for c in c_grid:
        models = [
            LogisticRegression(C=c, max_iter=3000).fit(train_x @ r, y == target)
            for target, r in zip(targets, ratios, strict=True)
        ]
        proba = _nb_proba(models, ratios, val_x)
        predicted = [labels[int(i)] for i in proba.argmax(axis=1)]
        f1 = macro_f1(splits.validation.labels, predicted, labels)
        if best is None or f1 > best[0]:
            best = (f1, models, c)
    assert best is not None  # c_grid is not empty
    return NbTfidfFit(
        vectoriser,
        ratios,
        best[1],
        labels,
        best[2],
        round(best[0], 4),
        tfidf_grams(chinese),
        time.perf_counter() - started,
    )
