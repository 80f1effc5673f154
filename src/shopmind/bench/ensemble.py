"""Soft voting over several classifiers' class probabilities, weights picked on validation.

Each member gives probabilities on the validation and the test split (columns in its own label
order). The blend is a weighted mean of the members' probabilities; the weights are the point of
a grid over the simplex (steps of ``step``) with the best validation accuracy, ties broken by the
lower validation log-loss. Only validation labels are read to choose; test labels are not
seen here at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Member:
    """One classifier's probabilities on validation and test, columns in ``labels`` order."""

    labels: Sequence[str]
    validation: F32
    test: F32


@dataclass(frozen=True)
class Blend:
    weights: dict[str, float]  # member name -> weight, summing to 1
    validation_accuracy: float
    validation_log_loss: float


def aligned(member: Member, labels: Sequence[str], part: str) -> F32:
    """The member's probabilities on ``part`` with columns reordered to ``labels``.

    A label the member never learned gets probability 0.
    """
    source = member.validation if part == "validation" else member.test
    out = np.zeros((source.shape[0], len(labels)), np.float32)
    where = {label: i for i, label in enumerate(member.labels)}
    for j, label in enumerate(labels):
        if label in where:
            out[:, j] = source[:, where[label]]
    return out


def simplex_grid(k: int, step: float) -> list[tuple[float, ...]]:
    """Every weight vector of ``k`` non-negative multiples of ``step`` summing to 1."""
    if k < 1:
        raise ValueError(f"need at least one member, got {k}")
    if not 0 < step <= 1:
        raise ValueError(f"step must be in (0, 1], got {step}")
    units = round(1 / step)
    grid = []
    for cut in itertools.combinations(range(units + k - 1), k - 1):
        bounds = (-1, *cut, units + k - 1)
        grid.append(tuple((bounds[i + 1] - bounds[i] - 1) / units for i in range(k)))
    return grid


def choose_weights(
    members: Mapping[str, Member],
    labels: Sequence[str],
    validation_truth: Sequence[str],
    step: float = 0.1,
) -> Blend:
    """The grid weights with the best validation accuracy (then the lower log-loss)."""
    if not members:
        raise ValueError("an ensemble needs at least one member")
    names = list(members)
    stacked = np.stack([aligned(members[n], labels, "validation") for n in names])
    index = {label: j for j, label in enumerate(labels)}
    truth = np.array([index.get(t, -1) for t in validation_truth])
    known = truth >= 0
    rows = np.arange(len(truth))
    best: tuple[float, float, tuple[float, ...]] | None = None
    for weights in simplex_grid(len(names), step):
        blended = np.tensordot(np.asarray(weights, np.float32), stacked, axes=1)
        accuracy = float((blended.argmax(axis=1) == truth).mean()) if len(truth) else 0.0
        picked = blended[rows[known], truth[known]]
        log_loss = float(-np.log(np.clip(picked, 1e-12, None)).mean()) if known.any() else 0.0
        if best is None or (accuracy, -log_loss) > (best[0], -best[1]):
            best = (accuracy, log_loss, weights)
    assert best is not None
    return Blend(
        {n: round(w, 4) for n, w in zip(names, best[2], strict=True)},
        round(best[0], 4),
        round(best[1], 4),
    )


def soft_vote(
    members: Mapping[str, Member], weights: Mapping[str, float], labels: Sequence[str], part: str
) -> F32:
    """The weighted mean of the members' probabilities on ``part`` ("validation" or "test")."""
    first = next(iter(members.values()))
    rows = (first.validation if part == "validation" else first.test).shape[0]
    out = np.zeros((rows, len(labels)), np.float32)
    for name, member in members.items():
        w = weights.get(name, 0.0)
        if w:
            out += np.float32(w) * aligned(member, labels, part)
    return out
