"""HTML descriptions to clean text, with lxml (C parser: fast enough for millions of products)."""

from __future__ import annotations

import re

from lxml import etree, html

from shopmind.text.unicode import clean_text

_BLOCK_TAGS = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 section article header footer blockquote pre dt dd"
    .split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head")
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!][^>]*>|&[a-zA-Z#][a-zA-Z0-9]{1,10};")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: scripts/styles dropped, blocks on their own lines."""
    if not markup or not _LOOKS_LIKE_HTML.search(markup):
        return clean_text(markup or "")
    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(markup)
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    # Blocks were padded with newlines on both sides; one line per block reads best.
    return re.sub(r"\n{2,}", "\n", clean_text("".join(parts)))


def _walk(node: html.HtmlElement, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if tag == "li":
        parts.append("- ")
    if node.text and isinstance(node.tag, str):
        parts.append(node.text)
    for child in node:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")
