"""``shopmind bench search-zh``: the judged Chinese and mixed-language set of the demo shop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopmind.cli.common import cli_errors, console, print_json


def bench_search_zh(
    products: Annotated[int, typer.Option(help="demo catalog size")] = 5000,
    seed: Annotated[int, typer.Option(help="generator seed")] = 11,
    mode: Annotated[str, typer.Option(help="comma-separated: bm25,vector,hybrid,served")] = (
        "bm25,vector,hybrid,served"
    ),
    embedder: Annotated[str, typer.Option(help="embedder name")] = "e5-small",
    export: Annotated[
        Path | None,
        typer.Option(help="also write corpus.jsonl, queries.tsv, qrels.tsv for `bench search`"),
    ] = None,
    brand_aliases: Annotated[
        bool, typer.Option(help="configure the demo brands' English and Chinese names as aliases")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """nDCG@10, Recall@100, MRR@10 per mode and nDCG@10 per query template."""
    from shopmind.bench import search_demo as bench
    from shopmind.cli.bench import _table

    with cli_errors():
        modes = [m.strip() for m in mode.split(",") if m.strip()]
        try:
            result = bench.run(
                products=products,
                seed=seed,
                modes=modes,
                embedder=embedder,
                export=export,
                brand_aliases=brand_aliases,
                say=lambda m: console.print(f"[dim]{m}[/]"),
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    _table(result)
    if as_json:
        print_json(result)
