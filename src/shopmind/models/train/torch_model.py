"""The fine-tunable classifier: encoder body (LoRA-adapted or fully trainable), mean pooling,
dropout and a linear head. Imported only by the lora/full paths, which need torch anyway.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from shopmind.core.errors import ConfigError
from shopmind.models.encoders import BaseEncoder
from shopmind.models.train.config import LORA_TARGETS

WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


class PooledClassifier(nn.Module):
    """logits = head(dropout(mean of the last hidden states over real tokens))."""

    def __init__(self, body: nn.Module, dim: int, n_labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.body = body
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(dim, n_labels)

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden: torch.Tensor = self.body(input_ids=input_ids, attention_mask=attention_mask)[0]
        return mean_pool(hidden, attention_mask)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.head(self.dropout(self.pooled(input_ids, attention_mask)))
        return logits

    # The encoder in two parts, so that frozen lower layers run once per text, not per epoch.

    def hidden_after(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, layers: int
    ) -> torch.Tensor:
        """Hidden states after the embeddings and the first ``layers`` transformer layers."""
        inner = transformer(self.body)
        hidden: torch.Tensor = inner.embeddings(input_ids=input_ids)  # type: ignore[operator]
        return _run_layers(inner, hidden, attention_mask, 0, layers)

    def pooled_from(
        self, hidden: torch.Tensor, attention_mask: torch.Tensor, start: int
    ) -> torch.Tensor:
        """Mean-pooled output of layers ``start``… applied to ``hidden``."""
        inner = transformer(self.body)
        n_layers = len(inner.encoder.layer)  # type: ignore[union-attr, arg-type]
        return mean_pool(
            _run_layers(inner, hidden, attention_mask, start, n_layers), attention_mask
        )


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def transformer(body: nn.Module) -> nn.Module:
    """The transformers model inside ``body`` (PEFT wraps it; LoRA layers stay injected)."""
    unwrap = getattr(body, "get_base_model", None)
    inner: nn.Module = unwrap() if unwrap is not None else body
    return inner


def _run_layers(
    inner: nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor, start: int, stop: int
) -> torch.Tensor:
    # The same mask and layer calls as XLMRobertaEncoder/BertEncoder.forward in transformers 5;
    # test_finetune checks that both halves together equal the whole model.
    from transformers.masking_utils import create_bidirectional_mask

    mask = create_bidirectional_mask(
        config=inner.config,  # type: ignore[arg-type]
        inputs_embeds=hidden,
        attention_mask=attention_mask,
    )
    for layer in inner.encoder.layer[start:stop]:  # type: ignore[union-attr, index]
        hidden = layer(hidden, mask)
    return hidden


def build_classifier(
    encoder: BaseEncoder, method: str, n_labels: int, hyper: dict[str, Any]
) -> PooledClassifier:
    """A fresh classifier for ``method`` with only the right parameters trainable."""
    body = encoder.torch_model()
    if method == "lora":
        body = _with_lora(body, hyper)
    elif method == "full":
        # The 250k-row multilingual word table is most of e5's 118M weights: training it on a
        # few thousand reviews would only overfit (and cost memory), so it stays frozen.
        for name, param in body.named_parameters():
            param.requires_grad_(name != WORD_EMBEDDINGS)
    else:
        raise ConfigError(f"method {method!r} has no torch model (expected lora or full)")
    return PooledClassifier(body, encoder.spec.dim, n_labels)


def _with_lora(body: nn.Module, hyper: dict[str, Any]) -> nn.Module:
    import warnings

    from peft import LoraConfig, get_peft_model

    n_layers = len(body.encoder.layer)  # type: ignore[union-attr, arg-type]
    layers = hyper.get("lora_layers")
    if layers is not None and int(layers) >= n_layers:
        layers = None  # every layer
    config = LoraConfig(
        r=int(hyper["lora_r"]),
        lora_alpha=int(hyper["lora_alpha"]),
        lora_dropout=float(hyper["lora_dropout"]),
        target_modules=list(LORA_TARGETS),
        layers_to_transform=list(range(n_layers - int(layers), n_layers)) if layers else None,
        bias="none",
    )
    with warnings.catch_warnings():
        # peft asks transformers a deprecated question (is_gradient_checkpointing); not ours.
        warnings.filterwarnings("ignore", category=FutureWarning)
        peft_body: nn.Module = get_peft_model(body, config)
        return peft_body


def trainable_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Copies of the trainable parameters, by name: what an artifact stores."""
    return {
        name: param.detach().clone().contiguous()
        for name, param in model.named_parameters()
        if param.requires_grad
    }


def load_trainable(model: nn.Module, state: dict[str, torch.Tensor]) -> None:
    """Put saved trainable parameters back; every saved and every trainable name must match."""
    expected = {n for n, p in model.named_parameters() if p.requires_grad}
    missing, unknown = expected - set(state), set(state) - expected
    if missing or unknown:
        raise ConfigError(
            f"artifact weights do not fit the model: {len(missing)} missing, {len(unknown)} "
            f"unexpected (e.g. {sorted(missing | unknown)[:3]}); it was made by another version"
        )
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, value in state.items():
            params[name].copy_(value)


def merged_body(model: PooledClassifier) -> nn.Module:
    """The encoder with LoRA folded into its weights (a plain transformers model), eval mode."""
    body = model.body
    merge = getattr(body, "merge_and_unload", None)
    if merge is not None:
        body = merge()
        model.body = body
    return body.eval()
