"""An embedder wrapper that stores vectors in the store, keyed by (model version, text hash)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from shopmind.models.embed.base import F32, Embedder, Progress, check_texts
from shopmind.store import Store
from shopmind.store.vectors import cached_vectors, store_vectors


def text_hash(kind: str, text: str) -> str:
    """128-bit hex digest of the text as embedded (the kind picks the prefix)."""
    return hashlib.sha256(f"{kind}\x00{text}".encode()).hexdigest()[:32]


class CachedEmbedder:
    """Same contract as the wrapped embedder; only texts never seen before are embedded."""

    def __init__(self, embedder: Embedder, store: Store) -> None:
        self.inner = embedder
        self.store = store
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def version(self) -> str:
        return self.inner.version

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def cache_key(self) -> str:
        return f"{self.inner.name}@{self.inner.version}"

    def embed_queries(self, texts: Sequence[str]) -> F32:
        # Queries are latency-bound and rarely repeat exactly: a database round trip costs more.
        return self.inner.embed_queries(texts)

    def embed_passages(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> F32:
        items = check_texts(texts)
        hashes = [text_hash("passage", t) for t in items]
        found = cached_vectors(self.store, self.cache_key, hashes)
        todo = sorted({h: i for i, h in enumerate(hashes) if h not in found}.values())
        self.hits += len(items) - len(todo)
        self.misses += len(todo)
        if progress is not None and len(items) > len(todo):
            progress(len(items) - len(todo))
        if todo:
            fresh = self.inner.embed_passages(
                [items[i] for i in todo], batch_size=batch_size, progress=progress
            )
            new = {hashes[i]: fresh[row] for row, i in enumerate(todo)}
            store_vectors(self.store, self.cache_key, new)
            found.update(new)
        out = np.zeros((len(items), self.dim), np.float32)
        for row, h in enumerate(hashes):
            out[row] = found[h]
        return out
