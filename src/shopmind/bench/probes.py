"""Class probabilities per benchmark method, on validation and test, and their soft vote.

A ``Probed`` is what a classification benchmark needs from a method to score it and to let an
ensemble vote with it: probabilities on the validation split (to choose ensemble weights) and on
the test split (to score), how many rows it trained on, its training time and throughput.
Nothing here reads test labels.

Shared by the classification benchmarks (``bench sentiment`` and ``bench intents``) on top of
``shopmind.bench.frozen`` and ``shopmind.bench.ensemble``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shopmind.bench import frozen
from shopmind.bench.ensemble import (
    Member,
    calibrated,
    choose_weights,
    mean_blend,
    select_greedy,
    soft_vote,
)
from shopmind.core.errors import InputError
from shopmind.models.train import Splits

F32 = npt.NDArray[np.float32]
Proba = Callable[[list[str]], object]
ENSEMBLE = "ensemble"
VOTES = ("grid", "mean", "greedy")  # how an ensemble weighs its members
DEFAULT_VOTE = "mean"


@dataclass(frozen=True)
class Probed:
    """One method's class probabilities on validation and test, and how it was trained."""

    labels: list[str]
    validation: F32
    test: F32
    train_rows: int
    train_s: float
    test_texts_per_s: float
    note: str

    def predicted(self, part: str = "test") -> list[str]:
        """The most probable label per row of ``part`` ("validation" or "test")."""
        proba = self.validation if part == "validation" else self.test
        return [self.labels[int(i)] for i in proba.argmax(axis=1)]


def from_classifier(
    labels: list[str], proba: Proba, splits: Splits, rows: int, train_s: float, note: str
) -> Probed:
    """Probabilities of a fitted classifier (``proba(texts)``, columns in ``labels`` order);
    throughput is timed on the test split."""
    validation = np.asarray(proba(splits.validation.texts), np.float32)
    started = time.perf_counter()
    test = np.asarray(proba(splits.test.texts), np.float32)
    per_s = len(splits.test) / max(time.perf_counter() - started, 1e-9)
    return Probed(labels, validation, test, rows, train_s, per_s, note)


def from_frozen(
    kind: str,
    names: list[str],
    splits: Splits,
    c_grid: tuple[float, ...],
    seed: int,
    cache: frozen.EmbeddingCache,
) -> Probed:
    """``head`` (logistic regression) or ``mlp`` on the embedders' frozen vectors side by side.

    Training time includes embedding every split; throughput is that of embedding.
    """
    x = cache.features(names)
    started = time.perf_counter()
    fit = frozen.fit_lr(x, splits, c_grid) if kind == "head" else frozen.fit_mlp(x, splits, seed)
    train_s = time.perf_counter() - started + cache.embed_seconds(names)
    per_s = sum(splits.counts().values()) / max(cache.embed_seconds(names), 1e-9)
    note = f"{'+'.join(names)} frozen ({x['train'].shape[1]} dims), {fit.note}"
    note += f", validation accuracy {fit.validation_accuracy:.4f}"
    return Probed(fit.labels, fit.validation, fit.test, len(splits.train), train_s, per_s, note)


def check_vote(how: str) -> None:
    """InputError unless ``how`` is one of ``VOTES`` (checked before any training starts)."""
    if how not in VOTES:
        raise InputError(f"unknown vote {how!r}; choose from: {', '.join(VOTES)}")


def vote(
    probes: Mapping[str, Probed], splits: Splits, step: float = 0.1, how: str = DEFAULT_VOTE
) -> Probed:
    """Soft vote of ``probes``, weighed as ``how`` says (``shopmind.bench.ensemble``: ``grid``,
    ``mean`` or ``greedy``; the last two over temperature-calibrated members).

    Training time and throughput are those of the members with a non-zero weight together.
    """
    if not probes:
        raise ValueError("an ensemble needs at least one member")
    check_vote(how)
    labels = sorted(set(splits.train.labels))
    truth = splits.validation.labels
    members = {name: Member(p.labels, p.validation, p.test) for name, p in probes.items()}
    temperatures: dict[str, float] = {}
    if how == "grid":
        blend = choose_weights(members, labels, truth, step)
    else:
        fitted = {n: calibrated(m, labels, truth) for n, m in members.items()}
        members = {n: member for n, (member, _) in fitted.items()}
        temperatures = {n: t for n, (_, t) in fitted.items()}
        pick = mean_blend if how == "mean" else select_greedy
        blend = pick(members, labels, truth)
    used = [probes[name] for name, w in blend.weights.items() if w > 0]
    weights = ", ".join(f"{name} {w:g}" for name, w in blend.weights.items() if w > 0)
    note = f"{how} soft vote ({weights}), "
    if temperatures:
        scaled = [f"{n} {t:.2f}" for n, t in temperatures.items() if blend.weights[n] > 0]
        note += f"temperatures {', '.join(scaled)}, "
    note += f"validation accuracy {blend.validation_accuracy:.4f}"
    return Probed(
        labels,
        soft_vote(members, blend.weights, labels, "validation"),
        soft_vote(members, blend.weights, labels, "test"),
        max(p.train_rows for p in probes.values()),
        sum(p.train_s for p in used),
        1 / sum(1 / max(p.test_texts_per_s, 1e-9) for p in used),
        note,
    )
