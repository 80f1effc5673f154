"""Build the batched ONNX runtime for an encoder: transformer body, int8 where it is safe.

The graph (``shopmind.models.onnx_graph``) returns the masked *sum* of the last hidden states,
so that windows of one long text can be pooled together afterwards. Built once per encoder into
the models folder; needs torch and transformers only at build time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from shopmind.models.encoders import BaseEncoder
from shopmind.models.onnx_graph import export_pooled, quantise_int8

# Bump when the graph or the quantisation recipe changes, so old files are rebuilt.
RECIPE = "v1"
# Matmuls left in fp32, by encoder. The second FFN matmul sees GELU outputs with large
# outliers: int8 there cost e5 accuracy (min cosine 0.991 vs 0.998 to the reference on 200
# bilingual texts). The 6-layer MiniLM is touchier still: both FFN matmuls stay fp32
# (min cosine 0.977 -> 0.994 against torch fp32).
_KEEP_FP32 = {
    "e5-small": ("/output/dense/MatMul",),
    "minilm": ("/output/dense/MatMul", "/intermediate/dense/MatMul"),
}


def onnx_path(cache_dir: Path, encoder: BaseEncoder, quantised: bool) -> Path:
    tag = "int8" if quantised else "fp32"
    return cache_dir / "runtime" / f"{encoder.spec.name}-{RECIPE}-{tag}.onnx"


def build_onnx(encoder: BaseEncoder, path: Path, quantised: bool = True, model: Any = None) -> Path:
    """Export (and quantise) the encoder body to ``path``; returns ``path``.

    ``model`` replaces the pretrained torch model (e.g. a fine-tuned one with LoRA merged).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fp32 = path.with_name(path.stem.replace("-int8", "-fp32") + ".onnx")
    if not fp32.exists():
        body = model if model is not None else encoder.torch_model()
        export_pooled(body, encoder.spec.dim, fp32, "sum", "summed")
    if not quantised:
        return fp32
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    quantise_int8(fp32, tmp, _KEEP_FP32.get(encoder.spec.name, ()))
    os.replace(tmp, path)
    return path
