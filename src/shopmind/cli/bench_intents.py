"""``shopmind bench intents`` (register on ``bench_app`` as "intents")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import VoteOption, cli_errors, console, print_json


def bench_intents(
    train: Annotated[
        Path, typer.Option(help="labelled CSV (or CLINC150 data_full.json with --format clinc150)")
    ],
    fmt: Annotated[str, typer.Option("--format", help="csv or clinc150")] = "csv",
    text_col: Annotated[str, typer.Option(help="column holding the utterance")] = "text",
    label_col: Annotated[str, typer.Option(help="column holding the intent")] = "label",
    test: Annotated[
        Path | None, typer.Option(help="separate test CSV (default: 80/10/10 split of --train)")
    ] = None,
    oos_label: Annotated[
        str | None, typer.Option(help="the out-of-scope label (clinc150: oos)")
    ] = None,
    in_scope_floor: Annotated[
        float, typer.Option(help="OOS threshold keeps validation in-scope accuracy ≥ this")
    ] = 0.9,
    methods: Annotated[
        str,
        typer.Option(
            "--methods",
            "--models",
            help="comma-separated: tfidf, head, lora, full (on --base; lora:minilm or "
            "full:e5-small name the encoder); head:E or mlp:E on frozen embeddings "
            "of embedders E (e5-small, minilm, use; several joined by +); ensemble (a soft vote "
            "of the others, weights chosen on validation)",
        ),
    ] = "tfidf,head",
    base: Annotated[str, typer.Option(help="base encoder: e5-small or minilm")] = "e5-small",
    max_train: Annotated[
        int | None, typer.Option(min=10, help="lora/full train on a stratified sample this big")
    ] = None,
    epochs: Annotated[int, typer.Option(min=1, help="lora/full epochs (max)")] = 3,
    max_length: Annotated[int, typer.Option(min=8, max=512, help="tokens per text")] = 64,
    lr: Annotated[float | None, typer.Option(help="encoder learning rate")] = None,
    lora_r: Annotated[int, typer.Option(min=1, help="LoRA rank")] = 8,
    lora_layers: Annotated[int, typer.Option(min=1, help="LoRA on the top N layers")] = 6,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    seed: Annotated[int, typer.Option(help="split and training seed")] = 13,
    refit: Annotated[
        bool,
        typer.Option(
            help="tfidf, head:E, mlp:E, lora and full: once C/epochs are chosen on "
            "validation, train again on train+validation for the test predictions "
            "(lora/full: for the epochs early stopping kept, so fine-tuning runs twice)"
        ),
    ] = False,
    vote_how: VoteOption = "mean",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Intent accuracy and macro-F1 (and out-of-scope recall) of TF-IDF and trained models."""
    from shopmind.bench import intents as bench
    from shopmind.core.errors import InputError
    from shopmind.models.train import Reporter, TrainConfig

    with cli_errors():
        for path in (train, test):
            if path is not None and not path.is_file():
                raise InputError(f"dataset file not found: {path}")
        config = TrainConfig(
            task="bench-intents",
            base=base,
            seed=seed,
            epochs=epochs,
            max_length=max_length,
            lr=lr,
            lora_r=lora_r,
            lora_layers=lora_layers,
            batch_size=batch_size,
        )
        console.print(f"[dim]seed {seed}[/]")
        result = bench.run(
            train,
            fmt=fmt,
            text_col=text_col,
            label_col=label_col,
            test=test,
            methods=[m.strip() for m in methods.split(",") if m.strip()],
            config=config,
            max_train=max_train,
            oos_label=oos_label,
            in_scope_floor=in_scope_floor,
            refit=refit,
            vote_how=vote_how,
            reporter=Reporter(console),
        )
    _table(result)
    if as_json:
        print_json(result)


def _table(result: dict[str, Any]) -> None:
    oos = result["dataset"]["oos_label"] is not None
    columns = ["method", "accuracy", "macro-F1", "train rows", "train s", "texts/s"]
    if oos:
        columns += ["OOS recall", "in-scope acc", "threshold"]
    table = Table(*columns, title=f"bench intents — {result['dataset']['split']}")
    for method, m in result["results"].items():
        row = [
            method,
            f"{m['accuracy']:.4f}",
            f"{m['macro_f1']:.4f}",
            f"{int(m['train_rows']):,}",
            f"{m['train_s']:,.1f}",
            f"{m['texts_per_s']:,.1f}",
        ]
        if oos:
            row += [f"{m['oos_recall']:.4f}", f"{m['in_scope_accuracy']:.4f}", f"{m['threshold']}"]
        table.add_row(*row)
    console.print(table)
    for method, note in result["notes"].items():
        console.print(f"[dim]{method}: {note}[/]", highlight=False)
    console.print(f"rows: {result['dataset']['rows']}  seconds: {result['seconds']}")
    console.print(f"machine: {result['machine']}", highlight=False)
