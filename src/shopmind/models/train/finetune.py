"""The lora/full training loop: AdamW, linear warmup and decay, class weights, early stopping
on validation macro-F1 with the best weights restored.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from shopmind.core.errors import ConfigError
from shopmind.core.machine import usable_cores
from shopmind.models.encoders import BaseEncoder
from shopmind.models.train.batches import bucketed_batches, padded, sorted_batches, token_ids
from shopmind.models.train.config import TrainConfig
from shopmind.models.train.metrics import macro_f1
from shopmind.models.train.progress import Reporter
from shopmind.models.train.split import Splits, sample_stratified
from shopmind.models.train.torch_model import (
    PooledClassifier,
    build_classifier,
    load_trainable,
    trainable_state,
    transformer,
)

_IMBALANCE = 1.5  # largest/smallest class ratio above which the loss weighs classes
_INFER_BATCH = 64


@dataclass
class TorchFit:
    model: PooledClassifier
    labels: list[str]
    best_validation_f1: float = 0.0
    best_at: str = ""
    best_epoch: float = 0.0  # where the kept weights were: 6.5 is halfway through epoch 7
    steps: int = 0
    epochs_run: float = 0.0
    stopped_early: bool = False
    class_weights: list[float] | None = None
    history: list[dict[str, float]] = field(default_factory=list)
    device: str = "cpu"


def pick_device(name: str) -> torch.device:
    """The torch device for ``name``: "auto" is a CUDA GPU when torch sees one, else the CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' was asked for but torch sees no CUDA GPU; use cpu")
    return torch.device(name)


def use_bf16(precision: str, device: torch.device | None = None) -> bool:
    """Whether to autocast to bf16: asked for, or "auto" on hardware with native bf16 math."""
    if precision != "auto":
        return precision == "bf16"
    if device is not None and device.type == "cuda":
        return bool(torch.cuda.is_bf16_supported())
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            flags = next((line for line in fh if line.startswith("flags")), "").split()
    except OSError:
        return False
    # Without these, bf16 matmuls are emulated: usually no faster than fp32.
    return "avx512_bf16" in flags or "amx_bf16" in flags


def set_threads() -> int:
    """One torch thread per core this process may run on (``taskset -c 0`` gives one)."""
    threads = usable_cores()
    torch.set_num_threads(threads)
    return threads


def class_weights(labels: list[str], train_labels: list[str]) -> list[float] | None:
    """n / (k * count) per class when the largest class outnumbers the smallest by > 1.5x."""
    counts = np.array([train_labels.count(label) for label in labels], dtype=np.float64)
    if counts.min() == 0 or counts.max() / counts.min() <= _IMBALANCE:
        return None
    return [round(float(w), 4) for w in counts.sum() / (len(labels) * counts)]


def fit_torch(
    encoder: BaseEncoder, splits: Splits, labels: list[str], config: TrainConfig, reporter: Reporter
) -> TorchFit:
    """Fine-tune on ``splits.train``, keep the state with the best validation macro-F1."""
    set_threads()
    torch.manual_seed(config.seed)
    device = pick_device(config.device)
    model = build_classifier(encoder, config.method, len(labels), config.hyperparameters())
    model.to(device)
    bf16 = use_bf16(config.precision, device)
    frozen = frozen_layers(model)
    index = {label: i for i, label in enumerate(labels)}
    targets = torch.tensor([index[y] for y in splits.train.labels])
    # Each evaluation costs a forward pass over these texts: a sample keeps that affordable.
    val = sample_stratified(splits.validation, config.max_eval, config.seed)
    train_in, val_in = (
        _Inputs(model, encoder, texts, config, frozen, bf16, reporter)
        for texts in (splits.train.texts, val.texts)
    )
    fit = TorchFit(model, labels, class_weights=class_weights(labels, splits.train.labels))
    fit.device = device.type
    loop = _Loop(model, config, len(targets), fit.class_weights, bf16)
    stopper = _EarlyStopping(fit, config.patience)
    rng = np.random.default_rng(config.seed)
    with reporter.steps("epoch 1", loop.total_steps) as update:
        for epoch in range(config.epochs):
            batches = bucketed_batches(train_in.lengths, config.batch_size, rng)
            checkpoints = (
                set() if config.keep_last else _eval_points(len(batches), config.evals_per_epoch)
            )
            for step, batch in enumerate(batches, start=1):
                loss = loop.step(train_in, batch, targets[batch].to(device))
                update(description=f"epoch {epoch + 1}/{config.epochs}", loss=loss)
                fit.epochs_run = round(epoch + step / len(batches), 2)
                if step in checkpoints:
                    f1 = _validation_f1(model, val_in, val.labels, labels)
                    reporter.note(
                        f"epoch {fit.epochs_run:.2f}: validation macro-F1 {f1:.4f} "
                        f"(train loss {loss:.4f})"
                    )
                    if stopper.record(f1, loss):
                        break
            if fit.stopped_early:
                reporter.note(
                    f"early stop: {config.patience} evaluations without a better macro-F1"
                )
                break
    fit.steps = loop.steps_done
    if config.keep_last:
        fit.best_at = f"last (epoch {fit.epochs_run:.2f})"
        fit.best_epoch = fit.epochs_run
    else:
        stopper.restore()
    model.to("cpu")
    model.eval()
    return fit


def frozen_layers(model: PooledClassifier) -> int:
    """How many lower transformer layers have nothing to train (LoRA on the top layers only)."""
    inner = transformer(model.body)
    if any(p.requires_grad for p in inner.embeddings.parameters()):  # type: ignore[union-attr]
        return 0
    layers = list(inner.encoder.layer)  # type: ignore[union-attr, arg-type]
    for i, layer in enumerate(layers):
        if any(p.requires_grad for p in layer.parameters()):
            return i
    return len(layers)


class _Inputs:
    """What a batch of texts feeds the model: token ids or, when the lower layers are frozen,
    their output, computed once (fp16, unpadded) instead of once per epoch."""

    def __init__(
        self,
        model: PooledClassifier,
        encoder: BaseEncoder,
        texts: list[str],
        config: TrainConfig,
        frozen: int,
        bf16: bool,
        reporter: Reporter,
    ) -> None:
        self.model = model
        self.device = model.head.weight.device
        self.ids = token_ids(encoder, texts, config.max_length, config.truncation)
        self.lengths = [len(x) for x in self.ids]
        self.pad_id = encoder.pad_id
        self.frozen = frozen
        self.bf16 = bf16
        self.cache: list[torch.Tensor] = []
        if frozen:
            self._fill_cache(reporter)

    def _fill_cache(self, reporter: Reporter) -> None:
        self.model.eval()
        self.cache = [torch.empty(0)] * len(self.ids)
        batches = sorted_batches(self.lengths, _INFER_BATCH)
        label = f"layers 1-{self.frozen} (frozen, once)"
        with reporter.steps(label, len(self.ids)) as update, self._no_grad():
            for batch in batches:
                input_ids, mask = self._padded_ids(batch)
                hidden = self.model.hidden_after(input_ids, mask, self.frozen).to(torch.float16)
                for row, i in enumerate(batch):
                    self.cache[i] = hidden[row, : self.lengths[i]].clone()
                update(advance=len(batch))

    @contextmanager
    def _no_grad(self) -> Iterator[None]:
        # no_grad rather than inference_mode: cached tensors feed training steps later.
        with (
            torch.no_grad(),
            torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16),
        ):
            yield

    def _padded_ids(self, batch: np.ndarray[Any, Any]) -> tuple[torch.Tensor, torch.Tensor]:
        input_ids, mask = padded([self.ids[i] for i in batch], self.pad_id)
        return torch.from_numpy(input_ids).to(self.device), torch.from_numpy(mask).to(self.device)

    def pooled(self, batch: np.ndarray[Any, Any]) -> torch.Tensor:
        """Mean-pooled last hidden states of ``batch`` (grad mode and dropout as the model is)."""
        if not self.frozen:
            return self.model.pooled(*self._padded_ids(batch))
        width = max(self.lengths[i] for i in batch)
        hidden = torch.zeros(len(batch), width, self.model.head.in_features, device=self.device)
        mask = torch.zeros(len(batch), width, dtype=torch.int64, device=self.device)
        for row, i in enumerate(batch):
            hidden[row, : self.lengths[i]] = self.cache[i]
            mask[row, : self.lengths[i]] = 1
        return self.model.pooled_from(hidden, mask, self.frozen)

    def features(self) -> torch.Tensor:
        """Pooled features of every text, in order (eval mode, no gradients)."""
        self.model.eval()
        out = torch.zeros(len(self.ids), self.model.head.in_features, device=self.device)
        with self._no_grad():
            for batch in sorted_batches(self.lengths, _INFER_BATCH):
                out[torch.from_numpy(batch).to(self.device)] = self.pooled(batch).float()
        return out


class _EarlyStopping:
    """Remembers the trainable state of the best evaluation; says when patience runs out."""

    def __init__(self, fit: TorchFit, patience: int) -> None:
        self.fit = fit
        self.patience = patience
        self.bad = 0
        self.best: dict[str, torch.Tensor] | None = None

    def record(self, f1: float, loss: float) -> bool:
        """Note one evaluation; True when training should stop."""
        fit = self.fit
        fit.history.append(
            {"epoch": fit.epochs_run, "loss": round(loss, 4), "validation_macro_f1": round(f1, 4)}
        )
        if self.best is None or f1 > fit.best_validation_f1:
            fit.best_validation_f1, fit.best_at, self.bad = f1, f"epoch {fit.epochs_run:.2f}", 0
            fit.best_epoch = fit.epochs_run
            self.best = trainable_state(fit.model)
            return False
        self.bad += 1
        fit.stopped_early = self.bad >= self.patience
        return fit.stopped_early

    def restore(self) -> None:
        if self.best is not None:
            load_trainable(self.fit.model, self.best)


def _eval_points(n_batches: int, per_epoch: int) -> set[int]:
    per_epoch = min(per_epoch, n_batches)
    return {math.ceil(n_batches * k / per_epoch) for k in range(1, per_epoch + 1)}


class _Loop:
    """One optimiser step at a time; warmup then linear decay to zero over all planned steps."""

    def __init__(
        self,
        model: PooledClassifier,
        config: TrainConfig,
        n_train: int,
        weights: list[float] | None,
        bf16: bool,
    ) -> None:
        self.model = model
        self.bf16 = bf16
        self.device = model.head.weight.device
        self.total_steps = config.epochs * math.ceil(n_train / config.batch_size)
        self.steps_done = 0
        head = [p for p in model.head.parameters() if p.requires_grad]
        body = [p for p in model.body.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(
            [
                {"params": body, "lr": config.learning_rate},
                {"params": head, "lr": config.head_lr},
            ],
            weight_decay=config.weight_decay,
        )
        warm = max(1, round(config.warmup * self.total_steps))
        total = self.total_steps

        def factor(step: int) -> float:
            if step < warm:
                return (step + 1) / warm
            return max(0.0, (total - step) / max(1, total - warm))

        self.schedule = torch.optim.lr_scheduler.LambdaLR(self.optimizer, factor)
        self.loss_fn = nn.CrossEntropyLoss(
            weight=torch.tensor(weights, dtype=torch.float32, device=self.device)
            if weights
            else None
        )
        self._smooth: float | None = None

    def step(self, inputs: _Inputs, batch: np.ndarray[Any, Any], targets: torch.Tensor) -> float:
        """Train on one batch; returns the running (smoothed) loss."""
        self.model.train()
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16):
            logits = self.model.head(self.model.dropout(inputs.pooled(batch)))
        loss = self.loss_fn(logits.float(), targets)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(
            [p for p in self.model.parameters() if p.requires_grad], max_norm=1.0
        )
        self.optimizer.step()
        self.schedule.step()
        self.steps_done += 1
        value = float(loss.detach())
        self._smooth = value if self._smooth is None else 0.95 * self._smooth + 0.05 * value
        return self._smooth


def pooled_features(
    model: PooledClassifier,
    ids: list[list[int]],
    pad_id: int,
    batch_size: int = _INFER_BATCH,
    bf16: bool = False,
) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Mean-pooled encoder outputs for token ids, in input order (eval mode, no gradients)."""
    model.eval()
    out = np.zeros((len(ids), model.head.in_features), np.float32)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for batch in sorted_batches([len(x) for x in ids], batch_size):
            input_ids, mask = (torch.from_numpy(a) for a in padded([ids[i] for i in batch], pad_id))
            out[batch] = model.pooled(input_ids, mask).float().numpy()
    return out


def _validation_f1(
    model: PooledClassifier, inputs: _Inputs, truth: list[str], labels: list[str]
) -> float:
    features = inputs.features()
    with torch.inference_mode():
        predicted = model.head(features).argmax(dim=1).tolist()
    return macro_f1(truth, [labels[i] for i in predicted], labels)
