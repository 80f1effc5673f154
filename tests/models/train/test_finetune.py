"""lora and full fine-tuning: weights move, artifacts hold only what trained, loading round-trips."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file

from shopmind.models.train import TrainConfig, load_classifier, train_classifier
from shopmind.models.train.runtime import runtime_file

pytestmark = pytest.mark.slow
TEXTS = ["这个台灯太差了", "great kettle, works perfectly", "I hate this cable", "很喜欢这个包"]


def test_lora_trains_adapters_saves_them_and_loads_back_the_same(
    reviews_csv: Callable[..., Path],
) -> None:
    path = reviews_csv(200, seed=1)
    config = TrainConfig(task="sentiment", method="lora", epochs=1, max_length=32, lora_r=4)
    result = train_classifier(path, "text", "label", config)
    tensors = load_file(str(result.path / "weights.safetensors"))

    # Only adapters and the head are stored; LoRA B starts at zero, so non-zero B means training
    # moved it. No base weights (the word table, a dense kernel) are in the file.
    lora_b = [k for k in tensors if ".lora_B." in k]
    assert lora_b and all(
        ".lora_A." in k or ".lora_B." in k or k.startswith("head.") for k in tensors
    )
    assert max(float(np.abs(tensors[k]).max()) for k in lora_b) > 0
    assert {"head.weight", "head.bias"} <= set(tensors)
    assert not any("word_embeddings" in k for k in tensors)
    meta = json.loads((result.path / "metadata.json").read_text())
    assert meta["hyperparameters"]["lora_r"] == 4
    assert meta["training"]["steps"] == 5  # ceil(160 / 32), one epoch
    assert meta["training"]["best_epoch"] == 1.0  # the one evaluation, kept
    assert meta["training"]["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
    assert meta["metrics"]["test"]["n"] == 20

    # The served model is int8 onnxruntime, exported once into the artifact folder.
    onnx = runtime_file(result.path)
    assert onnx.is_file()
    stamp = onnx.stat().st_mtime_ns
    before = result.model.predict_proba(TEXTS)
    as_torch = load_classifier(result.path, runtime="torch").predict_proba(TEXTS)
    np.testing.assert_allclose(as_torch, before, atol=1e-5)  # LoRA merged into the weights
    served = load_classifier("sentiment")
    np.testing.assert_allclose(served.predict_proba(TEXTS), before, atol=0.03)  # int8
    assert onnx.stat().st_mtime_ns == stamp  # loaded from the cache, not exported again


def test_full_fine_tuning_stores_the_encoder_but_not_its_word_table(
    reviews_csv: Callable[..., Path],
) -> None:
    path = reviews_csv(120, seed=2, langs=("en",))
    config = TrainConfig(task="sentiment-en", base="minilm", method="full", epochs=1, max_length=24)
    result = train_classifier(path, "text", "label", config)
    tensors = load_file(str(result.path / "weights.safetensors"))
    assert "body.embeddings.word_embeddings.weight" not in tensors
    assert "body.encoder.layer.5.output.dense.weight" in tensors
    assert "body.embeddings.position_embeddings.weight" in tensors
    before = result.model.predict_proba(TEXTS[1:3])
    np.testing.assert_allclose(
        load_classifier(result.path, runtime="torch").predict_proba(TEXTS[1:3]), before, atol=1e-5
    )
    np.testing.assert_allclose(
        load_classifier(result.path).predict_proba(TEXTS[1:3]), before, atol=0.03
    )


def test_frozen_lower_layers_run_once_and_give_the_same_features() -> None:
    """LoRA on the top layers only: cached lower-layer output + upper layers == whole model."""
    import torch

    from shopmind.models.encoders import get_encoder
    from shopmind.models.train.batches import padded, token_ids
    from shopmind.models.train.finetune import frozen_layers
    from shopmind.models.train.torch_model import build_classifier

    encoder = get_encoder("minilm")
    hyper = {"lora_r": 4, "lora_alpha": 8, "lora_dropout": 0.0, "lora_layers": 2}
    model = build_classifier(encoder, "lora", 2, hyper).eval()
    assert frozen_layers(model) == 4  # six layers, the top two adapted
    ids = token_ids(encoder, ["short", "a somewhat longer review text, with padding"], 32)
    input_ids, mask = (torch.from_numpy(a) for a in padded(ids, encoder.pad_id))
    with torch.no_grad():
        whole = model.pooled(input_ids, mask)
        halves = model.pooled_from(model.hidden_after(input_ids, mask, 4), mask, 4)
    torch.testing.assert_close(halves, whole)


def test_keep_last_trains_every_epoch_without_evaluating(reviews_csv: Callable[..., Path]) -> None:
    """The refit mode: no validation evaluations, no early stop, the last weights kept."""
    path = reviews_csv(120, seed=3, langs=("en",))
    config = TrainConfig(
        task="sentiment-en", base="minilm", method="full", epochs=2, max_length=24, keep_last=True
    )
    meta = json.loads(
        (train_classifier(path, "text", "label", config).path / "metadata.json").read_text()
    )
    training = meta["training"]
    assert training["best_at"] == "last (epoch 2.00)"
    assert training["best_epoch"] == 2.0
    assert training["steps"] == 2 * 3  # ceil(96 / 32) per epoch, both epochs run
    assert training["history"] == []
    assert meta["hyperparameters"]["keep_last"] is True
