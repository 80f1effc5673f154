"""``shopmind reviews``: analyse stored reviews, show insights of a product or a category."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, get_store, print_json
from shopmind.core.errors import InputError

reviews_app = typer.Typer(
    help="Review analytics: aspect sentiment, pros/cons, customer needs.", no_args_is_help=True
)
TaxonomyOpt = Annotated[
    Path | None,
    typer.Option(help="shop taxonomy JSON (default: $SHOPMIND_HOME/reviews/taxonomy.json)"),
]


@reviews_app.command("analyse")
def analyse_command(ctx: typer.Context, taxonomy: TaxonomyOpt = None) -> None:
    """Analyse every review not analysed yet (or changed since) and store the results.

    Review sentiment comes from the promoted sentiment-zh / sentiment-en / sentiment model
    (train one with `shopmind train classifier ... --task sentiment-zh --promote`), else from
    the aspect rules."""
    from shopmind.reviews import analyse_pending, load_taxonomy

    store = get_store(ctx)
    with cli_errors():
        done = analyse_pending(store, taxonomy=load_taxonomy(taxonomy))
    console.print(f"analysed {done:,} reviews")


@reviews_app.command("insights")
def insights_command(
    ctx: typer.Context,
    product_id: Annotated[str | None, typer.Option(help="one product id")] = None,
    category: Annotated[
        str | None, typer.Option(help="a category path, e.g. 'Home > Kitchen' (and below)")
    ] = None,
    lang: Annotated[str, typer.Option(help="language of the labels: en or zh")] = "en",
    themes: Annotated[bool, typer.Option(help="group needs into themes (embeds with e5)")] = True,
    chart: Annotated[
        Path | None, typer.Option(help="also write the aspect-over-time chart (.png or .svg)")
    ] = None,
    taxonomy: TaxonomyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Aspect sentiment, pros/cons with cited reviews, needs themes and trend."""
    from shopmind.models.embed import CachedEmbedder, get_embedder
    from shopmind.reviews import Scope, insights, insights_chart, load_taxonomy

    store = get_store(ctx)
    with cli_errors():
        if lang not in ("en", "zh"):
            raise InputError(f"--lang must be en or zh, got {lang!r}")
        if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
            raise InputError(f"--chart must end in .png or .svg, got {chart.name!r}")
        scope = Scope.parse(product_id, category)
        tax = load_taxonomy(taxonomy)
        embedder = CachedEmbedder(get_embedder(), store) if themes else None
        result = insights(store, scope, taxonomy=tax, embedder=embedder, language=lang)
        if chart is not None:
            fmt = chart.suffix.lower().lstrip(".")
            chart.write_bytes(insights_chart(store, scope, taxonomy=tax, fmt=fmt))
    if as_json:
        print_json(result)
        return
    _show(result, scope.name)
    if chart is not None:
        console.print(f"chart: {chart}")


def _show(result: dict[str, Any], name: str) -> None:
    console.print(f"[bold]{name}[/]: {result['reviews']:,} reviews {result['polarity']}")
    sentiment = result["sentiment"]
    sources = ", ".join(f"{source} ×{n}" for source, n in sentiment["sources"].items())
    agreement = sentiment["rating_agreement"]
    console.print(
        f"sentiment from {sources or 'nothing yet'}; agrees with the stars: "
        + (f"{agreement:.0%} of {sentiment['judged']}" if agreement is not None else "n/a"),
        highlight=False,
    )
    table = Table("aspect", "reviews", "positive", "negative", "net", title="aspect sentiment")
    for row in result["aspects"]:
        table.add_row(
            row["label"],
            str(row["reviews"]),
            str(row["positive"]),
            str(row["negative"]),
            f"{row['net']:+.2f}",
        )
    console.print(table)
    for key in ("pros", "cons"):
        for point in result[key]:
            ids = ", ".join(point["review_ids"][:5])
            console.print(
                f"{key[:-1]}: {point['label']} ×{point['count']}: “{point['point']}” ({ids})",
                highlight=False,
            )
    needs = result["needs"]
    console.print(f"needs: {needs['wishes']} wishes, {needs['complaints']} complaints")
    for kind, found in (needs["themes"] or {}).items():
        for theme in found[:5]:
            quote = theme["quotes"][0]
            console.print(
                f"  {kind} ×{theme['count']} [{', '.join(theme['keywords'])}]: "
                f"“{quote['text']}” ({quote['review_id']})",
                highlight=False,
            )
