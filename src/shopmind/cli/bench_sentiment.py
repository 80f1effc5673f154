"""``shopmind bench sentiment`` (register on ``bench_app`` as "sentiment")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import VoteOption, cli_errors, console, print_json


def bench_sentiment(
    train: Annotated[Path, typer.Option(help="labelled CSV to split (or train on, with --test)")],
    text_col: Annotated[str, typer.Option(help="column holding the review text")] = "text",
    label_col: Annotated[str, typer.Option(help="column holding the label")] = "label",
    test: Annotated[
        Path | None, typer.Option(help="separate test CSV (default: 80/10/10 split of --train)")
    ] = None,
    methods: Annotated[
        str,
        typer.Option(
            "--methods",
            "--models",
            help="comma-separated: tfidf, tfidf-nb (naive-Bayes weighted), head, lora, full "
            "(on --base; lora:minilm or full:e5-small name the encoder), "
            "head:EMBEDDERS, mlp:EMBEDDERS "
            "(e.g. head:use, mlp:e5-small+use) and ensemble (a soft vote of the others, "
            "weights chosen on validation)",
        ),
    ] = "tfidf,head,lora",
    base: Annotated[str, typer.Option(help="base encoder: e5-small or minilm")] = "e5-small",
    max_train: Annotated[
        int | None, typer.Option(min=10, help="lora/full train on a stratified sample this big")
    ] = None,
    holdout_col: Annotated[str | None, typer.Option(help="group column, e.g. domain")] = None,
    holdout: Annotated[
        str | None, typer.Option(help="test on this group, train on the rest")
    ] = None,
    epochs: Annotated[int, typer.Option(min=1, help="lora/full epochs (max)")] = 2,
    max_length: Annotated[int, typer.Option(min=8, max=512, help="tokens per text")] = 128,
    truncation: Annotated[str, typer.Option(help="head or head_tail (keep the ending)")] = "head",
    lr: Annotated[float | None, typer.Option(help="encoder learning rate")] = None,
    lora_r: Annotated[int, typer.Option(min=1, help="LoRA rank")] = 8,
    lora_layers: Annotated[
        int,
        typer.Option(min=1, help="LoRA on the top N layers; lower ones run once per text"),
    ] = 6,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    device: Annotated[
        str, typer.Option(help="lora/full: auto (a CUDA GPU if torch sees one), cpu or cuda")
    ] = "auto",
    seed: Annotated[int, typer.Option(help="split and training seed")] = 13,
    vote_how: VoteOption = "mean",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Accuracy, macro-F1, train time and reviews/s of TF-IDF, frozen heads, LoRA and their
    ensemble on one split."""
    from shopmind.bench import sentiment as bench
    from shopmind.models.train import Reporter, TrainConfig

    with cli_errors():
        for path in (train, test):
            if path is not None and not path.is_file():
                raise _missing(path)
        config = TrainConfig(
            task="bench-sentiment",
            base=base,
            seed=seed,
            epochs=epochs,
            max_length=max_length,
            truncation=truncation,  # type: ignore[arg-type]  # checked by TrainConfig
            lr=lr,
            lora_r=lora_r,
            lora_layers=lora_layers,
            batch_size=batch_size,
            device=device,  # type: ignore[arg-type]  # checked by TrainConfig
        )
        console.print(f"[dim]seed {seed}[/]")
        result = bench.run(
            train,
            text_col,
            label_col,
            test=test,
            methods=[m.strip() for m in methods.split(",") if m.strip()],
            config=config,
            max_train=max_train,
            holdout_col=holdout_col,
            holdout=holdout,
            vote_how=vote_how,
            reporter=Reporter(console),
        )
    _table(result)
    if as_json:
        print_json(result)


def _missing(path: Path) -> Exception:
    from shopmind.core.errors import InputError

    return InputError(f"dataset file not found: {path} (pass the path of a labelled CSV)")


def _table(result: dict[str, Any]) -> None:
    table = Table(
        "method",
        "accuracy",
        "macro-F1",
        "Δacc vs tfidf",
        "train rows",
        "train s",
        "reviews/s",
        title=f"bench sentiment — {result['dataset']['split']}",
    )
    base = result["results"].get("tfidf", {}).get("accuracy")
    for method, m in result["results"].items():
        delta = "" if base is None else f"{m['accuracy'] - base:+.4f}"
        table.add_row(
            method,
            f"{m['accuracy']:.4f}",
            f"{m['macro_f1']:.4f}",
            delta,
            f"{int(m['train_rows']):,}",
            f"{m['train_s']:,.1f}",
            f"{m['reviews_per_s']:,.1f}",
        )
    console.print(table)
    for method, note in result["notes"].items():
        console.print(f"[dim]{method}: {note}[/]", highlight=False)
    console.print(f"rows: {result['dataset']['rows']}  seconds: {result['seconds']}")
    console.print(f"machine: {result['machine']}", highlight=False)
