"""``shopmind train sentiment``: the review sentiment model (registered on ``train_app``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shopmind.cli.common import cli_errors, console, print_json
from shopmind.core.errors import InputError

LANGS = {"zh": "sentiment-zh", "en": "sentiment-en", "all": "sentiment"}


def train_sentiment(
    data: Annotated[Path, typer.Option("--data", help="labelled reviews CSV (UTF-8, header row)")],
    text_col: Annotated[str, typer.Option(help="column holding the review text")] = "review",
    label_col: Annotated[
        str, typer.Option(help="negative/neutral/positive, 0/1, -1/0/1, 0/1/2 or stars 1-5")
    ] = "label",
    lang: Annotated[
        str, typer.Option(help="zh, en, or all (one multilingual model): picks the task")
    ] = "all",
    method: Annotated[
        str, typer.Option(help="head (fast), lora or full (fine-tuning), tfidf (n-grams, fastest)")
    ] = "head",
    base: Annotated[str, typer.Option(help="base encoder: e5-small (multilingual)")] = "e5-small",
    epochs: Annotated[int, typer.Option(min=1, help="lora/full: most epochs")] = 2,
    max_rows: Annotated[
        int | None, typer.Option(min=10, help="use a stratified sample of this many texts")
    ] = None,
    seed: Annotated[int, typer.Option(help="split and training seed")] = 13,
    promote: Annotated[
        bool, typer.Option(help="promote it: review analysis uses it from then on")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Train the review sentiment model (task sentiment-zh, sentiment-en or sentiment) and
    promote it; review analysis then labels each review with it instead of the aspect rules.
    The same as `train classifier --task sentiment-zh --promote`, except that labels which are
    not a sentiment scale are refused before training."""
    from shopmind.cli.train import show_report, summary
    from shopmind.models.registry import promote as promote_model
    from shopmind.models.train import Reporter, TrainConfig, read_labelled_csv, train_classifier
    from shopmind.reviews.sentiment import polarity_map

    with cli_errors():
        if lang not in LANGS:
            raise InputError(f"--lang must be one of {', '.join(LANGS)}, got {lang!r}")
        task = LANGS[lang]
        config = TrainConfig(
            task=task,
            base=base,
            method=method,  # type: ignore[arg-type]  # checked by TrainConfig
            seed=seed,
            epochs=epochs,
            max_rows=max_rows,
        )
        # Checked before training: a model review analysis would refuse is not worth fitting.
        texts, _ = read_labelled_csv(data, text_col, label_col)
        mapping = polarity_map(sorted(set(texts.labels)))
        console.print(f"[dim]seed {seed}[/]")
        result = train_classifier(data, text_col, label_col, config, reporter=Reporter(console))
        if promote:
            promote_model(task, result.path.name)
    show_report(result.metadata)
    read_as = ", ".join(f"{label}={polarity}" for label, polarity in mapping.items())
    console.print(f"labels read as {read_as}", highlight=False)
    console.print(f"saved [bold]{result.path}[/]" + (" (promoted)" if promote else ""))
    if as_json:
        print_json(summary(result.metadata, str(result.path), promote))
