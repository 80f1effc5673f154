"""A trained text classifier: features from an encoder, then a linear layer and softmax.

Every method ends the same way, so one class serves them all; only the features differ:
``head`` uses the shared embedder, ``lora``/``full`` their own fine-tuned encoder (int8
onnxruntime from the artifact, or the torch model it was trained as), ``tfidf`` its n-grams.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.core.errors import InputError
from shopmind.models.train.data import normalise_text

F32 = npt.NDArray[np.float32]
# Dense rows (embeddings) or a scipy sparse matrix (TF-IDF): either multiplies the weights.
Features = Callable[[list[str]], Any]


class TextClassifier:
    """``predict(texts)`` labels and ``predict_proba(texts)`` (columns in ``labels`` order)."""

    def __init__(
        self,
        labels: Sequence[str],
        weight: F32,
        bias: F32,
        features: Features,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.labels = list(labels)
        self.weight, self.bias = _softmax_form(self.labels, weight, bias)
        self._features = features
        self.metadata = metadata or {}

    @property
    def task(self) -> str:
        return str(self.metadata.get("task", ""))

    @property
    def version(self) -> str:
        return str(self.metadata.get("version", ""))

    def predict_proba(self, texts: Sequence[str]) -> F32:
        """Class probabilities, shape (len(texts), len(labels)), rows summing to 1."""
        items = _check(texts)
        if not items:
            return np.zeros((0, len(self.labels)), np.float32)
        logits = np.asarray(self._features(items) @ self.weight.T) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out: F32 = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most likely label of each text."""
        proba = self.predict_proba(texts)
        return [self.labels[int(i)] for i in proba.argmax(axis=1)]


def _softmax_form(labels: list[str], weight: F32, bias: F32) -> tuple[F32, F32]:
    # A binary scikit-learn model has one row w (P(second label) = sigmoid(w.x + b)); the rows
    # -w/2 and +w/2 give exactly that probability under a softmax, so one code path serves all.
    if weight.ndim != 2 or bias.shape != (weight.shape[0],):
        raise ValueError(f"weight {weight.shape} and bias {bias.shape} do not fit")
    if weight.shape[0] == 1 and len(labels) == 2:
        half_w, half_b = weight[0] / 2, bias[0] / 2
        return np.stack([-half_w, half_w]).astype(np.float32), np.array(
            [-half_b, half_b], np.float32
        )
    if weight.shape[0] != len(labels):
        raise ValueError(f"{weight.shape[0]} weight rows for {len(labels)} labels")
    return weight.astype(np.float32), bias.astype(np.float32)


def _check(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise InputError("texts must be a list of strings, not one string")
    items = list(texts)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise InputError(f"texts[{i}] is {type(text).__name__}, expected str")
    return [normalise_text(t) for t in items]  # the form the model was trained on
