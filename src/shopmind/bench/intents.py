"""``shopmind bench intents``: intent accuracy and macro-F1, and out-of-scope detection.

The methods are those of ``bench sentiment`` (TF-IDF + logistic regression as the baseline, then
the fine-tuning pipeline's ``head``, ``lora`` and ``full``) on one de-duplicated split, plus
classifiers on frozen embeddings of any registered embedders (``head:minilm``,
``mlp:e5-small+minilm+use``, see ``shopmind.bench.frozen``) and ``ensemble``: a soft vote of all
the other methods in the run, its weights chosen on the validation split
(``shopmind.bench.ensemble``).

With ``refit`` TF-IDF, the frozen-embedding classifiers and ``lora`` / ``full``, once their
settings (C, epochs) are chosen on validation, are trained again on train + validation for their
test predictions: the first two with the chosen C or epoch, ``lora`` / ``full`` for the whole
epochs up to the evaluation early stopping kept, keeping the last weights. The ensemble's
weights and temperatures still come from the train-only models' validation probabilities.

With an out-of-scope label (CLINC150's ``oos``) a text is out of scope when the model says so or
when its best in-scope probability is below a threshold. The threshold is picked on the
validation split only: the one with the highest out-of-scope recall whose validation in-scope
accuracy stays at or above ``in_scope_floor``. Test labels are read only to score.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.bench import frozen
from shopmind.bench.lexical import NB_TFIDF, fit_nb_tfidf
from shopmind.bench.machine import machine_info
from shopmind.bench.probes import (
    DEFAULT_VOTE,
    ENSEMBLE,
    Probed,
    check_vote,
    from_classifier,
    vote,
)
from shopmind.bench.sentiment import (
    HEAVY,
    TfidfFit,
    check_methods,
    csv_splits,
    fit_tfidf,
    pipeline_config,
)
from shopmind.core.errors import InputError
from shopmind.models.train import (
    LabelledTexts,
    Reporter,
    Splits,
    TrainConfig,
    sample_stratified,
    train_on_splits,
)
from shopmind.models.train.data import DataReport, normalise_text
from shopmind.models.train.metrics import classification_report

F32 = npt.NDArray[np.float32]
FORMATS = ("csv", "clinc150")
Proba = Callable[[list[str]], Any]


def run(
    train: Path,
    *,
    fmt: str = "csv",
    text_col: str = "text",
    label_col: str = "label",
    test: Path | None = None,
    methods: Sequence[str] = ("tfidf", "head"),
    config: TrainConfig | None = None,
    max_train: int | None = None,
    oos_label: str | None = None,
    in_scope_floor: float = 0.9,
    refit: bool = False,
    vote_how: str = DEFAULT_VOTE,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Train and score each method on one split; the benchmark contract's JSON."""
    check_methods(methods)
    check_vote(vote_how)
    if not 0 < in_scope_floor <= 1:
        raise InputError(f"in_scope_floor must be in (0, 1], got {in_scope_floor}")
    say = reporter or Reporter(enabled=False)
    base = config or TrainConfig(task="bench-intents")
    started = time.perf_counter()
    splits, report = load_splits(train, fmt, text_col, label_col, test, base.seed)
    if fmt == "clinc150":
        oos_label = oos_label or "oos"
    if oos_label is not None and oos_label not in set(splits.train.labels):
        raise InputError(f"no training text has the out-of-scope label {oos_label!r}")
    seconds: dict[str, float] = {"read_split": round(time.perf_counter() - started, 2)}
    say.note(f"split: {splits.scheme}, seed {splits.seed}: {splits.counts()}")
    results: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    probes: dict[str, Probed] = {}
    cache = frozen.EmbeddingCache(splits, say)
    for method in [m for m in methods if m != ENSEMBLE]:
        say.note(f"— {method}")
        started = time.perf_counter()
        probes[method] = _probe(method, splits, base, max_train, report, say, cache, refit)
        results[method] = score(probes[method], splits, oos_label, in_scope_floor)
        notes[method] = probes[method].note
        seconds[method] = round(time.perf_counter() - started, 1)
    if ENSEMBLE in methods:
        say.note(f"— {ENSEMBLE}")
        started = time.perf_counter()
        probed = vote(probes, splits, how=vote_how)
        results[ENSEMBLE] = score(probed, splits, oos_label, in_scope_floor)
        notes[ENSEMBLE] = probed.note
        seconds[ENSEMBLE] = round(time.perf_counter() - started, 1)
    return {
        "capability": "intents",
        "dataset": {
            "train": str(train),
            "test": str(test) if test else None,
            "format": fmt,
            "split": splits.scheme,
            "seed": splits.seed,
            "rows": splits.counts(),
            "labels": len(set(splits.train.labels)),
            "oos_label": oos_label,
            "in_scope_floor": in_scope_floor if oos_label else None,
            "refit": refit,
            "vote": vote_how if ENSEMBLE in methods else None,
        },
        "results": results,
        "notes": notes,
        "baseline": "tfidf" if "tfidf" in results else None,
        "seconds": seconds,
        "machine": machine_info(),
    }


# --- data ------------------------------------------------------------------------------------


def load_splits(
    train: Path, fmt: str, text_col: str, label_col: str, test: Path | None, seed: int
) -> tuple[Splits, DataReport]:
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    if fmt == "csv":
        return csv_splits(train, test, text_col, label_col, None, None, seed)
    if test is not None:
        raise InputError("--format clinc150 reads all three splits from one file; drop --test")
    return clinc_splits(train, seed), DataReport(path=str(train.resolve()), sha256="")


def clinc_splits(path: Path, seed: int) -> Splits:
    """CLINC150's official splits (``data_full.json``), out-of-scope rows labelled ``oos``."""
    if not path.is_file():
        raise InputError(f"dataset file not found: {path} (pass CLINC150's data_full.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not CLINC150 JSON: {exc}") from None
    parts = {}
    for name, keys in (
        ("train", ("train", "oos_train")),
        ("validation", ("val", "oos_val")),
        ("test", ("test", "oos_test")),
    ):
        missing = [k for k in keys if not isinstance(data.get(k), list)]
        if missing:
            raise InputError(f"{path} has no {', '.join(missing)} list: is it data_full.json?")
        rows = [row for key in keys for row in data[key]]
        parts[name] = _labelled(rows, path, name)
    return Splits(parts["train"], parts["validation"], parts["test"], seed, "CLINC150 official")


def _labelled(rows: list[Any], path: Path, split: str) -> LabelledTexts:
    texts, labels = [], []
    for i, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 2 and all(isinstance(x, str) for x in row)):
            raise InputError(f"{path}: {split} row {i} is not [text, intent]: {row!r:.80}")
        texts.append(normalise_text(row[0]))
        labels.append(row[1].strip())
    return LabelledTexts(texts, labels)


# --- methods ---------------------------------------------------------------------------------


def _probe(
    method: str,
    splits: Splits,
    base: TrainConfig,
    max_train: int | None,
    report: DataReport,
    say: Reporter,
    cache: frozen.EmbeddingCache,
    refit: bool = False,
) -> Probed:
    parsed = frozen.parse(method)
    if parsed is not None:
        return _frozen(parsed[0], parsed[1], splits, base, cache, refit)
    if method == NB_TFIDF:  # not refit: its ratios and C are fitted together on train
        nb = fit_nb_tfidf(splits)
        return from_classifier(
            nb.labels, nb.predict_proba, splits, len(splits.train), nb.train_s, nb.note
        )
    if method == "tfidf":
        fit = fit_tfidf(splits)
        probed = from_classifier(
            fit.labels, fit.predict_proba, splits, len(splits.train), fit.train_s, fit.note
        )
        return _refit_tfidf(fit, splits, probed) if refit else probed
    config = pipeline_config(method, base)
    assert config is not None  # check_methods let only known methods through
    used = splits
    if max_train and config.method in HEAVY and max_train < len(splits.train):
        used = replace(splits, train=sample_stratified(splits.train, max_train, config.seed))
    probed, epochs = _trained(used, splits, config, report, say)
    if refit and config.method in HEAVY:
        return _refit_trained(probed, epochs, used, splits, config, report, say)
    return probed


def _trained(
    used: Splits, splits: Splits, config: TrainConfig, report: DataReport, say: Reporter
) -> tuple[Probed, int]:
    """The pipeline's served model on validation and test, and the epochs it kept (0: head)."""
    with tempfile.TemporaryDirectory(prefix="shopmind-bench-") as root:
        result = train_on_splits(used, config, report, reporter=say, root=Path(root))
        served = result.served
        note = f"{config.base}, trained on {len(used.train)} texts"
        epochs = 0
        if config.method != "head":
            t = result.metadata["training"]
            epochs = whole_epochs(float(t["best_epoch"]), config.epochs)
            note += f", {t['epochs_run']} epochs (best at {t['best_at']})"
            note += f", lr {config.learning_rate:g}"
        train_s = float(result.metadata["train_seconds"])
        probed = from_classifier(
            served.labels, served.predict_proba, splits, len(used.train), train_s, note
        )
        return probed, epochs


def whole_epochs(best_epoch: float, most: int) -> int:
    """Whole epochs up to the kept weights (6.5 -> 7), at least 1, at most ``most``; ``most``
    when nothing was kept (0)."""
    if best_epoch <= 0:
        return most
    return max(1, min(most, math.ceil(best_epoch - 1e-9)))


def _refit_trained(
    probed: Probed,
    epochs: int,
    used: Splits,
    splits: Splits,
    config: TrainConfig,
    report: DataReport,
    say: Reporter,
) -> Probed:
    """A fine-tuned method again on train + validation for the epochs validation chose, keeping
    the last weights. Its test probabilities replace the first model's; validation
    probabilities (for the ensemble's calibration) stay those of the model that never saw them."""
    both = LabelledTexts(
        [*used.train.texts, *splits.validation.texts],
        [*used.train.labels, *splits.validation.labels],
    )
    again = replace(config, epochs=epochs, keep_last=True)
    say.note(f"refit: {config.method} on {len(both)} train + validation texts, {epochs} epochs")
    refit, _ = _trained(replace(used, train=both), splits, again, report, say)
    if refit.labels != probed.labels:
        raise InputError("refit: validation has labels the training split lacks")
    return replace(
        probed,
        test=refit.test,
        train_rows=len(both),
        train_s=probed.train_s + refit.train_s,
        test_texts_per_s=refit.test_texts_per_s,
        note=probed.note + f", refit on train+validation for {epochs} epochs",
    )


def _refit_tfidf(fit: TfidfFit, splits: Splits, probed: Probed) -> Probed:
    """The same vectoriser settings and C, fitted again on train + validation."""
    from sklearn.base import clone

    started = time.perf_counter()
    texts = [*splits.train.texts, *splits.validation.texts]
    vectoriser = clone(fit.vectoriser)
    model = clone(fit.model).fit(
        vectoriser.fit_transform(texts), [*splits.train.labels, *splits.validation.labels]
    )
    if [str(c) for c in model.classes_] != probed.labels:
        raise InputError("refit: validation has labels the training split lacks")
    test = np.asarray(model.predict_proba(vectoriser.transform(splits.test.texts)), np.float32)
    return replace(
        probed,
        test=test,
        train_rows=len(texts),
        train_s=probed.train_s + time.perf_counter() - started,
        note=probed.note + ", refit on train+validation",
    )


def _frozen(
    kind: str,
    names: list[str],
    splits: Splits,
    base: TrainConfig,
    cache: frozen.EmbeddingCache,
    refit: bool = False,
) -> Probed:
    x = cache.features(names)
    started = time.perf_counter()
    if kind == "head":
        fit = frozen.fit_lr(x, splits, base.c_grid, refit=refit)
    else:
        fit = frozen.fit_mlp(x, splits, base.seed, refit=refit)
    train_s = time.perf_counter() - started + cache.embed_seconds(names)
    per_s = _texts_per_s(names, cache)
    note = f"{'+'.join(names)} frozen ({x['train'].shape[1]} dims), {fit.note}"
    note += f", validation accuracy {fit.validation_accuracy:.4f}"
    rows = len(splits.train) + (len(splits.validation) if refit else 0)
    return Probed(fit.labels, fit.validation, fit.test, rows, train_s, per_s, note)


def _texts_per_s(names: list[str], cache: frozen.EmbeddingCache) -> float:
    """Embedding throughput over all splits (the classifier's own cost is negligible)."""
    seconds = cache.embed_seconds(names)
    return sum(cache.splits.counts().values()) / max(seconds, 1e-9)


# --- scoring ---------------------------------------------------------------------------------


def score(
    probed: Probed, splits: Splits, oos_label: str | None, in_scope_floor: float
) -> dict[str, float]:
    """Accuracy and macro-F1 on test; with ``oos_label`` also out-of-scope recall/precision and
    in-scope accuracy at the threshold chosen on validation."""
    threshold = 0.0
    if oos_label is not None:
        threshold = pick_threshold(
            probed.labels, probed.validation, splits.validation.labels, oos_label, in_scope_floor
        )
    predicted = decide(probed.labels, probed.test, oos_label, threshold)
    labels = sorted(set(splits.train.labels))
    report = classification_report(splits.test.labels, predicted, labels)
    out: dict[str, float] = {
        "accuracy": report["accuracy"],
        "macro_f1": report["macro_f1"],
        "train_rows": float(probed.train_rows),
        "train_s": round(probed.train_s, 1),
        "texts_per_s": round(probed.test_texts_per_s, 1),
    }
    if oos_label is not None:
        out.update(oos_figures(splits.test.labels, predicted, oos_label))
        out["threshold"] = round(threshold, 4)
    return out


def decide(labels: list[str], proba: F32, oos_label: str | None, threshold: float) -> list[str]:
    """The predicted label per row: out of scope when the model says so or is unsure."""
    if oos_label is None or oos_label not in labels:
        return [labels[int(i)] for i in proba.argmax(axis=1)]
    oos = labels.index(oos_label)
    inside = np.array([i for i in range(len(labels)) if i != oos])
    best_inside = inside[proba[:, inside].argmax(axis=1)]
    says_oos = proba.argmax(axis=1) == oos
    unsure = proba[np.arange(len(proba)), best_inside] < threshold
    return [
        oos_label if o or u else labels[int(b)]
        for o, u, b in zip(says_oos, unsure, best_inside, strict=True)
    ]


def oos_figures(truth: Sequence[str], predicted: Sequence[str], oos_label: str) -> dict[str, float]:
    t = np.asarray(truth)
    p = np.asarray(predicted)
    is_oos = t == oos_label
    said_oos = p == oos_label
    return {
        "oos_recall": round(float((said_oos & is_oos).sum() / max(is_oos.sum(), 1)), 4),
        "oos_precision": round(float((said_oos & is_oos).sum() / max(said_oos.sum(), 1)), 4),
        "in_scope_accuracy": round(float((p == t)[~is_oos].mean()) if (~is_oos).any() else 0, 4),
    }


def pick_threshold(
    labels: list[str], proba: F32, truth: Sequence[str], oos_label: str, in_scope_floor: float
) -> float:
    """The validation threshold with the best OOS recall keeping in-scope accuracy ≥ floor."""
    best = (-1.0, 0.0)
    for threshold in np.linspace(0.0, 0.99, 100):
        figures = oos_figures(truth, decide(labels, proba, oos_label, threshold), oos_label)
        if figures["in_scope_accuracy"] >= in_scope_floor and figures["oos_recall"] > best[0]:
            best = (figures["oos_recall"], float(threshold))
    return best[1]
