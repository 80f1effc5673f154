"""ga4 reader (being written)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from shopmind.ingest.generic import CandidateOrError, ReadOptions


def read_events(path: Path, opts: ReadOptions) -> Iterator[CandidateOrError]:
    raise NotImplementedError
