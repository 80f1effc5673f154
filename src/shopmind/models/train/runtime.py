"""Fast inference for fine-tuned encoders: the merged body exported once to int8 ONNX and cached
next to the artifact, then run by onnxruntime in length-sorted batches.

The graph and quantisation recipe are the shared embedder's (``shopmind.models.onnx_graph``):
word embeddings are gathered outside (the frozen table never enters the file) and the second FFN
matmul stays fp32. The difference: this graph returns the *mean* over real tokens, which is what
the classification head was trained on, and texts are truncated exactly as in training.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.core.machine import usable_cores
from shopmind.models.encoders import BaseEncoder
from shopmind.models.onnx_graph import export_pooled, quantise_int8
from shopmind.models.train.batches import Truncation, padded, sorted_batches, token_ids

F32 = npt.NDArray[np.float32]
RECIPE = "cls-v1"  # bump when the graph or quantisation changes, so cached files are rebuilt
_KEEP_FP32 = ("/output/dense/MatMul",)
log = logging.getLogger(__name__)


def runtime_file(folder: Path) -> Path:
    return folder / f"runtime-{RECIPE}-int8.onnx"


def ensure_runtime(folder: Path, build_body: Any, dim: int) -> Path:
    """The cached int8 graph in ``folder``, exported from ``build_body()`` on first use.

    ``build_body`` is only called when the file is missing (it rebuilds the torch model, the
    slow part); a file lock stops two processes from exporting at once.
    """
    path = runtime_file(folder)
    if path.exists():
        return path
    with (folder / f".{path.stem}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            log.info("exporting the classifier runtime to %s (once)", path)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fp32 = folder / f".runtime-{RECIPE}-fp32.{os.getpid()}.onnx"
                try:
                    export_pooled(build_body(), dim, fp32, "mean", "pooled")
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")
                    quantise_int8(fp32, tmp, _KEEP_FP32)
                    os.replace(tmp, path)
                finally:
                    fp32.unlink(missing_ok=True)
    return path


class OnnxFeatures:
    """Mean-pooled features of texts from the cached graph (thread-safe)."""

    def __init__(
        self,
        encoder: BaseEncoder,
        path: Path,
        max_length: int,
        truncation: Truncation,
        threads: int | None = None,
        batch_size: int = 32,
    ) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or usable_cores()
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()
        self.encoder = encoder
        self.max_length = max_length
        self.truncation: Truncation = truncation
        self.batch_size = batch_size

    def __call__(self, texts: list[str]) -> F32:
        ids = token_ids(self.encoder, texts, self.max_length, self.truncation)
        out = np.zeros((len(texts), self.encoder.spec.dim), np.float32)
        for batch in sorted_batches([len(x) for x in ids], self.batch_size):
            input_ids, mask = padded([ids[i] for i in batch], self.encoder.pad_id)
            embeds = self.encoder.word_rows(input_ids)
            with self._lock:
                (pooled,) = self._session.run(
                    None, {"inputs_embeds": embeds, "attention_mask": mask}
                )
            out[batch] = pooled
        return out
