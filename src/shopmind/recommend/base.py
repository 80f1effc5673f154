"""The recommender protocol and artifact files shared by every candidate model.

A model is fitted on time-ordered item sequences (dense item indices), scores histories against
every item, and saves itself as ``model.json`` (name, version, parameters) plus ``arrays.npz``
(numpy, loaded with ``allow_pickle=False``) — never pickle.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from shopmind.core.errors import InputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
META_FILE = "model.json"
ARRAYS_FILE = "arrays.npz"


@runtime_checkable
class Recommender(Protocol):
    """What the benchmark, the blender and the surfaces need from a candidate model."""

    name: str
    version: str

    def fit(self, sequences: Sequence[IntArray], n_items: int) -> None:
        """Learn from time-ordered sequences of item indices in ``0..n_items-1``."""

    def score(self, histories: Sequence[IntArray]) -> FloatArray:
        """Scores of shape (len(histories), n_items); higher is better."""

    def params(self) -> dict[str, Any]:
        """The constructor arguments, JSON-serialisable (saved with the artifact)."""

    def save(self, directory: Path) -> None:
        """Write the fitted model under ``directory``."""


def check_fitted(n_items: int | None, name: str) -> int:
    if n_items is None:
        raise InputError(f"{name}: call fit() or load() before score()")
    return n_items


def history_matrix(
    histories: Sequence[IntArray], n_items: int, last: int, decay: float
) -> sp.csr_matrix:
    """Sparse (users × items) weights of each user's last ``last`` items, newest weighing 1,
    the one before ``decay``, then ``decay**2``…; a repeated item adds up."""
    lengths = np.asarray([min(len(h), last) for h in histories], dtype=np.int64)
    rows = np.repeat(np.arange(len(histories)), lengths)
    cols = (
        np.concatenate([h[len(h) - n :] for h, n in zip(histories, lengths, strict=True)])
        if len(histories)
        else np.zeros(0, dtype=np.int64)
    )
    # position from the end of each history: 0 for the newest item
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    age = np.repeat(lengths, lengths) - 1 - (np.arange(len(cols)) - starts)
    weights = np.power(decay, age).astype(np.float32)
    return sp.csr_matrix((weights, (rows, cols)), shape=(len(histories), n_items))


def write_artifact(
    directory: Path,
    model: Recommender,
    n_items: int,
    arrays: Mapping[str, npt.NDArray[Any]],
    extra: Mapping[str, Any] | None = None,
) -> None:
    """``model.json`` + ``arrays.npz`` under ``directory`` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    meta = {
        "name": model.name,
        "version": model.version,
        "n_items": n_items,
        "params": model.params(),
        **(extra or {}),
    }
    np.savez(directory / ARRAYS_FILE, allow_pickle=False, **arrays)
    (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True))


def read_artifact(
    directory: Path, name: str, version: str
) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
    """Metadata and arrays of an artifact written by ``write_artifact``; checks name and version."""
    meta_path = directory / META_FILE
    if not meta_path.is_file():
        raise InputError(f"no recommender artifact at {directory} ({META_FILE} missing)")
    meta: dict[str, Any] = json.loads(meta_path.read_text())
    if (meta.get("name"), meta.get("version")) != (name, version):
        raise InputError(
            f"{directory} holds {meta.get('name')} {meta.get('version')}, not {name} {version}"
        )
    with np.load(directory / ARRAYS_FILE, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    return meta, arrays


def save_csr(prefix: str, matrix: sp.csr_matrix) -> dict[str, npt.NDArray[Any]]:
    """A CSR matrix as plain arrays for ``arrays.npz``."""
    return {
        f"{prefix}.data": matrix.data,
        f"{prefix}.indices": matrix.indices,
        f"{prefix}.indptr": matrix.indptr,
        f"{prefix}.shape": np.asarray(matrix.shape, dtype=np.int64),
    }


def load_csr(prefix: str, arrays: Mapping[str, npt.NDArray[Any]]) -> sp.csr_matrix:
    shape = tuple(int(x) for x in arrays[f"{prefix}.shape"])
    return sp.csr_matrix(
        (arrays[f"{prefix}.data"], arrays[f"{prefix}.indices"], arrays[f"{prefix}.indptr"]),
        shape=shape,
    )
