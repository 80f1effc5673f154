"""The tfidf method: n-gram features + logistic regression, saved without pickle, loaded back
to the same probabilities; naive-Bayes scaling for two labels, plain multinomial for more."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from shopmind.core.errors import ConfigError
from shopmind.models.train import TrainConfig, load_classifier, train_classifier

TEXTS = ["这个台灯太差了", "great kettle, works perfectly", "I hate this cable", "很喜欢这个包"]


def test_two_labels_train_scale_save_and_load_back_the_same(
    reviews_csv: Callable[..., Path],
) -> None:
    path = reviews_csv(240, seed=4)
    result = train_classifier(path, "text", "label", TrainConfig(task="fast", method="tfidf"))
    meta = result.metadata
    assert meta["method"] == "tfidf" and meta["base"]["name"] == "tfidf"
    assert meta["training"]["naive_bayes"] is True
    assert meta["hyperparameters"] == {"c_grid": [0.3, 1.0, 3.0, 10.0, 30.0]}
    assert meta["metrics"]["test"]["accuracy"] >= 0.9  # the templates are learnable
    # Mixed zh/en data: most of it decides the n-grams (here English words and characters).
    assert [g["name"] for g in meta["features"]["grams"]] in (["word", "char"], ["char"])

    tensors = load_file(str(result.path / "weights.safetensors"))
    vocabulary = json.loads((result.path / "vocabulary.json").read_text(encoding="utf-8"))
    for gram in meta["features"]["grams"]:
        terms = vocabulary[gram["name"]]
        assert len(terms) == len(set(terms)) == tensors[f"tfidf.{gram['name']}.idf"].shape[0]
    assert tensors["head.coef"].shape == (1, meta["base"]["dim"])
    assert not list(result.path.glob("*.pkl")) and not list(result.path.glob("*.onnx"))

    before = result.model.predict_proba(TEXTS)
    served = load_classifier(result.path)
    np.testing.assert_allclose(served.predict_proba(TEXTS), before, rtol=1e-5, atol=1e-6)
    assert served.predict(["I hate this cable", "很喜欢这个包"]) == ["negative", "positive"]


def test_three_labels_use_one_multinomial_layer(tmp_path: Path) -> None:
    path = tmp_path / "three.csv"
    words = {"positive": "love great", "neutral": "okay average", "negative": "hate awful"}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        for i in range(60):
            for label, text in words.items():
                writer.writerow([f"{text} item number {i}", label])
    result = train_classifier(path, "text", "label", TrainConfig(task="three", method="tfidf"))
    assert result.metadata["training"]["naive_bayes"] is False
    served = load_classifier(result.path)
    assert served.predict(["okay average thing", "awful, hate it"]) == ["neutral", "negative"]
    assert served.predict_proba(["love it"]).shape == (1, 3)


def test_a_missing_vocabulary_says_so(reviews_csv: Callable[..., Path]) -> None:
    result = train_classifier(
        reviews_csv(120, seed=5), "text", "label", TrainConfig(task="gone", method="tfidf")
    )
    (result.path / "vocabulary.json").unlink()
    with pytest.raises(ConfigError, match=r"vocabulary\.json"):
        load_classifier(result.path)
