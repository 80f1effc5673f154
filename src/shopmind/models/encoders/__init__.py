"""Pretrained base encoders by name: ``e5-small`` (multilingual, default), ``minilm`` (English)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from shopmind.core.errors import ConfigError
from shopmind.models.encoders.base import BaseEncoder, EncoderSpec, Kind, Windows

__all__ = ["ENCODERS", "BaseEncoder", "EncoderSpec", "Kind", "Windows", "get_encoder"]


def _e5() -> BaseEncoder:
    from shopmind.models.encoders.e5 import E5SmallEncoder

    return E5SmallEncoder()


def _minilm() -> BaseEncoder:
    from shopmind.models.encoders.minilm import MiniLMEncoder

    return MiniLMEncoder()


ENCODERS: dict[str, Callable[[], BaseEncoder]] = {"e5-small": _e5, "minilm": _minilm}
_loaded: dict[str, BaseEncoder] = {}
_lock = threading.Lock()


def get_encoder(name: str) -> BaseEncoder:
    """The process-wide encoder called ``name`` (loaded once)."""
    if name not in ENCODERS:
        raise ConfigError(f"unknown encoder {name!r}; choose one of: {', '.join(sorted(ENCODERS))}")
    with _lock:
        if name not in _loaded:
            _loaded[name] = ENCODERS[name]()
        return _loaded[name]
