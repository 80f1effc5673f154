"""Help pages as Markdown files with a small front matter block, in English and Chinese."""

from __future__ import annotations

import hashlib
from pathlib import Path

from shopmind.demo.docs_en import DOCS as EN_DOCS
from shopmind.demo.docs_zh import DOCS as ZH_DOCS


def document_text(doc_id: str, kind: str, language: str, title: str, body: str) -> str:
    """Front matter (id, kind, language, title) then the Markdown body."""
    return f"---\nid: {doc_id}\nkind: {kind}\nlanguage: {language}\ntitle: {title}\n---\n{body}"


def write_documents(folder: Path) -> tuple[int, str]:
    """Write every page into ``folder``; return how many and a sha256 over names and contents."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    count = 0
    for language, docs in (("en", EN_DOCS), ("zh", ZH_DOCS)):
        for topic, kind, title, body in docs:
            doc_id = f"{topic}-{language}"
            data = document_text(doc_id, kind, language, title, body).encode("utf-8")
            name = f"{doc_id}.md"
            (folder / name).write_bytes(data)
            digest.update(name.encode() + b"\0" + data + b"\0")
            count += 1
    return count, digest.hexdigest()
