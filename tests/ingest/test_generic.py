"""Generic CSV / JSONL / Parquet ingestion: mapping, normalisation, bad input, atomicity."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from shopmind.core.errors import IngestRejected, InputError
from shopmind.ingest import Mapping, ingest
from shopmind.store import Store

PRODUCTS_CSV = """id,title,description,brand,category_path,price,compare_at_price,stock,attr.color,attr.wireless,tags
p1,Aurora Headphones,"<p>Deep <b>bass</b></p><script>steal()</script>",Aurora,Electronics > Audio,$59.90,$79.90,12,black,true,"audio, sale"
p2,极光​降噪耳机,<ul><li>续航30小时</li></ul>,极光,数码/耳机,¥299,,0,白色,false,
"""


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_csv_products_are_cleaned_typed_and_idempotent(sqlite_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "products.csv", PRODUCTS_CSV)
    report = ingest(sqlite_store, "products", path)
    assert (report.read, report.inserted, report.rejected, report.committed) == (2, 2, 0, True)
    got = sqlite_store.get("products", ["p1", "p2"])
    p1, p2 = got["p1"], got["p2"]
    assert p1.description == "Deep bass"  # type: ignore[attr-defined]
    assert p1.price == Decimal("59.90") and p1.currency == "USD"  # type: ignore[attr-defined]
    assert p1.compare_at_price == Decimal("79.90")  # type: ignore[attr-defined]
    assert p1.attributes == {"color": "black", "wireless": True}  # type: ignore[attr-defined]
    assert p1.category_path == ["Electronics", "Audio"] and p1.tags == ["audio", "sale"]  # type: ignore[attr-defined]
    assert p1.language == "en" and p2.language == "zh"  # type: ignore[attr-defined]
    assert p2.title == "极光降噪耳机" and p2.currency == "CNY"  # type: ignore[attr-defined]
    assert p2.description == "- 续航30小时" and p2.availability == "out_of_stock"  # type: ignore[attr-defined]
    again = ingest(sqlite_store, "products", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    write(path, PRODUCTS_CSV.replace("$59.90", "$49.90"))
    changed = ingest(sqlite_store, "products", path)
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 1)


def test_mapping_templates_constants_and_value_maps(sqlite_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.csv", "sku_code,name,model,cost,kind\nA1,Kettle,K2,19.5,kitchen\n"
    )
    mapping = Mapping.parse(
        [
            "id=sku_code",
            "title={name} {model}",
            "price=cost",
            "currency==EUR",
            "category_path=kind",
        ],
        ["category_path:kitchen=Home > Kitchen"],
    )
    ingest(sqlite_store, "products", path, mapping=mapping)
    p = sqlite_store.get("products", ["A1"])["A1"]
    assert p.title == "Kettle K2" and p.currency == "EUR"  # type: ignore[attr-defined]
    assert p.category_path == ["Home", "Kitchen"]  # type: ignore[attr-defined]


def test_jsonl_and_parquet_products(sqlite_store: Store, tmp_path: Path) -> None:
    rows = [
        {
            "id": f"j{i}",
            "title": f"Item {i}",
            "price": "3.50",
            "currency": "gbp",
            "attributes": {"n": i},
        }
        for i in range(3)
    ]
    jsonl = write(tmp_path / "p.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    assert ingest(sqlite_store, "products", jsonl).inserted == 3
    table = pa.table(
        {"id": ["q1", "q2"], "title": ["Mug", "Cup"], "price": [4.5, 3.0], "stock": [1, 0]}
    )
    pq.write_table(table, tmp_path / "p.parquet")
    report = ingest(sqlite_store, "products", tmp_path / "p.parquet", default_currency="USD")
    assert report.inserted == 2
    q1 = sqlite_store.get("products", ["q1"])["q1"]
    assert q1.price == Decimal("4.5") and q1.currency == "USD" and q1.stock == 1  # type: ignore[attr-defined]


def test_orders_one_row_per_line_are_grouped(sqlite_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "orders.csv",
        (
            "id,customer_id,email,status,currency,placed_at,product_id,quantity,unit_price,shipping\n"
            "o1,c1,a@b.co,paid,USD,2024-01-01 10:00:00,p1,2,5.00,3\n"
            "o1,c1,a@b.co,paid,USD,2024-01-01 10:00:00,p2,1,7.50,3\n"
            "o2,,guest@b.co,placed,USD,2024-01-02T00:00:00Z,p1,1,5.00,0\n"
        ),
    )
    report = ingest(sqlite_store, "orders", path)
    assert (report.inserted, report.rejected) == (2, 0)
    o1 = sqlite_store.get("orders", ["o1"])["o1"]
    assert [(line.product_id, line.quantity) for line in o1.lines] == [("p1", 2), ("p2", 1)]  # type: ignore[attr-defined]
    assert o1.total == Decimal("20.50")  # type: ignore[attr-defined]
    assert sqlite_store.stats()["order_lines"] == 3


def test_headerless_events_with_value_map(sqlite_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "ev.csv",
        "1,100,7,pv,1511544070\n1,100,7,buy,1511544090\n2,101,7,cart,1511544100\n",
    )
    mapping = Mapping.parse(
        [
            "customer_id=user",
            "product_ids=item",
            "name=behavior",
            "timestamp=ts",
            "properties.category=category",
        ],
        ["name:pv=view_item,buy=purchase,cart=add_to_cart,fav=add_to_wishlist"],
    )
    report = ingest(
        sqlite_store,
        "events",
        path,
        columns=["user", "item", "category", "behavior", "ts"],
        mapping=mapping,
    )
    assert report.inserted == 3
    names = sorted(e.name for e in sqlite_store.iter_models("events"))  # type: ignore[attr-defined]
    assert names == ["add_to_cart", "purchase", "view_item"]
    assert (
        ingest(
            sqlite_store,
            "events",
            path,
            columns=["user", "item", "category", "behavior", "ts"],
            mapping=mapping,
        ).unchanged
        == 3
    )


def test_documents_folder_with_front_matter(sqlite_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "zh").mkdir(parents=True)
    write(
        folder / "returns.md",
        "---\nid: returns-en\nkind: policy\n---\n# Returns\n\nReturn within 30 days.\n",
    )
    write(folder / "zh" / "faq.md", "# 常见问题\n\n多久发货？一般48小时内。\n")
    report = ingest(sqlite_store, "documents", folder)
    assert report.inserted == 2
    docs = sqlite_store.get("documents", ["returns-en", "zh/faq"])
    assert docs["returns-en"].kind == "policy" and docs["returns-en"].title == "Returns"  # type: ignore[attr-defined]
    assert docs["zh/faq"].kind == "faq" and docs["zh/faq"].language == "zh"  # type: ignore[attr-defined]


BAD_CASES = {
    "wrong type": ("id,title,price,stock\nb1,Ok,1.00,3\nb2,Bad,abc,1\n", 3, "price"),
    "negative price": ("id,title,price\nb1,Ok,1.00\nb2,Neg,-4.00\n", 3, "price"),
    "duplicate id": ("id,title\nb1,First\nb1,Again\n", 3, "id"),
    "short row": ("id,title,price\nb1,Ok,1\nb2,Short\n", 3, "-"),
    "bad stock": ("id,title,stock\nb1,Ok,1\nb2,Frac,1.5\n", 3, "stock"),
    "malformed quote": ('id,title\nb1,Ok\nb2,"unclosed\n', 3, "-"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_rows_reject_the_whole_file_and_name_line_and_field(
    sqlite_store: Store, tmp_path: Path, case: str
) -> None:
    text, line, field = BAD_CASES[case]
    path = write(tmp_path / "bad.csv", text)
    with pytest.raises(IngestRejected) as info:
        ingest(sqlite_store, "products", path, default_currency="USD")
    report = info.value.report
    assert report.committed is False and report.rejected == 1  # type: ignore[attr-defined]
    error = report.errors[0]  # type: ignore[attr-defined]
    assert (error.line, error.field) == (line, field), str(error)
    assert error.file == str(path) and error.reason
    assert sqlite_store.stats()["products"] == 0
    skipped = ingest(sqlite_store, "products", path, on_error="skip-row", default_currency="USD")
    assert (skipped.inserted, skipped.rejected, skipped.committed) == (1, 1, True)


def test_invalid_utf8_costs_one_row(sqlite_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "latin.csv", b"id,title\nu1,Caf\xc3\xa9\nu2,Caf\xe9\nu3,Tea\n")
    with pytest.raises(IngestRejected) as info:
        ingest(sqlite_store, "products", path)
    error = info.value.report.errors[0]  # type: ignore[attr-defined]
    assert (error.line, error.field) == (3, "title") and "UTF-8" in error.reason
    assert ingest(sqlite_store, "products", path, on_error="skip-row").inserted == 2
    assert (
        ingest(sqlite_store, "products", path, encoding="latin-1", on_error="skip-row").rejected
        == 0
    )


def test_huge_field_is_rejected_not_crashing(sqlite_store: Store, tmp_path: Path) -> None:
    huge = "x" * 1_200_000
    path = write(
        tmp_path / "huge.csv", f"id,title,description\nh1,Ok,fine\nh2,Huge,{huge}\nh3,Ok too,fine\n"
    )
    report = ingest(sqlite_store, "products", path, on_error="skip-row")
    assert (report.inserted, report.rejected) == (2, 1)
    assert report.errors[0].line == 3 and "field larger" in report.errors[0].reason
    long_text = "y" * 150_000  # under the CSV limit, over the model's description limit
    path = write(tmp_path / "long.csv", f"id,title,description\nl1,Long,{long_text}\n")
    with pytest.raises(IngestRejected) as info:
        ingest(sqlite_store, "products", path)
    assert info.value.report.errors[0].field == "description"  # type: ignore[attr-defined]


def test_file_level_problems_raise_input_error(sqlite_store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ingest(sqlite_store, "products", tmp_path / "missing.csv")
    with pytest.raises(InputError, match="missing required column"):
        ingest(sqlite_store, "products", write(tmp_path / "nocol.csv", "sku,name\n1,x\n"))
    with pytest.raises(InputError, match="empty"):
        ingest(sqlite_store, "products", write(tmp_path / "empty.csv", ""))
    with pytest.raises(InputError, match="not available"):
        ingest(sqlite_store, "customers", write(tmp_path / "c.csv", "id\n1\n"), fmt="shopify")
    assert sqlite_store.stats()["products"] == 0


def test_rejected_file_leaves_existing_data_untouched(sqlite_store: Store, tmp_path: Path) -> None:
    ingest(sqlite_store, "products", write(tmp_path / "good.csv", "id,title,price\ng1,Good,$5\n"))
    before = sqlite_store.get("products", ["g1"])
    bad = write(tmp_path / "bad.csv", "id,title,price\ng1,Changed,$6\ng2,Neg,-1\n")
    with pytest.raises(IngestRejected):
        ingest(sqlite_store, "products", bad)
    assert sqlite_store.get("products", ["g1"]) == before
    assert sqlite_store.stats()["products"] == 1


def test_unknown_jsonl_keys_are_rejected_with_field(sqlite_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.jsonl",
        '{"id": "k1", "title": "A", "colour": "red"}\n{"id": "k2", "title": "B"}\nnot json\n',
    )
    report = ingest(sqlite_store, "products", path, on_error="skip-row")
    fields = {(e.line, e.field) for e in report.errors}
    assert fields == {(1, "colour"), (3, "-")}
    assert report.inserted == 1


def test_jsonl_bad_bytes_and_other_encodings(sqlite_store: Store, tmp_path: Path) -> None:
    lines = [
        b'\xef\xbb\xbf{"id": "a", "title": "Caf\xc3\xa9"}',
        b'{"id": "b", "title": "Caf\xe9"}',
        b"",
    ]
    path = write(tmp_path / "p.jsonl", b"\n".join(lines))
    report = ingest(sqlite_store, "products", path, on_error="skip-row")
    assert report.inserted == 1
    assert (report.errors[0].line, report.errors[0].reason) == (
        2,
        "invalid UTF-8 (save as UTF-8 or pass --encoding)",
    )
    gbk = write(tmp_path / "gbk.jsonl", '{"id": "g", "title": "蓝牙耳机"}\n'.encode("gb18030"))
    assert ingest(sqlite_store, "products", gbk, encoding="gb18030").inserted == 1
    assert sqlite_store.get("products", ["g"])["g"].title == "蓝牙耳机"  # type: ignore[attr-defined]


def test_events_jsonl_blocks_keep_line_numbers_and_loose_values(
    sqlite_store: Store, tmp_path: Path
) -> None:
    lines = [
        json.dumps(
            {
                "name": "view_item",
                "session_id": f"s{i}",
                "product_ids": ["p1"],
                "timestamp": "2024-01-01T00:00:00Z",
            }
        )
        for i in range(2500)
    ]
    lines[10] = json.dumps(
        {"name": "page_view", "session_id": "x", "timestamp": "2024-01-01T00:00:00Z"}
    )
    lines[1500] = "{not json"
    lines[1600] = json.dumps(
        {
            "name": "search",
            "session_id": "q",
            "query": "降噪\u200b耳机  pro",
            "timestamp": "2024-01-01T00:00:00Z",
        }
    )
    lines[2400] = json.dumps(
        {
            "name": "purchase",
            "customer_id": "c",
            "product_id": "p9",
            "value": "$12.50",
            "timestamp": 1704067200123456,
        }
    )  # singular product_id, µs epoch
    path = write(tmp_path / "events.jsonl", "\n".join(lines) + "\n")
    report = ingest(sqlite_store, "events", path, on_error="skip-row")
    assert [(e.line, e.field) for e in report.errors] == [(11, "name"), (1501, "-")]
    assert report.inserted == 2498
    events = {e.session_id or e.customer_id: e for e in sqlite_store.iter_models("events")}  # type: ignore[attr-defined]
    assert events["q"].query == "降噪耳机 pro"
    loose = events["c"]
    assert (
        loose.product_ids == ["p9"] and loose.value == Decimal("12.50") and loose.currency == "USD"
    )
    assert loose.timestamp.isoformat() == "2024-01-01T00:00:00.123456+00:00"
