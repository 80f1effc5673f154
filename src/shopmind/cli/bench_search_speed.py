"""``shopmind bench search-speed``: build rate, query latency and RAM at catalog sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopmind.cli.common import cli_errors, console, print_json


def bench_search_speed(
    sizes: Annotated[str, typer.Option(help="comma-separated product counts")] = (
        "10000,100000,1000000"
    ),
    queries: Annotated[int, typer.Option(help="requests timed per size")] = 400,
    seed: Annotated[int, typer.Option(help="generator and request-mix seed")] = 11,
    embedder: Annotated[str, typer.Option(help="embedder name")] = "e5-small",
    workdir: Annotated[
        Path | None, typer.Option(help="where the temporary shops go (default: system temp)")
    ] = None,
    keep: Annotated[bool, typer.Option(help="keep each shop and index in WORKDIR/<size>")] = False,
    serve_only: Annotated[
        Path | None, typer.Option(help="only time requests on an index kept with --keep")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Generate a demo shop per size, build its index, time requests with filters and facets."""
    from shopmind.bench import search_speed as bench
    from shopmind.cli.bench import _table

    with cli_errors():
        try:
            counts = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
        except ValueError:
            raise typer.BadParameter(f"sizes must be integers, got {sizes!r}") from None
        try:
            if serve_only is not None:
                result = bench.serve_again(serve_only, queries=queries, seed=seed)
                _table(result)
                if as_json:
                    print_json(result)
                return
            result = bench.run(
                counts,
                queries=queries,
                seed=seed,
                embedder=embedder,
                workdir=workdir,
                keep=keep,
                say=lambda m: console.print(f"[dim]{m}[/]"),
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    _table(result)
    if as_json:
        print_json(result)
