"""Classifier artifacts on disk (safetensors + JSON, never pickle) and loading them back.

``weights.safetensors`` holds only what training changed: ``head.coef``/``head.intercept`` for
the head method; for lora/full the trainable parameters by their module names (LoRA adapters or
the encoder minus its frozen word table, and ``head.weight``/``head.bias``); for tfidf the
linear layer and each n-gram kind's IDF (``tfidf.<kind>.idf``), its terms in ``vocabulary.json``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from shopmind.core.errors import ConfigError
from shopmind.models.registry import read_metadata, resolve_model
from shopmind.models.train.classifier import TextClassifier

if TYPE_CHECKING:
    from torch import nn

    from shopmind.models.train.torch_model import PooledClassifier

WEIGHTS = "weights.safetensors"
VOCABULARY = "vocabulary.json"
CONFUSION = "confusion.png"
FORMAT = "shopmind-text-classifier/1"
Runtime = Literal["onnx", "torch"]
F32 = npt.NDArray[np.float32]
log = logging.getLogger(__name__)


def save_weights(folder: Path, tensors: dict[str, F32], labels: list[str], method: str) -> Path:
    from safetensors.numpy import save_file

    path = folder / WEIGHTS
    header = {"format": FORMAT, "method": method, "labels": json.dumps(labels, ensure_ascii=False)}
    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(path), metadata=header)
    return path


def save_vocabulary(folder: Path, vocabulary: dict[str, list[str]]) -> Path:
    path = folder / VOCABULARY
    path.write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
    return path


def write_metadata(folder: Path, metadata: dict[str, Any]) -> None:
    text = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=False, default=str)
    (folder / "metadata.json").write_text(text + "\n", encoding="utf-8")


def load_classifier(
    path_or_task: str | Path, *, runtime: Runtime = "onnx", threads: int | None = None
) -> TextClassifier:
    """Rebuild a trained classifier from an artifact folder, ``task`` or ``task/version``.

    A task name picks its promoted model, else its newest. lora/full artifacts run as int8
    onnxruntime (the graph is exported once, on first load, and cached in the folder);
    ``runtime="torch"`` runs the fp32 torch model instead (slower; for checking).
    """
    folder = resolve_model(path_or_task)
    return classifier_from_folder(folder, runtime=runtime, threads=threads)


def classifier_from_folder(
    folder: Path, *, runtime: Runtime = "onnx", threads: int | None = None
) -> TextClassifier:
    meta = read_metadata(folder)
    if meta.get("format") != FORMAT:
        raise ConfigError(f"{folder} holds {meta.get('format')!r}, not a {FORMAT} artifact")
    labels = [str(x) for x in meta["labels"]]
    method = str(meta["method"])
    from safetensors.numpy import load_file

    tensors = load_file(str(folder / WEIGHTS))
    if method == "head":
        return _head_classifier(meta, labels, tensors)
    if method == "tfidf":
        return _tfidf_classifier(folder, meta, labels, tensors)
    if runtime == "torch":
        model = rebuild_torch(folder, meta)
        return torch_classifier(model, meta, labels)
    return _onnx_classifier(folder, meta, labels, tensors, threads)


def _head_classifier(
    meta: dict[str, Any], labels: list[str], tensors: dict[str, F32]
) -> TextClassifier:
    from shopmind.models.embed import get_embedder
    from shopmind.models.train.head import embed_texts

    base = str(meta["base"]["name"])
    trained_on = meta.get("features", {}).get("embedder_version")
    current = get_embedder(base).version
    if trained_on and trained_on != current:
        log.warning("head trained on %s features, now running on %s", trained_on, current)

    def features(texts: list[str]) -> F32:
        return embed_texts(base, texts)

    return TextClassifier(labels, tensors["head.coef"], tensors["head.intercept"], features, meta)


def _tfidf_classifier(
    folder: Path, meta: dict[str, Any], labels: list[str], tensors: dict[str, F32]
) -> TextClassifier:
    from shopmind.models.train.lexical import TfidfFeatures

    try:
        vocabulary = json.loads((folder / VOCABULARY).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{folder}: cannot read {VOCABULARY} ({exc}); train it again") from exc
    features = TfidfFeatures.load(meta["features"]["grams"], vocabulary, tensors)
    return TextClassifier(labels, tensors["head.coef"], tensors["head.intercept"], features, meta)


def _onnx_classifier(
    folder: Path,
    meta: dict[str, Any],
    labels: list[str],
    tensors: dict[str, F32],
    threads: int | None,
) -> TextClassifier:
    from shopmind.models.encoders import get_encoder
    from shopmind.models.train.runtime import OnnxFeatures, ensure_runtime

    encoder = get_encoder(str(meta["base"]["name"]))

    def build_body() -> nn.Module:
        from shopmind.models.train.torch_model import merged_body

        return merged_body(rebuild_torch(folder, meta))

    path = ensure_runtime(folder, build_body, encoder.spec.dim)
    hyper = meta["hyperparameters"]
    features = OnnxFeatures(
        encoder, path, int(hyper["max_length"]), hyper.get("truncation", "head"), threads
    )
    return TextClassifier(labels, tensors["head.weight"], tensors["head.bias"], features, meta)


def rebuild_torch(folder: Path, meta: dict[str, Any]) -> PooledClassifier:
    """The trained torch model: base encoder + saved trainable weights."""
    from safetensors.torch import load_file

    from shopmind.models.encoders import get_encoder
    from shopmind.models.train.torch_model import build_classifier, load_trainable

    encoder = get_encoder(str(meta["base"]["name"]))
    model = build_classifier(
        encoder, str(meta["method"]), len(meta["labels"]), meta["hyperparameters"]
    )
    load_trainable(model, load_file(str(folder / WEIGHTS)))
    return model.eval()


def torch_classifier(
    model: PooledClassifier, meta: dict[str, Any], labels: list[str]
) -> TextClassifier:
    """A classifier running ``model`` in torch (the state right after training, or rebuilt)."""
    from shopmind.models.encoders import get_encoder
    from shopmind.models.train.batches import token_ids
    from shopmind.models.train.finetune import pooled_features

    encoder = get_encoder(str(meta["base"]["name"]))
    hyper = meta["hyperparameters"]

    def features(texts: list[str]) -> F32:
        ids = token_ids(encoder, texts, int(hyper["max_length"]), hyper.get("truncation", "head"))
        return pooled_features(model, ids, encoder.pad_id)

    weight = model.head.weight.detach().numpy().copy()
    bias = model.head.bias.detach().numpy().copy()
    return TextClassifier(labels, weight, bias, features, meta)
