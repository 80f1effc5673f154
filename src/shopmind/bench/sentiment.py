"""``shopmind bench sentiment``: TF-IDF baseline, frozen-embedding head and LoRA, one split.

All methods see the same de-duplicated split (no text in two splits); settings (C, early
stopping) are chosen on the validation split and the test labels are read only to score.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from shopmind.bench.machine import machine_info
from shopmind.core.errors import InputError
from shopmind.models.train import (
    METHODS,
    Reporter,
    Splits,
    TrainConfig,
    holdout_split,
    read_labelled_csv,
    sample_stratified,
    stratified_split,
    train_on_splits,
)
from shopmind.models.train.metrics import classification_report
from shopmind.models.train.split import given_test_split
from shopmind.text import detect_language

BENCH_METHODS = ("tfidf", *METHODS)
HEAVY = ("lora", "full")  # methods --max-train samples for
Say = Callable[[str], None]


def run(
    train: Path,
    text_col: str,
    label_col: str,
    *,
    test: Path | None = None,
    methods: Sequence[str] = ("tfidf", "head", "lora"),
    config: TrainConfig | None = None,
    max_train: int | None = None,
    holdout_col: str | None = None,
    holdout: str | None = None,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Train and score each method on one split; the benchmark contract's JSON."""
    unknown = [m for m in methods if m not in BENCH_METHODS]
    if unknown or not methods:
        raise InputError(f"unknown methods {unknown}; choose from: {', '.join(BENCH_METHODS)}")
    say = reporter or Reporter(enabled=False)
    base = config or TrainConfig(task="bench-sentiment")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    splits, report = csv_splits(train, test, text_col, label_col, holdout_col, holdout, base.seed)
    seconds["read_split"] = round(time.perf_counter() - started, 2)
    say.note(f"split: {splits.scheme}, seed {splits.seed}: {splits.counts()}")
    for line in report.problems():
        say.note(line)
    results: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    for method in methods:
        say.note(f"— {method}")
        started = time.perf_counter()
        if method == "tfidf":
            results[method], notes[method] = _tfidf(splits)
        else:
            results[method], notes[method] = _trained(method, splits, base, max_train, report, say)
        seconds[method] = round(time.perf_counter() - started, 1)
    return {
        "capability": "sentiment",
        "dataset": {
            "train": str(train),
            "test": str(test) if test else None,
            "text_col": text_col,
            "label_col": label_col,
            "split": splits.scheme,
            "seed": splits.seed,
            "rows": splits.counts(),
            "data": report.as_dict(),
        },
        "results": results,
        "notes": notes,
        "baseline": "tfidf" if "tfidf" in results else None,
        "seconds": seconds,
        "machine": machine_info(),
    }


def csv_splits(
    train: Path,
    test: Path | None,
    text_col: str,
    label_col: str,
    holdout_col: str | None,
    holdout: str | None,
    seed: int,
) -> tuple[Splits, Any]:
    if (holdout_col is None) != (holdout is None):
        raise InputError(
            "--holdout-col and --holdout go together (e.g. --holdout-col domain --holdout kitchen)"
        )
    data, report = read_labelled_csv(train, text_col, label_col, group_col=holdout_col)
    if holdout is not None:
        return holdout_split(data, holdout, seed=seed), report
    if test is None:
        return stratified_split(data, (0.8, 0.1, 0.1), seed), report
    held, _ = read_labelled_csv(test, text_col, label_col)
    return given_test_split(data, held, seed), report


def _trained(
    method: str,
    splits: Splits,
    base: TrainConfig,
    max_train: int | None,
    report: Any,
    say: Reporter,
) -> tuple[dict[str, float], str]:
    config = replace(base, method=method)  # type: ignore[arg-type]
    used = splits
    if max_train and method in HEAVY and max_train < len(splits.train):
        used = replace(splits, train=sample_stratified(splits.train, max_train, config.seed))
    with tempfile.TemporaryDirectory(prefix="shopmind-bench-") as root:
        result = train_on_splits(used, config, report, reporter=say, root=Path(root))
    meta = result.metadata
    test = meta["metrics"]["test"]
    figures = _figures(test, len(used.train), meta["train_seconds"], test["texts_per_s"])
    figures["validation_macro_f1"] = meta["training"]["validation_macro_f1"]
    note = f"{config.base}, trained on {len(used.train)} texts"
    if method != "head":
        t = meta["training"]
        note += f", {t['epochs_run']} epochs ({t['steps']} steps, best at {t['best_at']})"
        note += f", max_length {config.max_length}, lr {config.learning_rate:g}"
        if method == "lora":
            note += f", r {config.lora_r}"
            if config.lora_layers:
                note += f", top {config.lora_layers} layers"
    else:
        note += f", C={meta['training']['c']:g}"
    return figures, note


def _figures(scores: dict[str, Any], rows: int, train_s: float, per_s: float) -> dict[str, float]:
    out: dict[str, float] = {
        "accuracy": scores["accuracy"],
        "macro_f1": scores["macro_f1"],
        "macro_precision": scores["macro_precision"],
        "macro_recall": scores["macro_recall"],
        "train_rows": rows,
        "train_s": round(train_s, 1),
        "reviews_per_s": round(per_s, 1),
    }
    for label, row in scores["per_class"].items():
        for key in ("precision", "recall", "f1"):
            out[f"{key}[{label}]"] = row[key]
    return out


def _is_chinese(texts: list[str]) -> bool:
    sample = texts[:: max(1, len(texts) // 500)]
    return Counter(detect_language(t) for t in sample).most_common(1)[0][0] == "zh"


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


def fit_tfidf(splits: Splits) -> TfidfFit:
    """Character 1-3-grams for Chinese (no word boundaries); words 1-2 plus characters 2-5 else."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    from shopmind.models.train.metrics import macro_f1

    started = time.perf_counter()
    chinese = _is_chinese(splits.train.texts)
    if chinese:
        vectoriser: Any = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2
        )
    else:
        vectoriser = FeatureUnion(
            [
                ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
                (
                    "char",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                    ),
                ),
            ]
        )
    train_x = vectoriser.fit_transform(splits.train.texts)
    val_x = vectoriser.transform(splits.validation.texts)
    labels = sorted(set(splits.train.labels))
    best: tuple[float, Any, float] | None = None
    for c in (1.0, 3.0, 10.0, 30.0):
        model = LogisticRegression(C=c, max_iter=3000).fit(train_x, splits.train.labels)
        f1 = macro_f1(splits.validation.labels, list(model.predict(val_x)), labels)
        if best is None or f1 > best[0]:
            best = (f1, model, c)
    assert best is not None
    grams = "char 1-3" if chinese else "word 1-2 + char_wb 2-5"
    return TfidfFit(
        vectoriser, best[1], best[2], round(best[0], 4), grams, time.perf_counter() - started
    )


def _tfidf(splits: Splits) -> tuple[dict[str, float], str]:
    fit = fit_tfidf(splits)
    started = time.perf_counter()
    predicted = fit.predict(splits.test.texts)
    per_s = len(predicted) / max(time.perf_counter() - started, 1e-9)
    labels = sorted(set(splits.train.labels))
    scores = classification_report(splits.test.labels, predicted, labels)
    figures = _figures(scores, len(splits.train), fit.train_s, per_s)
    figures["validation_macro_f1"] = fit.validation_macro_f1
    return figures, fit.note
