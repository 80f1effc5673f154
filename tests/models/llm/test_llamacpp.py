"""The embedded llama.cpp backend in-process with the pinned SmolLM2-135M-Instruct."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from shopmind.core.errors import ConfigError
from shopmind.models.llm import LLMClient, LLMError, Message
from shopmind.models.llm.llamacpp import LlamaCppClient

pytestmark = pytest.mark.integration

SENTIMENT = {
    "type": "object",
    "properties": {"sentiment": {"type": "string", "enum": ["positive", "negative", "neutral"]}},
    "required": ["sentiment"],
}
ASK = [Message.user("Describe a teacup in one sentence.")]


def test_chat_counts_tokens_and_time(local_llm: LlamaCppClient) -> None:
    assert isinstance(local_llm, LLMClient)
    result = local_llm.chat(ASK, max_tokens=10, temperature=0.0)
    assert result.text.strip() and result.backend == "llamacpp"
    assert result.prompt_tokens > 5 and 0 < result.completion_tokens <= 10
    assert result.latency_s > 0 and result.model == "SmolLM2-135M-Instruct"


def test_stream_matches_chat_token_counts(local_llm: LlamaCppClient) -> None:
    chat = local_llm.chat(ASK, max_tokens=10, temperature=0.0)
    stream = local_llm.stream(ASK, max_tokens=10, temperature=0.0)
    deltas = list(stream)
    result = stream.result
    assert "".join(deltas) == result.text and result.text.strip()
    assert result.first_token_s is not None and 0 < result.first_token_s <= result.latency_s
    assert result.prompt_tokens == chat.prompt_tokens
    assert result.completion_tokens == chat.completion_tokens
    assert result.finish_reason == chat.finish_reason


def test_json_schema_output(local_llm: LlamaCppClient) -> None:
    review = Message.user('Classify the sentiment of this review as JSON: "I love this kettle!"')
    result = local_llm.chat([review], max_tokens=24, temperature=0.0, json_schema=SENTIMENT)
    assert result.parsed["sentiment"] in ("positive", "negative", "neutral")
    streamed = local_llm.stream([review], max_tokens=24, temperature=0.0, json_schema=SENTIMENT)
    assert streamed.result.parsed == result.parsed


def test_stop_and_max_tokens(local_llm: LlamaCppClient) -> None:
    count = [Message.user("Count from 1 to 10, separated by commas.")]
    stopped = local_llm.chat(count, max_tokens=24, temperature=0.0, stop=["3"])
    assert "3" not in stopped.text
    short = local_llm.chat(count, max_tokens=3, temperature=0.0)
    assert short.completion_tokens <= 3 and short.finish_reason == "length"


def test_closing_a_stream_early_releases_the_model(local_llm: LlamaCppClient) -> None:
    with local_llm.stream(ASK, max_tokens=20) as stream:
        next(iter(stream))
    assert local_llm.chat(ASK, max_tokens=2).completion_tokens <= 2


def test_concurrent_calls_are_serialised(local_llm: LlamaCppClient) -> None:
    results: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(local_llm.chat(ASK, max_tokens=4).completion_tokens)
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and all(0 < n <= 4 for n in results)


def test_prompt_longer_than_context_is_an_llm_error(gguf: Path) -> None:
    client = LlamaCppClient(gguf, context=256, sha256=None)
    with pytest.raises(LLMError, match="SHOPMIND_LLM_CONTEXT=256"):
        client.chat([Message.user("shop " * 400)], max_tokens=4)
    client.close()


def test_wrong_hash_is_refused_before_loading(gguf: Path, tmp_path: Path) -> None:
    client = LlamaCppClient(gguf, sha256="0" * 64, hash_cache_dir=tmp_path)
    with pytest.raises(ConfigError, match="expected 0000"):
        client.load()
    assert client._llama is None


def test_not_a_gguf_is_a_config_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"definitely not gguf")
    with pytest.raises(ConfigError, match="is it a GGUF"):
        LlamaCppClient(fake).load()
