"""``shopmind ingest KIND PATH``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from shopmind.cli.common import cli_errors, console, get_store, print_failure, print_json
from shopmind.core.errors import IngestRejected
from shopmind.core.settings import get_settings
from shopmind.ingest import KINDS, IngestReport, Mapping, ingest
from shopmind.ingest.report import ON_ERROR_CHOICES
from shopmind.store import Store

if TYPE_CHECKING:
    from shopmind.reviews import IngestAnalysis


def ingest_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"one of: {', '.join(KINDS)}")],
    path: Annotated[Path, typer.Argument(help="file, or folder for documents")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="auto, csv, tsv, jsonl, parquet, shopify, woocommerce, merchant, ga4, folder",
        ),
    ] = "auto",
    on_error: Annotated[
        str,
        typer.Option(
            help="reject-file: commit nothing if any row is bad; skip-row: commit the good rows"
        ),
    ] = "reject-file",
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=COLUMN, FIELD={template}, FIELD==constant (repeatable)"),
    ] = None,
    values: Annotated[
        list[str] | None,
        typer.Option("--values", help="FIELD:from=to,from=to value map (repeatable)"),
    ] = None,
    mapping_file: Annotated[
        Path | None, typer.Option(help="JSON mapping {fields: {...}, values: {...}}")
    ] = None,
    columns: Annotated[
        str | None, typer.Option(help="comma-separated column names for a file without header")
    ] = None,
    delimiter: Annotated[str | None, typer.Option(help="field delimiter for csv/tsv")] = None,
    encoding: Annotated[str, typer.Option(help="text encoding, e.g. utf-8, gb18030")] = "utf-8",
    currency: Annotated[
        str | None, typer.Option(help="currency of prices written without one")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the report as one JSON object")
    ] = False,
) -> None:
    """Ingest a file of products, customers, events, orders, reviews or documents.

    Reviews are analysed once committed (SHOPMIND_REVIEWS_ANALYSE_ON_INGEST=false: left for
    `shopmind reviews analyse`); a failed analysis is a warning, never a failed ingest."""
    if on_error not in ON_ERROR_CHOICES:
        raise typer.BadParameter(
            f"choose one of {', '.join(ON_ERROR_CHOICES)}", param_hint="--on-error"
        )
    store = get_store(ctx)
    with cli_errors():
        mapping = Mapping.parse(map_, values)
        if mapping_file:
            mapping = Mapping.from_file(mapping_file).merged(mapping)
        try:
            with _progress(as_json) as (progress, task):
                report = ingest(
                    store,
                    kind,
                    path,
                    fmt=fmt,
                    on_error=on_error,
                    mapping=mapping,
                    encoding=encoding,
                    delimiter=delimiter,
                    columns=columns.split(",") if columns else None,
                    default_currency=currency,
                    progress=lambda n: progress.update(task, completed=n),
                )
        except IngestRejected as exc:
            _show(exc.report, as_json)  # type: ignore[arg-type]
            print_failure("rejected:", exc)
            raise typer.Exit(1) from None
    analysis = _analyse_reviews(store, as_json) if kind == "reviews" else None
    _show(report, as_json, analysis)


def _analyse_reviews(store: Store, quiet: bool) -> IngestAnalysis | None:
    """New or changed reviews analysed after their ingest committed (None: switched off)."""
    from shopmind.reviews import analyse_after_ingest

    if not get_settings().reviews_analyse_on_ingest:
        return None
    with _progress(quiet, "analyse", "reviews") as (progress, task):
        return analyse_after_ingest(store, progress=lambda n: progress.advance(task, n))


@contextmanager
def _progress(
    quiet: bool, name: str = "ingest", unit: str = "rows"
) -> Iterator[tuple[Progress, TaskID]]:
    columns = (
        TextColumn(f"[bold]{name}"),
        BarColumn(),
        TextColumn(f"{{task.completed:,}} {unit}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, disable=quiet, transient=True) as progress:
        yield progress, progress.add_task(name, total=None)


def _show(report: IngestReport, as_json: bool, analysis: IngestAnalysis | None = None) -> None:
    if as_json:
        body = report.as_dict()
        if report.kind == "reviews":
            body["review_analysis"] = analysis.as_dict() if analysis else None
        print_json(body)
        return
    table = Table(title=f"ingest {report.kind} from {report.source} ({report.format})")
    for name in ("read", "inserted", "updated", "unchanged", "rejected"):
        table.add_column(name, justify="right")
    table.add_row(
        *(
            f"{getattr(report, n):,}"
            for n in ("read", "inserted", "updated", "unchanged", "rejected")
        )
    )
    console.print(table)
    for error in report.errors[:50]:
        console.print(f"  [red]✗[/] {error}", highlight=False, markup=True)
    if report.rejected > 50:
        console.print(f"  … {report.rejected - 50} more (use --json for the full list)")
    for warning in report.warnings:
        console.print(f"  [yellow]![/] {warning}", highlight=False)
    state = "committed" if report.committed else "nothing committed"
    console.print(f"{state} in {report.seconds:.2f}s")
    if analysis is not None and analysis.error is None:
        console.print(f"analysed {analysis.analysed:,} reviews")
    elif analysis is not None:
        console.print(
            f"[yellow]![/] review analysis stopped after {analysis.analysed:,} reviews "
            f"({analysis.error}); the rest stay pending: run `shopmind reviews analyse`",
            highlight=False,
            markup=True,
        )
