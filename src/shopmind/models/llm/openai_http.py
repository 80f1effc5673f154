"""HTTP backend: any OpenAI-compatible ``/v1/chat/completions`` server (llama.cpp, vLLM…)."""

from __future__ import annotations

import email.utils
import json
import os
import threading
import time
from collections.abc import Callable, Generator, Sequence
from typing import Any, Literal

import httpx

from shopmind.core.settings import Settings
from shopmind.models.llm.errors import LLMError
from shopmind.models.llm.jsonout import estimate_tokens, parse_json_output
from shopmind.models.llm.protocol import (
    ChatResult,
    ChatStream,
    JsonSchema,
    Message,
    MessageLike,
    as_messages,
    check_generation_args,
)
from shopmind.models.llm.sse import iter_sse_data

JsonMode = Literal["auto", "json_schema", "json_object"]
_MAX_BACKOFF_S = 30.0
_START_HINT = (
    "start one, e.g. `python -m llama_cpp.server --model <file.gguf> --port 8080`, "
    "or set SHOPMIND_LLM_BASE_URL, or SHOPMIND_LLM=llamacpp (embedded) or none"
)


class _FormatRejected(LLMError):
    """The server does not accept ``response_format: json_schema`` (try ``json_object``)."""


class OpenAIClient:
    """Chat over HTTP. ``json_mode='auto'`` sends the standard ``json_schema`` response format and,
    if the server rejects it (llama-cpp-python's server does), ``json_object`` with a ``schema``.
    """

    backend = "openai"

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8080/v1",
        model: str = "default",
        *,
        api_key_env: str | None = "SHOPMIND_LLM_API_KEY",
        timeout_s: float = 60.0,
        retries: int = 2,
        backoff_s: float = 0.5,
        json_mode: JsonMode = "auto",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be > 0, got {timeout_s}")
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        self.base_url = base_url.rstrip("/")
        self.url = f"{self.base_url}/chat/completions"
        self.model = model
        self.api_key_env = api_key_env
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.json_mode: JsonMode = json_mode
        self._sleep = sleep
        self._http: httpx.Client | None = None
        self._key: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIClient:
        """A client configured by the ``SHOPMIND_LLM_*`` settings."""
        return cls(
            settings.llm_base_url,
            settings.llm_model,
            api_key_env=settings.llm_api_key_env,
            timeout_s=settings.llm_timeout_s,
            retries=settings.llm_retries,
        )

    def load(self) -> None:
        """Open the connection pool and read the API key from its env var (if set)."""
        self._client()

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._http is None:
                self._key = os.environ.get(self.api_key_env or "") or None
                headers = {"Accept": "application/json"}
                if self._key:
                    headers["Authorization"] = f"Bearer {self._key}"
                self._http = httpx.Client(headers=headers, timeout=self.timeout_s)
            return self._http

    def chat(
        self,
        messages: Sequence[MessageLike],
        *,
        max_tokens: int = 256,
        temperature: float = 0.2,
        stop: Sequence[str] | None = None,
        json_schema: JsonSchema | None = None,
    ) -> ChatResult:
        msgs = as_messages(messages)
        check_generation_args(max_tokens, temperature, stop)
        started = time.perf_counter()
        response = self._open(msgs, max_tokens, temperature, stop, json_schema, False)
        try:
            response.read()
        except httpx.HTTPError as exc:
            raise LLMError(f"reading the answer of {self.url} failed: {exc}", url=self.url) from exc
        finally:
            response.close()
        body = _json_body(response, self.url)
        latency = time.perf_counter() - started
        try:
            choice = body["choices"][0]
            text = choice["message"].get("content") or ""
            finish = choice.get("finish_reason") or "stop"
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise LLMError(
                f"{self.url} answered without choices[0].message: {str(body)[:300]}", url=self.url
            ) from exc
        usage = body.get("usage") or {}
        estimated = not usage.get("completion_tokens")
        return ChatResult(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens") or _estimate_prompt(msgs)),
            completion_tokens=int(usage.get("completion_tokens") or estimate_tokens(text)),
            latency_s=latency,
            model=str(body.get("model") or self.model),
            finish_reason=finish,
            backend=self.backend,
            parsed=_parsed(text, json_schema, finish),
            usage_estimated=estimated,
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
        msgs = as_messages(messages)
        check_generation_args(max_tokens, temperature, stop)
        return ChatStream(self._stream(msgs, max_tokens, temperature, stop, json_schema))

    def _stream(
        self,
        msgs: list[Message],
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] | None,
        json_schema: JsonSchema | None,
    ) -> Generator[str, None, ChatResult]:
        started = time.perf_counter()
        first: float | None = None
        parts: list[str] = []
        finish, model = "stop", self.model
        usage: dict[str, Any] = {}
        response = self._open(msgs, max_tokens, temperature, stop, json_schema, True)
        try:
            for data in iter_sse_data(response.iter_lines()):
                chunk = _decode_chunk(data, self.url)
                model = str(chunk.get("model") or model)
                usage = chunk.get("usage") or usage
                for choice in chunk.get("choices") or []:
                    delta = (choice.get("delta") or {}).get("content")
                    if delta:
                        if first is None:
                            first = time.perf_counter() - started
                        parts.append(delta)
                        yield delta
                    finish = choice.get("finish_reason") or finish
        except httpx.HTTPError as exc:
            raise LLMError(f"the stream from {self.url} broke: {exc}", url=self.url) from exc
        finally:
            response.close()
        latency = time.perf_counter() - started
        text = "".join(parts)
        return ChatResult(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens") or _estimate_prompt(msgs)),
            completion_tokens=int(usage.get("completion_tokens") or len(parts)),
            latency_s=latency,
            model=model,
            finish_reason=finish,
            backend=self.backend,
            first_token_s=first,
            parsed=_parsed(text, json_schema, finish),
            usage_estimated=not usage.get("completion_tokens"),
        )

    def _open(
        self,
        msgs: list[Message],
        max_tokens: int,
        temperature: float,
        stop: Sequence[str] | None,
        json_schema: JsonSchema | None,
        stream: bool,
    ) -> httpx.Response:
        """POST the request and return the open 200 response (the caller closes it).

        In ``auto`` JSON mode a server that refuses ``json_schema`` gets ``json_object`` once,
        and this client remembers to send that from then on.
        """
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [m.as_dict() for m in msgs],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": stream,
        }
        if stop:
            payload["stop"] = list(stop)
        if stream:
            payload["stream_options"] = {"include_usage": True}
        if json_schema is None:
            return self._post(payload, detect_format=False)
        payload["response_format"] = _response_format(json_schema, self.json_mode)
        try:
            return self._post(payload, detect_format=self.json_mode == "auto")
        except _FormatRejected:
            self.json_mode = "json_object"
            payload["response_format"] = _response_format(json_schema, "json_object")
            return self._post(payload, detect_format=False)

    def _post(self, payload: dict[str, Any], *, detect_format: bool) -> httpx.Response:
        """Send with retries on connect errors, 429 and 5xx; return an open 200 response."""
        http = self._client()
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            delay = self.backoff_s * 2 ** (attempt - 1)
            request = http.build_request("POST", self.url, json=payload)
            try:
                response = http.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt < attempts:
                    self._sleep(min(delay, _MAX_BACKOFF_S))
                    continue
                raise LLMError(
                    f"cannot connect to the LLM server at {self.url} after {attempts} "
                    f"attempt(s) ({exc.__class__.__name__}: {exc}); {_START_HINT}",
                    url=self.url,
                ) from exc
            except httpx.TimeoutException as exc:
                raise LLMError(
                    f"the LLM server at {self.url} did not answer within {self.timeout_s:g} s "
                    "(raise SHOPMIND_LLM_TIMEOUT_S or lower max_tokens)",
                    url=self.url,
                ) from exc
            if response.status_code == 200:
                return response
            try:
                response.read()
                message = self._redact(_server_message(response))
            finally:
                response.close()
            status = response.status_code
            if detect_format and _rejects_json_schema(status, message):
                raise _FormatRejected(message, status=status, url=self.url)
            if (status == 429 or status >= 500) and attempt < attempts:
                self._sleep(min(_retry_after(response) or delay, _MAX_BACKOFF_S))
                continue
            raise LLMError(self._status_text(status, message, attempt), status=status, url=self.url)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _status_text(self, status: int, message: str, attempts: int) -> str:
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        text = f"the LLM server at {self.url} answered {status}{tried}: {message}"
        if status in (401, 403):
            env = self.api_key_env or "SHOPMIND_LLM_API_KEY_ENV"
            sent = "the key in" if self._key else "no API key; set"
            text += f" (sent {sent} the environment variable {env}; check it is valid)"
        elif status == 404:
            text += f" (check SHOPMIND_LLM_BASE_URL ends in /v1 and model {self.model!r} exists)"
        return text

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "[redacted]") if self._key else text


def _response_format(schema: JsonSchema, mode: JsonMode) -> dict[str, Any]:
    if mode == "json_object":
        return {"type": "json_object", "schema": dict(schema)}
    name = str(schema.get("title") or "output").replace(" ", "_")[:64]
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": dict(schema), "strict": True},
    }


def _rejects_json_schema(status: int, message: str) -> bool:
    # llama-cpp-python's server answers 500 with a validation error naming response_format.
    return status in (400, 422) or (status == 500 and "response_format" in message)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _server_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:500] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            error = error.get("message") or error.get("detail") or error
        elif "detail" in body:
            error = body["detail"]
        return str(error)[:500]
    return str(body)[:500]


def _json_body(response: httpx.Response, url: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise LLMError(f"{url} answered 200 with a non-JSON body: {response.text[:200]!r}") from exc
    if not isinstance(body, dict):
        raise LLMError(f"{url} answered 200 with {type(body).__name__}, not a JSON object")
    return body


def _decode_chunk(data: str, url: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except ValueError as exc:
        raise LLMError(f"{url} streamed a non-JSON event: {data[:200]!r}") from exc
    if not isinstance(chunk, dict):
        raise LLMError(f"{url} streamed {type(chunk).__name__}, not a JSON object")
    if "error" in chunk:
        error = chunk["error"]
        message = error.get("message", error) if isinstance(error, dict) else error
        raise LLMError(f"the LLM server at {url} failed mid-stream: {message}", url=url)
    return chunk


def _estimate_prompt(msgs: list[Message]) -> int:
    return sum(estimate_tokens(m.content) + 4 for m in msgs)


def _parsed(text: str, schema: JsonSchema | None, finish: str) -> Any:
    return None if schema is None else parse_json_output(text, schema, finish_reason=finish)
