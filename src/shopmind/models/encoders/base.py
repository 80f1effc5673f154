"""Base text encoders (the transformer under embedders and classifiers), backend-neutral.

An encoder turns texts into *windows* of token ids with special tokens, gives the word-embedding
rows for ids (so runtimes can gather them outside the graph), and builds the transformer as a
torch module on demand for export or fine-tuning.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import torch

Kind = Literal["query", "passage", "plain"]


@dataclass(frozen=True)
class EncoderSpec:
    """What users and artifacts refer to: the name, weights version and shape of an encoder."""

    name: str
    weights: str  # package==version#sha256, recorded in artifact metadata
    dim: int
    max_tokens: int  # per window, special tokens included
    query_prefix: str
    passage_prefix: str
    long_text: Literal["windows", "truncate"]
    licence: str


@dataclass(frozen=True)
class Windows:
    """Token windows of a batch: ``ids[i]`` belongs to text ``owner[i]``."""

    ids: list[list[int]]
    owner: list[int]


class BaseEncoder(ABC):
    """A pretrained transformer encoder with mean pooling."""

    spec: EncoderSpec
    pad_id: int

    def prefix(self, kind: Kind) -> str:
        if kind == "query":
            return self.spec.query_prefix
        if kind == "passage":
            return self.spec.passage_prefix
        return ""

    @abstractmethod
    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids without special tokens or truncation."""

    @abstractmethod
    def wrap(self, content: list[int]) -> list[int]:
        """Add the special tokens around one window's content."""

    @abstractmethod
    def word_rows(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Word-embedding rows for token ids, shape ``ids.shape + (dim,)``."""

    @abstractmethod
    def torch_model(self) -> torch.nn.Module:
        """A fresh fp32 transformers model (no pooler) holding the pretrained weights."""

    def windows(self, texts: list[str], kind: Kind) -> Windows:
        """Tokenise with the e5 prefix; long texts become several windows or are truncated."""
        pre = self.prefix(kind)
        content = self.content_ids([pre + t for t in texts])
        room = self.spec.max_tokens - 2
        ids: list[list[int]] = []
        owner: list[int] = []
        for i, toks in enumerate(content):
            if self.spec.long_text == "truncate" or len(toks) <= room:
                ids.append(self.wrap(toks[:room]))
                owner.append(i)
                continue
            for start in range(0, len(toks), room):
                ids.append(self.wrap(toks[start : start + room]))
                owner.append(i)
        return Windows(ids, owner)
