"""The embedder contract every backend meets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
Progress = Callable[[int], None]  # called with the number of texts just finished


@runtime_checkable
class Embedder(Protocol):
    """Dense text embeddings, L2-normalised, one row per input text."""

    @property
    def name(self) -> str:
        """Registered name, e.g. ``e5-small``."""

    @property
    def version(self) -> str:
        """What produced the vectors (weights and runtime); part of every cache key."""

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> F32:
        """Search queries (short, latency-bound)."""

    def embed_passages(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> F32:
        """Documents: product texts, reviews, policy passages (throughput-bound)."""


def check_texts(texts: Sequence[str]) -> list[str]:
    """A list of strings, or a TypeError saying which item is not one."""
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not one string")
    out = list(texts)
    for i, text in enumerate(out):
        if not isinstance(text, str):
            raise TypeError(f"texts[{i}] is {type(text).__name__}, expected str")
    return out
