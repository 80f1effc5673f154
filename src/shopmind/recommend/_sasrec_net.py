"""The torch module behind ``SASRec`` (imported lazily: torch is heavy)."""

from __future__ import annotations

import torch
from torch import nn


class SASRecNet(nn.Module):
    """Item + reversed-position embeddings, pre-norm causal transformer blocks, tied output."""

    def __init__(
        self, n_items: int, dim: int, layers: int, heads: int, max_len: int, dropout: float
    ) -> None:
        super().__init__()
        self.items = nn.Embedding(n_items + 1, dim, padding_idx=0)
        self.positions = nn.Embedding(max_len, dim)
        self.drop = nn.Dropout(dropout)
        block = nn.TransformerEncoderLayer(
            dim,
            heads,
            dim_feedforward=dim,
            dropout=dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        nn.init.normal_(self.items.weight, std=dim**-0.5)
        nn.init.normal_(self.positions.weight, std=dim**-0.5)
        self.scale = dim**0.5
        self.heads = heads

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Hidden state per position of left-padded ``tokens`` (B, L)."""
        length = tokens.shape[1]
        # position 0 is the newest item, so left padding never shifts a position
        pos = torch.arange(length - 1, -1, -1, device=tokens.device)
        x = self.items(tokens) * self.scale + self.positions(pos)[None]
        x = self.drop(x) * (tokens > 0).unsqueeze(-1)
        pad = tokens == 0
        h = self.encoder(x, mask=self._mask(pad))
        h = h * (~pad).unsqueeze(-1)
        out: torch.Tensor = self.norm(h)
        return out

    def _mask(self, pad: torch.Tensor) -> torch.Tensor:
        """(B·heads, L, L) additive mask: causal, padding keys hidden; every position may see
        itself, so a padding row is never all -inf (which would give NaN)."""
        length = pad.shape[1]
        causal = torch.ones(length, length, dtype=torch.bool).tril()
        allowed = causal[None] & ~pad[:, None, :]
        allowed |= torch.eye(length, dtype=torch.bool)[None]
        mask = torch.zeros(allowed.shape, dtype=torch.float32).masked_fill(~allowed, float("-inf"))
        return mask.repeat_interleave(self.heads, dim=0)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Scores of every item (padding row left out) for hidden states (N, dim)."""
        return hidden @ self.items.weight[1:].T
