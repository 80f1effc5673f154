"""Training settings for a text classifier, checked when built so mistakes surface before work."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from shopmind.core.errors import InputError
from shopmind.models.train.batches import Truncation

Method = Literal["head", "lora", "full", "tfidf"]
Precision = Literal["auto", "fp32", "bf16"]
Device = Literal["auto", "cpu", "cuda"]
METHODS: tuple[Method, ...] = ("head", "lora", "full", "tfidf")
BASES = ("e5-small", "minilm")
TASK_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# Folders under models_dir that hold other things than tasks.
RESERVED_TASKS = frozenset({"runtime", "llm", "embed", "cache", "tmp"})
# LoRA adapts the attention query/value projections and every dense layer (attention output,
# FFN in and out): the FFN holds most of a layer's weights, so adapting it too gives the
# adapters more room at little extra cost (the frozen weights need no gradients).
LORA_TARGETS = ("query", "value", "dense")
DEFAULT_LR: dict[Method, float] = {"head": 0.0, "lora": 1e-3, "full": 5e-5, "tfidf": 0.0}
# Sparse n-gram features want stronger regularisation than dense embeddings.
TFIDF_C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)


def check_task_name(task: str) -> str:
    """``task`` if it is a safe folder name, else an InputError saying what is allowed."""
    if not TASK_NAME.match(task) or task in RESERVED_TASKS:
        raise InputError(
            f"task name {task!r} is not allowed: use 1-64 lower-case letters, digits, '.', '_' "
            "or '-', starting with a letter or digit "
            f"(reserved: {', '.join(sorted(RESERVED_TASKS))})"
        )
    return task


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a trained classifier, recorded in its metadata."""

    task: str = "sentiment"
    base: str = "e5-small"
    method: Method = "head"
    seed: int = 13
    split: tuple[float, float, float] = (0.8, 0.1, 0.1)
    max_rows: int | None = None
    # lora / full
    epochs: int = 2
    patience: int = 2  # evaluations without a better validation macro-F1 before stopping
    evals_per_epoch: int = 1
    max_eval: int = 2000  # validation texts scored at each evaluation (a stratified sample)
    max_length: int = 128
    truncation: Truncation = "head"
    batch_size: int = 32
    # bf16 autocast halves the step time on CPUs with native bf16 dot products (AVX512-BF16,
    # AMX): 2,300 vs 1,100 tokens/s measured on 2 Zen 4 cores. "auto" uses it only there.
    precision: Precision = "auto"
    # Where lora/full training runs; "auto" takes a CUDA GPU when torch sees one. The trained
    # model always comes back to the CPU, so the artifact and its predictions do not depend on it.
    device: Device = "auto"
    lr: float | None = None  # None: DEFAULT_LR[method]
    head_lr: float = 2e-3  # the new linear head starts from zero knowledge: learn it faster
    weight_decay: float = 0.01
    warmup: float = 0.06  # share of steps with a linearly rising learning rate
    lora_r: int = 8
    lora_alpha: int | None = None  # None: 2 * lora_r
    lora_dropout: float = 0.1
    # LoRA on the top N layers only (None: all). The layers below then have nothing to learn,
    # so their output is computed once per text instead of once per epoch, and backward stops
    # at layer N: a step on e5-small (12 layers) costs about half. MiniLM has 6 layers: all.
    lora_layers: int | None = 6
    # Train every epoch and keep the last weights, evaluating nothing: for a refit on train +
    # validation once the epoch count was chosen on validation (the validation texts are then
    # training data, so choosing on them would mean nothing).
    keep_last: bool = False
    # head
    c_grid: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)

    def __post_init__(self) -> None:
        check_task_name(self.task)
        if self.base not in BASES:
            raise InputError(
                f"unknown base encoder {self.base!r}; choose one of: {', '.join(BASES)}"
            )
        if self.method not in METHODS:
            raise InputError(f"unknown method {self.method!r}; choose one of: {', '.join(METHODS)}")
        self._check_positive()
        if self.precision not in ("auto", "fp32", "bf16"):
            raise InputError(f"precision must be auto, fp32 or bf16, got {self.precision!r}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise InputError(f"device must be auto, cpu or cuda, got {self.device!r}")
        if self.truncation not in ("head", "head_tail"):
            raise InputError(f"truncation must be 'head' or 'head_tail', got {self.truncation!r}")
        if not 8 <= self.max_length <= 512:
            raise InputError(f"max_length must be between 8 and 512 tokens, got {self.max_length}")
        if not 0 <= self.warmup < 1 or not 0 <= self.lora_dropout < 1:
            raise InputError("warmup and lora_dropout must be in [0, 1)")
        if not self.c_grid or any(c <= 0 for c in self.c_grid):
            raise InputError(f"c_grid must hold positive numbers, got {self.c_grid}")

    def _check_positive(self) -> None:
        for name in ("epochs", "patience", "evals_per_epoch", "max_eval", "batch_size", "lora_r"):
            value = getattr(self, name)
            if value < 1:
                raise InputError(f"{name} must be >= 1, got {value}")
        for name in ("max_rows", "lora_alpha", "lora_layers", "lr"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise InputError(f"{name} must be > 0, got {value}")

    @property
    def learning_rate(self) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR[self.method]

    @property
    def alpha(self) -> int:
        return self.lora_alpha if self.lora_alpha is not None else 2 * self.lora_r

    def hyperparameters(self) -> dict[str, Any]:
        """The settings that shaped the weights of this method (for metadata.json)."""
        data = asdict(self)
        for key in ("task", "base", "method", "seed", "split", "max_rows", "device"):
            data.pop(key)
        if self.method == "head":
            return {"c_grid": list(self.c_grid)}
        if self.method == "tfidf":
            return {"c_grid": list(TFIDF_C_GRID)}
        data.pop("c_grid")
        data["lr"] = self.learning_rate
        if self.method == "lora":
            data["lora_alpha"] = self.alpha
            data["lora_targets"] = list(LORA_TARGETS)
        else:
            for key in ("lora_r", "lora_alpha", "lora_dropout", "lora_layers"):
                data.pop(key)
        return data
