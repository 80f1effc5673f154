"""Synthetic interaction data with known right answers."""

from __future__ import annotations

import numpy as np
import pytest

from shopmind.recommend.service import RecommendService
from shopmind.recommend.trained import train_recs
from shopmind.store import Store

from .shop import HashEmbedder, fill

N_ITEMS = 20


def cyclic_sequences(users: int = 200, seed: int = 0) -> list[np.ndarray]:
    """Each user walks the items in order (i, i+1, ... mod 20): the next item is always last+1."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(users):
        start, length = int(rng.integers(N_ITEMS)), int(rng.integers(5, 10))
        out.append((start + np.arange(length)) % N_ITEMS)
    return [s.astype(np.int64) for s in out]


def two_group_sequences(users: int = 200, seed: int = 0) -> list[np.ndarray]:
    """Checkerboard: half the users only touch items 0-9, the other half only items 10-19."""
    rng = np.random.default_rng(seed)
    out = []
    for u in range(users):
        base = 0 if u % 2 == 0 else 10
        out.append((base + rng.choice(10, size=5, replace=False)).astype(np.int64))
    return out


@pytest.fixture
def cyclic() -> list[np.ndarray]:
    return cyclic_sequences()


@pytest.fixture
def groups() -> list[np.ndarray]:
    return two_group_sequences()


@pytest.fixture
def service(sqlite_store: Store) -> RecommendService:
    """The tiny shop of ``shop.py``, trained, behind a service (hash embedder, no model files)."""
    fill(sqlite_store)
    recs = train_recs(sqlite_store, HashEmbedder(), holdout=0)
    return RecommendService(sqlite_store, recs, embedder=HashEmbedder())
