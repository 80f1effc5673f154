"""A blender: a weighted sum of member models' per-user standardised scores.

Each member's scores are standardised per user (mean 0, standard deviation 1 over all items)
so models on different scales add up; the weights are chosen by coordinate ascent on NDCG@10 of
a validation item (never the test item).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from shopmind.core.errors import InputError
from shopmind.recommend.base import META_FILE, FloatArray, IntArray, Recommender

GRID = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0)


def standardise(scores: FloatArray) -> FloatArray:
    """Per-row z-scores (a constant row becomes zeros)."""
    mean = scores.mean(axis=1, keepdims=True)
    std = scores.std(axis=1, keepdims=True)
    return np.asarray((scores - mean) / np.where(std > 0, std, 1.0), dtype=np.float32)


class Blender:
    """Weighted sum of standardised member scores; members are fitted before blending."""

    name = "blend"
    version = "1"

    def __init__(self, members: Sequence[Recommender], weights: Sequence[float] | None = None):
        if not members:
            raise ValueError("a blender needs at least one member model")
        self.members = list(members)
        self.weights = list(weights) if weights is not None else [1.0] * len(members)
        if len(self.weights) != len(self.members):
            raise ValueError(f"{len(self.members)} members but {len(self.weights)} weights")

    def params(self) -> dict[str, Any]:
        return {"members": [m.name for m in self.members], "weights": self.weights}

    def fit(self, sequences: Sequence[IntArray], n_items: int) -> None:
        """Refit every member on new data, keeping the tuned weights."""
        for member in self.members:
            member.fit(sequences, n_items)

    def score(self, histories: Sequence[IntArray]) -> FloatArray:
        total: FloatArray | None = None
        for member, weight in zip(self.members, self.weights, strict=True):
            if weight == 0:
                continue
            part = weight * standardise(member.score(histories))
            total = part if total is None else total + part
        if total is None:
            n = member.score(histories[:1]).shape[1]
            return np.zeros((len(histories), n), dtype=np.float32)
        return total

    def tune(
        self,
        histories: Sequence[IntArray],
        targets: IntArray,
        *,
        grid: Sequence[float] = GRID,
        rounds: int = 2,
        batch: int = 2048,
        exclude_history: bool = True,
    ) -> float:
        """Pick weights by coordinate ascent on validation NDCG@10; returns the best NDCG@10.

        Member scores are computed once per batch of users and every candidate weight vector
        is ranked from them, so tuning costs one scoring pass per member.
        """
        from shopmind.evaluate.recs import metrics_from_ranks, target_ranks

        cached = []
        for start in range(0, len(histories), batch):
            hist = list(histories[start : start + batch])
            parts = [standardise(m.score(hist)) for m in self.members]
            masked = hist if exclude_history else [np.zeros(0, dtype=np.int64)] * len(hist)
            cached.append((masked, targets[start : start + batch], parts))

        def mix(weights: Sequence[float], parts: list[FloatArray]) -> FloatArray:
            total = np.zeros_like(parts[0])
            for weight, part in zip(weights, parts, strict=True):
                total += weight * part
            return total

        def ndcg(weights: Sequence[float]) -> float:
            ranks = [target_ranks(mix(weights, parts), t, h) for h, t, parts in cached]
            return metrics_from_ranks(np.concatenate(ranks), (10,))["ndcg@10"]

        weights, best = list(self.weights), ndcg(self.weights)
        seen = {tuple(weights)}
        for _ in range(rounds):
            for i in range(1, len(weights)):  # member 0 anchors the scale
                for value in grid:
                    trial = [*weights[:i], value, *weights[i + 1 :]]
                    if tuple(trial) in seen:  # each ranking pass costs seconds on a real set
                        continue
                    seen.add(tuple(trial))
                    got = ndcg(trial)
                    if got > best:
                        best, weights = got, trial
        self.weights = weights
        return best

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for i, member in enumerate(self.members):
            member.save(directory / f"member{i}-{member.name}")
        meta = {"name": self.name, "version": self.version, "params": self.params()}
        (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True))

    @classmethod
    def load(cls, directory: Path) -> Blender:
        from shopmind.recommend.registry import load_model

        meta_path = directory / META_FILE
        if not meta_path.is_file():
            raise InputError(f"no recommender artifact at {directory} ({META_FILE} missing)")
        meta = json.loads(meta_path.read_text())
        names = meta["params"]["members"]
        members = [load_model(directory / f"member{i}-{n}") for i, n in enumerate(names)]
        return cls(members, meta["params"]["weights"])
