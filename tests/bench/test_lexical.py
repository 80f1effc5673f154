"""Lexical baselines: naive-Bayes log-count ratios and the NB-weighted TF-IDF classifier."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from shopmind.bench.lexical import fit_nb_tfidf
from shopmind.models.train import LabelledTexts, Splits
from shopmind.models.train.lexical import log_count_ratios


def test_ratios_point_towards_the_class_a_feature_occurs_in() -> None:
    # features: only in positive rows, only in negative rows, in every row
    x = sparse.csr_matrix(np.array([[1, 0, 1], [2, 0, 1], [0, 1, 1], [0, 3, 1]], np.float64))
    r = log_count_ratios(x, np.array([True, True, False, False]))
    assert r[0] > 0 > r[1]
    assert r[0] == pytest.approx(-r[1])  # counts, not tf-idf weights: presence in 2 rows each
    assert r[2] == pytest.approx(0.0)


def _texts(per_label: int, tag: str) -> LabelledTexts:
    words = {"good": "great lovely superb", "bad": "awful broken poor", "meh": "okay average fine"}
    rng = np.random.default_rng(len(tag))
    filler = "the item arrived today and i used it".split()
    texts, labels = [], []
    for label, vocab in words.items():
        for i in range(per_label):
            picked = [*rng.choice(vocab.split(), 2), *rng.choice(filler, 4)]
            texts.append(f"{' '.join(picked)} {tag}{i}")
            labels.append(label)
    return LabelledTexts(texts, labels)


@pytest.mark.parametrize("labels", [("bad", "good"), ("bad", "good", "meh")])
def test_nb_tfidf_learns_two_or_more_labels(labels: tuple[str, ...]) -> None:
    def keep(data: LabelledTexts) -> LabelledTexts:
        rows = [(t, y) for t, y in zip(data.texts, data.labels, strict=True) if y in labels]
        return LabelledTexts([t for t, _ in rows], [y for _, y in rows])

    splits = Splits(keep(_texts(40, "a")), keep(_texts(10, "b")), keep(_texts(10, "c")), 1, "t")
    fit = fit_nb_tfidf(splits)
    assert fit.labels == sorted(labels) and len(fit.models) == (1 if len(labels) == 2 else 3)
    proba = fit.predict_proba(splits.test.texts)
    assert proba.shape == (len(splits.test), len(labels))
    assert np.allclose(proba.sum(axis=1), 1.0)
    predicted = [fit.labels[i] for i in proba.argmax(axis=1)]
    accuracy = np.mean([p == t for p, t in zip(predicted, splits.test.labels, strict=True)])
    assert accuracy >= 0.9 and fit.validation_macro_f1 >= 0.9
    assert "naive-Bayes log-count ratios" in fit.note
