"""``shopmind models …``: the model registry (register ``models_app`` as "models")."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from shopmind.cli.common import cli_errors, console, print_json

models_app = typer.Typer(help="Trained models: list, show, promote.", no_args_is_help=True)


@models_app.command("list")
def list_command(
    task: Annotated[str | None, typer.Option(help="only this task")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """Every trained model: task, version, method, base, test macro-F1, created, promoted."""
    from shopmind.models.registry import list_models

    with cli_errors():
        entries = list_models(task)
    table = Table("task", "version", "method", "base", "test macro-F1", "created", "promoted")
    for e in entries:
        value = "" if e.value is None else f"{e.value:.4f}"
        table.add_row(
            e.task, e.version, e.method, e.base, value, e.created_at, "✓" if e.promoted else ""
        )
    console.print(table if entries else "no trained models yet (shopmind train classifier …)")
    if as_json:
        print_json({"models": [e.as_dict() for e in entries]})


@models_app.command("show")
def show_command(
    model: Annotated[
        str, typer.Argument(help="task (promoted, else newest), task/version or a folder")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object last")] = False,
) -> None:
    """The metadata of one model and its test report."""
    from shopmind.cli.train import show_report
    from shopmind.models.registry import show_model

    with cli_errors():
        meta = show_model(model)
    console.print(
        f"[bold]{meta.get('task')}/{meta.get('version')}[/] {meta.get('method')} on "
        f"{meta.get('base', {}).get('name')} — {meta['path']}"
        + (" (promoted)" if meta["promoted"] else "")
    )
    data = meta.get("data", {})
    console.print(
        f"data {data.get('path')} sha256 {str(data.get('sha256'))[:16]}…, split "
        f"{data.get('split')}, seed {meta.get('seed')}, created {meta.get('created_at')}",
        highlight=False,
    )
    if "per_class" in meta.get("metrics", {}).get("test", {}):
        show_report(meta)
    if as_json:
        print_json(meta)


@models_app.command("promote")
def promote_command(
    task: Annotated[str, typer.Argument(help="task name")],
    version: Annotated[str, typer.Argument(help="version to serve, e.g. v3")],
) -> None:
    """Make TASK/VERSION the model served for TASK (one promoted model per task)."""
    from shopmind.models.registry import promote

    with cli_errors():
        entry = promote(task, version)
    console.print(f"promoted {entry.task}/{entry.version} ({entry.method}, {entry.base})")
