"""``shopmind bench absa`` (register on ``bench_app`` as "absa")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, print_json


def bench_absa(
    fmt: Annotated[str, typer.Option("--format", help="semeval14 (XML) or zhijiang (CSVs)")],
    train: Annotated[
        list[Path],
        typer.Option(help="training file (repeatable); zhijiang: its folder or *_reviews.csv"),
    ],
    test: Annotated[
        Path | None,
        typer.Option(help="test file (semeval14: required; zhijiang: default holds out ids)"),
    ] = None,
    models: Annotated[
        str,
        typer.Option(
            "--models",
            help="tfidf, rules, e5, e5+tfidf, use, e5-span, lora (slow), ensemble; comma-separated",
        ),
    ] = "tfidf,rules,e5,e5+tfidf,use,e5-span,ensemble",
    holdout: Annotated[
        float, typer.Option(min=0.01, max=0.9, help="zhijiang: share of review ids tested on")
    ] = 0.2,
    seed: Annotated[int, typer.Option(help="split and validation seed")] = 13,
    threads: Annotated[int, typer.Option(min=1, help="embedder and e5-span threads")] = 1,
    epochs: Annotated[int, typer.Option(min=1, help="lora: epochs (max)")] = 6,
    lora_layers: Annotated[int, typer.Option(min=1, help="lora: adapt the top N layers")] = 6,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Aspect polarity accuracy and macro-F1 (zhijiang: category F1 too) vs a TF-IDF baseline."""
    from shopmind.bench import absa as bench

    with cli_errors():
        chosen = [m.strip() for m in models.split(",") if m.strip()]
        for path in [*train, *([test] if test else [])]:
            if not path.exists():
                raise _missing(path)
        embedder = _embedder(threads) if set(chosen) & set(bench.EMBEDDED_MODELS) else None
        console.print(f"[dim]seed {seed}[/]")
        result = bench.run(
            fmt,
            train,
            test,
            models=chosen,
            embedder=embedder,
            seed=seed,
            holdout=holdout,
            lora={"epochs": epochs, "lora_layers": lora_layers},
            use_embedder=_use(threads) if "use" in chosen else None,
            threads=threads,
            say=lambda line: console.print(f"[dim]{line}[/]", highlight=False),
        )
    _table(result)
    if as_json:
        print_json(result)


def _embedder(threads: int) -> Any:
    from shopmind.models.embed.encoder_embedder import EncoderEmbedder

    return EncoderEmbedder("e5-small", threads=threads)


def _use(threads: int) -> Any:
    from shopmind.models.embed.use import UseEmbedder

    return UseEmbedder(threads=threads)


def _missing(path: Path) -> Exception:
    from shopmind.core.errors import InputError

    return InputError(f"dataset file not found: {path}")


def _table(result: dict[str, Any]) -> None:
    zh = result["dataset"]["format"] == "zhijiang"
    prefix = "polarity_" if zh else ""
    columns = ["model", "acc", "macro-F1", "ΔF1", "F1 +/-/0"]
    if zh:
        columns += ["cat F1", "cat P/R"]
    table = Table(*columns, title=f"bench absa — {result['dataset']['format']}")
    base = result["results"].get("tfidf", {}).get(f"{prefix}macro_f1")
    for model, m in result["results"].items():
        f1 = m[f"{prefix}macro_f1"]
        per = "/".join(
            f"{m.get(f'{prefix}f1[{c}]', 0):.2f}" for c in ("positive", "negative", "neutral")
        )
        row = [
            model,
            f"{m[f'{prefix}accuracy']:.4f}",
            f"{f1:.4f}",
            "" if base is None else f"{f1 - base:+.4f}",
            per,
        ]
        if zh and "category_f1" in m:
            row += [
                f"{m['category_f1']:.4f}",
                f"{m['category_precision']:.2f}/{m['category_recall']:.2f}",
            ]
        elif zh:
            row += ["", ""]  # polarity only (no category detection for this model)
        table.add_row(*row)
    console.print(table)
    for model, note in result["notes"].items():
        console.print(f"[dim]{model}: {note}[/]", highlight=False)
    console.print(f"rows: {result['dataset']['rows']}  seconds: {result['seconds']}")
    console.print(f"machine: {result['machine']}", highlight=False)


def bench_reviews_speed(
    reviews: Annotated[
        int, typer.Option(min=1, help="demo reviews to generate and analyse")
    ] = 5000,
    seed: Annotated[int, typer.Option(help="demo seed")] = 7,
    texts: Annotated[
        Path | None,
        typer.Option(help="CSV of real review texts to analyse instead of the generated ones"),
    ] = None,
    text_col: Annotated[str, typer.Option(help="column of --texts holding the text")] = "text",
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Reviews analysed per second (sentiment, aspects, needs, store writes) on generated
    bilingual reviews; sentiment comes from the promoted models when there are any."""
    from shopmind.bench import reviews_speed as bench

    with cli_errors():
        given = bench.read_texts(texts, text_col, reviews) if texts is not None else None
        result = bench.run(reviews, seed=seed, texts=given)
    table = Table("path", "reviews/s", title=f"bench reviews-speed — {reviews:,} demo reviews")
    for name, figures in result["results"].items():
        table.add_row(name, f"{figures['reviews_per_s']:,.1f}")
    console.print(table)
    data = result["dataset"]
    console.print(
        f"languages: {data['languages']}  mean length: {data['mean_chars']} characters  "
        f"seconds: {result['seconds']}"
    )
    models = result["sentiment_models"]
    console.print(
        "sentiment: "
        + (", ".join(models) if models else "rules only (no promoted sentiment model)")
    )
    console.print(f"machine: {result['machine']}", highlight=False)
    if as_json:
        print_json(result)
