"""``shopmind``: the command-line entry point."""

from __future__ import annotations

from typing import Annotated

import typer

from shopmind import __version__
from shopmind.cli import admin, bench, chat, demo, ingest, recommend, reviews, search, serve
from shopmind.cli.models import models_app
from shopmind.cli.train import train_app

app = typer.Typer(
    name="shopmind",
    help="ShopMind: search, recommendations, review analytics and more for any online shop.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option(
            "--store", envvar="SHOPMIND_DATABASE_URL", help="sqlite:///path or postgresql://…"
        ),
    ] = None,
) -> None:
    """Global options."""
    ctx.ensure_object(dict)["store_url"] = store


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


app.command("ingest")(ingest.ingest_command)
app.command("stats")(admin.stats_command)
app.command("serve")(serve.serve_command)
app.command("demo")(demo.demo_command)
app.command("chat")(chat.chat_command)
app.add_typer(admin.customers_app, name="customers")
app.add_typer(admin.keys_app, name="keys")
app.add_typer(admin.db_app, name="db")
app.add_typer(bench.bench_app, name="bench")
app.add_typer(train_app, name="train")
app.add_typer(models_app, name="models")
app.add_typer(search.search_app, name="search")
app.add_typer(reviews.reviews_app, name="reviews")
app.add_typer(recommend.recommend_app, name="recommend")

if __name__ == "__main__":  # pragma: no cover
    app()
