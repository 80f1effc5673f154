"""Classifiers on frozen sentence embeddings for the benchmarks: ``head:NAMES`` and ``mlp:NAMES``.

``NAMES`` is one registered embedder (``minilm``) or several joined by ``+``
(``e5-small+minilm+use``): their L2-normalised vectors are concatenated. ``head`` is logistic
regression with C picked on validation macro-F1 (the fine-tuning pipeline's ``fit_head``);
``mlp`` is one hidden layer trained with dropout and label smoothing, its epoch picked on
validation accuracy. Each split is embedded once per embedder per run (``EmbeddingCache``).
Test texts are embedded and scored; their labels are never read here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from shopmind.core.errors import InputError
from shopmind.models.train import Reporter, Splits
from shopmind.models.train.head import embed_texts, fit_head

F32 = npt.NDArray[np.float32]
KINDS = ("head", "mlp")
PARTS = ("train", "validation", "test")


def parse(method: str) -> tuple[str, list[str]] | None:
    """``("head", ["e5-small", "use"])`` for ``head:e5-small+use``; None for other methods.

    Raises InputError naming the valid embedders when one is unknown.
    """
    kind, sep, rest = method.partition(":")
    if not sep or kind not in KINDS:
        return None
    from shopmind.models.embed import embedder_names

    names = [n.strip() for n in rest.split("+") if n.strip()]
    known = embedder_names()
    unknown = [n for n in names if n not in known]
    if not names or unknown or len(set(names)) != len(names):
        raise InputError(
            f"{method!r}: name one or more distinct embedders joined by '+' "
            f"(e.g. {kind}:e5-small+minilm); choose from: {', '.join(known)}"
        )
    return kind, names


@dataclass
class EmbeddingCache:
    """Each split's embeddings per embedder, computed on first use within one benchmark run."""

    splits: Splits
    reporter: Reporter
    embed: Callable[[str, list[str]], F32] = field(default=embed_texts)
    _vectors: dict[str, dict[str, F32]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def features(self, names: list[str]) -> dict[str, F32]:
        """Train/validation/test features: the embedders' vectors side by side."""
        for name in names:
            if name not in self._vectors:
                started = time.perf_counter()
                self.reporter.note(f"embedding {sum(self.splits.counts().values())} texts ({name})")
                self._vectors[name] = {
                    part: self.embed(name, getattr(self.splits, part).texts) for part in PARTS
                }
                self.seconds[name] = time.perf_counter() - started
        return {
            part: np.concatenate([self._vectors[n][part] for n in names], axis=1) for part in PARTS
        }

    def embed_seconds(self, names: list[str]) -> float:
        return sum(self.seconds.get(n, 0.0) for n in names)


@dataclass(frozen=True)
class FrozenFit:
    """Probabilities on validation and test (columns in ``labels`` order) and what was chosen."""

    labels: list[str]
    validation: F32
    test: F32
    note: str
    validation_accuracy: float


def fit_lr(
    x: dict[str, F32], splits: Splits, c_grid: tuple[float, ...], *, refit: bool = False
) -> FrozenFit:
    """Logistic regression on ``x``, C picked on validation macro-F1.

    With ``refit`` the test probabilities come from a second model with that C trained on
    train + validation (the validation probabilities stay those of the train-only model).
    """
    from shopmind.models.train.finetune import class_weights  # imports torch: only here

    labels = sorted(set(splits.train.labels))
    balanced = class_weights(labels, splits.train.labels) is not None
    fit = fit_head(
        x["train"],
        splits.train.labels,
        x["validation"],
        splits.validation.labels,
        labels,
        c_grid,
        balanced,
    )
    validation = softmax_scores(x["validation"], fit.coef, fit.intercept)
    test = softmax_scores(x["test"], fit.coef, fit.intercept)
    note = f"logistic regression, C={fit.c:g}"
    if refit:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(
            C=fit.c, max_iter=3000, class_weight="balanced" if balanced else None
        )
        model.fit(_both(x), [*splits.train.labels, *splits.validation.labels])
        if [str(c) for c in model.classes_] != labels:  # a label only validation has
            raise InputError("refit: validation has labels the training split lacks")
        test = model.predict_proba(x["test"]).astype(np.float32)
        note += ", refit on train+validation"
    accuracy = _accuracy(validation, labels, splits.validation.labels)
    return FrozenFit(labels, validation, test, note, accuracy)


def _both(x: dict[str, F32]) -> F32:
    out: F32 = np.concatenate([x["train"], x["validation"]])
    return out


def softmax_scores(x: F32, coef: F32, intercept: F32) -> F32:
    """sklearn's multinomial ``predict_proba`` from its weights (binary: a sigmoid)."""
    z = x @ coef.T + intercept
    if coef.shape[0] == 1:  # two classes: one row of weights for the second
        z = np.concatenate([np.zeros_like(z), z], axis=1)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: F32 = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


@dataclass(frozen=True)
class MlpSettings:
    hidden: int = 1024
    dropout: float = 0.5
    input_dropout: float = 0.2
    label_smoothing: float = 0.1
    weight_decay: float = 0.01
    lr: float = 2e-3
    epochs: int = 40
    batch_size: int = 64


def fit_mlp(
    x: dict[str, F32],
    splits: Splits,
    seed: int,
    settings: MlpSettings | None = None,
    *,
    refit: bool = False,
) -> FrozenFit:
    """One hidden layer (GELU), AdamW with a one-cycle schedule; the epoch with the best
    validation accuracy (the later one on ties) is kept.

    With ``refit`` the test probabilities come from a second run on train + validation with
    the same seed and schedule, stopped at that epoch.
    """
    s = settings or MlpSettings()
    labels = sorted(set(splits.train.labels))
    index = {label: i for i, label in enumerate(labels)}
    train_y = [index[y] for y in splits.train.labels]
    val_y = np.array([index.get(y, -1) for y in splits.validation.labels])
    best = _train_mlp(x["train"], train_y, x, val_y, len(labels), seed, s, s.epochs)
    accuracy, epoch, validation, test = best
    note = f"MLP {s.hidden} hidden, dropout {s.dropout}, best epoch {epoch}/{s.epochs}"
    if refit:
        if (val_y < 0).any():
            raise InputError("refit: validation has labels the training split lacks")
        both_y = train_y + val_y.tolist()
        test = _train_mlp(_both(x), both_y, x, None, len(labels), seed, s, epoch)[3]
        note += ", refit on train+validation"
    return FrozenFit(labels, validation, test, note, round(accuracy, 4))


def _train_mlp(
    train: F32,
    train_labels: list[int],
    x: dict[str, F32],
    val_y: npt.NDArray[np.int64] | None,
    classes: int,
    seed: int,
    s: MlpSettings,
    stop: int,
) -> tuple[float, int, F32, F32]:
    """(validation accuracy, epoch, validation and test probabilities) of the best epoch on
    validation, or of epoch ``stop`` when ``val_y`` is None."""
    import torch

    train_x = torch.from_numpy(np.ascontiguousarray(train))
    train_y = torch.tensor(train_labels)
    val_x = torch.from_numpy(np.ascontiguousarray(x["validation"]))
    test_x = torch.from_numpy(np.ascontiguousarray(x["test"]))
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Dropout(s.input_dropout),
        torch.nn.Linear(train_x.shape[1], s.hidden),
        torch.nn.GELU(),
        torch.nn.Dropout(s.dropout),
        torch.nn.Linear(s.hidden, classes),
    )
    optimiser = torch.optim.AdamW(model.parameters(), lr=s.lr, weight_decay=s.weight_decay)
    per_epoch = -(-len(train_y) // s.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=s.lr, total_steps=s.epochs * per_epoch
    )
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=s.label_smoothing)
    best: tuple[float, int, F32, F32] | None = None
    for epoch in range(stop):
        model.train()
        order = torch.randperm(len(train_y), generator=generator)
        for start in range(0, len(order), s.batch_size):
            batch = order[start : start + s.batch_size]
            optimiser.zero_grad()
            loss_fn(model(train_x[batch]), train_y[batch]).backward()
            optimiser.step()
            schedule.step()
        if val_y is None and epoch + 1 < stop:
            continue
        model.eval()
        with torch.no_grad():
            validation = model(val_x).softmax(dim=1).numpy()
            accuracy = (
                float((validation.argmax(axis=1) == val_y).mean()) if val_y is not None else 0
            )
            if best is None or accuracy >= best[0]:
                test = model(test_x).softmax(dim=1).numpy()
                best = (accuracy, epoch + 1, validation, test)
    assert best is not None  # stop >= 1
    return best


def _accuracy(proba: F32, labels: list[str], truth: list[str]) -> float:
    predicted = [labels[int(i)] for i in proba.argmax(axis=1)]
    return round(sum(p == t for p, t in zip(predicted, truth, strict=True)) / max(len(truth), 1), 4)
