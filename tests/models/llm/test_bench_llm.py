"""``bench llm`` follows the benchmark contract (two prompts, eight tokens; figures not judged)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from shopmind.bench.llm import _percentile, run
from shopmind.cli.bench_llm import bench_llm

METRICS = ("ttft_p50_s", "ttft_p95_s", "latency_p50_s", "latency_p95_s", "gen_tokens_per_s",
           "prompt_tokens_per_s", "load_s", "completion_tokens", "prompt_tokens", "peak_rss_mb")  # fmt: skip


def test_percentile_interpolates_like_numpy() -> None:
    assert _percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert _percentile([1.0, 2.0], 95) == pytest.approx(1.95)
    assert _percentile([4.0], 95) == 4.0


@pytest.mark.integration
def test_run_llamacpp_returns_the_contract_json() -> None:
    messages: list[str] = []
    out = run(n=2, max_tokens=8, say=messages.append)
    assert set(out) >= {"capability", "dataset", "results", "seconds", "machine", "targets"}
    assert out["capability"] == "llm" and out["targets"] == {}
    figures = out["results"]["llamacpp"]
    assert set(figures) == set(METRICS)
    assert all(figures[k] > 0 for k in METRICS), figures
    assert figures["ttft_p50_s"] <= figures["ttft_p95_s"] <= figures["latency_p95_s"]
    assert figures["completion_tokens"] <= 2 * 8
    assert out["dataset"]["languages"] == {"en": 1, "zh": 1}
    assert out["seconds"]["llamacpp"] > 0 and out["machine"]["cores"] >= 1 and messages


@pytest.mark.integration
def test_cli_prints_a_table_and_the_json_last() -> None:
    app = typer.Typer()
    app.command()(bench_llm)
    result = CliRunner().invoke(app, ["-n", "1", "--max-tokens", "4", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["capability"] == "llm" and out["results"]["llamacpp"]["completion_tokens"] <= 4


def test_cli_turns_config_errors_into_exit_code_2() -> None:
    app = typer.Typer()
    app.command()(bench_llm)
    result = CliRunner().invoke(app, ["--backend", "gpt9"])
    assert result.exit_code == 2 and "unknown LLM backend" in result.output
