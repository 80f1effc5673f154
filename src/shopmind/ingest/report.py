"""What an ingest did: counts per outcome and every rejected row with file, line, field, reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

OnError = Literal["reject-file", "skip-row"]
ON_ERROR_CHOICES: tuple[OnError, ...] = ("reject-file", "skip-row")
MAX_LISTED_ERRORS = 1000  # a report lists this many rejected rows; the count covers them all


@dataclass(frozen=True)
class RowError:
    """One rejected row. ``line`` is 1-based (the header is line 1 in CSV); 0 = the whole file."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason}


@dataclass
class IngestReport:
    """Counts for one ingest. ``committed`` says whether the good rows were written."""

    kind: str
    source: str
    format: str
    on_error: OnError
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    committed: bool = False
    seconds: float = 0.0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    started_at: datetime | None = None

    def reject(self, error: RowError) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(error)

    @property
    def ok(self) -> bool:
        return self.rejected == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "format": self.format,
            "on_error": self.on_error,
            "committed": self.committed,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 3),
            "errors": [e.as_dict() for e in self.errors],
            "errors_truncated": self.rejected > len(self.errors),
            "warnings": self.warnings,
        }
