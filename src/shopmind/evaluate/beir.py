"""Search benchmark files: corpus.jsonl, queries.tsv, qrels.tsv (the BEIR-like layout)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import orjson

from shopmind.core.errors import InputError


@dataclass
class SearchDataset:
    docs: list[dict[str, object]]  # each has doc_id, title, maybe description and attributes
    queries: dict[str, str]
    qrels: dict[str, dict[str, float]]


def load_search_dataset(corpus: Path, queries: Path, qrels: Path) -> SearchDataset:
    for path in (corpus, queries, qrels):
        if not path.is_file():
            raise InputError(f"benchmark file not found: {path}")
    docs: list[dict[str, object]] = []
    with corpus.open("rb") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            row = orjson.loads(line)
            if "doc_id" not in row or "title" not in row:
                raise InputError(f"{corpus}:{line_no}: each line needs doc_id and title")
            row["doc_id"] = str(row["doc_id"])
            docs.append(row)
    query_text = {r["query_id"]: r["query"] for r in _tsv(queries, ("query_id", "query"))}
    judged: dict[str, dict[str, float]] = {}
    for r in _tsv(qrels, ("query_id", "doc_id", "gain")):
        judged.setdefault(r["query_id"], {})[r["doc_id"]] = float(r["gain"])
    judged = {q: g for q, g in judged.items() if q in query_text}
    return SearchDataset(docs, query_text, judged)


def _tsv(path: Path, needed: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
        return list(reader)


def query_half(query_id: str, seed: str = "shopmind-42") -> int:
    """0 or 1: a stable query-disjoint split (train a ranker on one half, report on the other)."""
    return hashlib.md5(f"{seed}{query_id}".encode(), usedforsecurity=False).digest()[-1] % 2
