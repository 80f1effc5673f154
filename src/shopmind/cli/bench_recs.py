"""``shopmind bench recs`` (register on ``bench_app`` as "recs")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, print_json


def bench_recs(
    data: Annotated[
        Path,
        typer.Option(
            help="s3rec: 'user item item ...'; recbole: .inter file "
            "(user_id, item_id, timestamp); sessions: train TSV"
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", help="s3rec, recbole or sessions")] = "s3rec",
    test: Annotated[Path | None, typer.Option(help="sessions: TSV of sessions to predict")] = None,
    models: Annotated[
        str,
        typer.Option(help="popularity,itemknn,seqknn,als,bpr,sasrec,blend (baselines always run)"),
    ] = "popularity,itemknn,seqknn,als,bpr,sasrec,blend",
    budget_minutes: Annotated[
        float, typer.Option(min=0.1, help="training time for the whole run (sasrec stops early)")
    ] = 30.0,
    seed: Annotated[int, typer.Option(help="seed of every model")] = 42,
    threads: Annotated[int, typer.Option(min=1, help="CPU threads for torch/BLAS/implicit")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Leave-one-out full-ranking Recall/NDCG@10,20 (s3rec, recbole) or Recall/MRR@20 (sessions)."""
    from shopmind.bench import recs as bench

    with cli_errors():
        console.print(f"[dim]seed {seed}, threads {threads}[/]")
        names = [m.strip() for m in models.split(",") if m.strip()]
        result = bench.run(
            fmt,
            data,
            test=test,
            models=names,
            budget_minutes=budget_minutes,
            seed=seed,
            threads=threads,
            say=lambda m: console.print(f"[dim]{m}[/]", highlight=False),
        )
    _table(result)
    if as_json:
        print_json(result)


def _table(result: dict[str, Any]) -> None:
    rows = result["results"]
    metrics = [k for k in next(iter(rows.values())) if k not in ("train_s", "valid_ndcg@10")]
    title = f"bench recs — {result['dataset']['format']} {result['dataset']['data']}"
    table = Table(title=title)
    table.add_column("model", no_wrap=True)  # names stay whole on a narrow terminal
    for header in (*metrics, "valid ndcg@10", "train s"):
        table.add_column(header, justify="right")
    targets = result.get("targets", {})
    for name, figures in rows.items():
        cells = [_cell(figures[m], targets.get(m)) for m in metrics]
        table.add_row(name, *cells, f"{figures['valid_ndcg@10']:.4f}", f"{figures['train_s']:.1f}")
    console.print(table)
    if targets:
        console.print(f"targets (best model): {targets}", highlight=False)
    for name, note in result["notes"].items():
        if note:
            console.print(f"[dim]{name}: {note}[/]", highlight=False)
    console.print(f"seed {result['seed']}  seconds: {result['seconds']}", highlight=False)
    console.print(f"machine: {result['machine']}", highlight=False)


def _cell(value: float, target: float | None) -> str:
    if target is None:
        return f"{value:.4f}"
    return f"{value:.4f} {'✓' if value >= target else '✗'}"
