"""``shopmind train …``: fit models on your own data (register ``train_app`` as "train")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, print_json

train_app = typer.Typer(help="Train models on your own data.", no_args_is_help=True)


@train_app.callback()
def _group() -> None:
    """Train models on your own data."""
    # A callback keeps ``classifier`` a sub-command even while it is the only one.


@train_app.command("classifier")
def train_classifier_command(
    data: Annotated[Path, typer.Option("--data", help="labelled CSV (UTF-8, header row)")],
    text_col: Annotated[str, typer.Option(help="column holding the text")],
    label_col: Annotated[str, typer.Option(help="column holding the label")],
    base: Annotated[
        str, typer.Option(help="base encoder: e5-small (multilingual) or minilm")
    ] = "e5-small",
    method: Annotated[
        str, typer.Option(help="head (fast), lora or full (fine-tuning), tfidf (n-grams, fastest)")
    ] = "head",
    task: Annotated[
        str, typer.Option(help="registry name of the model, e.g. sentiment")
    ] = "sentiment",
    epochs: Annotated[int, typer.Option(min=1, help="lora/full: most epochs")] = 2,
    early_stopping: Annotated[
        int, typer.Option(min=1, help="lora/full: evaluations without improvement before stopping")
    ] = 2,
    seed: Annotated[int, typer.Option(help="split and training seed")] = 13,
    max_rows: Annotated[
        int | None, typer.Option(min=10, help="use a stratified sample of this many texts")
    ] = None,
    max_length: Annotated[int, typer.Option(min=8, max=512, help="tokens per text")] = 128,
    truncation: Annotated[str, typer.Option(help="head or head_tail (keep the ending)")] = "head",
    lr: Annotated[
        float | None, typer.Option(help="encoder learning rate (lora 1e-3, full 5e-5)")
    ] = None,
    lora_r: Annotated[int, typer.Option(min=1, help="LoRA rank")] = 8,
    lora_layers: Annotated[
        int,
        typer.Option(min=1, help="LoRA on the top N layers; lower ones run once per text"),
    ] = 6,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    device: Annotated[
        str, typer.Option(help="lora/full: auto (a CUDA GPU if torch sees one), cpu or cuda")
    ] = "auto",
    promote: Annotated[bool, typer.Option(help="promote the new model for its task")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Train a text classifier, test it on a held-out split and save a versioned artifact."""
    from shopmind.models.registry import promote as promote_model
    from shopmind.models.train import Reporter, TrainConfig, train_classifier

    with cli_errors():
        config = TrainConfig(
            task=task,
            base=base,
            method=method,  # type: ignore[arg-type]  # checked by TrainConfig
            seed=seed,
            max_rows=max_rows,
            epochs=epochs,
            patience=early_stopping,
            max_length=max_length,
            truncation=truncation,  # type: ignore[arg-type]  # checked by TrainConfig
            lr=lr,
            lora_r=lora_r,
            lora_layers=lora_layers,
            batch_size=batch_size,
            device=device,  # type: ignore[arg-type]  # checked by TrainConfig
        )
        console.print(f"[dim]seed {seed}[/]")
        result = train_classifier(data, text_col, label_col, config, reporter=Reporter(console))
        if promote:
            promote_model(task, result.path.name)
    show_report(result.metadata)
    console.print(f"saved [bold]{result.path}[/]" + (" (promoted)" if promote else ""))
    console.print(f"confusion chart: {result.path / 'confusion.png'}", highlight=False)
    if as_json:
        print_json(summary(result.metadata, str(result.path), promote))


def show_report(meta: dict[str, Any]) -> None:
    """Headline metrics, the per-class table and the confusion matrix of the test split."""
    test = meta["metrics"]["test"]
    rows = meta["data"]["rows_per_split"]
    head = Table("accuracy", "macro P", "macro R", "macro F1", "train s", "texts/s", "rows")
    head.title = (
        f"{meta['task']} {meta['version']}: {meta['method']} on {meta['base']['name']} (test split)"
    )
    head.add_row(
        f"{test['accuracy']:.4f}",
        f"{test['macro_precision']:.4f}",
        f"{test['macro_recall']:.4f}",
        f"{test['macro_f1']:.4f}",
        f"{meta['train_seconds']:,.1f}",
        f"{meta['inference_texts_per_s']:,.1f}",
        f"{rows['train']}/{rows['validation']}/{rows['test']}",
    )
    console.print(head)
    per_class = Table("label", "precision", "recall", "F1", "support", title="per class")
    for label, row in test["per_class"].items():
        per_class.add_row(
            label,
            f"{row['precision']:.4f}",
            f"{row['recall']:.4f}",
            f"{row['f1']:.4f}",
            str(row["support"]),
        )
    console.print(per_class)
    labels = list(test["per_class"])
    matrix = Table("true \\ predicted", *labels, title="confusion matrix")
    for label, counts in zip(labels, test["confusion"], strict=True):
        matrix.add_row(label, *(str(c) for c in counts))
    console.print(matrix)


def summary(meta: dict[str, Any], path: str, promoted: bool) -> dict[str, Any]:
    test = meta["metrics"]["test"]
    return {
        "task": meta["task"],
        "version": meta["version"],
        "path": path,
        "promoted": promoted,
        "method": meta["method"],
        "base": meta["base"]["name"],
        "seed": meta["seed"],
        "rows": meta["data"]["rows_per_split"],
        "accuracy": test["accuracy"],
        "macro_f1": test["macro_f1"],
        "train_seconds": meta["train_seconds"],
        "inference_texts_per_s": meta["inference_texts_per_s"],
    }


def _register() -> None:
    from shopmind.cli.train_intents import train_intents
    from shopmind.cli.train_search import train_search_ranker
    from shopmind.cli.train_sentiment import train_sentiment

    train_app.command("intents")(train_intents)
    train_app.command("sentiment")(train_sentiment)
    train_app.command("search-ranker")(train_search_ranker)


_register()
