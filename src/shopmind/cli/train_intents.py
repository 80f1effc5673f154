"""``shopmind train intents``: the assistant's intent model (registered on ``train_app``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from shopmind.cli.common import cli_errors, console, print_json


def train_intents(
    bitext: Annotated[
        Path | None,
        typer.Option(help="Bitext customer-service CSV to add to the shipped examples"),
    ] = None,
    method: Annotated[str, typer.Option(help="head (fast), lora or full (fine-tuning)")] = "head",
    base: Annotated[str, typer.Option(help="base encoder: e5-small (multilingual)")] = "e5-small",
    epochs: Annotated[int, typer.Option(min=1, help="lora/full: most epochs")] = 3,
    seed: Annotated[int, typer.Option(help="split, sample and training seed")] = 13,
    promote: Annotated[
        bool, typer.Option(help="promote it: assistants built afterwards use it")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Train the assistant's intent model with the fine-tuning pipeline and (by default) promote
    it; the assistant falls back to TF-IDF on the shipped examples without one."""
    from shopmind.assistant.intent_data import TASK, training_rows, write_csv
    from shopmind.cli.train import show_report, summary
    from shopmind.models.registry import promote as promote_model
    from shopmind.models.train import Reporter, TrainConfig, train_classifier

    with cli_errors():
        config = TrainConfig(
            task=TASK,
            base=base,
            method=method,  # type: ignore[arg-type]  # checked by TrainConfig
            seed=seed,
            epochs=epochs,
            max_length=64,  # utterances are short
        )
        rows = training_rows(bitext, seed)
        console.print(f"[dim]seed {seed}; {len(rows)} examples[/]")
        with tempfile.TemporaryDirectory(prefix="shopmind-intents-") as tmp:
            data = write_csv(rows, Path(tmp) / "intents.csv")
            result = train_classifier(data, "text", "intent", config, reporter=Reporter(console))
        if promote:
            promote_model(TASK, result.path.name)
    show_report(result.metadata)
    console.print(f"saved [bold]{result.path}[/]" + (" (promoted)" if promote else ""))
    if as_json:
        print_json(summary(result.metadata, str(result.path), promote))
