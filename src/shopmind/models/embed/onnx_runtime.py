"""Batched encoder inference with onnxruntime: length-sorted batches, windows pooled per text."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

from shopmind.models.encoders import BaseEncoder, Kind

F32 = npt.NDArray[np.float32]


class OnnxEncoderRuntime:
    """Mean-pooled, L2-normalised embeddings from an exported encoder body."""

    def __init__(self, encoder: BaseEncoder, path: Path, threads: int) -> None:
        import onnxruntime as ort

        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.encoder = encoder
        self._lock = threading.Lock()

    def encode(self, texts: list[str], kind: Kind, batch_size: int = 64) -> F32:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        dim = self.encoder.spec.dim
        sums = np.zeros((len(texts), dim), np.float32)
        if not texts:
            return sums
        windows = self.encoder.windows(texts, kind)
        order = sorted(range(len(windows.ids)), key=lambda i: len(windows.ids[i]))
        owner = np.asarray(windows.owner)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            summed = self._run([windows.ids[i] for i in chunk])
            np.add.at(sums, owner[chunk], summed)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        sums /= np.maximum(norms, 1e-12)
        return sums

    def _run(self, batch: list[list[int]]) -> F32:
        width = max(len(ids) for ids in batch)
        ids = np.full((len(batch), width), self.encoder.pad_id, np.int64)
        mask = np.zeros((len(batch), width), np.int64)
        for row, toks in enumerate(batch):
            ids[row, : len(toks)] = toks
            mask[row, : len(toks)] = 1
        embeds = self.encoder.word_rows(ids)
        with self._lock:
            (out,) = self._session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})
        return np.asarray(out, dtype=np.float32)
