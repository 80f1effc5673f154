"""WooCommerce product CSV exports: variations inherit from variable parents, sales, bad rows."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from shopmind.core.errors import IngestRejected, InputError
from shopmind.core.schemas import Product
from shopmind.ingest import ingest
from shopmind.ingest.generic import Candidate, ReadOptions
from shopmind.ingest.report import RowError
from shopmind.ingest.woocommerce import GTIN_COLUMN, read_products
from shopmind.store import Store


def columns(header_line: str) -> list[str]:
    return header_line.split(",")


# The default export of WooCommerce 9.x with three attributes.
HEADER = [
    *columns("ID,Type,SKU"),
    GTIN_COLUMN,
    *columns(
        "Name,Published,Is featured?,Visibility in catalog,Short description,Description,"
        "Date sale price starts,Date sale price ends,Tax status,Tax class,In stock?,Stock,"
        "Low stock amount,Backorders allowed?,Sold individually?,Weight (kg),Length (cm),"
        "Width (cm),Height (cm),Allow customer reviews?,Purchase note,Sale price,Regular price,"
        "Categories,Tags,Shipping class,Images,Download limit,Download expiry days,Parent,"
        "Grouped products,Upsells,Cross-sells,External URL,Button text,Position,Brands,"
        "Attribute 1 name,Attribute 1 value(s),Attribute 1 visible,Attribute 1 global,"
        "Attribute 2 name,Attribute 2 value(s),Attribute 2 visible,Attribute 2 global,"
        "Attribute 3 name,Attribute 3 value(s),Attribute 3 visible,Attribute 3 global"
    ),
]
HOODIE_ATTRIBUTES = {
    "Attribute 1 name": "Color",
    "Attribute 2 name": "Size",
    "Attribute 3 name": "Material",
}


def catalog() -> list[dict[str, str]]:
    """A variable hoodie (one variation before it, one after), a draft mug, a group, a link."""
    return [
        {
            "ID": "101",
            "Type": "variation",
            "SKU": "HOODIE-RED-M",
            "Name": "",
            "Published": "1",
            "In stock?": "1",
            "Stock": "parent",
            "Regular price": "45",
            "Parent": "HOODIE",
            "Images": "https://cdn.example/hoodie-red.jpg",
            **HOODIE_ATTRIBUTES,
            "Attribute 1 value(s)": "Red",
            "Attribute 2 value(s)": "M",
        },
        {
            "ID": "100",
            "Type": "variable",
            "SKU": "HOODIE",
            "Name": "Zip Hoodie",
            "Published": "1",
            "Is featured?": "1",
            "Visibility in catalog": "visible",
            "Short description": "Warm.",
            "Description": "<p>Cozy fleece\u200b hoodie.</p>\\n<p>Machine washable.</p>",
            "In stock?": "1",
            "Stock": "7",
            "Weight (kg)": "0.6",
            "Categories": "Clothing > Hoodies & Sweatshirts > Zip, Sale",
            "Tags": "warm, winter",
            "Images": "https://cdn.example/hoodie-1.jpg, https://cdn.example/hoodie-2.jpg",
            "Brands": "Acme",
            **HOODIE_ATTRIBUTES,
            "Attribute 1 value(s)": "Red, Blue",
            "Attribute 2 value(s)": "M, L",
            "Attribute 3 value(s)": "Cotton\\, recycled polyester",
            "Attribute 1 global": "1",
            "Attribute 2 global": "1",
            "Attribute 3 global": "0",
        },
        {
            "ID": "102",
            "Type": "variation",
            "SKU": "",
            "Name": "Zip Hoodie - Blue, L",
            "Published": "0",
            "In stock?": "1",
            "Stock": "3",
            "Sale price": "39",
            "Regular price": "45",
            "Parent": "id:100",
            **HOODIE_ATTRIBUTES,
            "Attribute 1 value(s)": "Blue",
            "Attribute 2 value(s)": "L",
        },
        {
            "ID": "200",
            "Type": "simple",
            "SKU": "MUG-1",
            GTIN_COLUMN: "0036000291452",
            "Name": "手工陶瓷马克杯",
            "Published": "-1",
            "Description": "景德镇手工制作",
            "In stock?": "0",
            "Stock": "'-2",
            "Regular price": "12,50",
            "Categories": "厨房 > 杯子",
        },
        {
            "ID": "300",
            "Type": "grouped",
            "SKU": "GIFT-SET",
            "Name": "Gift set",
            "Published": "1",
            "Grouped products": "HOODIE, MUG-1",
        },
        {
            "ID": "400",
            "Type": "external",
            "SKU": "",
            "Name": "Care guide",
            "Published": "1",
            "Regular price": "5.00",
            "External URL": "https://partner.example/guide",
        },
    ]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read(path: Path) -> tuple[dict[str, Candidate], list[RowError], list[str]]:
    opts = ReadOptions(fmt="woocommerce", default_currency="USD", warnings=[])
    items = list(read_products(path, opts))
    candidates = {i.data["id"]: i for i in items if isinstance(i, Candidate)}
    errors = [i for i in items if isinstance(i, RowError)]
    return candidates, errors, opts.warnings or []


def products(store: Store, *ids: str) -> dict[str, Product]:
    found = store.get("products", ids)
    return {k: v for k, v in found.items() if isinstance(v, Product)}


def test_variations_inherit_from_their_parent_wherever_it_is(tmp_path: Path) -> None:
    candidates, errors, warnings = read(write_csv(tmp_path / "wc.csv", catalog()))
    assert errors == []
    assert set(candidates) == {"HOODIE-RED-M", "id:102", "MUG-1", "id:400"}  # no parent, no group
    red = candidates["HOODIE-RED-M"]
    assert red.line == 2
    assert red.data["title"] == "Zip Hoodie - Red, M"
    assert red.data["variant_group"] == "HOODIE"
    assert red.data["description"] == "<p>Cozy fleece\u200b hoodie.</p>\n<p>Machine washable.</p>"
    assert red.data["brand"] == "Acme" and red.data["tags"] == ["warm", "winter"]
    assert red.data["category_path"] == ["Clothing", "Hoodies & Sweatshirts", "Zip"]
    assert red.data["images"] == [
        "https://cdn.example/hoodie-red.jpg",
        "https://cdn.example/hoodie-1.jpg",
        "https://cdn.example/hoodie-2.jpg",
    ]
    assert red.data["stock"] == 7  # "parent": the parent manages the stock
    assert (red.data["price"], red.data["currency"]) == (Decimal("45"), "USD")
    assert "compare_at_price" not in red.data
    assert red.data["attributes"] == {
        "Color": "Red",
        "Size": "M",
        "Material": "Cotton, recycled polyester",
        "featured": True,
        "categories": ["Clothing > Hoodies & Sweatshirts > Zip", "Sale"],
        "weight_kg": 0.6,
    }
    blue = candidates["id:102"].data
    assert blue["title"] == "Zip Hoodie - Blue, L" and blue["variant_group"] == "HOODIE"
    assert (blue["price"], blue["compare_at_price"]) == (Decimal("39"), Decimal("45"))
    assert blue["availability"] == "out_of_stock"  # a disabled variation is not for sale
    assert blue["attributes"]["status"] == "private" and blue["stock"] == 3
    mug = candidates["MUG-1"].data
    assert mug["price"] == Decimal("12.50") and mug["stock"] == -2  # ' guard and , decimal undone
    assert mug["availability"] == "out_of_stock" and mug["attributes"]["status"] == "draft"
    assert mug["attributes"]["gtin"] == "0036000291452" and mug["category_path"] == ["厨房", "杯子"]
    assert candidates["id:400"].data["url"] == "https://partner.example/guide"
    assert warnings == [
        "skipped 1 grouped product(s): a grouped product is a list of other products, which "
        "are imported from their own rows"
    ]


def test_sale_price_counts_only_inside_its_dates(tmp_path: Path) -> None:
    sale = {"Type": "simple", "Published": "1", "Sale price": "8", "Regular price": "10"}
    rows = [
        {
            **sale,
            "ID": "1",
            "Name": "Ended",
            "Date sale price starts": "2001-01-01 00:00:00",
            "Date sale price ends": "2001-02-01 23:59:59",
        },
        {**sale, "ID": "2", "Name": "Later", "Date sale price starts": "2999-01-01 0:00:00"},
        {
            **sale,
            "ID": "3",
            "Name": "Running",
            "Date sale price starts": "2001-01-01",
            "Date sale price ends": "2999-12-31",
        },
        {**sale, "ID": "4", "Name": "Always"},
    ]
    candidates, errors, _ = read(write_csv(tmp_path / "wc.csv", rows))
    assert errors == []
    prices = {k: (c.data["price"], c.data.get("compare_at_price")) for k, c in candidates.items()}
    assert prices == {
        "id:1": (Decimal("10"), None),
        "id:2": (Decimal("10"), None),
        "id:3": (Decimal("8"), Decimal("10")),
        "id:4": (Decimal("8"), Decimal("10")),
    }


def test_bad_rows_and_broken_families_are_reported(tmp_path: Path) -> None:
    rows = [
        {"ID": "1", "Type": "simple", "Name": "Negative", "Regular price": "-5"},
        {"ID": "2", "Type": "variable", "SKU": "BAD-PARENT", "Name": "Broken", "Stock": "lots"},
        {
            "ID": "3",
            "Type": "variation",
            "SKU": "CHILD",
            "Parent": "BAD-PARENT",
            "Regular price": "1",
        },
        {"ID": "4", "Type": "variation", "Name": "", "Parent": "GONE", "Regular price": "1"},
        {
            "ID": "5",
            "Type": "variation",
            "Name": "Lone Sock - Red",
            "Parent": "id:999",
            "Regular price": "2",
        },
        {"ID": "6", "Type": "simple", "Name": "Odd", "In stock?": "maybe"},
        {
            "ID": "7",
            "Type": "simple",
            "Name": "Sale",
            "Sale price": "1",
            "Date sale price ends": "31/12/2024",
        },
        {"ID": "", "SKU": "", "Type": "simple", "Name": "Nameless"},
        {"ID": "9", "Type": "variation", "Name": "Early - S", "Parent": "id:10"},
        {"ID": "10", "Type": "variable", "Name": "Late parent", "Published": "yes"},
    ]
    candidates, errors, _ = read(write_csv(tmp_path / "wc.csv", rows))
    assert [(e.line, e.field) for e in errors] == [
        (2, "Regular price"),
        (3, "Stock"),
        (4, "Parent"),
        (7, "In stock?"),
        (8, "Date sale price ends"),
        (9, "ID"),
        (11, "Published"),
        (5, "Name"),
        (10, "Parent"),  # its parent came later, and was rejected
    ]
    assert "negative" in errors[0].reason and "line 3" in errors[2].reason
    assert "'GONE' is not in this file" in errors[7].reason and "line 11" in errors[8].reason
    assert list(candidates) == ["id:5"]
    assert candidates["id:5"].data["variant_group"] == "id:999"


def test_a_file_that_is_not_a_woocommerce_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Handle,Title\ntee,Tee\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing Type, Name, ID or SKU"):
        read(path)


def test_ingest_stores_variations_and_is_idempotent(sqlite_store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "wc.csv", catalog())
    report = ingest(sqlite_store, "products", path, fmt="woocommerce")
    assert (report.read, report.inserted, report.rejected) == (4, 4, 0)
    assert report.warnings and "grouped" in report.warnings[0]
    got = products(sqlite_store, "HOODIE-RED-M", "id:102", "MUG-1", "HOODIE", "GIFT-SET")
    assert set(got) == {"HOODIE-RED-M", "id:102", "MUG-1"}
    red = got["HOODIE-RED-M"]
    assert red.description == "Cozy fleece hoodie.\nMachine washable."
    assert red.language == "en" and red.availability == "in_stock"
    assert got["MUG-1"].language == "zh" and got["MUG-1"].title == "手工陶瓷马克杯"
    again = ingest(sqlite_store, "products", path, fmt="woocommerce")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)


def test_one_bad_row_rejects_the_file(sqlite_store: Store, tmp_path: Path) -> None:
    rows = catalog()
    rows[0]["Regular price"] = "forty"
    path = write_csv(tmp_path / "wc.csv", rows)
    with pytest.raises(IngestRejected, match=r"wc.csv:2: Regular price: 'forty' is not one amount"):
        ingest(sqlite_store, "products", path, fmt="woocommerce")
    assert sqlite_store.stats()["products"] == 0
