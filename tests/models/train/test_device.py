"""Where lora/full training runs: the device setting is checked and resolved before any work."""

from __future__ import annotations

import pytest
import torch

from shopmind.core.errors import ConfigError, InputError
from shopmind.models.train import TrainConfig
from shopmind.models.train.finetune import pick_device, use_bf16


def test_unknown_device_is_an_input_error_naming_the_choices() -> None:
    with pytest.raises(InputError, match="auto, cpu or cuda"):
        TrainConfig(device="tpu")  # type: ignore[arg-type]


def test_device_is_not_a_hyperparameter_of_the_weights() -> None:
    config = TrainConfig(method="full", device="cpu")
    assert "device" not in config.hyperparameters()
    assert config.hyperparameters() == TrainConfig(method="full").hyperparameters()


def test_auto_takes_a_gpu_only_when_torch_sees_one() -> None:
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert pick_device("auto").type == expected
    assert pick_device("cpu").type == "cpu"


def test_asking_for_cuda_without_a_gpu_says_so() -> None:
    if torch.cuda.is_available():
        assert pick_device("cuda").type == "cuda"
    else:
        with pytest.raises(ConfigError, match="no CUDA GPU"):
            pick_device("cuda")


def test_precision_asked_for_wins_over_the_device() -> None:
    assert use_bf16("fp32", torch.device("cuda")) is False
    assert use_bf16("bf16", torch.device("cpu")) is True
