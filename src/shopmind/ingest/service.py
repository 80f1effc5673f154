"""``ingest()``: read a file, normalise, validate, and upsert it atomically; report every outcome.

One ingest is one transaction. With ``on_error='reject-file'`` any bad row means nothing is
committed (the rest of the file is still validated, so the report lists every problem); with
``'skip-row'`` the good rows are committed and the bad ones reported. A crash or SIGKILL at any
point leaves the store as it was before the ingest started.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from shopmind.core.errors import IngestRejected, InputError
from shopmind.core.schemas import ENTITY_MODELS, error_message, now_utc
from shopmind.core.settings import get_settings
from shopmind.ingest import documents, ga4, merchant, shopify, woocommerce
from shopmind.ingest.detect import detect_format
from shopmind.ingest.generic import Candidate, CandidateOrError, ReadOptions, read_generic
from shopmind.ingest.mapping import FieldError, Mapping
from shopmind.ingest.normalise import NORMALISERS
from shopmind.ingest.report import ON_ERROR_CHOICES, IngestReport, OnError, RowError
from shopmind.store import Store, erased_among

Progress = Callable[[int], None]
Reader = Callable[[str, Path, ReadOptions], Iterator[CandidateOrError]]
TABLE_FORMATS = ("csv", "tsv", "jsonl", "parquet")
SPECIAL_FORMATS: dict[str, dict[str, Callable[[Path, ReadOptions], Iterator[CandidateOrError]]]] = {
    "products": {
        "shopify": shopify.read_products,
        "woocommerce": woocommerce.read_products,
        "merchant": merchant.read_feed,
    },
    "events": {"ga4": ga4.read_events},
    "documents": {"folder": lambda path, opts: documents.read_folder(path, opts.encoding)},
}
KINDS = ("products", "customers", "events", "orders", "reviews", "documents")
_PERSON_FIELD = {
    "customers": "id",
    "events": "customer_id",
    "orders": "customer_id",
    "reviews": "customer_id",
}


class _Rollback(Exception):
    """Raised inside the transaction to undo it when the file is rejected."""


def formats_for(kind: str) -> list[str]:
    """The formats ``ingest`` accepts for a kind."""
    return ["auto", *TABLE_FORMATS, *SPECIAL_FORMATS.get(kind, {})]


def ingest(
    store: Store,
    kind: str,
    path: str | Path,
    *,
    fmt: str = "auto",
    on_error: OnError = "reject-file",
    mapping: Mapping | None = None,
    encoding: str = "utf-8",
    columns: list[str] | None = None,
    delimiter: str | None = None,
    default_currency: str | None = None,
    batch_size: int = 2000,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest one file (or folder, for documents) of ``kind`` into ``store``.

    Returns the report when something was committed; raises ``IngestRejected`` (carrying the
    report) when ``on_error='reject-file'`` and any row is bad, and ``InputError`` when the file
    as a whole cannot be read (missing, empty, missing required columns).
    """
    path = Path(path)
    _check_args(kind, on_error, batch_size)
    fmt = _resolve_format(kind, path, fmt)
    opts = ReadOptions(
        fmt=fmt,
        encoding=encoding,
        columns=columns,
        delimiter=delimiter,
        mapping=mapping,
        default_currency=default_currency or get_settings().default_currency,
        warnings=[],
    )
    report = IngestReport(kind=kind, source=str(path), format=fmt, on_error=on_error)
    report.started_at = now_utc()
    started = time.perf_counter()
    try:
        with store.write() as conn:
            _run(store, conn, kind, _reader(kind, path, opts), report, progress, batch_size)
            report.warnings = opts.warnings or []
            if report.rejected and on_error == "reject-file":
                raise _Rollback
            report.seconds = time.perf_counter() - started
            report.committed = True
            _record_run(store, conn, report)
    except _Rollback:
        report.seconds = time.perf_counter() - started
        report.inserted = report.updated = report.unchanged = 0
        raise IngestRejected(report, _rejection_message(report)) from None
    return report


def _check_args(kind: str, on_error: str, batch_size: int) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if on_error not in ON_ERROR_CHOICES:
        raise InputError(f"on_error must be one of {', '.join(ON_ERROR_CHOICES)}, got {on_error!r}")
    if batch_size <= 0:
        raise InputError(f"batch_size must be > 0, got {batch_size}")


def _resolve_format(kind: str, path: Path, fmt: str) -> str:
    allowed = formats_for(kind)
    if fmt not in allowed:
        raise InputError(
            f"format {fmt!r} is not available for {kind}; choose from {', '.join(allowed)}"
        )
    if fmt != "auto":
        return fmt
    if kind == "documents" and path.is_dir():
        return "folder"
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return detect_format(kind, path)


def _reader(kind: str, path: Path, opts: ReadOptions) -> Iterator[CandidateOrError]:
    special = SPECIAL_FORMATS.get(kind, {}).get(opts.fmt)
    if special is not None:
        return special(path, opts)
    return read_generic(kind, path, opts)


def _run(
    store: Store,
    conn: sa.Connection,
    kind: str,
    items: Iterator[CandidateOrError],
    report: IngestReport,
    progress: Progress | None,
    batch_size: int,
) -> None:
    validator = _Validator(kind, report)
    batch: list[tuple[str, int, BaseModel]] = []
    for item in items:
        report.read += 1
        model = validator.check(item)
        if model is not None:
            batch.append((item.source or report.source, item.line, model))  # type: ignore[union-attr]
        if len(batch) >= batch_size:
            _flush(store, conn, kind, batch, report)
            batch = []
            if progress:
                progress(report.read)
    _flush(store, conn, kind, batch, report)
    if progress:
        progress(report.read)


class _Validator:
    """Normalises and validates candidates, and catches duplicate ids within the file."""

    def __init__(self, kind: str, report: IngestReport) -> None:
        self.kind = kind
        self.model = ENTITY_MODELS[kind]
        self.normalise = NORMALISERS[kind]
        self.report = report
        self.seen: dict[str, tuple[str, int]] = {}

    def check(self, item: CandidateOrError) -> BaseModel | None:
        if isinstance(item, RowError):
            self.report.reject(item)
            return None
        source = item.source or self.report.source
        model = self._validate(source, item)
        if model is None:
            return None
        if self.kind == "events":
            return model  # identical events are duplicates to skip, not errors
        entity_id = str(getattr(model, "id", ""))
        if entity_id in self.seen:
            first_source, first_line = self.seen[entity_id]
            where = (
                f"line {first_line}" if first_source == source else f"{first_source}:{first_line}"
            )
            self.report.reject(
                RowError(
                    source, item.line, "id", f"duplicate id {entity_id!r}; first seen on {where}"
                )
            )
            return None
        self.seen[entity_id] = (source, item.line)
        return model

    def _validate(self, source: str, item: Candidate) -> BaseModel | None:
        if item.model is not None:
            return item.model
        try:
            return self.model.model_validate(self.normalise(item.data))
        except ValidationError as exc:
            if item.coerce is None:
                self.report.reject(_validation_error(source, item, exc))
                return None
        try:
            data = item.coerce(item.data)
        except FieldError as exc:
            self.report.reject(RowError(source, item.line, exc.field, exc.reason))
            return None
        try:
            return self.model.model_validate(self.normalise(data))
        except ValidationError as exc:
            self.report.reject(_validation_error(source, item, exc))
            return None


def _validation_error(source: str, item: Candidate, exc: ValidationError) -> RowError:
    errors = exc.errors(include_url=False, include_input=False)
    fields = [".".join(str(p) for p in e["loc"]) or "-" for e in errors]
    reasons = [
        f"{f}: {error_message(e)}" if len(errors) > 1 else error_message(e)
        for f, e in zip(fields, errors, strict=True)
    ]
    return RowError(source, item.line, ",".join(dict.fromkeys(fields)), "; ".join(reasons))


def _flush(
    store: Store,
    conn: sa.Connection,
    kind: str,
    batch: list[tuple[str, int, BaseModel]],
    report: IngestReport,
) -> None:
    if not batch:
        return
    batch = _drop_erased(store, conn, kind, batch, report)
    if report.rejected and report.on_error == "reject-file":
        return  # nothing will be committed; keep validating only
    counts = store.upsert(kind, [model for _, _, model in batch], conn)
    report.inserted += counts.inserted
    report.updated += counts.updated
    report.unchanged += counts.unchanged


def _drop_erased(
    store: Store,
    conn: sa.Connection,
    kind: str,
    batch: list[tuple[str, int, BaseModel]],
    report: IngestReport,
) -> list[tuple[str, int, BaseModel]]:
    field = _PERSON_FIELD.get(kind)
    if field is None:
        return batch
    people = {getattr(m, field) for _, _, m in batch if getattr(m, field)}
    erased = erased_among(store, people, conn) if people else set()
    if not erased:
        return batch
    kept = []
    for source, line, model in batch:
        if getattr(model, field) in erased:
            report.reject(
                RowError(
                    source,
                    line,
                    field,
                    "this customer was erased; their data is not accepted again",
                )
            )
        else:
            kept.append((source, line, model))
    return kept


def _record_run(store: Store, conn: sa.Connection, report: IngestReport) -> None:
    summary: dict[str, Any] = report.as_dict()
    summary["errors"] = summary["errors"][:20]
    store.record_ingest_run(
        conn,
        {
            "kind": report.kind,
            "source": report.source,
            "format": report.format,
            "started_at": report.started_at or now_utc(),
            "finished_at": now_utc(),
            "report": summary,
        },
    )


def _rejection_message(report: IngestReport) -> str:
    first = "\n".join(f"  {e}" for e in report.errors[:10])
    more = f"\n  … and {report.rejected - 10} more" if report.rejected > 10 else ""
    return (
        f"{report.source}: {report.rejected} of {report.read} rows rejected; nothing was committed "
        f"(use --on-error skip-row to commit the good rows):\n{first}{more}"
    )
