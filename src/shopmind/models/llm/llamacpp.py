"""Embedded backend: llama-cpp-python running a GGUF in this process (default SmolLM2-135M)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopmind.core.errors import ConfigError
from shopmind.core.settings import Settings
from shopmind.models.llm.errors import LLMError
from shopmind.models.llm.files import DEFAULT_GGUF_SHA256, default_model_path, verify_sha256
from shopmind.models.llm.jsonout import parse_json_output
from shopmind.models.llm.protocol import (
    ChatResult,
    ChatStream,
    JsonSchema,
    MessageLike,
    as_messages,
    check_generation_args,
)

if TYPE_CHECKING:
    from llama_cpp import Llama

_INSTALL_HINT = (
    "the llamacpp LLM backend needs llama-cpp-python: pip install 'llama-cpp-python==0.3.36' "
    "(or set SHOPMIND_LLM=openai to use a server, or SHOPMIND_LLM=none)"
)


class LlamaCppClient:
    """A GGUF chat model in-process. Thread-safe: one call at a time holds the model.

    ``model_path=None`` means the pinned default (SmolLM2-135M-Instruct, sha256-checked).
    For another file pass ``sha256`` to have it checked too.
    """

    backend = "llamacpp"

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        threads: int = 2,
        context: int = 4096,
        sha256: str | None = None,
        hash_cache_dir: Path | None = None,
    ) -> None:
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        if context < 256:
            raise ValueError(f"context must be >= 256, got {context}")
        self.model_path = model_path
        self.threads = threads
        self.context = context
        self.sha256 = sha256 if model_path is not None else DEFAULT_GGUF_SHA256
        self.hash_cache_dir = hash_cache_dir
        self.model = model_path.stem if model_path else "SmolLM2-135M-Instruct"
        self._llama: Llama | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppClient:
        """A client configured by ``SHOPMIND_LLM_MODEL_PATH``, ``_THREADS`` and ``_CONTEXT``."""
        return cls(
            settings.llm_model_path,
            threads=settings.llm_threads,
            context=settings.llm_context,
            hash_cache_dir=settings.cache_dir,
        )

    def load(self) -> None:
        """Check the file (and its hash) and load the weights; later calls do nothing."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> Llama:
        if self._llama is not None:
            return self._llama
        path = self.model_path or default_model_path()
        if self.sha256:
            verify_sha256(path, self.sha256, cache_dir=self.hash_cache_dir)
        elif not path.is_file():
            raise ConfigError(f"model file {path} does not exist; check SHOPMIND_LLM_MODEL_PATH")
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ConfigError(_INSTALL_HINT) from exc
        try:
            self._llama = Llama(
                model_path=str(path),
                n_threads=self.threads,
                n_ctx=self.context,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ConfigError(f"llama.cpp could not load {path}: {exc}; is it a GGUF?") from exc
        return self._llama

    def close(self) -> None:
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    def chat(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = 256,
        temperature: float = 0.2,
        stop: Sequence[str] | None = None,
        json_schema: JsonSchema | None = None,
    ) -> ChatResult:
        kwargs = self._kwargs(messages, max_tokens, temperature, stop, json_schema)
        with self._lock:
            llama = self._load_locked()
            started = time.perf_counter()
            try:
                response: Any = llama.create_chat_completion(**kwargs)
            except ValueError as exc:  # e.g. the prompt exceeds the context window
                raise LLMError(f"llama.cpp: {exc} (SHOPMIND_LLM_CONTEXT={self.context})") from exc
            latency = time.perf_counter() - started
        choice = response["choices"][0]
        text = choice["message"]["content"] or ""
        finish = choice.get("finish_reason") or "stop"
        usage = response["usage"]
        return ChatResult(
            text=text,
            prompt_tokens=int(usage["prompt_tokens"]),
            completion_tokens=int(usage["completion_tokens"]),
            latency_s=latency,
            model=self.model,
            finish_reason=finish,
            backend=self.backend,
            parsed=_parsed(text, json_schema, finish),
        )

    def stream(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = 256,
        temperature: float = 0.2,
        stop: Sequence[str] | None = None,
        json_schema: JsonSchema | None = None,
    ) -> ChatStream:
        kwargs = self._kwargs(messages, max_tokens, temperature, stop, json_schema)
        return ChatStream(self._stream(kwargs, json_schema))

    def _stream(
        self, kwargs: dict[str, Any], json_schema: JsonSchema | None
    ) -> Generator[str, None, ChatResult]:
        sampled = 0

        def count(_ids: Any, scores: Any) -> Any:  # called once per sampled token
            nonlocal sampled
            sampled += 1
            return scores

        with self._lock:
            llama = self._load_locked()
            from llama_cpp import LogitsProcessorList  # importable: the model just loaded

            started = time.perf_counter()
            first: float | None = None
            parts: list[str] = []
            finish = "stop"
            chunks: Any = None
            try:
                chunks = llama.create_chat_completion(
                    **kwargs, stream=True, logits_processor=LogitsProcessorList([count])
                )
                for chunk in chunks:
                    choice = chunk["choices"][0]
                    delta = choice["delta"].get("content")
                    if delta:
                        if first is None:
                            first = time.perf_counter() - started
                        parts.append(delta)
                        yield delta
                    finish = choice.get("finish_reason") or finish
            except ValueError as exc:
                raise LLMError(f"llama.cpp: {exc} (SHOPMIND_LLM_CONTEXT={self.context})") from exc
            finally:
                if hasattr(chunks, "close"):
                    chunks.close()
            latency = time.perf_counter() - started
            # Every sampled token but the last is evaluated into the context, so the context
            # holds prompt + sampled - 1 tokens; an end-of-generation token is not output.
            prompt_tokens = max(llama.n_tokens - max(sampled - 1, 0), 1)
        completion = sampled - 1 if finish == "stop" and sampled > 0 else sampled
        text = "".join(parts)
        return ChatResult(
            text=text,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion,
            latency_s=latency,
            model=self.model,
            finish_reason=finish,
            backend=self.backend,
            first_token_s=first,
            parsed=_parsed(text, json_schema, finish),
        )

    def _kwargs(
        self,
        messages: Sequence[MessageLike],
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] | None,
        json_schema: JsonSchema | None,
    ) -> dict[str, Any]:
        check_generation_args(max_tokens, temperature, stop)
        kwargs: dict[str, Any] = {
            "messages": [m.as_dict() for m in as_messages(messages)],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stop": list(stop or []),
        }
        if json_schema is not None:
            kwargs["grammar"] = _grammar(json_schema)
        return kwargs


def _grammar(schema: JsonSchema) -> Any:
    try:
        from llama_cpp.llama_grammar import LlamaGrammar
    except ImportError as exc:
        raise ConfigError(_INSTALL_HINT) from exc
    try:
        return LlamaGrammar.from_json_schema(json.dumps(dict(schema)), verbose=False)
    except Exception as exc:  # llama.cpp raises assorted errors for schemas it cannot compile
        raise ValueError(f"json_schema cannot be turned into a llama.cpp grammar: {exc}") from exc


def _parsed(text: str, schema: JsonSchema | None, finish: str) -> Any:
    return None if schema is None else parse_json_output(text, schema, finish_reason=finish)
