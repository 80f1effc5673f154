"""``shopmind bench sentiment``: TF-IDF baseline, frozen-embedding heads, LoRA and their vote.

All methods see the same de-duplicated split (no text in two splits); settings (C, early
stopping) are chosen on the validation split and the test labels are read only to score.

Besides the fine-tuning pipeline's ``head``, ``lora`` and ``full``: ``head:NAMES`` / ``mlp:NAMES``
classify frozen embeddings of one or more registered embedders (``head:use``,
``mlp:e5-small+use``; ``shopmind.bench.frozen``), and ``ensemble`` is a soft vote of every other
method in the run with weights chosen on validation accuracy (``shopmind.bench.probes``).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from shopmind.bench import frozen
from shopmind.bench import probes as probes_
from shopmind.bench.lexical import NB_TFIDF, TfidfFit, fit_nb_tfidf, fit_tfidf
from shopmind.bench.machine import machine_info
from shopmind.bench.probes import ENSEMBLE
from shopmind.core.errors import InputError
from shopmind.models.train import (
    BASES,
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

BENCH_METHODS = ("tfidf", NB_TFIDF, *METHODS)
# TfidfFit and fit_tfidf live in bench.lexical; kept importable from here (bench intents).
__all__ = [
    "BENCH_METHODS",
    "HEAVY",
    "TfidfFit",
    "check_methods",
    "csv_splits",
    "fit_tfidf",
    "pipeline_config",
    "run",
]
HEAVY = ("lora", "full")  # methods --max-train samples for
Say = Callable[[str], None]


def pipeline_config(method: str, base: TrainConfig) -> TrainConfig | None:
    """The fine-tuning pipeline's settings for ``lora``/``full`` (on ``base.base``), or for
    ``lora:minilm`` / ``full:e5-small`` (on the named encoder, so one run can vote over models
    fine-tuned from both); None for any other method name."""
    name, sep, encoder = method.partition(":")
    if not sep:
        return replace(base, method=method) if method in METHODS else None
    if name not in HEAVY:
        return None
    if encoder not in BASES:
        raise InputError(f"{method!r}: the encoder after ':' is one of: {', '.join(BASES)}")
    return replace(base, method=name, base=encoder)  # type: ignore[arg-type]


def check_methods(methods: Sequence[str]) -> None:
    """InputError naming the valid methods, unless every one is known (and an ensemble has at
    least two others to vote)."""
    unknown = [
        m
        for m in methods
        if m not in BENCH_METHODS
        and m != ENSEMBLE
        and frozen.parse(m) is None
        and pipeline_config(m, TrainConfig(task="check")) is None
    ]
    if unknown or not methods:
        choices = ", ".join(
            [*BENCH_METHODS, "lora:BASE", "full:BASE", "head:EMBEDDERS", "mlp:EMBEDDERS", ENSEMBLE]
        )
        raise InputError(f"unknown methods {unknown}; choose from: {choices}")
    if len(set(methods)) != len(methods):
        raise InputError(f"a method is named twice in {list(methods)}")
    if ENSEMBLE in methods and len(methods) < 3:
        raise InputError("ensemble votes over the other methods: name at least two more")


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
    vote_how: str = probes_.DEFAULT_VOTE,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Train and score each method on one split; the benchmark contract's JSON."""
    check_methods(methods)
    probes_.check_vote(vote_how)
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
    probes: dict[str, probes_.Probed] = {}
    cache = frozen.EmbeddingCache(splits, say)
    voting = ENSEMBLE in methods
    for method in [m for m in methods if m != ENSEMBLE]:
        say.note(f"— {method}")
        started = time.perf_counter()
        parsed = frozen.parse(method)
        if method in ("tfidf", NB_TFIDF):
            probes[method], results[method] = _tfidf(splits, nb=method == NB_TFIDF)
        elif parsed is not None:
            probes[method] = probes_.from_frozen(
                parsed[0], parsed[1], splits, base.c_grid, base.seed, cache
            )
            results[method] = _scored(probes[method], splits)
        else:
            probed, results[method], notes[method] = _trained(
                method, splits, base, max_train, report, say, voting
            )
            if probed is not None:
                probes[method] = probed
        if method in probes:
            notes[method] = probes[method].note
        seconds[method] = round(time.perf_counter() - started, 1)
    if voting:
        say.note(f"— {ENSEMBLE}")
        started = time.perf_counter()
        probes[ENSEMBLE] = probes_.vote(probes, splits, how=vote_how)
        results[ENSEMBLE] = _scored(probes[ENSEMBLE], splits)
        notes[ENSEMBLE] = probes[ENSEMBLE].note
        seconds[ENSEMBLE] = round(time.perf_counter() - started, 1)
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
            "vote": vote_how if ENSEMBLE in methods else None,
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
    voting: bool = False,
) -> tuple[probes_.Probed | None, dict[str, float], str]:
    """The pipeline's figures on test (its served artifact); with ``voting`` also that
    artifact's probabilities on validation and test for the ensemble."""
    config = pipeline_config(method, base)
    assert config is not None  # check_methods let only known methods through
    used = splits
    if max_train and config.method in HEAVY and max_train < len(splits.train):
        used = replace(splits, train=sample_stratified(splits.train, max_train, config.seed))
    with tempfile.TemporaryDirectory(prefix="shopmind-bench-") as root:
        result = train_on_splits(used, config, report, reporter=say, root=Path(root))
        meta = result.metadata
        note = f"{config.base}, trained on {len(used.train)} texts"
        if config.method != "head":
            t = meta["training"]
            note += f", {t['epochs_run']} epochs ({t['steps']} steps, best at {t['best_at']})"
            note += f", max_length {config.max_length}, lr {config.learning_rate:g}"
            if config.method == "lora":
                note += f", r {config.lora_r}"
                if config.lora_layers:
                    note += f", top {config.lora_layers} layers"
        else:
            note += f", C={meta['training']['c']:g}"
        probed = None
        if voting:
            say.note(f"{method}: probabilities on validation and test for the ensemble")
            served = result.served
            probed = probes_.from_classifier(
                served.labels,
                served.predict_proba,
                splits,
                len(used.train),
                float(meta["train_seconds"]),
                note,
            )
    test = meta["metrics"]["test"]
    figures = _figures(test, len(used.train), meta["train_seconds"], test["texts_per_s"])
    figures["validation_macro_f1"] = meta["training"]["validation_macro_f1"]
    return probed, figures, note


def _scored(probed: probes_.Probed, splits: Splits) -> dict[str, float]:
    """Test figures of the most probable label (test labels are read here, to score only)."""
    labels = sorted(set(splits.train.labels))
    scores = classification_report(splits.test.labels, probed.predicted(), labels)
    return _figures(scores, probed.train_rows, probed.train_s, probed.test_texts_per_s)


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


def _tfidf(splits: Splits, nb: bool = False) -> tuple[probes_.Probed, dict[str, float]]:
    fit = fit_nb_tfidf(splits) if nb else fit_tfidf(splits)
    probed = probes_.from_classifier(
        fit.labels, fit.predict_proba, splits, len(splits.train), fit.train_s, fit.note
    )
    figures = _scored(probed, splits)
    figures["validation_macro_f1"] = fit.validation_macro_f1
    return probed, figures
