"""``shopmind bench …``: benchmarks that print a table and, with --json, one JSON line."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, print_json

bench_app = typer.Typer(help="Benchmarks (see shared/BENCHMARKS.md).", no_args_is_help=True)


@bench_app.command("ingest")
def bench_ingest(
    products: Annotated[int, typer.Option(min=100, help="generated products")] = 100_000,
    events: Annotated[int, typer.Option(min=100, help="generated events")] = 200_000,
    api_batch: Annotated[int, typer.Option(min=1, help="events per API call")] = 1000,
    seed: Annotated[int, typer.Option(help="generator seed")] = 11,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Products/s and events/s from files and through batched REST calls; peak RSS."""
    from shopmind.bench import ingest as bench

    with cli_errors():
        result = bench.run(
            products,
            events,
            api_batch=api_batch,
            seed=seed,
            say=lambda msg: console.print(f"[dim]{msg}[/]"),
        )
    _table(result)
    if as_json:
        print_json(result)


def _table(result: dict[str, Any]) -> None:
    targets = result.get("targets", {})
    table = Table("backend", "metric", "value", "target", title=f"bench {result['capability']}")
    for backend, metrics in result["results"].items():
        for name, value in metrics.items():
            target = targets.get(name)
            mark = "" if target is None else ("✓ " if value >= target else "✗ ") + f"≥ {target:,}"
            table.add_row(backend, name, f"{value:,}", mark)
    console.print(table)
    console.print(f"seconds: {result['seconds']}  machine: {result['machine']}")
