"""A folder of Markdown / text / HTML documents (FAQ, policies, pages), with front matter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shopmind.core.errors import InputError
from shopmind.ingest.generic import Candidate, CandidateOrError
from shopmind.ingest.report import RowError
from shopmind.text import html_to_text

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_HEADING = re.compile(r"^#\s+(.+)$", re.M)
_POLICY_WORDS = (
    "policy",
    "policies",
    "terms",
    "return",
    "refund",
    "shipping",
    "delivery",
    "privacy",
    "warranty",
    "payment",
    "政策",
    "条款",
    "退货",
    "退款",
    "配送",
    "运费",
    "隐私",
    "保修",
    "支付",
)
_FAQ_WORDS = ("faq", "question", "help", "常见问题", "问答", "帮助")


def read_folder(path: Path, encoding: str = "utf-8") -> Iterator[CandidateOrError]:
    """One document per file under ``path`` (recursively), in a stable order."""
    if not path.is_dir():
        raise InputError(f"{path}: not a folder of documents")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise InputError(f"{path}: no {', '.join(SUFFIXES)} files found")
    for file in files:
        try:
            text = file.read_bytes().decode(encoding.replace("utf-8", "utf-8-sig"))
        except UnicodeDecodeError as exc:
            yield RowError(str(file), 1, "-", f"invalid {encoding} at byte {exc.start}")
            continue
        try:
            record = parse_document(
                text, file.relative_to(path), html=file.suffix.lower() in (".html", ".htm")
            )
        except ValueError as exc:
            yield RowError(str(file), 1, "front matter", str(exc))
            continue
        yield Candidate(1, record, source=str(file))


def parse_document(text: str, relative: Path, *, html: bool = False) -> dict[str, Any]:
    """Front matter (``key: value`` lines between ``---``), title from it or the first heading."""
    meta: dict[str, Any] = {}
    match = _FRONT.match(text)
    if match:
        meta = _front_matter(match.group(1))
        text = text[match.end() :]
    body = html_to_text(text) if html else text
    title = str(meta.pop("title", "") or "")
    heading = _HEADING.search(body)
    if not title:
        title = (
            heading.group(1).strip()
            if heading
            else relative.stem.replace("_", " ").replace("-", " ")
        )
    record: dict[str, Any] = {
        "id": str(meta.pop("id", "") or relative.with_suffix("").as_posix()),
        "title": title,
        "body": body.strip(),
        "kind": meta.pop("kind", None) or _guess_kind(relative.as_posix() + " " + title),
    }
    if "tags" in meta:
        record["tags"] = [
            t.strip() for t in str(meta.pop("tags")).strip("[]").split(",") if t.strip()
        ]
    record.update(meta)
    return record


def _front_matter(block: str) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for number, line in enumerate(block.splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ValueError(f"line {number} of the front matter is not 'key: value': {line!r}")
        meta[key.strip()] = value.strip().strip('"').strip("'")
    return meta


def _guess_kind(text: str) -> str:
    lowered = text.lower()
    if any(word in lowered for word in _FAQ_WORDS):
        return "faq"
    if any(word in lowered for word in _POLICY_WORDS):
        return "policy"
    return "page"
