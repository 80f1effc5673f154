"""Messages, streams, JSON output checks and SSE parsing: the pieces every backend shares."""

from __future__ import annotations

from collections.abc import Generator

import pytest

from shopmind.models.llm import ChatResult, ChatStream, LLMError, Message
from shopmind.models.llm.jsonout import estimate_tokens, parse_json_output, schema_problem
from shopmind.models.llm.protocol import as_messages, check_generation_args
from shopmind.models.llm.sse import iter_sse_data

SENTIMENT = {
    "type": "object",
    "properties": {"sentiment": {"type": "string", "enum": ["positive", "negative"]}},
    "required": ["sentiment"],
}


def _result(text: str = "ab") -> ChatResult:
    return ChatResult(text, 3, 2, 0.5, "m", "stop", "test", first_token_s=0.1)


def test_messages_accept_dataclasses_and_dicts() -> None:
    msgs = as_messages([Message.system("be brief"), {"role": "user", "content": "hi"}])
    assert msgs == [Message("system", "be brief"), Message("user", "hi")]
    assert msgs[1].as_dict() == {"role": "user", "content": "hi"}


@pytest.mark.parametrize(
    ("messages", "needle"),
    [
        ([], "non-empty"),
        ("hi", "non-empty"),
        ([{"role": "tool", "content": "x"}], "system, user, assistant"),
        ([{"role": "user", "content": 3}], "content must be a string"),
    ],
)
def test_bad_messages_say_what_is_wrong(messages: object, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        as_messages(messages)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("max_tokens", "temperature", "stop", "needle"),
    [(0, 0.2, None, "max_tokens"), (5, 3.0, None, "temperature"), (5, 0.2, "x", "stop")],
)
def test_generation_args_are_checked_early(
    max_tokens: int, temperature: float, stop: object, needle: str
) -> None:
    with pytest.raises(ValueError, match=needle):
        check_generation_args(max_tokens, temperature, stop)  # type: ignore[arg-type]


def test_chat_result_is_frozen_with_derived_figures() -> None:
    result = _result()
    assert result.total_tokens == 5
    assert result.tokens_per_s == pytest.approx(2 / 0.4)
    with pytest.raises(AttributeError):
        result.text = "other"  # type: ignore[misc]


def test_chat_stream_yields_deltas_then_result() -> None:
    def gen() -> Generator[str, None, ChatResult]:
        yield "a"
        yield "b"
        return _result("ab")

    stream = ChatStream(gen())
    assert list(stream) == ["a", "b"]
    assert stream.result.text == "ab"
    assert ChatStream(gen()).result.text == "ab"  # result drains an unread stream


def test_chat_stream_close_runs_the_backend_cleanup() -> None:
    cleaned: list[bool] = []

    def gen() -> Generator[str, None, ChatResult]:
        try:
            yield "a"
            yield "b"
        finally:
            cleaned.append(True)
        return _result()

    with ChatStream(gen()) as stream:
        assert next(iter(stream)) == "a"
    assert cleaned == [True]


def test_json_output_is_parsed_and_checked() -> None:
    assert parse_json_output('{"sentiment": "positive"}', SENTIMENT) == {"sentiment": "positive"}
    with pytest.raises(LLMError, match="raise max_tokens"):
        parse_json_output('{"sentiment": "pos', SENTIMENT, finish_reason="length")
    with pytest.raises(LLMError, match="one of"):
        parse_json_output('{"sentiment": "meh"}', SENTIMENT)
    with pytest.raises(LLMError, match="required key 'sentiment'"):
        parse_json_output("{}", SENTIMENT)


def test_schema_checks_nested_types_and_ignores_unknown_keywords() -> None:
    schema = {"type": "array", "items": {"type": "integer", "minimum": 5}}
    assert schema_problem([1, 2], schema) is None
    assert schema_problem([1, True], schema) == "$[1] should be integer, got bool"
    assert schema_problem({"a": 1}, {"type": "object", "properties": {"a": {"type": "string"}}})


def test_token_estimate_counts_cjk_per_character() -> None:
    assert estimate_tokens("你好世界") == 4
    assert estimate_tokens("abcdefgh") == 2
    assert estimate_tokens("") == 0


def test_sse_parsing_follows_the_event_stream_rules() -> None:
    lines = [
        ": keep-alive comment",
        "event: message",
        'data: {"a": 1}',
        "",
        "data:first",
        "data: second",
        "",
        "",
        "data: [DONE]",
        "",
        "data: after done",
        "",
    ]
    assert list(iter_sse_data(lines)) == ['{"a": 1}', "first\nsecond"]
    assert list(iter_sse_data(["data: tail without blank line"])) == ["tail without blank line"]
