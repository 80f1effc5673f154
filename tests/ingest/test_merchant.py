"""Google Merchant Center feeds: RSS and Atom XML, TSV, hostile XML, bad items."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from shopmind.core.errors import IngestRejected, InputError
from shopmind.core.schemas import Product
from shopmind.ingest import ingest
from shopmind.ingest.generic import Candidate, ReadOptions
from shopmind.ingest.merchant import read_feed
from shopmind.ingest.report import RowError
from shopmind.store import Store

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">
<channel>
<title>Acme store</title><link>https://shop.example</link><description>All products</description>
<item>
  <g:id>TEE-RED-M</g:id>
  <g:title>Organic\u200b Tee Red M</g:title>
  <g:description><![CDATA[<p>Soft tee.</p><script>steal()</script>]]></g:description>
  <g:link>https://shop.example/tee?variant=1</g:link>
  <g:image_link>https://cdn.example/tee-red.jpg</g:image_link>
  <g:additional_image_link>https://cdn.example/tee-back.jpg</g:additional_image_link>
  <g:additional_image_link>https://cdn.example/tee-side.jpg</g:additional_image_link>
  <g:availability>in stock</g:availability>
  <g:price>24.99 USD</g:price>
  <g:sale_price>19.99 USD</g:sale_price>
  <g:brand>Acme</g:brand>
  <g:gtin>00012345678905</g:gtin>
  <g:condition>new</g:condition>
  <g:google_product_category>Apparel &amp; Accessories &gt; Clothing</g:google_product_category>
  <g:product_type>Clothing &gt; Tops &gt; T-Shirts</g:product_type>
  <g:item_group_id>TEE</g:item_group_id>
  <g:color>Red</g:color>
  <g:size>M</g:size>
  <g:gender>unisex</g:gender>
  <g:custom_label_0>summer</g:custom_label_0>
  <g:shipping><g:country>US</g:country><g:price>4.95 USD</g:price></g:shipping>
</item>
<item>
  <g:id>KETTLE-1</g:id>
  <title>电热水壶 1.7L</title>
  <description>不锈钢内胆</description>
  <link>https://shop.example/kettle</link>
  <g:price>199.00 CNY</g:price>
  <g:availability>preorder</g:availability>
  <g:google_product_category>594</g:google_product_category>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
  <title>Acme</title>
  <entry>
    <g:id>LAMP-1</g:id>
    <title>Desk Lamp</title>
    <summary>Warm light</summary>
    <link href="https://shop.example/lamp" rel="alternate"/>
    <g:price>30 EUR</g:price>
    <g:availability>out_of_stock</g:availability>
  </entry>
</feed>
"""

TSV = (
    "id\ttitle\tdescription\tlink\timage link\tadditional image link\tavailability\tprice\t"
    "sale price\tsale price effective date\tbrand\tproduct type\tmpn\tloyalty_points\n"
    "EAR-1\t蓝牙耳机\t<b>降噪</b>\thttps://s.example/ear\thttps://s.example/1.jpg\t"
    "https://s.example/2.jpg,https://s.example/3.jpg\tin_stock\t¥299\t¥249\t"
    "2001-01-01T00:00+08:00/2001-02-01T00:00+08:00\tSonic\t数码 > 耳机\tEAR-MPN\t10\n"
    "CASE-1\tPhone case\t\t\t\t\tbackorder\t9.99 USD\t\t\t\t\t\t\n"
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel>
<item><g:id>1</g:id><g:title>&lol9;</g:title><g:price>1 USD</g:price></item>
</channel></rss>
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> tuple[dict[str, Candidate], list[RowError], list[str]]:
    opts = ReadOptions(fmt="merchant", default_currency="USD", warnings=[])
    items = list(read_feed(path, opts))
    candidates = {i.data["id"]: i for i in items if isinstance(i, Candidate)}
    errors = [i for i in items if isinstance(i, RowError)]
    return candidates, errors, opts.warnings or []


def products(store: Store, *ids: str) -> dict[str, Product]:
    found = store.get("products", ids)
    return {k: v for k, v in found.items() if isinstance(v, Product)}


def test_rss_items_map_to_products(tmp_path: Path) -> None:
    candidates, errors, warnings = read(write(tmp_path / "feed.xml", RSS))
    assert errors == [] and warnings == []
    tee, kettle = candidates["TEE-RED-M"], candidates["KETTLE-1"]
    assert (tee.line, kettle.line) == (5, 28)  # the line of each <item>
    assert tee.data["title"] == "Organic\u200b Tee Red M"
    assert tee.data["description"] == "<p>Soft tee.</p><script>steal()</script>"
    assert (tee.data["price"], tee.data["compare_at_price"], tee.data["currency"]) == (
        Decimal("19.99"),
        Decimal("24.99"),
        "USD",
    )
    assert tee.data["images"] == [
        "https://cdn.example/tee-red.jpg",
        "https://cdn.example/tee-back.jpg",
        "https://cdn.example/tee-side.jpg",
    ]
    assert tee.data["category_path"] == ["Clothing", "Tops", "T-Shirts"]  # product_type first
    assert tee.data["variant_group"] == "TEE" and tee.data["url"].endswith("?variant=1")
    assert tee.data["availability"] == "in_stock" and tee.data["brand"] == "Acme"
    assert tee.data["attributes"] == {
        "color": "Red",
        "size": "M",
        "gender": "unisex",
        "gtin": "00012345678905",
        "condition": "new",
        "google_product_category": "Apparel & Accessories > Clothing",
        "custom_label_0": "summer",
    }
    assert kettle.data["title"] == "电热水壶 1.7L" and kettle.data["currency"] == "CNY"
    assert kettle.data["availability"] == "preorder"
    assert "category_path" not in kettle.data  # 594 is a Google category id, not a path
    assert kettle.data["attributes"] == {"google_product_category": "594"}


def test_atom_feeds_are_read_too(tmp_path: Path) -> None:
    candidates, errors, _ = read(write(tmp_path / "feed.atom.xml", ATOM))
    assert errors == []
    lamp = candidates["LAMP-1"].data
    assert lamp["url"] == "https://shop.example/lamp" and lamp["description"] == "Warm light"
    assert (lamp["price"], lamp["currency"], lamp["availability"]) == (
        Decimal("30"),
        "EUR",
        "out_of_stock",
    )


def test_tsv_feeds_with_spaced_names_expired_sales_and_unknown_columns(tmp_path: Path) -> None:
    candidates, errors, warnings = read(write(tmp_path / "feed.txt", TSV))
    assert errors == []
    ear = candidates["EAR-1"].data
    assert (ear["price"], ear["currency"]) == (Decimal("299"), "CNY")  # the sale ended in 2001
    assert "compare_at_price" not in ear
    assert ear["images"] == [
        "https://s.example/1.jpg",
        "https://s.example/2.jpg",
        "https://s.example/3.jpg",
    ]
    assert ear["category_path"] == ["数码", "耳机"] and ear["attributes"] == {"mpn": "EAR-MPN"}
    assert candidates["CASE-1"].data["availability"] == "backorder"
    assert warnings == ["ignored feed attribute(s): loyalty_points"]


def test_entity_expansion_is_refused_without_expanding(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.xml", BILLION_LAUGHS)
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"declares XML entities \(lol, lol1"):
        read(path)
    assert time.perf_counter() - started < 2


def test_external_entities_never_read_local_files(sqlite_store: Store, tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", "TOP-SECRET")
    xxe = RSS.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    ).replace("<g:brand>Acme</g:brand>", "<g:brand>&xxe;</g:brand>")
    path = write(tmp_path / "feed.xml", xxe)
    with pytest.raises(InputError, match="entities") as caught:
        ingest(sqlite_store, "products", path, fmt="merchant")
    assert "TOP-SECRET" not in str(caught.value)
    assert sqlite_store.stats()["products"] == 0


def test_broken_or_foreign_xml_is_a_file_error(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.xml", RSS.replace("</g:brand>", "</g:brnd>"))
    with pytest.raises(InputError, match=r"broken.xml:\d+: not well-formed XML"):
        read(broken)
    foreign = write(tmp_path / "sitemap.xml", "<urlset><url><loc>https://x</loc></url></urlset>")
    with pytest.raises(InputError, match="the root element is <urlset>"):
        read(foreign)


def test_bad_items_are_reported_at_their_line(sqlite_store: Store, tmp_path: Path) -> None:
    feed = RSS.replace("<g:price>199.00 CNY</g:price>", "<g:price>-199.00 CNY</g:price>")
    feed = feed.replace("<g:availability>in stock</g:availability>", "<g:availability>soon")
    feed = feed.replace("<g:price>24.99 USD</g:price>", "</g:availability>")
    path = write(tmp_path / "feed.xml", feed)
    candidates, errors, _ = read(path)
    assert candidates == {}
    assert [(e.line, e.field) for e in errors] == [(5, "availability"), (28, "price")]
    assert "'soon'" in errors[0].reason and "negative" in errors[1].reason
    with pytest.raises(IngestRejected):
        ingest(sqlite_store, "products", path, fmt="merchant")
    assert sqlite_store.stats()["products"] == 0


def test_ingest_cleans_and_is_idempotent(sqlite_store: Store, tmp_path: Path) -> None:
    rss = write(tmp_path / "feed.xml", RSS)
    report = ingest(sqlite_store, "products", rss, fmt="merchant")
    assert (report.read, report.inserted, report.rejected) == (2, 2, 0)
    tsv = write(tmp_path / "feed.tsv", TSV)
    assert ingest(sqlite_store, "products", tsv, fmt="merchant").inserted == 2
    got = products(sqlite_store, "TEE-RED-M", "KETTLE-1", "EAR-1")
    tee = got["TEE-RED-M"]
    assert tee.title == "Organic Tee Red M" and tee.description == "Soft tee."
    assert tee.language == "en" and tee.attributes["gtin"] == "00012345678905"
    assert got["KETTLE-1"].language == "zh" and got["EAR-1"].description == "降噪"
    again = ingest(sqlite_store, "products", rss, fmt="merchant")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
