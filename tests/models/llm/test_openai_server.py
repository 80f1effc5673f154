"""The OpenAI-compatible client against a real ``python -m llama_cpp.server`` (SmolLM2-135M)."""

from __future__ import annotations

import pytest

from shopmind.models.llm import Message
from shopmind.models.llm.openai_http import OpenAIClient

pytestmark = pytest.mark.integration

SENTIMENT = {
    "type": "object",
    "properties": {"sentiment": {"type": "string", "enum": ["positive", "negative", "neutral"]}},
    "required": ["sentiment"],
}
ASK = [Message.system("You are a helpful shop assistant."), Message.user("Describe a teacup.")]


@pytest.fixture
def client(server_url: str) -> OpenAIClient:
    return OpenAIClient(server_url, "smollm2", api_key_env=None, retries=0, timeout_s=120)


def test_plain_chat(client: OpenAIClient) -> None:
    result = client.chat(ASK, max_tokens=12, temperature=0.0)
    assert result.text.strip()
    assert result.prompt_tokens > 0 and 0 < result.completion_tokens <= 12
    assert result.latency_s > 0 and result.first_token_s is None
    assert result.finish_reason in ("stop", "length") and not result.usage_estimated


def test_streaming(client: OpenAIClient) -> None:
    with client.stream(ASK, max_tokens=12, temperature=0.0) as stream:
        deltas = list(stream)
    result = stream.result
    assert len(deltas) > 1 and "".join(deltas) == result.text and result.text.strip()
    assert result.first_token_s is not None and 0 < result.first_token_s <= result.latency_s
    assert 0 < result.completion_tokens <= 12 and result.prompt_tokens > 0


def test_json_schema_output(client: OpenAIClient) -> None:
    review = Message.user('Classify the sentiment of this review as JSON: "I love this kettle!"')
    result = client.chat([review], max_tokens=24, temperature=0.0, json_schema=SENTIMENT)
    assert result.parsed["sentiment"] in ("positive", "negative", "neutral")
    assert set(result.parsed) == {"sentiment"}
    assert client.json_mode == "json_object"  # llama-cpp-python's server refuses json_schema


def test_json_schema_output_streamed(client: OpenAIClient) -> None:
    review = Message.user('Classify the sentiment as JSON: "Broke after one day."')
    stream = client.stream([review], max_tokens=24, temperature=0.0, json_schema=SENTIMENT)
    assert stream.result.parsed["sentiment"] in ("positive", "negative", "neutral")


def test_stop_sequence_ends_the_text(client: OpenAIClient) -> None:
    count = [Message.user("Count from 1 to 10, separated by commas.")]
    free = client.chat(count, max_tokens=24, temperature=0.0)
    assert "3" in free.text
    stopped = client.chat(count, max_tokens=24, temperature=0.0, stop=["3"])
    assert "3" not in stopped.text and stopped.finish_reason == "stop"
    assert stopped.completion_tokens < free.completion_tokens


def test_max_tokens_is_respected(client: OpenAIClient) -> None:
    result = client.chat([Message.user("Write a long story about a shop.")], max_tokens=5)
    assert result.completion_tokens <= 5 and result.finish_reason == "length"
