"""``--format auto``: tell Shopify, WooCommerce, Merchant and GA4 files from generic ones."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson

from shopmind.ingest.sources import sniff_format

_HEAD_BYTES = 64 * 1024


def detect_format(kind: str, path: Path) -> str:
    """The reader for ``path``: a platform format when its header says so, else the table format."""
    head = _head(path)
    stripped = head.lstrip("\ufeff \t\r\n")
    if kind == "products" and stripped.startswith("<"):
        return "merchant"
    if kind == "events" and stripped.startswith("{"):
        first = stripped.split("\n", 1)[0]
        try:
            obj = orjson.loads(first)
        except orjson.JSONDecodeError:
            obj = None
        if isinstance(obj, dict) and "event_name" in obj and "event_timestamp" in obj:
            return "ga4"
    table = sniff_format(path)
    if kind != "products" or table not in ("csv", "tsv"):
        return table
    return _product_platform(_header(stripped)) or table


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")


def _header(text: str) -> set[str]:
    line = text.split("\n", 1)[0]
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    row = next(csv.reader([line], delimiter=delimiter), [])
    return {cell.strip().lower() for cell in row}


def _product_platform(header: set[str]) -> str | None:
    if "handle" in header or "url handle" in header:
        return "shopify"
    if {"type", "regular price"} <= header or {"parent", "regular price"} <= header:
        return "woocommerce"
    merchant_only = {"link", "image_link", "image link", "availability", "google_product_category"}
    if {"id", "title", "price"} <= header and header & merchant_only:
        return "merchant"
    return None
