"""Train a text classifier end to end: read, split, fit, test the saved artifact, publish it.

The test split is scored with the artifact as it will be served (for lora/full: the int8 ONNX
graph loaded back from the staging folder), so the metrics in metadata.json are the served
model's, not the fp32 training model's.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as pkg_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from shopmind import __version__
from shopmind.models.registry import new_artifact
from shopmind.models.train.artifact import (
    CONFUSION,
    FORMAT,
    classifier_from_folder,
    save_vocabulary,
    save_weights,
    torch_classifier,
    write_metadata,
)
from shopmind.models.train.classifier import TextClassifier
from shopmind.models.train.config import TrainConfig
from shopmind.models.train.data import DataReport, LabelledTexts, read_labelled_csv
from shopmind.models.train.metrics import classification_report, save_confusion_png
from shopmind.models.train.progress import Reporter
from shopmind.models.train.split import Splits, sample_stratified, stratified_split

if TYPE_CHECKING:
    from torch import nn

F32 = npt.NDArray[np.float32]


@dataclass
class Fitted:
    """A freshly trained classifier, in memory, with what its artifact needs."""

    labels: list[str]
    tensors: dict[str, F32]
    details: dict[str, Any]
    train_seconds: float
    model: TextClassifier
    features_meta: dict[str, Any]
    build_body: Callable[[], nn.Module] | None = None  # lora/full: merged encoder for ONNX
    vocabulary: dict[str, list[str]] | None = None  # tfidf: terms per n-gram kind


@dataclass
class TrainResult:
    path: Path
    metadata: dict[str, Any]
    model: TextClassifier  # the in-memory model as trained (before saving)
    served: TextClassifier  # loaded back from the artifact, as load_classifier gives it
    splits: Splits
    report: DataReport


def train_classifier(
    data: Path,
    text_col: str,
    label_col: str,
    config: TrainConfig,
    *,
    reporter: Reporter | None = None,
    root: Path | None = None,
) -> TrainResult:
    """Read ``data``, de-duplicate, split, train ``config.method`` and publish the artifact."""
    say = reporter or Reporter(enabled=False)
    texts, report = read_labelled_csv(data, text_col, label_col)
    if config.max_rows and config.max_rows < len(texts):
        report.sampled_from = len(texts)
        texts = sample_stratified(texts, config.max_rows, config.seed)
    splits = stratified_split(texts, config.split, config.seed)
    say.note(
        f"{report.rows} rows, {len(texts)} distinct texts used; split {splits.scheme} "
        f"(seed {config.seed}): {splits.counts()}"
    )
    for line in report.problems():
        say.note(line)
    columns = {"text_col": text_col, "label_col": label_col}
    return train_on_splits(splits, config, report, reporter=say, root=root, columns=columns)


def train_on_splits(
    splits: Splits,
    config: TrainConfig,
    report: DataReport,
    *,
    reporter: Reporter | None = None,
    root: Path | None = None,
    columns: dict[str, str] | None = None,
) -> TrainResult:
    """Fit on ready-made splits, score the saved artifact on ``splits.test``, publish it."""
    say = reporter or Reporter(enabled=False)
    fitted = fit_classifier(splits, config, say)
    with new_artifact(config.task, root) as staging:
        folder = staging.path
        save_weights(folder, fitted.tensors, fitted.labels, config.method)
        if fitted.vocabulary is not None:
            save_vocabulary(folder, fitted.vocabulary)
        meta = _metadata(config, staging.version, fitted, splits, report, columns or {})
        write_metadata(folder, meta)
        if fitted.build_body is not None:
            from shopmind.models.encoders import get_encoder
            from shopmind.models.train.runtime import ensure_runtime

            say.note("exporting the int8 ONNX runtime")
            ensure_runtime(folder, fitted.build_body, get_encoder(config.base).spec.dim)
        served = classifier_from_folder(folder)
        say.note(f"scoring the saved model on {len(splits.test)} held-out test texts")
        scores = evaluate(served, splits.test)
        meta["metrics"]["test"] = scores
        meta["inference_texts_per_s"] = scores["texts_per_s"]
        title = f"{config.task} {staging.version} ({config.method}, {config.base}): test"
        save_confusion_png(scores["confusion"], fitted.labels, folder / CONFUSION, title)
        write_metadata(folder, meta)
    path = folder.parent / staging.version
    served.metadata = meta
    return TrainResult(path, meta, fitted.model, served, splits, report)


def evaluate(classifier: TextClassifier, data: LabelledTexts) -> dict[str, Any]:
    """Scores on ``data`` plus prediction speed (texts per second, tokenising included)."""
    started = time.perf_counter()
    predicted = classifier.predict(data.texts)
    seconds = max(time.perf_counter() - started, 1e-9)
    scores = classification_report(data.labels, predicted, classifier.labels)
    scores["texts_per_s"] = round(len(data.texts) / seconds, 1)
    return scores


def fit_classifier(splits: Splits, config: TrainConfig, reporter: Reporter) -> Fitted:
    """Train ``config.method`` on ``splits.train``; choose settings on ``splits.validation``."""
    # The labels the model can learn; test labels stay unread until scoring.
    labels = sorted(set(splits.train.labels))
    if config.method == "head":
        return _fit_head(splits, labels, config, reporter)
    if config.method == "tfidf":
        return _fit_tfidf(splits, labels, reporter)
    return _fit_torch(splits, labels, config, reporter)


def _fit_head(splits: Splits, labels: list[str], config: TrainConfig, reporter: Reporter) -> Fitted:
    from shopmind.models.embed import get_embedder
    from shopmind.models.train.finetune import class_weights
    from shopmind.models.train.head import embed_texts, fit_head

    started = time.perf_counter()
    total = len(splits.train) + len(splits.validation)
    with reporter.steps(f"embedding ({config.base})", total) as update:
        train_x = embed_texts(config.base, splits.train.texts, lambda n: update(advance=n))
        val_x = embed_texts(config.base, splits.validation.texts, lambda n: update(advance=n))
    balanced = class_weights(labels, splits.train.labels) is not None
    fit = fit_head(
        train_x,
        splits.train.labels,
        val_x,
        splits.validation.labels,
        labels,
        config.c_grid,
        balanced,
    )
    reporter.note(f"logistic regression: C={fit.c:g} (validation macro-F1 {fit.validation_f1:.4f})")
    details = {
        "validation_macro_f1": round(fit.validation_f1, 4),
        "c": fit.c,
        "validation_macro_f1_by_c": fit.scores,
        "class_weight": "balanced" if balanced else None,
    }

    def features(texts: list[str]) -> F32:
        return embed_texts(config.base, texts)

    model = TextClassifier(labels, fit.coef, fit.intercept, features)
    tensors = {"head.coef": fit.coef, "head.intercept": fit.intercept}
    features_meta = {"embedder_version": get_embedder(config.base).version, "prefix": "query"}
    return Fitted(labels, tensors, details, time.perf_counter() - started, model, features_meta)


def _fit_tfidf(splits: Splits, labels: list[str], reporter: Reporter) -> Fitted:
    from shopmind.models.train.config import TFIDF_C_GRID
    from shopmind.models.train.finetune import class_weights
    from shopmind.models.train.lexical import fit_tfidf

    started = time.perf_counter()
    fit = fit_tfidf(
        (splits.train.texts, splits.train.labels),
        (splits.validation.texts, splits.validation.labels),
        labels,
        TFIDF_C_GRID,
        class_weights(labels, splits.train.labels) is not None,
    )
    reporter.note(
        f"TF-IDF + logistic regression: C={fit.c:g} (validation macro-F1 {fit.validation_f1:.4f})"
    )
    details = {
        "validation_macro_f1": round(fit.validation_f1, 4),
        "c": fit.c,
        "validation_macro_f1_by_c": fit.scores,
        "naive_bayes": fit.naive_bayes,
        "features": int(fit.coef.shape[1]),
    }
    model = TextClassifier(labels, fit.coef, fit.intercept, fit.features)
    tensors = {"head.coef": fit.coef, "head.intercept": fit.intercept, **fit.features.tensors()}
    features_meta = {"grams": fit.features.grams, "sublinear_tf": True, "l2_normalised": True}
    return Fitted(
        labels,
        tensors,
        details,
        time.perf_counter() - started,
        model,
        features_meta,
        vocabulary=fit.features.vocabulary(),
    )


def passive_openmp() -> None:
    """Ask OpenMP threads to sleep, not spin, while they wait (unless the user chose).

    Read once, when torch loads its OpenMP runtime, so this must run before ``import torch``.
    Spinning threads starve each other when the cores are shared: with two torch threads on
    two busy cores a LoRA step ran at 200 tokens/s spinning and 1,100 passive (measured).
    """
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _fit_torch(
    splits: Splits, labels: list[str], config: TrainConfig, reporter: Reporter
) -> Fitted:
    passive_openmp()
    from shopmind.models.encoders import get_encoder
    from shopmind.models.train.finetune import fit_torch, set_threads
    from shopmind.models.train.torch_model import merged_body, trainable_state

    started = time.perf_counter()
    threads = set_threads()
    reporter.note(
        f"{config.method} fine-tuning {config.base} on {len(splits.train)} texts, "
        f"{config.epochs} epochs max, {threads} threads"
    )
    fit = fit_torch(get_encoder(config.base), splits, labels, config, reporter)
    seconds = time.perf_counter() - started
    tensors = {k: v.numpy() for k, v in trainable_state(fit.model).items()}
    details = {
        "validation_macro_f1": round(fit.best_validation_f1, 4),
        "best_at": fit.best_at,
        "best_epoch": fit.best_epoch,
        "steps": fit.steps,
        "epochs_run": fit.epochs_run,
        "stopped_early": fit.stopped_early,
        "class_weights": fit.class_weights,
        "trainable_parameters": int(sum(v.size for v in tensors.values())),
        "history": fit.history,
        "threads": threads,
        "device": fit.device,
    }
    stub = {"base": {"name": config.base}, "hyperparameters": config.hyperparameters()}
    model = torch_classifier(fit.model, stub, labels)
    features_meta = {"prefix": "query", "pooling": "mean", "runtime": "onnx int8 (cached)"}

    def build_body() -> nn.Module:
        # A copy, so the in-memory model keeps its unmerged LoRA layers.
        return merged_body(copy.deepcopy(fit.model))

    return Fitted(labels, tensors, details, seconds, model, features_meta, build_body)


def _metadata(
    config: TrainConfig,
    version: str,
    fitted: Fitted,
    splits: Splits,
    report: DataReport,
    columns: dict[str, str],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "task": config.task,
        "version": version,
        "method": config.method,
        "base": _base(config, fitted),
        "labels": fitted.labels,
        "data": {
            **report.as_dict(),
            **columns,
            "split": splits.scheme,
            "rows_per_split": splits.counts(),
            "labels_per_split": splits.label_counts(),
        },
        "seed": config.seed,
        "hyperparameters": config.hyperparameters(),
        "features": fitted.features_meta,
        "training": fitted.details,
        "metrics": {"validation": {"macro_f1": fitted.details["validation_macro_f1"]}},
        "train_seconds": round(fitted.train_seconds, 1),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
    }


def _base(config: TrainConfig, fitted: Fitted) -> dict[str, Any]:
    if config.method == "tfidf":  # no encoder: the features are the model's own n-grams
        return {"name": "tfidf", "weights": None, "dim": int(fitted.details["features"])}
    from shopmind.models.encoders import get_encoder

    spec = get_encoder(config.base).spec
    return {"name": spec.name, "weights": spec.weights, "dim": spec.dim}


def _versions() -> dict[str, str]:
    out = {"shopmind": __version__}
    for dist in ("torch", "transformers", "peft", "scikit-learn", "onnxruntime"):
        try:
            out[dist] = pkg_metadata.version(dist)
        except pkg_metadata.PackageNotFoundError:
            continue
    return out
