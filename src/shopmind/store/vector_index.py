"""Vector indexes kept in our own files (pgvector is not available everywhere we run).

``VectorIndex`` is the contract; ``HnswIndex`` (usearch HNSW) serves large catalogs and
``ExactIndex`` (a numpy matrix) small ones and filtered subsets. Keys are int64 positions chosen
by the caller. Scores are cosine similarities of L2-normalised vectors.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]


@runtime_checkable
class VectorIndex(Protocol):
    @property
    def dim(self) -> int: ...

    def __len__(self) -> int: ...

    def add(self, keys: I64, vectors: F32) -> None:
        """Insert or replace vectors under ``keys``."""

    def remove(self, keys: I64) -> None:
        """Forget ``keys`` (unknown keys are ignored)."""

    def search(self, query: F32, k: int) -> tuple[I64, F32]:
        """The ``k`` nearest keys to one query vector, best first, with cosine scores."""

    def save(self, path: Path) -> None:
        """Write atomically to ``path``."""


def _check(keys: I64, vectors: F32, dim: int) -> tuple[I64, F32]:
    keys = np.asarray(keys, np.int64).reshape(-1)
    vectors = np.asarray(vectors, np.float32).reshape(len(keys), -1)
    if vectors.shape[1] != dim:
        raise ValueError(f"vectors have {vectors.shape[1]} dimensions, the index {dim}")
    if len(np.unique(keys)) != len(keys):
        raise ValueError("keys must be unique within one add()")
    return keys, vectors


class ExactIndex:
    """Brute-force cosine over a float32 matrix (BLAS): exact, fast enough to ~100k vectors.

    float32, not float16: numpy has no BLAS kernel for float16, and a float16 product over 54k
    vectors took ~100x longer."""

    def __init__(self, dim: int) -> None:
        self._dim = dim
        self._keys = np.zeros(0, np.int64)
        self._vectors = np.zeros((0, dim), np.float32)

    @property
    def dim(self) -> int:
        return self._dim

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, keys: I64, vectors: F32) -> None:
        keys, vectors = _check(keys, vectors, self._dim)
        self.remove(keys)
        self._keys = np.concatenate([self._keys, keys])
        self._vectors = np.concatenate([self._vectors, vectors])

    def remove(self, keys: I64) -> None:
        keep = ~np.isin(self._keys, np.asarray(keys, np.int64))
        if not keep.all():
            self._keys, self._vectors = self._keys[keep], self._vectors[keep]

    def search(self, query: F32, k: int) -> tuple[I64, F32]:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        if not len(self._keys):
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        scores = self._vectors @ np.asarray(query, np.float32).reshape(-1)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return self._keys[top], scores[top].astype(np.float32)

    def save(self, path: Path) -> None:
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, keys=self._keys, vectors=self._vectors)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> ExactIndex:
        with np.load(path, allow_pickle=False) as z:
            index = cls(int(z["vectors"].shape[1]))
            index._keys, index._vectors = z["keys"], z["vectors"].astype(np.float32)
        return index


def _usearch_index() -> Any:
    """usearch's Index class, loaded after onnxruntime.

    With usearch 2.26.6 (numkong 7.8.6) and onnxruntime 1.31.1, loading onnxruntime's extension
    after usearch's kills the process (SIGSEGV in its static initialisers; the other order works:
    `python -c "import usearch.index; import onnxruntime"` exits 139). The embedders need
    onnxruntime in the same process, so it goes first whenever it is installed.
    """
    if importlib.util.find_spec("onnxruntime") is not None:
        import onnxruntime  # noqa: F401

    from usearch.index import Index

    return Index


class HnswIndex:
    """usearch HNSW, cosine, f16. M=32, ef_add=200, ef_search=128: 0.94 recall of the exact
    top-100 at under 2 ms on 54k e5-small vectors (measured on Home Depot titles)."""

    def __init__(
        self,
        dim: int,
        *,
        connectivity: int = 32,
        expansion_add: int = 200,
        expansion_search: int = 128,
    ) -> None:
        self._index = _usearch_index()(
            ndim=dim,
            metric="cos",
            dtype="f16",
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )

    @property
    def dim(self) -> int:
        return int(self._index.ndim)

    def __len__(self) -> int:
        return len(self._index)

    def add(self, keys: I64, vectors: F32) -> None:
        keys, vectors = _check(keys, vectors, self.dim)
        present = keys[self._index.contains(keys)] if len(self._index) else keys[:0]
        if len(present):
            self._index.remove(present)
        self._index.add(keys, vectors, threads=0)

    def remove(self, keys: I64) -> None:
        keys = np.asarray(keys, np.int64).reshape(-1)
        if len(keys) and len(self._index):
            self._index.remove(keys)

    def search(self, query: F32, k: int) -> tuple[I64, F32]:
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        if not len(self._index):
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        found = self._index.search(np.asarray(query, np.float32).reshape(-1), k)
        keys = np.asarray(found.keys, np.int64)
        return keys, (1.0 - np.asarray(found.distances, np.float32))

    def save(self, path: Path) -> None:
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        self._index.save(str(tmp))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, *, view: bool = False) -> HnswIndex:
        restored = _usearch_index().restore(str(path), view=view)
        if restored is None:
            raise ValueError(f"{path} is not a usearch index file")
        index = cls.__new__(cls)
        index._index = restored
        return index
