"""Ingestion: readers per format, normalisation, validation, atomic idempotent upserts.

``ingest(store, kind, path, fmt=..., on_error=...)`` is the one entry point; the ``ingest_*``
helpers name the kind for readability.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopmind.ingest.mapping import Mapping
from shopmind.ingest.report import IngestReport, RowError
from shopmind.ingest.service import KINDS, formats_for, ingest
from shopmind.store import Store


def ingest_products(store: Store, path: str | Path, **options: Any) -> IngestReport:
    """Products from CSV/TSV/JSONL/Parquet, a Shopify or WooCommerce export, or a Merchant feed."""
    return ingest(store, "products", path, **options)


def ingest_events(store: Store, path: str | Path, **options: Any) -> IngestReport:
    """Behaviour events from CSV/JSONL/Parquet or a GA4 BigQuery export (``fmt='ga4'``)."""
    return ingest(store, "events", path, **options)


def ingest_customers(store: Store, path: str | Path, **options: Any) -> IngestReport:
    return ingest(store, "customers", path, **options)


def ingest_orders(store: Store, path: str | Path, **options: Any) -> IngestReport:
    """Orders as nested JSONL or one row per order line (rows of one order share its id)."""
    return ingest(store, "orders", path, **options)


def ingest_reviews(store: Store, path: str | Path, **options: Any) -> IngestReport:
    return ingest(store, "reviews", path, **options)


def ingest_documents(store: Store, path: str | Path, **options: Any) -> IngestReport:
    """A folder of Markdown/text/HTML files, or a JSONL/CSV file of documents."""
    return ingest(store, "documents", path, **options)


__all__ = [
    "KINDS",
    "IngestReport",
    "Mapping",
    "RowError",
    "formats_for",
    "ingest",
    "ingest_customers",
    "ingest_documents",
    "ingest_events",
    "ingest_orders",
    "ingest_products",
    "ingest_reviews",
]
