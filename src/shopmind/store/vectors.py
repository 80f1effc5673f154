"""Cached embedding vectors, keyed by (model, text hash); float32 bytes in a BLOB/BYTEA."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from shopmind.store import tables
from shopmind.store.store import Store, chunks

_T = tables.embedding_cache


def cached_vectors(
    store: Store, model: str, hashes: list[str]
) -> dict[str, npt.NDArray[np.float32]]:
    """The stored vectors among ``hashes`` (missing ones are absent from the result)."""
    out: dict[str, npt.NDArray[np.float32]] = {}
    with store.read() as conn:
        for part in chunks(sorted(set(hashes)), 900):
            stmt = sa.select(_T.c.text_hash, _T.c.dim, _T.c.vector).where(
                _T.c.model == model, _T.c.text_hash.in_(part)
            )
            for text_hash, dim, blob in conn.execute(stmt):
                vector = np.frombuffer(bytes(blob), dtype=np.float32)
                if vector.shape == (dim,):  # a torn or foreign row is recomputed, not trusted
                    out[text_hash] = vector
    return out


def store_vectors(store: Store, model: str, vectors: dict[str, npt.NDArray[np.float32]]) -> int:
    """Insert or replace vectors in one transaction; returns how many were written."""
    now = datetime.now(UTC)
    rows = [
        {
            "model": model,
            "text_hash": text_hash,
            "dim": int(vec.shape[0]),
            "vector": np.ascontiguousarray(vec, dtype=np.float32).tobytes(),
            "created_at": now,
        }
        for text_hash, vec in vectors.items()
    ]
    if rows:
        with store.write() as conn:
            for part in chunks(rows, 2000):
                store.upsert_raw(conn, _T, list(part), ["dim", "vector", "created_at"])
    return len(rows)


def forget_vectors(store: Store, model: str | None = None) -> int:
    """Drop cached vectors of one model (or all); returns how many rows went."""
    stmt = sa.delete(_T) if model is None else sa.delete(_T).where(_T.c.model == model)
    with store.write() as conn:
        return int(conn.execute(stmt).rowcount or 0)
