from __future__ import annotations

from pathlib import Path

import pytest

from shopmind.ingest import ingest
from shopmind.ingest.detect import detect_format
from shopmind.store import Store

SAMPLES = {
    ("products", "shopify.csv"): (
        "Handle,Title,Body (HTML),Vendor,Variant SKU,Variant Price\nmug,Mug,<p>Hi</p>,Acme,M-1,5.00\n",
        "shopify",
    ),
    ("products", "new_shopify.csv"): (
        "Title,URL handle,Description,SKU,Price\nMug,mug,Hi,M-1,5\n",
        "shopify",
    ),
    ("products", "woo.csv"): (
        "ID,Type,SKU,Name,Regular price\n1,simple,W-1,Mug,5\n",
        "woocommerce",
    ),
    ("products", "feed.tsv"): (
        "id\ttitle\tprice\tlink\nm1\tMug\t5.00 USD\thttps://x/m1\n",
        "merchant",
    ),
    ("products", "feed.xml"): (
        '<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0"><channel></channel></rss>',
        "merchant",
    ),
    ("products", "plain.csv"): ("id,title,price\np1,Mug,5\n", "csv"),
    ("events", "ga4.jsonl"): (
        '{"event_name": "purchase", "event_timestamp": "1700000000000000", "user_pseudo_id": "u"}\n',
        "ga4",
    ),
    ("events", "plain.jsonl"): (
        '{"name": "purchase", "timestamp": "2024-01-01T00:00:00Z", "session_id": "s"}\n',
        "jsonl",
    ),
    ("customers", "c.tsv"): ("id\temail\nc1\ta@b.co\n", "tsv"),
}


@pytest.mark.parametrize(("kind", "name"), list(SAMPLES))
def test_detect_format_by_content(tmp_path: Path, kind: str, name: str) -> None:
    text, expected = SAMPLES[(kind, name)]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert detect_format(kind, path) == expected


def test_auto_ingests_a_shopify_export(sqlite_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "products_export.csv"
    path.write_text(SAMPLES[("products", "shopify.csv")][0], encoding="utf-8")
    report = ingest(sqlite_store, "products", path)
    assert report.format == "shopify" and report.inserted == 1
    assert sqlite_store.get("products", ["M-1"])["M-1"].brand == "Acme"  # type: ignore[attr-defined]
