"""``shopmind bench assistant`` (register on ``bench_app`` as "assistant")."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, print_json

P95_TARGET_MS = 300.0  # per turn without an LLM (the assistant issue)


def bench_assistant(
    turns: Annotated[int, typer.Option(min=1, help="timed turns without an LLM")] = 200,
    llm: Annotated[
        bool, typer.Option(help="also time turns reworded by the configured LLM (SHOPMIND_LLM)")
    ] = False,
    llm_turns: Annotated[int, typer.Option(min=1, help="timed turns with the LLM")] = 20,
    customers: Annotated[
        int, typer.Option(min=1, help="customers who each ask for others' orders")
    ] = 8,
    embedder: Annotated[
        str, typer.Option(help="passage embedder (e5-small, minilm, use) or none (BM25 only)")
    ] = "e5-small",
    seed: Annotated[int, typer.Option(help="demo seed")] = 11,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Turn latency (p50/p95/p99 per kind of turn) and the security suite's counts (cross-customer
    leaks, tool calls caused by planted instructions, canary leaks: all should be 0)."""
    from shopmind.bench import assistant as bench
    from shopmind.core.errors import ConfigError
    from shopmind.models.llm import get_llm

    with cli_errors():
        client = get_llm() if llm else None
        if llm and client is None:
            raise ConfigError("--llm needs an LLM: set SHOPMIND_LLM=llamacpp or openai")
        result = bench.run(
            turns=turns,
            seed=seed,
            llm=client,
            llm_turns=llm_turns,
            customers=customers,
            embedder=embedder,
        )
    _show(result)
    if as_json:
        print_json(result)


def _show(result: dict[str, Any]) -> None:
    table = Table("run", "turn kind", "turns", "grounded", "p50 ms", "p95 ms", "p99 ms")
    for run, figures in result["latency"].items():
        for kind, row in figures["by_kind"].items():
            table.add_row(
                run,
                kind,
                str(row["turns"]),
                str(row["grounded"]),
                f"{row['p50_ms']:,.1f}",
                f"{row['p95_ms']:,.1f}",
                f"{row['p99_ms']:,.1f}",
            )
        mark = "✓" if run != "no_llm" or figures["p95_ms"] <= P95_TARGET_MS else "✗"
        table.add_row(
            run,
            "all",
            str(figures["turns"]),
            "",
            f"{figures['p50_ms']:,.1f}",
            f"{figures['p95_ms']:,.1f} {mark if run == 'no_llm' else ''}".strip(),
            f"{figures['p99_ms']:,.1f}",
        )
    console.print(table)
    console.print(f"security: {result['security']}")
    console.print(f"embedder: {result['embedder']}  seconds: {result['seconds']}")
    console.print(f"machine: {result['machine']}", highlight=False)
