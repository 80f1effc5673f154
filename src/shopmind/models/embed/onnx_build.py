"""Build the batched ONNX runtime for an encoder: transformer body, int8 where it is safe.

The graph takes word embeddings (gathered outside, so the 250k-row multilingual table never
enters the file) and the attention mask, and returns the masked *sum* of the last hidden
states, so that windows of one long text can be pooled together afterwards. Built once per
encoder into the models folder; needs torch and transformers only at build time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from shopmind.models.encoders import BaseEncoder

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
        _export(model if model is not None else encoder.torch_model(), encoder.spec.dim, fp32)
    if not quantised:
        return fp32
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    _quantise(fp32, tmp, _KEEP_FP32.get(encoder.spec.name, ()))
    os.replace(tmp, path)
    return path


def _export(model: Any, dim: int, out: Path) -> None:
    import torch

    body = _PooledSum(model)
    embeds = torch.zeros(2, 7, dim)
    mask = torch.ones(2, 7, dtype=torch.int64)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    with torch.no_grad():
        torch.onnx.export(
            body,
            (embeds, mask),
            str(tmp),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=["summed"],
            dynamic_axes={
                "inputs_embeds": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "summed": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, out)


def _quantise(src: Path, dst: Path, keep_fp32: tuple[str, ...]) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src), load_external_data=False).graph
    keep = [
        n.name
        for n in graph.node
        if n.op_type == "MatMul" and n.name.endswith(keep_fp32) and "/attention/" not in n.name
    ]
    quantize_dynamic(
        str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=keep
    )


def _pooled_sum_class() -> Any:
    import torch

    class PooledSum(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(
            self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor
        ) -> torch.Tensor:
            hidden: torch.Tensor = self.model(
                inputs_embeds=inputs_embeds, attention_mask=attention_mask
            )[0]
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weights).sum(dim=1)

    return PooledSum


def _PooledSum(model: Any) -> Any:  # noqa: N802 - reads like the class it builds
    return _pooled_sum_class()(model)
