"""Classification metrics for held-out texts, and the confusion-matrix chart."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def classification_report(
    truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, macro P/R/F1, per-class P/R/F1/support and the confusion matrix (rows: truth)."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true labels but {len(predicted)} predictions")
    names = list(labels)
    p, r, f, support = precision_recall_fscore_support(
        truth, predicted, labels=names, zero_division=0
    )
    matrix = confusion_matrix(truth, predicted, labels=names)
    correct = sum(1 for t, y in zip(truth, predicted, strict=True) if t == y)
    return {
        "accuracy": round(correct / max(len(truth), 1), 4),
        "macro_precision": round(float(p.mean()), 4),
        "macro_recall": round(float(r.mean()), 4),
        "macro_f1": round(float(f.mean()), 4),
        "n": len(truth),
        "per_class": {
            name: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(support[i]),
            }
            for i, name in enumerate(names)
        },
        "confusion": matrix.astype(int).tolist(),
    }


def macro_f1(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=list(labels), average="macro", zero_division=0))


def save_confusion_png(
    confusion: list[list[int]], labels: Sequence[str], path: Path, title: str
) -> Path:
    """Draw the matrix with counts and row-normalised shading to ``path`` (Agg, no display)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    counts = np.asarray(confusion, dtype=np.float64)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = 2.5 + 0.6 * len(labels)
    # Figure + FigureCanvasAgg directly: no pyplot global state, safe off the main thread.
    fig = Figure(figsize=(size, size), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ticks = range(len(labels))
    ax.set_xticks(list(ticks), [str(x) for x in labels], rotation=45, ha="right")
    ax.set_yticks(list(ticks), [str(x) for x in labels])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    for i in ticks:
        for j in ticks:
            colour = "white" if shares[i, j] > 0.5 else "black"
            ax.text(j, i, f"{int(counts[i, j])}", ha="center", va="center", color=colour)
    fig.tight_layout()
    with warnings.catch_warnings():
        # Labels in scripts the default font lacks (e.g. Chinese) draw as boxes, not errors.
        warnings.simplefilter("ignore")
        fig.savefig(str(path), format="png")
    return path
