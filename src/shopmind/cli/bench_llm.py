"""``shopmind bench llm``: LLM latency and throughput (register on ``bench_app`` as "llm")."""

from __future__ import annotations

from typing import Annotated

import typer

from shopmind.cli.common import cli_errors, console, print_json


def bench_llm(
    backend: Annotated[
        str,
        typer.Option("--backend", "--models", help="llamacpp, openai or both, comma-separated"),
    ] = "llamacpp",
    n: Annotated[int, typer.Option("-n", min=1, help="prompts (half English, half Chinese)")] = 20,
    max_tokens: Annotated[int, typer.Option(min=1, help="tokens generated per prompt")] = 64,
    start_server: Annotated[
        bool, typer.Option(help="openai: start a local llama_cpp.server on the configured GGUF")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Time to first token, generation and prompt tokens/s, latency p50/p95, load time."""
    from shopmind.bench import llm as bench
    from shopmind.cli.bench import _table  # here, not at the top: cli.bench imports this module

    with cli_errors():
        result = bench.run(
            backend,
            n,
            max_tokens,
            say=lambda msg: console.print(f"[dim]{msg}[/]"),
            start_server=start_server,
        )
    _table(result)
    if as_json:
        print_json(result)
