"""One ONNX export and int8 recipe for encoder bodies, shared by the embedder and the classifiers.

The graph takes word embeddings (gathered outside, so the 250k-row multilingual table never
enters the file) and the attention mask, and pools the last hidden states over real tokens:
the *sum* for the embedder (windows of one long text are pooled together afterwards) or the
*mean* for a fine-tuned classifier (what its head was trained on). Needs torch only here.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal

Pooling = Literal["sum", "mean"]


def export_pooled(model: Any, dim: int, out: Path, pooling: Pooling, output_name: str) -> None:
    """Write ``model``'s body with ``pooling`` over the mask to ``out`` (fp32, opset 17)."""
    import torch

    embeds = torch.zeros(2, 7, dim)
    mask = torch.ones(2, 7, dtype=torch.int64)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    with torch.no_grad():
        torch.onnx.export(
            _pooled_class()(model.eval(), pooling == "mean"),
            (embeds, mask),
            str(tmp),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=[output_name],
            dynamic_axes={
                "inputs_embeds": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                output_name: {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, out)


def quantise_int8(src: Path, dst: Path, keep_fp32: tuple[str, ...]) -> None:
    """Dynamic per-channel int8 weights, except the non-attention matmuls named in ``keep_fp32``
    (FFN matmuls whose inputs have outliers int8 cannot hold)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src), load_external_data=False).graph
    keep = [
        n.name
        for n in graph.node
        if n.op_type == "MatMul" and n.name.endswith(keep_fp32) and "/attention/" not in n.name
    ]
    # onnxruntime.quantization logs advice through the root logger at WARNING.
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))
    try:
        quantize_dynamic(
            str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=keep
        )
    finally:
        root.setLevel(level)


def _pooled_class() -> Any:
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, model: torch.nn.Module, mean: bool) -> None:
            super().__init__()
            self.model = model
            self.mean = mean

        def forward(
            self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor
        ) -> torch.Tensor:
            hidden: torch.Tensor = self.model(
                inputs_embeds=inputs_embeds, attention_mask=attention_mask
            )[0]
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * weights).sum(dim=1)
            return summed / weights.sum(dim=1).clamp(min=1.0) if self.mean else summed

    return Pooled
