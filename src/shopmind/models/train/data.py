"""Labelled texts from a CSV: cleaned, de-duplicated, conflicts dropped, every problem counted.

De-duplication happens here, before any split, so that no text can land in two splits (a
duplicated review in train and test inflates accuracy; the zh shopping set has a few dozen).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shopmind.core.errors import InputError
from shopmind.models.files import sha256_file
from shopmind.text import clean_text

_SHOWN_ROWS = 10  # row numbers quoted per problem in messages


@dataclass(frozen=True)
class LabelledTexts:
    """Distinct cleaned texts with one label each (and an optional group, e.g. a domain)."""

    texts: list[str]
    labels: list[str]
    groups: list[str] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def label_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.labels).items()))


@dataclass
class DataReport:
    """What reading the file found; row numbers count the header as row 1, like a spreadsheet."""

    path: str
    sha256: str
    rows: int = 0
    empty_text_rows: list[int] = field(default_factory=list)
    missing_label_rows: list[int] = field(default_factory=list)
    duplicate_rows: int = 0  # repeats of a text with the same label (one copy kept)
    conflicting_texts: int = 0  # distinct texts seen with two or more labels (all dropped)
    conflicting_rows: int = 0
    sampled_from: int | None = None  # distinct texts before --max-rows sampling

    def problems(self) -> list[str]:
        """Human-readable lines for each kind of skipped row."""
        out = []
        if self.empty_text_rows:
            out.append(
                f"{len(self.empty_text_rows)} empty texts skipped ({_rows(self.empty_text_rows)})"
            )
        if self.missing_label_rows:
            n = len(self.missing_label_rows)
            out.append(f"{n} rows without a label skipped ({_rows(self.missing_label_rows)})")
        if self.duplicate_rows:
            out.append(f"{self.duplicate_rows} duplicate rows removed (same text, same label)")
        if self.conflicting_texts:
            out.append(
                f"{self.conflicting_texts} texts with conflicting labels dropped "
                f"({self.conflicting_rows} rows)"
            )
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "rows": self.rows,
            "empty_texts": len(self.empty_text_rows),
            "missing_labels": len(self.missing_label_rows),
            "duplicate_rows": self.duplicate_rows,
            "conflicting_texts": self.conflicting_texts,
            "conflicting_rows": self.conflicting_rows,
            "sampled_from": self.sampled_from,
        }


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_SHOWN_ROWS])
    more = f" and {len(numbers) - _SHOWN_ROWS} more" if len(numbers) > _SHOWN_ROWS else ""
    return f"rows {shown}{more}"


def normalise_text(text: str) -> str:
    """The form texts are compared and trained in: invisible characters gone, spaces collapsed."""
    return clean_text(text, single_line=True)


def read_labelled_csv(
    path: Path, text_col: str, label_col: str, *, group_col: str | None = None
) -> tuple[LabelledTexts, DataReport]:
    """Read, clean and de-duplicate ``path``; raise InputError naming what to fix."""
    if not path.is_file():
        raise InputError(f"data file not found: {path}")
    report = DataReport(path=str(path.resolve()), sha256=sha256_file(path))
    first_seen: dict[str, tuple[str, str | None]] = {}
    labels_of: dict[str, set[str]] = {}
    rows_of: Counter[str] = Counter()
    for row_number, row in _records(path, text_col, label_col, group_col):
        report.rows += 1
        text = normalise_text(row[text_col] or "")
        label = (row[label_col] or "").strip()
        if not text:
            report.empty_text_rows.append(row_number)
            continue
        if not label:
            report.missing_label_rows.append(row_number)
            continue
        first_seen.setdefault(text, (label, row[group_col] if group_col else None))
        labels_of.setdefault(text, set()).add(label)
        rows_of[text] += 1
    return _dedupe(first_seen, labels_of, rows_of, report, group_col is not None)


def _dedupe(
    first_seen: dict[str, tuple[str, str | None]],
    labels_of: dict[str, set[str]],
    rows_of: Counter[str],
    report: DataReport,
    grouped: bool,
) -> tuple[LabelledTexts, DataReport]:
    texts: list[str] = []
    labels: list[str] = []
    groups: list[str] = []
    for text, (label, group) in first_seen.items():
        if len(labels_of[text]) > 1:
            report.conflicting_texts += 1
            report.conflicting_rows += rows_of[text]
            continue
        report.duplicate_rows += rows_of[text] - 1
        texts.append(text)
        labels.append(label)
        groups.append(group or "")
    if not texts:
        detail = "; ".join(report.problems()) or "the file has a header but no rows"
        raise InputError(f"{report.path}: no usable labelled texts ({detail})")
    return LabelledTexts(texts, labels, groups if grouped else None), report


def _records(
    path: Path, text_col: str, label_col: str, group_col: str | None
) -> Iterator[tuple[int, dict[str, str]]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long reviews exceed the 128 KiB default
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames
            if not columns:
                raise InputError(f"{path} is empty: expected a CSV header row naming the columns")
            for name, role in ((text_col, "--text-col"), (label_col, "--label-col")):
                _need_column(path, columns, name, role)
            if group_col:
                _need_column(path, columns, group_col, "group column")
            yield from enumerate(reader, start=2)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}); re-save it as UTF-8 CSV"
        ) from None
    except csv.Error as exc:
        raise InputError(f"{path} is not a readable CSV file: {exc}") from None


def _need_column(path: Path, columns: Sequence[str], name: str, role: str) -> None:
    if name not in columns:
        available = ", ".join(repr(c) for c in columns)
        raise InputError(f"{path} has no column {name!r} ({role}); available columns: {available}")
