"""LLM clients: one ``LLMClient`` Protocol, an embedded llama.cpp default and any
OpenAI-compatible server. ``get_llm(settings)`` returns None when ``SHOPMIND_LLM=none``.

Heavy libraries (llama_cpp) are imported only when a backend loads.
"""

from shopmind.models.llm.errors import LLMError
from shopmind.models.llm.files import DEFAULT_GGUF_SHA256, default_model_path, verify_sha256
from shopmind.models.llm.protocol import (
    ChatResult,
    ChatStream,
    JsonSchema,
    LLMClient,
    Message,
    MessageLike,
    Role,
)
from shopmind.models.llm.registry import LLMFactory, get_llm, llm_names, register_llm

__all__ = [
    "DEFAULT_GGUF_SHA256",
    "ChatResult",
    "ChatStream",
    "JsonSchema",
    "LLMClient",
    "LLMError",
    "LLMFactory",
    "Message",
    "MessageLike",
    "Role",
    "default_model_path",
    "get_llm",
    "llm_names",
    "register_llm",
    "verify_sha256",
]
