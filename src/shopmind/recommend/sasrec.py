"""SASRec-style sequential transformer trained with full-softmax cross-entropy (torch, CPU).

Causal self-attention over the last ``max_len`` items; the next item at every position is the
target, scored against every item through the (tied) item embeddings. Positions are counted
from the end of the sequence so a batch is padded only to its own longest sequence. Training
stops early when validation NDCG@10 has not improved for ``patience`` epochs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from shopmind.core.errors import InputError
from shopmind.recommend.base import META_FILE, FloatArray, IntArray

WEIGHTS_FILE = "weights.safetensors"
Validation = tuple[Sequence[IntArray], IntArray]
Say = Callable[[str], None]


class SASRec:
    """Sequential transformer recommender; ``fit`` can early-stop on a validation split."""

    name = "sasrec"
    version = "1"

    def __init__(
        self,
        dim: int = 64,
        layers: int = 2,
        heads: int = 1,
        max_len: int = 50,
        dropout: float = 0.5,  # Beauty is sparse: SASRec's paper uses 0.5 there too
        lr: float = 2e-3,
        weight_decay: float = 0.0,
        batch_size: int = 128,
        epochs: int = 200,
        patience: int = 3,
        eval_every: int = 2,
        budget_s: float | None = None,
        seed: int = 42,
        threads: int = 1,
    ) -> None:
        if dim % heads:
            raise ValueError(f"dim must be a multiple of heads, got {dim} and {heads}")
        if max_len < 2 or epochs < 1:
            raise ValueError(f"max_len must be >= 2 and epochs >= 1, got {max_len}, {epochs}")
        self.dim, self.layers, self.heads, self.max_len = dim, layers, heads, max_len
        self.dropout, self.lr, self.weight_decay = dropout, lr, weight_decay
        self.batch_size, self.epochs, self.patience = batch_size, epochs, patience
        self.eval_every, self.budget_s, self.seed, self.threads = (
            eval_every,
            budget_s,
            seed,
            threads,
        )
        self.net: Any = None
        self.n_items: int | None = None
        self.history: list[dict[str, float]] = []  # per evaluated epoch: loss, valid ndcg@10
        self.best_epoch = 0

    def params(self) -> dict[str, Any]:
        return {
            "dim": self.dim,
            "layers": self.layers,
            "heads": self.heads,
            "max_len": self.max_len,
            "dropout": self.dropout,
            "lr": self.lr,
            "weight_decay": self.weight_decay,
            "batch_size": self.batch_size,
            "epochs": self.epochs,
            "patience": self.patience,
            "eval_every": self.eval_every,
            "budget_s": self.budget_s,
            "seed": self.seed,
            "threads": self.threads,
        }

    def fit(
        self,
        sequences: Sequence[IntArray],
        n_items: int,
        *,
        validation: Validation | None = None,
        exclude_history: bool = True,
        say: Say | None = None,
    ) -> None:
        """Train for ``epochs`` (or until validation stalls or ``budget_s`` runs out).

        ``exclude_history`` must match how the benchmark scores (sessions keep repeats)."""
        import torch

        from shopmind.recommend._sasrec_net import SASRecNet

        torch.set_num_threads(self.threads)
        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        self.n_items = n_items
        self.net = SASRecNet(n_items, self.dim, self.layers, self.heads, self.max_len, self.dropout)
        train = [s[-(self.max_len + 1) :] for s in sequences if len(s) >= 2]
        if not train:
            raise InputError("sasrec: no sequence has 2 or more items to learn from")
        optimiser = torch.optim.AdamW(
            self.net.parameters(), lr=self.lr, weight_decay=self.weight_decay
        )
        started, best, best_state, stale = time.perf_counter(), -1.0, None, 0
        self.history = []
        for epoch in range(1, self.epochs + 1):
            loss = self._epoch(train, optimiser, rng)
            out_of_time = (
                self.budget_s is not None and time.perf_counter() - started > self.budget_s
            )
            if validation is None or (epoch % self.eval_every and not out_of_time):
                if out_of_time:
                    break
                continue
            ndcg = self._validate(validation, exclude_history)
            self.history.append({"epoch": epoch, "loss": round(loss, 4), "ndcg@10": ndcg})
            if say:
                say(f"sasrec epoch {epoch}: loss {loss:.4f} valid ndcg@10 {ndcg:.4f}")
            if ndcg > best:
                best, stale, self.best_epoch = ndcg, 0, epoch
                best_state = {k: v.detach().clone() for k, v in self.net.state_dict().items()}
            else:
                stale += 1
            if stale >= self.patience or out_of_time:
                break
        if best_state is not None:
            self.net.load_state_dict(best_state)
        else:
            self.best_epoch = epoch
        self.net.eval()

    def _epoch(self, train: list[IntArray], optimiser: Any, rng: np.random.Generator) -> float:
        import torch
        import torch.nn.functional as F  # noqa: N812 - torch convention

        self.net.train()
        total, count = 0.0, 0
        for batch_ids in _length_buckets(train, self.batch_size, rng):
            batch = [train[i] for i in batch_ids]
            inputs = _pad([s[:-1] for s in batch])
            targets = _pad([s[1:] for s in batch])
            x, y = torch.from_numpy(inputs), torch.from_numpy(targets)
            hidden = self.net(x)  # (B, L, dim)
            mask = y > 0
            logits = self.net.logits(hidden[mask])  # only real positions: no padded softmax
            loss = F.cross_entropy(logits, y[mask] - 1)
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            n = int(mask.sum())
            total, count = total + float(loss.detach()) * n, count + n
        return total / max(count, 1)

    def _validate(self, validation: Validation, exclude_history: bool) -> float:
        from shopmind.evaluate.recs import batched_ranks, metrics_from_ranks

        histories, targets = validation
        ranks = batched_ranks(self.score, histories, targets, exclude_history=exclude_history)
        self.net.train()
        return metrics_from_ranks(ranks, (10,))["ndcg@10"]

    def score(self, histories: Sequence[IntArray]) -> FloatArray:
        import torch

        if self.net is None:
            raise ValueError(f"{self.name}: call fit() or load() before score()")
        self.net.eval()
        torch.set_num_threads(self.threads)
        clipped = [h[-self.max_len :] for h in histories]
        with torch.inference_mode():
            x = torch.from_numpy(_pad(clipped))
            last = self.net(x)[:, -1, :]  # the newest position sees the whole history
            return np.asarray(self.net.logits(last).numpy(), dtype=np.float32)

    def save(self, directory: Path) -> None:
        from safetensors.torch import save_file

        if self.net is None:
            raise ValueError(f"{self.name}: nothing to save before fit()")
        directory.mkdir(parents=True, exist_ok=True)
        state = {k: v.contiguous() for k, v in self.net.state_dict().items()}
        save_file(state, str(directory / WEIGHTS_FILE))
        meta = {
            "name": self.name,
            "version": self.version,
            "n_items": self.n_items,
            "params": self.params(),
            "best_epoch": self.best_epoch,
            "history": self.history,
        }
        (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True))

    @classmethod
    def load(cls, directory: Path) -> SASRec:
        from safetensors.torch import load_file

        from shopmind.recommend._sasrec_net import SASRecNet

        meta_path = directory / META_FILE
        if not meta_path.is_file():
            raise InputError(f"no recommender artifact at {directory} ({META_FILE} missing)")
        meta = json.loads(meta_path.read_text())
        if (meta.get("name"), meta.get("version")) != (cls.name, cls.version):
            raise InputError(f"{directory} holds {meta.get('name')}, not {cls.name} {cls.version}")
        model = cls(**meta["params"])
        model.n_items = int(meta["n_items"])
        model.best_epoch = int(meta.get("best_epoch", 0))
        model.net = SASRecNet(
            model.n_items, model.dim, model.layers, model.heads, model.max_len, 0.0
        )
        model.net.load_state_dict(load_file(str(directory / WEIGHTS_FILE)))
        model.net.eval()
        return model


def _pad(sequences: Sequence[IntArray]) -> IntArray:
    """Left-pad to the batch's longest sequence; item i becomes token i + 1 (0 is padding)."""
    width = max((len(s) for s in sequences), default=1) or 1
    out = np.zeros((len(sequences), width), dtype=np.int64)
    for row, seq in enumerate(sequences):  # a loop over users in a batch, not over items
        if len(seq):
            out[row, width - len(seq) :] = seq + 1
    return out


def _length_buckets(
    train: Sequence[IntArray], batch_size: int, rng: np.random.Generator
) -> list[IntArray]:
    """Batches of similar lengths in random order: padding to a batch's longest sequence then
    costs little (most Beauty users have under 10 items, a few have 50)."""
    lengths = np.asarray([len(s) for s in train], dtype=np.float64)
    order = np.lexsort((rng.random(len(train)), lengths))  # by length, random among equals
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]
