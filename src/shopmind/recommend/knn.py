"""Recency-weighted sequential item-kNN over a co-occurrence window.

Item j is a neighbour of item i when j follows i within ``window`` positions in some sequence;
``backward`` weighs the reverse pairs (j before i): 1 gives the symmetric co-occurrence of the
issue's baseline, 0 a purely sequential model. A user's score for every
item is the sum of the neighbour rows of their last ``last`` items, the newest weighing 1 and
each older one ``decay`` times the next: a sparse (users × items) @ (items × items) product.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from shopmind.recommend.base import (
    FloatArray,
    IntArray,
    history_matrix,
    load_csr,
    read_artifact,
    save_csr,
    write_artifact,
)


class ItemKNN:
    """Sequential item-kNN; defaults are the issue's baseline (window 3, last 20, decay 0.8)."""

    name = "itemknn"
    version = "1"

    def __init__(
        self,
        window: int = 3,
        last: int = 20,
        decay: float = 0.8,
        backward: float = 1.0,
        distance_power: float = 0.0,
        normalize: float = 0.0,
        row_normalize: float = 0.0,
    ) -> None:
        if window < 1 or last < 1:
            raise ValueError(f"window and last must be >= 1, got {window}, {last}")
        if not 0 < decay <= 1:
            raise ValueError(f"decay must be in (0, 1], got {decay}")
        if backward < 0:
            raise ValueError(f"backward must be >= 0, got {backward}")
        self.window = window
        self.last = last
        self.decay = decay
        self.backward = backward
        self.distance_power = distance_power  # pair weight offset**-p: nearer pairs count more
        self.normalize = normalize  # divide by popularity**normalize: damp popular neighbours
        self.row_normalize = row_normalize  # divide a row by its sum**r: damp busy sources
        self.matrix: sp.csr_matrix | None = None

    def params(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "last": self.last,
            "decay": self.decay,
            "backward": self.backward,
            "distance_power": self.distance_power,
            "normalize": self.normalize,
            "row_normalize": self.row_normalize,
        }

    def fit(self, sequences: Sequence[IntArray], n_items: int) -> None:
        self.matrix = cooccurrence(
            sequences,
            n_items,
            self.window,
            backward=self.backward,
            distance_power=self.distance_power,
            normalize=self.normalize,
            row_normalize=self.row_normalize,
        )

    def score(self, histories: Sequence[IntArray]) -> FloatArray:
        if self.matrix is None:
            raise ValueError(f"{self.name}: call fit() or load() before score()")
        weights = history_matrix(histories, self.matrix.shape[0], self.last, self.decay)
        return np.asarray((weights @ self.matrix).toarray(), dtype=np.float32)

    def save(self, directory: Path) -> None:
        if self.matrix is None:
            raise ValueError(f"{self.name}: nothing to save before fit()")
        write_artifact(directory, self, self.matrix.shape[0], save_csr("matrix", self.matrix))

    @classmethod
    def load(cls, directory: Path) -> ItemKNN:
        meta, arrays = read_artifact(directory, cls.name, cls.version)
        model = cls(**meta["params"])
        model.matrix = load_csr("matrix", arrays)
        return model


def cooccurrence(
    sequences: Sequence[IntArray],
    n_items: int,
    window: int,
    *,
    backward: float = 1.0,
    distance_power: float = 0.0,
    normalize: float = 0.0,
    row_normalize: float = 0.0,
) -> sp.csr_matrix:
    """(items × items) weights of pairs at most ``window`` positions apart."""
    flat = np.concatenate(sequences) if sequences else np.zeros(0, dtype=np.int64)
    lengths = np.asarray([len(s) for s in sequences], dtype=np.int64)
    owner = np.repeat(np.arange(len(sequences)), lengths)
    rows, cols, vals = [], [], []
    for offset in range(1, window + 1):  # a loop over offsets, never over items
        same = owner[:-offset] == owner[offset:] if len(flat) > offset else np.zeros(0, bool)
        rows.append(flat[:-offset][same] if len(flat) > offset else flat[:0])
        cols.append(flat[offset:][same] if len(flat) > offset else flat[:0])
        vals.append(np.full(int(same.sum()), float(offset) ** -distance_power, np.float32))
    r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    if backward:
        r, c, v = np.concatenate([r, c]), np.concatenate([c, r]), np.concatenate([v, backward * v])
    matrix = sp.csr_matrix((v, (r, c)), shape=(n_items, n_items), dtype=np.float32)
    if row_normalize:
        sums = np.maximum(np.asarray(matrix.sum(axis=1)).ravel(), 1e-9)
        matrix = sp.csr_matrix(sp.diags(np.power(sums, -row_normalize).astype(np.float32)) @ matrix)
    if normalize:
        popularity = np.bincount(flat, minlength=n_items).astype(np.float32)
        damp = np.power(np.maximum(popularity, 1.0), -normalize).astype(np.float32)
        matrix = sp.csr_matrix(matrix @ sp.diags(damp))
    return matrix
