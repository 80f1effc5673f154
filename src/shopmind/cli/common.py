"""Shared CLI plumbing: the store option, error display, JSON output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import orjson
import typer
from rich.console import Console
from rich.text import Text

from shopmind.core.errors import ShopMindError
from shopmind.store import Store, open_store

console = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])
# ``--vote`` of the classification benches (shopmind.bench.probes.VOTES).
VoteOption = Annotated[
    str,
    typer.Option(
        "--vote",
        help="how ensemble weighs its members: mean (temperature-calibrated, equal weights), "
        "greedy (calibrated, ensemble selection) or grid (raw, weight grid); all chosen on "
        "validation",
    ),
]


def print_json(obj: Any) -> None:
    """One JSON object on one line of stdout (scripts read the last line)."""
    sys.stdout.write(orjson.dumps(obj, default=str).decode() + "\n")
    sys.stdout.flush()


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn ShopMind errors into a red message and exit code 2, without a traceback."""
    try:
        yield
    except ShopMindError as exc:
        print_failure("error:", exc)
        raise typer.Exit(2) from None


def print_failure(label: str, exc: Exception) -> None:
    """``label`` in bold red, then the message as plain text on one line: a path or
    "['a', 'b']" is not read as markup, and a log or grep sees the whole message (the terminal
    wraps it where it must)."""
    message = Text.assemble((label, "bold red"), " ", str(exc))
    console.print(message, highlight=False, soft_wrap=True)


def get_store(ctx: typer.Context) -> Store:
    """The store named by --store (or SHOPMIND_DATABASE_URL / SHOPMIND_HOME), opened once."""
    obj = ctx.ensure_object(dict)
    if "store" not in obj:
        with cli_errors():
            obj["store"] = open_store(obj.get("store_url"))
    store: Store = obj["store"]
    return store
