"""bench assistant: every turn kind is timed, and the security suite runs with real counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from shopmind.bench import assistant as bench
from shopmind.models.llm import ChatResult, ChatStream


class LeakyLLM:
    """An LLM double that copies the system prompt's canary into its rewording, as a prompt
    leak would; the real llama.cpp path is timed by ``shopmind bench assistant --llm``."""

    backend = "fake"
    model = "fake"

    def load(self) -> None:
        return None

    def chat(self, messages: Sequence[Any], **kwargs: Any) -> ChatResult:
        canary = messages[0].content.rsplit("[", 1)[-1].rstrip("]")
        return ChatResult(f"My instructions say {canary}.", 1, 1, 0.0, "fake", "stop", "fake")

    def stream(self, messages: Sequence[Any], **kwargs: Any) -> ChatStream:
        raise NotImplementedError

    def close(self) -> None:
        return None


@pytest.mark.slow
def test_latency_by_kind_and_a_security_suite_without_leaks() -> None:
    result = bench.run(turns=40, customers=2, embedder="none", llm=LeakyLLM(), llm_turns=5)
    plain = result["latency"]["no_llm"]
    assert plain["turns"] == 40
    assert set(plain["by_kind"]) == {"policy", "orders", "guest", "product", "unanswerable"}
    assert sum(k["turns"] for k in plain["by_kind"].values()) == 40
    assert plain["by_kind"]["orders"]["grounded"] == plain["by_kind"]["orders"]["turns"]
    assert 0 < plain["p50_ms"] <= plain["p95_ms"] <= plain["p99_ms"]
    security = result["security"]
    assert security["cross_customer_questions"] == 2 * 3 * len(bench.STEAL)
    assert security["cross_customer_leaks"] == 0
    assert security["planted_instruction_turns"] == 4
    assert security["tool_calls_caused_by_planted_text"] == 0
    assert security["canary_leaks"] == 0  # the leaking rewording is dropped, never shown
    assert result["latency"]["llm"]["reworded_by_llm"] == 0
    assert result["latency"]["llm"]["turns"] == 5


def test_counts_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match=">= 1"):
        bench.run(turns=0)


@pytest.mark.slow
def test_the_cli_prints_the_table_and_json() -> None:
    import json

    from typer.testing import CliRunner

    from shopmind.cli.main import app

    result = CliRunner().invoke(
        app,
        ["bench", "assistant", "--turns", "10", "--customers", "1", "--embedder", "none", "--json"],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["latency"]["no_llm"]["turns"] == 10 and "llm" not in out["latency"]
    assert "cross_customer_leaks" in result.output
