"""The probability-giving pieces of ``bench absa``: a sentence-grouped validation slice,
logistic regression that keeps its validation and test probabilities, frozen e5 features at the
aspect's own tokens (``e5-span``), and the soft-vote ensemble's weights.

Validation rows are whole sentences: SemEval sentences hold several aspects, and a random row
split puts the same sentence on both sides, where TF-IDF looks better than it is (it remembers
the sentence) and wins C and ensemble weights it then loses on test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.bench.ensemble import Member, simplex_grid, soft_vote

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
SPAN_LAYERS = (8, 12)  # hidden states taken after these transformer layers (e5-small has 12)


@dataclass(frozen=True)
class Fitted:
    """A model's class probabilities (columns in ``labels`` order) on validation and test."""

    labels: list[str]
    validation: F32
    test: F32
    note: str

    def member(self) -> Member:
        return Member(self.labels, self.validation, self.test)

    def predicted(self) -> list[str]:
        return [self.labels[int(i)] for i in self.test.argmax(axis=1)]


def grouped_validation(texts: Sequence[str], seed: int, share: float = 0.1) -> tuple[I64, I64]:
    """Row indices (fit, validation): ``share`` of the distinct texts, every row of each."""
    distinct = list(dict.fromkeys(texts))
    order = np.random.default_rng(seed).permutation(len(distinct))
    cut = min(max(1, int(len(distinct) * share)), max(len(distinct) - 1, 1))
    held = {distinct[i] for i in order[:cut]}
    fit = np.array([i for i, t in enumerate(texts) if t not in held], np.int64)
    val = np.array([i for i, t in enumerate(texts) if t in held], np.int64)
    return fit, val


def fit_lr(
    x_train: Any,
    labels: Sequence[str],
    fit_idx: I64,
    val_idx: I64,
    x_test: Any,
    c_grid: Sequence[float],
) -> tuple[Fitted, float]:
    """Balanced logistic regression, C picked on validation macro-F1; then refit on all rows.

    Validation probabilities come from the model fitted without the validation rows, test
    probabilities from the refit. Returns the fit and the chosen C.
    """
    from sklearn.linear_model import LogisticRegression

    from shopmind.models.train.metrics import macro_f1

    if not c_grid:
        raise ValueError("c_grid must name at least one C")
    y = np.asarray(labels)
    classes = sorted(set(labels))
    best: tuple[float, float, F32] | None = None
    for c in c_grid:
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        clf.fit(x_train[fit_idx], y[fit_idx])
        proba = _columns(clf, x_train[val_idx], classes)
        guess = [classes[int(i)] for i in proba.argmax(axis=1)]
        f1 = macro_f1(list(y[val_idx]), guess, classes)
        if best is None or f1 > best[0]:
            best = (f1, c, proba)
    assert best is not None
    clf = LogisticRegression(C=best[1], max_iter=3000, class_weight="balanced").fit(x_train, y)
    fitted = Fitted(classes, best[2], _columns(clf, x_test, classes), "")
    return fitted, best[1]


def _columns(clf: Any, x: Any, classes: list[str]) -> F32:
    """``predict_proba`` with columns in ``classes`` order (a class unseen in fit gets 0)."""
    out = np.zeros((x.shape[0], len(classes)), np.float32)
    proba = clf.predict_proba(x)
    for j, label in enumerate(clf.classes_):
        out[:, classes.index(str(label))] = proba[:, j]
    return out


def standardised(train: F32, test: F32) -> tuple[F32, F32]:
    """Zero mean, unit variance per column (train statistics), scaled by 1/sqrt(dim)."""
    mean = train.mean(axis=0)
    scale = train.std(axis=0) * np.sqrt(train.shape[1])
    scale[scale < 1e-6] = 1.0
    return ((train - mean) / scale).astype(np.float32), ((test - mean) / scale).astype(np.float32)


def span_features(
    texts: Sequence[str],
    aspects: Sequence[str],
    starts: Sequence[int],
    *,
    encoder_name: str = "e5-small",
    threads: int = 1,
    batch_size: int = 32,
    max_tokens: int = 256,
) -> F32:
    """Frozen encoder states per (text, aspect): the mean over the aspect's own tokens and the
    mean over all tokens, after each of ``SPAN_LAYERS`` (4 x 384 columns for e5-small).

    The text is tokenised in three pieces (before, the aspect term, after) so the aspect's token
    positions are exact. A category (``start`` -1) is put in front ("category: text") and its
    tokens are the span.
    """
    import torch

    from shopmind.models.encoders import get_encoder

    if not len(texts) == len(aspects) == len(starts):
        raise ValueError("texts, aspects and starts must have the same length")
    encoder = get_encoder(encoder_name)
    dim = encoder.spec.dim
    out = np.zeros((len(texts), 2 * len(SPAN_LAYERS) * dim), np.float32)
    if not texts:
        return out
    items = [
        _span_ids(encoder, text, aspect, start, max_tokens)
        for text, aspect, start in zip(texts, aspects, starts, strict=True)
    ]
    model = encoder.torch_model()
    model.eval()
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        order = np.argsort([len(ids) for ids, _, _ in items], kind="stable")
        with torch.inference_mode():
            for first in range(0, len(order), batch_size):
                chunk = order[first : first + batch_size]
                width = max(len(items[i][0]) for i in chunk)
                ids = torch.full((len(chunk), width), encoder.pad_id, dtype=torch.long)
                mask = torch.zeros((len(chunk), width), dtype=torch.long)
                for row, i in enumerate(chunk):
                    seq = items[i][0]
                    ids[row, : len(seq)] = torch.tensor(seq)
                    mask[row, : len(seq)] = 1
                states = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
                weights = mask.unsqueeze(-1).float()
                for k, layer in enumerate(SPAN_LAYERS):
                    hidden = states.hidden_states[layer]
                    mean = (hidden * weights).sum(dim=1) / weights.sum(dim=1)
                    for row, i in enumerate(chunk):
                        _, s, e = items[i]
                        span = hidden[row, s:e].mean(dim=0)
                        out[i, 2 * k * dim : (2 * k + 1) * dim] = span.numpy()
                        out[i, (2 * k + 1) * dim : (2 * k + 2) * dim] = mean[row].numpy()
    finally:
        torch.set_num_threads(before)
    return out


def _span_ids(
    encoder: Any, text: str, aspect: str, start: int, max_tokens: int
) -> tuple[list[int], int, int]:
    """Token ids with special tokens, and the aspect's [start, end) token positions."""
    if start < 0:
        left, term, right = "", aspect, f": {text}"
    else:
        end = start + len(aspect)
        left, term, right = text[:start], text[start:end], text[end:]
    head = (encoder.prefix("query") + left).rstrip()
    pieces = encoder.content_ids([head or " ", term, right])
    before = pieces[0] if head else []
    content = (before + pieces[1] + pieces[2])[: max_tokens - 2]
    s = min(1 + len(before), max(len(content), 1))
    e = min(s + max(len(pieces[1]), 1), len(content) + 1)
    return encoder.wrap(content), s, max(e, s + 1)


def choose_weights(
    members: Mapping[str, Member],
    labels: Sequence[str],
    validation_truth: Sequence[str],
    step: float = 0.1,
) -> tuple[dict[str, float], float]:
    """The simplex-grid weights with the best validation macro-F1 (ties: the earlier point)."""
    from shopmind.models.train.metrics import macro_f1

    if not members:
        raise ValueError("an ensemble needs at least one member")
    names = list(members)
    best: tuple[float, dict[str, float]] | None = None
    for point in simplex_grid(len(names), step):
        weights = dict(zip(names, point, strict=True))
        proba = soft_vote(members, weights, labels, "validation")
        guess = [labels[int(i)] for i in proba.argmax(axis=1)]
        f1 = macro_f1(list(validation_truth), guess, list(labels))
        if best is None or f1 > best[0]:
            best = (f1, weights)
    assert best is not None
    return {n: round(w, 4) for n, w in best[1].items()}, best[0]
