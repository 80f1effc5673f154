"""Time-decayed popularity: the baseline every other model is read against."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from shopmind.recommend.base import (
    FloatArray,
    IntArray,
    check_fitted,
    read_artifact,
    write_artifact,
)


class Popularity:
    """Interaction counts, each weighted ``0.5 ** (age / half_life)``.

    Sequences carry no clock, so age is counted in positions from the end of each sequence
    (0 for the newest interaction); ``half_life=None`` gives plain counts.
    """

    name = "popularity"
    version = "1"

    def __init__(self, half_life: float | None = None) -> None:
        if half_life is not None and half_life <= 0:
            raise ValueError(f"half_life must be > 0, got {half_life}")
        self.half_life = half_life
        self.counts: FloatArray | None = None

    def params(self) -> dict[str, Any]:
        return {"half_life": self.half_life}

    def fit(self, sequences: Sequence[IntArray], n_items: int) -> None:
        items = np.concatenate(sequences) if sequences else np.zeros(0, dtype=np.int64)
        if self.half_life is None:
            weights = np.ones(len(items))
        else:
            ages = np.concatenate([np.arange(len(s))[::-1] for s in sequences])
            weights = np.power(0.5, ages / self.half_life)
        self.counts = np.bincount(items, weights=weights, minlength=n_items).astype(np.float32)

    def score(self, histories: Sequence[IntArray]) -> FloatArray:
        check_fitted(None if self.counts is None else len(self.counts), self.name)
        assert self.counts is not None
        return np.broadcast_to(self.counts, (len(histories), len(self.counts))).copy()

    def save(self, directory: Path) -> None:
        counts = self.counts
        n = check_fitted(None if counts is None else len(counts), self.name)
        assert counts is not None
        write_artifact(directory, self, n, {"counts": counts})

    @classmethod
    def load(cls, directory: Path) -> Popularity:
        meta, arrays = read_artifact(directory, cls.name, cls.version)
        model = cls(**meta["params"])
        model.counts = arrays["counts"].astype(np.float32)
        return model
