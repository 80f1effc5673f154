"""The OpenAI-compatible client against a tiny real HTTP server: retries, errors, keys, SSE."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shopmind.models.llm import LLMError, Message
from shopmind.models.llm.openai_http import OpenAIClient
from shopmind.models.llm.server import free_port

HI = [Message.user("hi")]
KEY = "sk-test-0123456789abcdef"
SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


def _client(url: str, sleeps: list[float] | None = None, **kwargs: Any) -> OpenAIClient:
    sink = sleeps if sleeps is not None else []
    return OpenAIClient(url, "tiny", sleep=sink.append, **kwargs)


def _chunk(content: str | None = None, finish: str | None = None, **extra: Any) -> str:
    delta = {"content": content} if content is not None else {}
    return json.dumps(
        {"model": "tiny", "choices": [{"delta": delta, "finish_reason": finish}], **extra}
    )


def test_plain_chat_sends_the_openai_payload(tiny: Any) -> None:
    result = _client(tiny.url).chat(HI, max_tokens=7, temperature=0.0, stop=["\n"])
    assert (result.text, result.prompt_tokens, result.completion_tokens) == ("hello", 5, 2)
    assert result.backend == "openai" and result.model == "tiny" and result.latency_s > 0
    assert not result.usage_estimated and result.first_token_s is None
    body = tiny.requests[0][1]
    assert body == {
        "model": "tiny",
        "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 7,
        "temperature": 0.0,
        "stream": False,
        "stop": ["\n"],
    }


def test_503_twice_then_200_retries_with_exponential_backoff(tiny: Any) -> None:
    tiny.then(503, {"error": {"message": "busy"}}).then(503, {"error": {"message": "busy"}}).then()
    sleeps: list[float] = []
    result = _client(tiny.url, sleeps, retries=2, backoff_s=0.25).chat(HI)
    assert result.text == "hello"
    assert len(tiny.requests) == 3
    assert sleeps == [0.25, 0.5]


def test_retry_after_is_honoured(tiny: Any) -> None:
    tiny.then(429, {"error": {"message": "slow down"}}, headers={"Retry-After": "3"}).then()
    sleeps: list[float] = []
    _client(tiny.url, sleeps, retries=1).chat(HI)
    assert sleeps == [3.0]


def test_500_always_fails_after_retries_plus_one_attempts_with_status_and_message(
    tiny: Any,
) -> None:
    tiny.then(500, {"error": {"message": "model exploded"}})
    with pytest.raises(LLMError, match="answered 500 after 3 attempts: model exploded") as info:
        _client(tiny.url, retries=2).chat(HI)
    assert len(tiny.requests) == 3
    assert info.value.status == 500 and info.value.url == f"{tiny.url}/chat/completions"


def test_client_errors_are_not_retried(tiny: Any) -> None:
    tiny.then(400, {"detail": "max_tokens too large"})
    with pytest.raises(LLMError, match="answered 400: max_tokens too large"):
        _client(tiny.url, retries=3).chat(HI)
    assert len(tiny.requests) == 1


def test_connection_refused_names_the_url_and_how_to_start_a_server() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    sleeps: list[float] = []
    with pytest.raises(LLMError, match="after 3 attempt") as info:
        _client(url, sleeps, retries=2, backoff_s=0.1).chat(HI)
    message = str(info.value)
    assert f"{url}/chat/completions" in message and "llama_cpp.server" in message
    assert sleeps == [0.1, 0.2]
    assert info.value.status is None


def test_401_says_which_env_var_holds_the_key(tiny: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPMIND_LLM_API_KEY", raising=False)
    tiny.then(401, {"error": {"message": "invalid api key"}})
    with pytest.raises(LLMError, match="answered 401: invalid api key") as info:
        _client(tiny.url).chat(HI)
    assert "no API key; set the environment variable SHOPMIND_LLM_API_KEY" in str(info.value)
    assert "authorization" not in tiny.requests[0][0]


def test_key_is_sent_as_bearer_and_never_shown(tiny: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_LLM_KEY", KEY)
    tiny.then().then(401, {"error": {"message": f"key {KEY} is revoked"}})
    client = _client(tiny.url, api_key_env="MY_LLM_KEY")
    client.chat(HI)
    assert tiny.requests[0][0]["authorization"] == f"Bearer {KEY}"
    with pytest.raises(LLMError) as info:
        client.chat(HI)
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert "[redacted]" in str(info.value) and "MY_LLM_KEY" in str(info.value)


def test_json_schema_uses_the_standard_response_format(tiny: Any) -> None:
    tiny.then(200, tiny.completion('{"ok": true}'))
    result = _client(tiny.url).chat(HI, json_schema=SCHEMA)
    assert result.parsed == {"ok": True}
    fmt = tiny.requests[0][1]["response_format"]
    assert fmt == {
        "type": "json_schema",
        "json_schema": {"name": "output", "schema": SCHEMA, "strict": True},
    }


def test_json_schema_falls_back_to_json_object_once_when_refused(tiny: Any) -> None:
    tiny.then(422, {"detail": "response_format.type: Input should be 'text' or 'json_object'"})
    tiny.then(200, tiny.completion('{"ok": false}'))
    client = _client(tiny.url)
    assert client.chat(HI, json_schema=SCHEMA).parsed == {"ok": False}
    assert client.chat(HI, json_schema=SCHEMA).parsed == {"ok": False}
    formats = [body["response_format"] for _, body in tiny.requests]
    assert [f["type"] for f in formats] == ["json_schema", "json_object", "json_object"]
    assert formats[1]["schema"] == SCHEMA and client.json_mode == "json_object"


def test_output_that_is_not_json_is_an_llm_error(tiny: Any) -> None:
    tiny.then(200, tiny.completion("sure! here is JSON: {"))
    with pytest.raises(LLMError, match="invalid JSON"):
        _client(tiny.url).chat(HI, json_schema=SCHEMA)


def test_stream_reads_sse_deltas_and_reported_usage(tiny: Any) -> None:
    usage = {"prompt_tokens": 9, "completion_tokens": 3}
    events = [
        _chunk("Hel"),
        _chunk("lo"),
        _chunk("!", "stop"),
        _chunk(None, None, choices=[], usage=usage),
        "[DONE]",
    ]
    tiny.then(sse=events)
    stream = _client(tiny.url).stream(HI, max_tokens=5)
    assert list(stream) == ["Hel", "lo", "!"]
    result = stream.result
    assert (result.text, result.prompt_tokens, result.completion_tokens) == ("Hello!", 9, 3)
    assert result.finish_reason == "stop" and not result.usage_estimated
    assert result.first_token_s is not None and 0 < result.first_token_s <= result.latency_s
    body = tiny.requests[0][1]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_stream_without_usage_estimates_token_counts(tiny: Any) -> None:
    tiny.then(sse=[_chunk("a"), _chunk("b"), _chunk(None, "length"), "[DONE]"])
    result = _client(tiny.url).stream(HI).result
    assert result.completion_tokens == 2 and result.prompt_tokens > 0 and result.usage_estimated
    assert result.finish_reason == "length"


def test_stream_error_event_is_an_llm_error(tiny: Any) -> None:
    tiny.then(sse=[_chunk("a"), json.dumps({"error": {"message": "context overflow"}})])
    with pytest.raises(LLMError, match="mid-stream: context overflow"):
        list(_client(tiny.url).stream(HI))


def test_bad_constructor_arguments_fail_early() -> None:
    with pytest.raises(ValueError, match="http://"):
        OpenAIClient("ftp://x")
    with pytest.raises(ValueError, match="retries"):
        OpenAIClient(retries=-1)
