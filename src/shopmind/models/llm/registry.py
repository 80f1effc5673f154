"""Backends by name: ``register_llm(name, factory)`` and ``get_llm(settings)``."""

from __future__ import annotations

from collections.abc import Callable

from shopmind.core.errors import ConfigError
from shopmind.core.settings import Settings, get_settings
from shopmind.models.llm.protocol import LLMClient

LLMFactory = Callable[[Settings], LLMClient]
NONE = "none"


def _llamacpp(settings: Settings) -> LLMClient:
    from shopmind.models.llm.llamacpp import LlamaCppClient

    return LlamaCppClient.from_settings(settings)


def _openai(settings: Settings) -> LLMClient:
    from shopmind.models.llm.openai_http import OpenAIClient

    return OpenAIClient.from_settings(settings)


_FACTORIES: dict[str, LLMFactory] = {"llamacpp": _llamacpp, "openai": _openai}


def register_llm(name: str, factory: LLMFactory, *, replace: bool = False) -> None:
    """Make ``factory(settings)`` the backend called ``name``."""
    if not name or name == NONE:
        raise ValueError(f"an LLM backend cannot be called {name!r}")
    if name in _FACTORIES and not replace:
        raise ValueError(f"LLM backend {name!r} is already registered (pass replace=True)")
    _FACTORIES[name] = factory


def llm_names() -> list[str]:
    """Valid values of ``SHOPMIND_LLM``, ``none`` included."""
    return [*sorted(_FACTORIES), NONE]


def get_llm(settings: Settings | None = None, name: str | None = None) -> LLMClient | None:
    """The configured client (not yet loaded), or None for ``none``: use non-generative paths.

    ``name`` overrides ``settings.llm``.
    """
    settings = settings or get_settings()
    chosen = name or settings.llm
    if chosen == NONE:
        return None
    factory = _FACTORIES.get(chosen)
    if factory is None:
        raise ConfigError(f"unknown LLM backend {chosen!r}; valid: {', '.join(llm_names())}")
    return factory(settings)
