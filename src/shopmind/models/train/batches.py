"""Token ids for fine-tuning and inference: one truncated window per text, length-bucketed batches.

Training cost on CPU is proportional to padded tokens, so batches group texts of similar length
(shuffled within and across buckets, so each epoch still sees a fresh order).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from shopmind.models.encoders import BaseEncoder

Truncation = Literal["head", "head_tail"]
I64 = npt.NDArray[np.int64]
_BUCKET_BATCHES = 50  # batches per sort bucket: long enough to group lengths, still random


def token_ids(
    encoder: BaseEncoder, texts: list[str], max_length: int, truncation: Truncation = "head"
) -> list[list[int]]:
    """Ids with special tokens, at most ``max_length`` each; e5 texts get the "query: " prefix.

    ``head_tail`` keeps the first quarter and the last three quarters of the room: the verdict
    of a long review is often in its closing sentences (Sun et al. 2019, "How to fine-tune BERT
    for text classification", found head+tail best for long reviews).
    """
    if max_length < 8:
        raise ValueError(f"max_length must be >= 8, got {max_length}")
    room = min(max_length, encoder.spec.max_tokens) - 2
    prefix = encoder.prefix("query")
    out = []
    for content in encoder.content_ids([prefix + t for t in texts]):
        if len(content) > room:
            if truncation == "head_tail":
                head = room // 4
                content = content[:head] + content[len(content) - (room - head) :]
            else:
                content = content[:room]
        out.append(encoder.wrap(content))
    return out


def bucketed_batches(lengths: list[int], batch_size: int, rng: np.random.Generator) -> list[I64]:
    """Index batches of similar lengths, in random order (a new shuffle per call)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    order = rng.permutation(len(lengths))
    span = batch_size * _BUCKET_BATCHES
    batches: list[I64] = []
    for start in range(0, len(order), span):
        chunk = order[start : start + span]
        chunk = chunk[np.argsort([lengths[i] for i in chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def sorted_batches(lengths: list[int], batch_size: int) -> list[I64]:
    """Index batches in length order (inference: least padding, deterministic)."""
    order = np.argsort(lengths, kind="stable")
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def padded(ids: list[list[int]], pad_id: int) -> tuple[I64, I64]:
    """Right-padded ids and the attention mask, as int64 arrays."""
    width = max(len(row) for row in ids)
    out = np.full((len(ids), width), pad_id, np.int64)
    mask = np.zeros((len(ids), width), np.int64)
    for r, row in enumerate(ids):
        out[r, : len(row)] = row
        mask[r, : len(row)] = 1
    return out, mask
