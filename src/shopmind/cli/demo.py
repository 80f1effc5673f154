"""``shopmind demo``: generate the bilingual demo store, ingest it, create keys, serve."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from shopmind.cli.common import cli_errors, console, get_store
from shopmind.core.settings import get_settings
from shopmind.ingest import ingest
from shopmind.store import Store, create_api_key, list_api_keys, revoke_api_key

# Files the generator writes, in the order they are ingested (documents is a folder).
DEMO_FILES = (
    ("products", "products.jsonl"),
    ("customers", "customers.jsonl"),
    ("documents", "documents"),
    ("orders", "orders.jsonl"),
    ("reviews", "reviews.jsonl"),
    ("events", "events.jsonl"),
)


def demo_command(
    ctx: typer.Context,
    products: Annotated[int, typer.Option(min=100, help="number of products")] = 2000,
    customers: Annotated[int, typer.Option(min=10, help="number of customers")] = 600,
    events: Annotated[int, typer.Option(min=100, help="number of behaviour events")] = 60_000,
    orders: Annotated[int, typer.Option(min=10, help="number of orders")] = 3500,
    reviews: Annotated[int, typer.Option(min=10, help="number of reviews")] = 12_000,
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same shop")] = 7,
    out: Annotated[
        Path | None, typer.Option(help="where the files go (default $SHOPMIND_HOME/demo)")
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="serve the API afterwards")
    ] = True,
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
) -> None:
    """Build the demo shop end to end and (by default) serve it on 127.0.0.1:8000."""
    from shopmind.demo import generate

    out = out or get_settings().home / "demo"
    store = get_store(ctx)
    started = time.perf_counter()
    with cli_errors(), _bar() as bar:
        task = bar.add_task("generate", total=None)

        def show(stage: str, done: int, total: int) -> None:
            bar.update(task, description=f"generate {stage}", completed=done, total=total)

        generate(
            out,
            seed=seed,
            products=products,
            customers=customers,
            events=events,
            orders=orders,
            reviews=reviews,
            progress=show,
        )
        console.print(
            f"generated the demo shop (seed {seed}) in {time.perf_counter() - started:.1f}s "
            f"into {out}; planted preferences and aspects: {out / 'ground_truth.json'}",
            highlight=False,
        )
        for kind, name in DEMO_FILES:
            bar.update(task, description=f"ingest {kind}", completed=0, total=None)
            report = ingest(
                store, kind, out / name, progress=lambda n: bar.update(task, completed=n)
            )
            console.print(
                f"  {kind:<10} {report.read:>8,} read {report.inserted:>8,} new "
                f"{report.updated:>6,} upd {report.unchanged:>8,} same {report.seconds:5.1f}s",
                highlight=False,
            )
        _analyse_reviews(store, bar, task)
    counts = ", ".join(f"{n:,} {kind}" for kind, n in store.stats().items())
    console.print(f"demo store ready in {time.perf_counter() - started:.1f}s: {counts}")
    tokens = _demo_keys(store)
    _print_try(tokens, host or get_settings().api_host, port or get_settings().api_port)
    if serve:
        from shopmind.cli.serve import run_server

        run_server(ctx, host, port)


def _analyse_reviews(store: Store, bar: Progress, task: TaskID) -> None:
    """Sentiment and aspects of the demo's reviews, so insights answer at once (as after any
    ingest, unless ``reviews_analyse_on_ingest`` is off)."""
    from shopmind.reviews import analyse_after_ingest

    if not get_settings().reviews_analyse_on_ingest:
        return
    bar.update(task, description="analyse reviews", completed=0, total=None)
    started = time.perf_counter()
    done = analyse_after_ingest(store, progress=lambda n: bar.advance(task, n))
    seconds = time.perf_counter() - started
    note = f" ({done.error}; the rest stay pending)" if done.error else ""
    console.print(
        f"  {'analysed':<10} {done.analysed:>8,} reviews {seconds:5.1f}s{note}", highlight=False
    )


def _bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _demo_keys(store: Store) -> dict[str, str]:
    """Fresh demo keys, one per role; earlier demo keys are revoked so only these work."""
    for key in list_api_keys(store):
        if key.name.startswith("demo-") and key.revoked_at is None:
            revoke_api_key(store, key.id)
    return {
        role: create_api_key(store, f"demo-{role}", role)[1]
        for role in ("admin", "merchant", "storefront")
    }


def _print_try(tokens: dict[str, str], host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    console.print("\n[bold]API keys for this demo (shown once):[/]")
    for role, token in tokens.items():
        console.print(f"  {role:<10} {token}", highlight=False)
    console.print("\n[bold]Try:[/]")
    merchant, storefront = tokens["merchant"], tokens["storefront"]
    for line in (
        f"curl {base}/healthz",
        f"curl -H 'Authorization: Bearer {merchant}' {base}/v1/stats",
        f"curl -H 'Authorization: Bearer {storefront}' '{base}/v1/products?limit=3'",
        f"curl -H 'Authorization: Bearer {merchant}' '{base}/v1/orders?limit=1'",
        f"open {base}/docs   # interactive OpenAPI",
        "shopmind stats --json",
    ):
        console.print(f"  {line}", highlight=False, soft_wrap=True)
