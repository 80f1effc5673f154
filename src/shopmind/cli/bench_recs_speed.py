"""``shopmind bench recs-speed``: recommender training time, request latency, event-to-effect."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopmind.cli.common import cli_errors, console, print_json


def bench_recs_speed(
    products: Annotated[int, typer.Option(help="products in the generated shop")] = 100_000,
    users: Annotated[int, typer.Option(help="customers in the generated shop")] = 50_000,
    events: Annotated[
        int | None, typer.Option(help="behaviour events (default 20 per user)")
    ] = None,
    orders: Annotated[int | None, typer.Option(help="orders (default one per user)")] = None,
    requests: Annotated[int, typer.Option(help="recommendation requests timed")] = 400,
    effects: Annotated[int, typer.Option(help="event-to-effect trials")] = 50,
    model: Annotated[str, typer.Option(help="itemknn, popularity, als, bpr or sasrec")] = "itemknn",
    embedder: Annotated[str, typer.Option(help="embedder name")] = "e5-small",
    seed: Annotated[int, typer.Option(help="generator and request-mix seed")] = 13,
    workdir: Annotated[
        Path | None, typer.Option(help="where the temporary shop goes (default: system temp)")
    ] = None,
    keep: Annotated[
        bool, typer.Option(help="keep the shop and model in WORKDIR/recs-PxU for --serve-only")
    ] = False,
    serve_only: Annotated[
        Path | None, typer.Option(help="time requests again on a folder kept with --keep")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Generate a demo shop, train the recommender, time requests and event-to-effect."""
    from shopmind.bench import recs_speed as bench
    from shopmind.cli.bench import _table

    def say(message: str) -> None:
        console.print(f"[dim]{message}[/]")

    with cli_errors():
        try:
            if serve_only is not None:
                result = bench.serve_again(serve_only, requests=requests, effects=effects, say=say)
            else:
                result = bench.run(
                    products,
                    users,
                    events=events,
                    orders=orders,
                    requests=requests,
                    effects=effects,
                    model=model,
                    embedder=embedder,
                    seed=seed,
                    workdir=workdir,
                    keep=keep,
                    say=say,
                )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    _table(result)
    if as_json:
        print_json(result)
