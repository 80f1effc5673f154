"""Raw rows from files, each with the line it started on, and row-level errors instead of crashes.

Files are decoded with ``surrogateescape`` so one bad byte costs one row, not the whole file:
a row holding an undecodable byte is reported with its line and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from shopmind.core.errors import InputError
from shopmind.ingest.report import RowError

MAX_FIELD_CHARS = 1_000_000
_BAD_BYTE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Raw:
    """One source row: the 1-based line it starts on and its fields."""

    line: int
    fields: dict[str, Any]


RawOrError = Raw | RowError


def _open_text(path: Path, encoding: str) -> Any:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    return path.open(encoding=enc, errors="surrogateescape", newline="")


def _bad_utf8(path: Path, line: int, fields: dict[str, Any]) -> RowError | None:
    for name, value in fields.items():
        if isinstance(value, str) and _BAD_BYTE.search(value):
            return RowError(
                str(path),
                line,
                str(name),
                "invalid UTF-8 (save the file as UTF-8 or pass --encoding)",
            )
    return None


def read_csv(
    path: Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    columns: list[str] | None = None,
    required: tuple[str, ...] = (),
    repeated_columns: bool = False,
) -> Iterator[RawOrError]:
    """Rows of a delimited file as dicts. ``columns`` names the fields of a file without header.

    A repeated column name is an error unless ``repeated_columns``, in which case the second
    ``image`` column is called ``image#2`` (Merchant feeds may repeat attributes).
    """
    csv.field_size_limit(MAX_FIELD_CHARS)
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        header = columns or _read_header(reader, path, repeated_columns)
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(
                f"{path}: missing required column(s) {', '.join(missing)}; "
                f"found: {', '.join(header)}"
            )
        yield from _csv_rows(reader, header, path, first_line=0 if columns else 1)


def _read_header(reader: Any, path: Path, repeated: bool = False) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty (no header row)") from None
    except csv.Error as exc:
        raise InputError(f"{path}:1: unreadable header: {exc}") from None
    header = [h.strip() for h in header]
    if _BAD_BYTE.search("".join(header)):
        raise InputError(f"{path}:1: the header is not valid UTF-8; pass --encoding (e.g. gb18030)")
    dupes = sorted({h for h in header if header.count(h) > 1 and h})
    if dupes and repeated:
        seen: dict[str, int] = {}
        for n, name in enumerate(header):
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                header[n] = f"{name}#{seen[name]}"
    elif dupes:
        raise InputError(f"{path}:1: duplicate column name(s) {', '.join(dupes)}")
    return header


def _csv_rows(reader: Any, header: list[str], path: Path, first_line: int) -> Iterator[RawOrError]:
    previous_end = first_line
    while True:
        start = previous_end + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            previous_end = reader.line_num
            yield RowError(str(path), start, "-", f"malformed CSV: {exc}")
            continue
        previous_end = reader.line_num
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # blank line
        if len(values) != len(header):
            yield RowError(
                str(path), start, "-", f"has {len(values)} fields, the header has {len(header)}"
            )
            continue
        fields = dict(zip(header, values, strict=True))
        # One search over the joined row: almost every row is clean.
        if _BAD_BYTE.search("".join(values)):
            yield _bad_utf8(path, start, fields) or Raw(start, fields)
        else:
            yield Raw(start, fields)


def read_jsonl(path: Path, *, encoding: str = "utf-8") -> Iterator[RawOrError]:
    """One JSON object per line; blank lines are skipped."""
    for item in jsonl_lines(path, encoding=encoding):
        yield item if isinstance(item, RowError) else parse_json_line(path, *item)


def jsonl_lines(path: Path, *, encoding: str = "utf-8") -> Iterator[tuple[int, bytes] | RowError]:
    """The non-blank lines of a JSON-lines file as UTF-8 bytes, with their line numbers.

    UTF-8 lines go to orjson as bytes (it checks the encoding itself, and skipping a decode per
    line is measurable on event files); other encodings are decoded first.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            if len(raw) > MAX_FIELD_CHARS * 4:
                yield RowError(
                    str(path), number, "-", f"line longer than {MAX_FIELD_CHARS * 4} bytes"
                )
                continue
            yield number, raw if utf8 else _recode(raw, encoding)


def _recode(raw: bytes, encoding: str) -> bytes:
    try:
        return raw.decode(encoding).encode()
    except UnicodeDecodeError:
        return b"\xff"  # not UTF-8 either: reported as an encoding error below


def parse_json_line(path: Path, number: int, raw: bytes) -> RawOrError:
    """One JSON object from one line, or the reason it is not one."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "UTF-8" in str(exc):
            return RowError(
                str(path), number, "-", "invalid UTF-8 (save as UTF-8 or pass --encoding)"
            )
        return RowError(str(path), number, "-", f"invalid JSON: {exc}")
    if not isinstance(obj, dict):
        return RowError(str(path), number, "-", f"expected a JSON object, got {type(obj).__name__}")
    return Raw(number, obj)


def read_parquet(path: Path, *, batch_rows: int = 10_000) -> Iterator[RawOrError]:
    """Rows of a Parquet file; ``line`` is the 1-based row number."""
    import pyarrow.parquet as pq

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from None
    number = 0
    for batch in parquet.iter_batches(batch_size=batch_rows):
        for fields in batch.to_pylist():
            number += 1
            yield Raw(number, {k: v for k, v in fields.items() if v is not None})


def sniff_format(path: Path) -> str:
    """'csv', 'tsv', 'jsonl' or 'parquet' from the file name."""
    name = path.name.lower()
    for suffix, fmt in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "jsonl"),
        (".parquet", "parquet"),
        (".tsv", "tsv"),
        (".txt", "tsv"),
        (".csv", "csv"),
    ):
        if name.endswith(suffix):
            return fmt
    raise InputError(f"{path}: cannot tell the format from the name; pass --format")


def read_table(
    path: Path,
    fmt: str,
    *,
    encoding: str = "utf-8",
    columns: list[str] | None = None,
    delimiter: str | None = None,
) -> Iterator[RawOrError]:
    """Rows of a csv / tsv / jsonl / parquet file."""
    if fmt == "csv":
        return read_csv(path, delimiter=delimiter or ",", encoding=encoding, columns=columns)
    if fmt == "tsv":
        return read_csv(path, delimiter=delimiter or "\t", encoding=encoding, columns=columns)
    if fmt == "jsonl":
        return read_jsonl(path, encoding=encoding)
    if fmt == "parquet":
        return read_parquet(path)
    raise InputError(f"unknown table format {fmt!r}; expected csv, tsv, jsonl or parquet")
