"""ALS and BPR matrix factorisation through the ``implicit`` library.

Both score a history by folding it in: the user vector is the ridge-regression solution
against the item factors (the ALS user step), batched over users with one solve each, so a
new or changed history needs no retraining.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from shopmind.core.errors import ConfigError
from shopmind.recommend.base import (
    FloatArray,
    IntArray,
    history_matrix,
    read_artifact,
    write_artifact,
)


def _implicit() -> Any:
    try:
        import implicit  # type: ignore[import-untyped]  # ships no type hints
    except ImportError as exc:  # optional at import time: only these models need it
        raise ConfigError(
            "ALS/BPR need the 'implicit' package: pip install implicit==0.7.3"
        ) from exc
    return implicit


def interactions(sequences: Sequence[IntArray], n_items: int) -> sp.csr_matrix:
    """(users × items) interaction counts."""
    lengths = [len(s) for s in sequences]
    rows = np.repeat(np.arange(len(sequences)), lengths)
    cols = np.concatenate(sequences) if sequences else np.zeros(0, dtype=np.int64)
    data = np.ones(len(cols), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(sequences), n_items))


def fold_in(
    item_factors: npt.NDArray[np.float32], weights: sp.csr_matrix, reg: float, alpha: float
) -> npt.NDArray[np.float32]:
    """User vectors minimising the ALS loss with confidence 1 + alpha·w against fixed items."""
    y = item_factors.astype(np.float64)
    gram = y.T @ y + reg * np.eye(y.shape[1])
    out = np.zeros((weights.shape[0], y.shape[1]), dtype=np.float32)
    for row in range(weights.shape[0]):  # one small (factors × factors) solve per user
        lo, hi = weights.indptr[row], weights.indptr[row + 1]
        cols, conf = weights.indices[lo:hi], alpha * weights.data[lo:hi].astype(np.float64)
        if not len(cols):
            continue
        yu = y[cols]
        a = gram + (yu.T * conf) @ yu
        b = yu.T @ (1.0 + conf)
        out[row] = np.linalg.solve(a, b)
    return out


class _Factorisation:
    name = "factors"
    version = "1"

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.01,
        iterations: int = 20,
        alpha: float = 1.0,
        learning_rate: float = 0.01,
        last: int = 50,
        decay: float = 1.0,
        seed: int = 42,
        threads: int = 1,
    ) -> None:
        if factors < 1 or iterations < 1:
            raise ValueError(f"factors and iterations must be >= 1, got {factors}, {iterations}")
        self.factors, self.regularization, self.iterations = factors, regularization, iterations
        self.alpha, self.learning_rate, self.last, self.decay = alpha, learning_rate, last, decay
        self.seed, self.threads = seed, threads
        self.item_factors: npt.NDArray[np.float32] | None = None

    def params(self) -> dict[str, Any]:
        return {
            "factors": self.factors,
            "regularization": self.regularization,
            "iterations": self.iterations,
            "alpha": self.alpha,
            "learning_rate": self.learning_rate,
            "last": self.last,
            "decay": self.decay,
            "seed": self.seed,
            "threads": self.threads,
        }

    def _train(self, matrix: sp.csr_matrix) -> npt.NDArray[np.float32]:
        raise NotImplementedError

    def fit(self, sequences: Sequence[IntArray], n_items: int) -> None:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        with threadpool_limits(self.threads):
            self.item_factors = self._train(interactions(sequences, n_items))

    def score(self, histories: Sequence[IntArray]) -> FloatArray:
        if self.item_factors is None:
            raise ValueError(f"{self.name}: call fit() or load() before score()")
        weights = history_matrix(histories, len(self.item_factors), self.last, self.decay)
        users = fold_in(self.item_factors, weights, self.regularization, self.alpha)
        return np.asarray(users @ self.item_factors.T, dtype=np.float32)

    def save(self, directory: Path) -> None:
        if self.item_factors is None:
            raise ValueError(f"{self.name}: nothing to save before fit()")
        arrays = {"item_factors": self.item_factors}
        write_artifact(directory, self, len(self.item_factors), arrays)

    @classmethod
    def load(cls, directory: Path) -> Self:
        meta, _ = read_artifact(directory, cls.name, cls.version)
        model = cls(**meta["params"])
        model._loaded(directory)
        return model

    def _loaded(self, directory: Path) -> None:
        _, arrays = read_artifact(directory, self.name, self.version)
        self.item_factors = arrays["item_factors"].astype(np.float32)


class ALS(_Factorisation):
    """Implicit-feedback ALS (Hu, Koren, Volinsky) with confidence 1 + alpha·count."""

    name = "als"
    version = "1"

    def _train(self, matrix: sp.csr_matrix) -> npt.NDArray[np.float32]:
        model = _implicit().cpu.als.AlternatingLeastSquares(
            factors=self.factors,
            regularization=self.regularization,
            alpha=self.alpha,
            iterations=self.iterations,
            random_state=self.seed,
            num_threads=self.threads,
        )
        model.fit(matrix, show_progress=False)
        return np.asarray(model.item_factors, dtype=np.float32)


class BPR(_Factorisation):
    """Bayesian personalised ranking (pairwise SGD); histories fold in by ridge regression."""

    name = "bpr"
    version = "1"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("iterations", 100)
        kwargs.setdefault("learning_rate", 0.05)
        super().__init__(**kwargs)

    def _train(self, matrix: sp.csr_matrix) -> npt.NDArray[np.float32]:
        model = _implicit().cpu.bpr.BayesianPersonalizedRanking(
            factors=self.factors,
            learning_rate=self.learning_rate,
            regularization=self.regularization,
            iterations=self.iterations,
            random_state=self.seed,
            num_threads=self.threads,
        )
        model.fit(matrix, show_progress=False)
        return np.asarray(model.item_factors, dtype=np.float32)
