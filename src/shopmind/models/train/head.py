"""The ``head`` method: frozen sentence embeddings + logistic regression, C picked on validation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shopmind.models.train.metrics import macro_f1

F32 = npt.NDArray[np.float32]
_CHUNK = 64  # texts per embedder call: one padded batch each


def embed_texts(base: str, texts: list[str], progress: Callable[[int], None] | None = None) -> F32:
    """L2-normalised mean-pooled embeddings with the query prefix (e5: symmetric tasks).

    Texts are embedded in length order so each batch pads little, then put back in place.
    """
    from shopmind.models.embed import get_embedder

    embedder = get_embedder(base)
    out = np.zeros((len(texts), embedder.dim), np.float32)
    order = np.argsort([len(t) for t in texts], kind="stable")
    for start in range(0, len(order), _CHUNK):
        chunk = order[start : start + _CHUNK]
        out[chunk] = embedder.embed_queries([texts[i] for i in chunk])
        if progress is not None:
            progress(len(chunk))
    return out


@dataclass(frozen=True)
class HeadFit:
    """Logistic-regression weights as sklearn has them: coef (1 or k, d), intercept (1 or k)."""

    coef: F32
    intercept: F32
    c: float
    validation_f1: float
    scores: dict[str, float]  # validation macro-F1 per C tried


def fit_head(
    train_x: F32,
    train_y: list[str],
    val_x: F32,
    val_y: list[str],
    labels: list[str],
    c_grid: tuple[float, ...],
    balanced: bool,
) -> HeadFit:
    """Fit one model per C on train, keep the one with the best validation macro-F1."""
    from sklearn.linear_model import LogisticRegression

    best: HeadFit | None = None
    scores: dict[str, float] = {}
    for c in c_grid:
        model = LogisticRegression(
            C=c, max_iter=3000, class_weight="balanced" if balanced else None
        )
        model.fit(train_x, train_y)
        if list(model.classes_) != labels:
            raise ValueError(f"classes {list(model.classes_)} differ from labels {labels}")
        f1 = macro_f1(val_y, [str(y) for y in model.predict(val_x)], labels)
        scores[f"{c:g}"] = round(f1, 4)
        if best is None or f1 > best.validation_f1:
            best = HeadFit(
                model.coef_.astype(np.float32), model.intercept_.astype(np.float32), c, f1, {}
            )
    assert best is not None  # c_grid is non-empty (checked by TrainConfig)
    return HeadFit(best.coef, best.intercept, best.c, best.validation_f1, scores)
