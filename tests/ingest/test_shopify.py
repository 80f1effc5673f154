"""Shopify product CSV exports: variants grouped by handle, old and new headers, bad rows."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopmind.core.errors import IngestRejected, InputError
from shopmind.core.schemas import Product
from shopmind.ingest import ingest
from shopmind.ingest.generic import Candidate, ReadOptions
from shopmind.ingest.report import RowError
from shopmind.ingest.shopify import read_products
from shopmind.store import Store


def columns(header_line: str) -> list[str]:
    return header_line.split(",")


# The classic export (2021-2023), as Shopify writes it.
OLD_HEADER = columns(
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,"
    "Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,"
    "Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,"
    "Variant Inventory Policy,Variant Fulfillment Service,Variant Price,"
    "Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,"
    "Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,"
    "Google Shopping / Gender,Variant Image,Variant Weight Unit,Cost per item,"
    "Price / International,Status"
)
# The 2024 template: renamed columns, title first.
NEW_HEADER = columns(
    "Title,URL handle,Description,Vendor,Product category,Type,Tags,"
    "Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,"
    "Option1 Linked To,Option2 name,Option2 value,Option2 Linked To,Option3 name,"
    "Option3 value,Option3 Linked To,Price,Compare-at price,Cost per item,Charge tax,"
    "Inventory tracker,Inventory quantity,Continue selling when out of stock,"
    "Weight value (grams),Weight unit for display,Requires shipping,Fulfillment service,"
    "Product image URL,Image position,Image alt text,Variant image URL,Gift card,SEO title,"
    "SEO description"
)
SCRIPT = "<script>track()</script>"
TEE_BODY = f"<p>Soft <b>organic</b>\u200b cotton.</p>\n<ul><li>Regular fit</li></ul>{SCRIPT}"


def tee_and_mug() -> list[dict[str, str]]:
    """A three-variant tee with images on extra rows, and a single-variant Chinese mug."""
    tee = {
        "Handle": "classic-tee",
        "Variant Inventory Tracker": "shopify",
        "Variant Weight Unit": "kg",
        "Variant Inventory Policy": "deny",
    }
    return [
        {
            **tee,
            "Title": "Classic\u200b Tee",
            "Body (HTML)": TEE_BODY,
            "Vendor": "Acme",
            "Product Category": "Apparel & Accessories > Clothing > Shirts & Tops",
            "Type": "T-Shirts",
            "Tags": "summer, organic cotton",
            "Published": "TRUE",
            "Option1 Name": "Color",
            "Option1 Value": "Red",
            "Option2 Name": "Size",
            "Option2 Value": "M",
            "Variant SKU": "TEE-RED-M",
            "Variant Grams": "200",
            "Variant Inventory Qty": "12",
            "Variant Price": "19.99",
            "Variant Compare At Price": "24.99",
            "Variant Barcode": "0012345",
            "Image Src": "https://cdn.example/tee-front.jpg",
            "Image Position": "1",
            "Google Shopping / Gender": "unisex",
            "Variant Image": "https://cdn.example/tee-red.jpg",
            "Status": "active",
        },
        {
            **tee,
            "Option1 Value": "Red",
            "Option2 Value": "L",
            "Variant SKU": "TEE-RED-L",
            "Variant Grams": "210",
            "Variant Inventory Qty": "0",
            "Variant Inventory Policy": "continue",
            "Variant Price": "19.99",
            "Variant Compare At Price": "19.99",
            "Image Src": "https://cdn.example/tee-back.jpg",
            "Image Position": "3",
        },
        {
            **tee,
            "Option1 Value": "Blue",
            "Option2 Value": "M",
            "Variant SKU": "",
            "Variant Inventory Qty": "4",
            "Variant Price": "21.00",
        },
        {
            "Handle": "classic-tee",
            "Image Src": "https://cdn.example/tee-side.jpg",
            "Image Position": "2",
        },
        {
            "Handle": "ceramic-mug",
            "Title": "陶瓷马克杯 350ml",
            "Body (HTML)": "<p>手工制作的陶瓷杯</p>",
            "Vendor": "瓷坊",
            "Type": "Mugs",
            "Published": "TRUE",
            "Option1 Name": "Title",
            "Option1 Value": "Default Title",
            "Variant SKU": "MUG-350",
            "Variant Grams": "0",
            "Variant Inventory Tracker": "shopify",
            "Variant Inventory Qty": "30",
            "Variant Price": "¥89",
            "Status": "active",
        },
    ]


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read(path: Path, currency: str = "USD") -> tuple[list[Candidate], list[RowError], list[str]]:
    opts = ReadOptions(fmt="shopify", default_currency=currency, warnings=[])
    items = list(read_products(path, opts))
    candidates = [i for i in items if isinstance(i, Candidate)]
    errors = [i for i in items if isinstance(i, RowError)]
    return candidates, errors, opts.warnings or []


def products(store: Store, *ids: str) -> dict[str, Product]:
    found = store.get("products", ids)
    assert all(isinstance(p, Product) for p in found.values())
    return {k: v for k, v in found.items() if isinstance(v, Product)}


def test_variants_become_products_with_the_images_of_their_handle(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "products_export.csv", OLD_HEADER, tee_and_mug())
    candidates, errors, _ = read(path)
    assert errors == []
    by_id = {c.data["id"]: c for c in candidates}
    assert list(by_id) == ["TEE-RED-M", "TEE-RED-L", "classic-tee:Blue/M", "MUG-350"]
    assert [c.line for c in candidates] == [2, 4, 5, 7]  # the first body spans two lines
    red_m = by_id["TEE-RED-M"].data
    assert red_m["title"] == "Classic\u200b Tee - Red / M"
    assert red_m["variant_group"] == "classic-tee"
    assert red_m["images"] == [
        "https://cdn.example/tee-red.jpg",  # the variant's own image first
        "https://cdn.example/tee-front.jpg",
        "https://cdn.example/tee-side.jpg",  # position 2, though on the last row
        "https://cdn.example/tee-back.jpg",
    ]
    assert red_m["attributes"] == {
        "Color": "Red",
        "Size": "M",
        "product_type": "T-Shirts",
        "gender": "unisex",
        "barcode": "0012345",
        "weight_grams": 200,
    }
    assert red_m["category_path"] == ["Apparel & Accessories", "Clothing", "Shirts & Tops"]
    assert (red_m["price"], red_m["compare_at_price"], red_m["currency"]) == (
        Decimal("19.99"),
        Decimal("24.99"),
        "USD",
    )
    assert red_m["tags"] == ["summer", "organic cotton"] and red_m["brand"] == "Acme"
    red_l = by_id["TEE-RED-L"].data
    assert "compare_at_price" not in red_l  # equal to the price: no discount
    assert red_l["availability"] == "backorder" and red_l["stock"] == 0
    assert by_id["classic-tee:Blue/M"].data["description"] == TEE_BODY
    mug = by_id["MUG-350"].data
    assert mug["title"] == "陶瓷马克杯 350ml" and mug["category_path"] == ["Mugs"]
    assert (mug["price"], mug["currency"]) == (Decimal("89"), "CNY")
    assert "attributes" not in mug  # "Title: Default Title" is no option, 0 g no weight


def test_new_2024_template_headers_read_the_same(tmp_path: Path) -> None:
    rows = [
        {
            "Title": "Trail Runner",
            "URL handle": "trail-runner",
            "Description": "<p>Grippy</p>",
            "Vendor": "Stride",
            "Product category": "Apparel & Accessories > Shoes",
            "Type": "Sneakers",
            "Tags": "running",
            "Published on online store": "TRUE",
            "Status": "Active",
            "SKU": "TR-42",
            "Option1 name": "Size",
            "Option1 value": "42",
            "Price": "89.00",
            "Compare-at price": "99.00",
            "Inventory tracker": "shopify",
            "Inventory quantity": "0",
            "Continue selling when out of stock": "TRUE",
            "Weight value (grams)": "680.4",
            "Weight unit for display": "lb",
            "Product image URL": "https://cdn.example/tr-1.jpg",
            "Image position": "1",
        },
        {
            "URL handle": "trail-runner",
            "SKU": "TR-43",
            "Option1 value": "43",
            "Price": "89.00",
            "Inventory tracker": "shopify",
            "Inventory quantity": "5",
            "Continue selling when out of stock": "FALSE",
            "Variant image URL": "https://cdn.example/tr-43.jpg",
        },
    ]
    candidates, errors, _ = read(write_csv(tmp_path / "new.csv", NEW_HEADER, rows), "EUR")
    assert errors == []
    first, second = (c.data for c in candidates)
    assert (first["id"], second["id"]) == ("TR-42", "TR-43")
    assert first["title"] == "Trail Runner - 42" and second["title"] == "Trail Runner - 43"
    assert first["category_path"] == ["Apparel & Accessories", "Shoes"]
    assert (first["price"], first["compare_at_price"], first["currency"]) == (
        Decimal("89.00"),
        Decimal("99.00"),
        "EUR",
    )
    assert first["availability"] == "backorder"
    assert first["attributes"] == {"Size": "42", "product_type": "Sneakers", "weight_grams": 680.4}
    assert second["stock"] == 5 and "availability" not in second
    assert second["images"] == ["https://cdn.example/tr-43.jpg", "https://cdn.example/tr-1.jpg"]
    assert second["attributes"]["Size"] == "43" and second["brand"] == "Stride"


def test_drafts_are_kept_unsellable_and_untracked_stock_is_in_stock(tmp_path: Path) -> None:
    rows = [
        {
            "Handle": "old-hat",
            "Title": "Old Hat",
            "Option1 Name": "Title",
            "Option1 Value": "Default Title",
            "Variant Price": "5",
            "Variant Inventory Qty": "9",
            "Variant Inventory Tracker": "shopify",
            "Status": "archived",
            "Published": "FALSE",
        },
        {
            "Handle": "gift",
            "Title": "Gift Card",
            "Option1 Name": "Title",
            "Option1 Value": "Default Title",
            "Variant Price": "25",
            "Variant Inventory Qty": "0",
            "Variant Inventory Tracker": "",
            "Gift Card": "TRUE",
            "Status": "active",
        },
    ]
    candidates, errors, _ = read(write_csv(tmp_path / "p.csv", OLD_HEADER, rows))
    assert errors == []
    hat, gift = (c.data for c in candidates)
    assert hat["id"] == "old-hat" and hat["availability"] == "out_of_stock"
    assert hat["attributes"] == {"status": "archived", "published": False}
    assert gift["availability"] == "in_stock" and "stock" not in gift
    assert gift["attributes"]["gift_card"] is True


def test_repeated_skus_fall_back_to_handle_ids_with_a_warning(tmp_path: Path) -> None:
    base = {"Option1 Name": "Size", "Variant Price": "10", "Variant Inventory Tracker": "shopify"}
    rows = [
        {**base, "Handle": "sock", "Title": "Sock", "Option1 Value": "S", "Variant SKU": "SOCK"},
        {**base, "Handle": "sock", "Option1 Value": "L", "Variant SKU": "SOCK"},
        {**base, "Handle": "cap", "Title": "Cap", "Option1 Value": "One", "Variant SKU": "HAT-1"},
        {
            **base,
            "Handle": "beanie",
            "Title": "Beanie",
            "Option1 Value": "One",
            "Variant SKU": "HAT-1",
        },
    ]
    candidates, errors, warnings = read(write_csv(tmp_path / "p.csv", OLD_HEADER, rows))
    assert errors == []
    assert [c.data["id"] for c in candidates] == ["sock:S", "sock:L", "HAT-1", "beanie"]
    assert candidates[0].data["sku"] == "SOCK"  # the SKU is still kept as the sku
    assert warnings and warnings[0].startswith("3 variant(s) share their SKU")


def test_rows_out_of_order_are_rejected_with_their_line(tmp_path: Path) -> None:
    rows = [
        {"Handle": "ghost", "Option1 Value": "Red", "Variant SKU": "G-1", "Variant Price": "3"},
        {
            "Handle": "tee",
            "Title": "Tee",
            "Option1 Name": "Size",
            "Option1 Value": "S",
            "Variant Price": "9",
        },
        {
            "Handle": "mug",
            "Title": "Mug",
            "Option1 Name": "Title",
            "Option1 Value": "Default Title",
            "Variant Price": "4",
        },
        {"Handle": "tee", "Option1 Value": "M", "Variant Price": "9"},
    ]
    candidates, errors, _ = read(write_csv(tmp_path / "p.csv", OLD_HEADER, rows))
    assert [c.data["id"] for c in candidates] == ["tee", "mug"]
    assert [(e.line, e.field) for e in errors] == [(2, "Title"), (5, "Handle")]
    assert "before" in errors[0].reason
    assert "contiguous" in errors[1].reason and "line 3" in errors[1].reason


def test_bad_values_name_the_column_and_the_line_after_multiline_bodies(tmp_path: Path) -> None:
    rows = tee_and_mug()
    rows[1]["Variant Price"] = "-5.00"  # line 4: the body on row 1 spans lines 2 and 3
    rows[2]["Variant Inventory Qty"] = "ten"  # line 5
    rows[4]["Published"] = "maybe"  # line 7: a product-level field
    candidates, errors, _ = read(write_csv(tmp_path / "p.csv", OLD_HEADER, rows))
    assert [(e.line, e.field) for e in errors] == [
        (4, "Variant Price"),
        (5, "Variant Inventory Qty"),
        (7, "Published"),
    ]
    assert "negative" in errors[0].reason and "'ten'" in errors[1].reason
    assert [c.data["id"] for c in candidates] == ["TEE-RED-M"]
    assert candidates[0].line == 2


def test_a_file_without_handle_or_title_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("sku,price\nA,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a Shopify product export"):
        read(path)


def test_ingest_cleans_text_and_is_idempotent(sqlite_store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "products_export.csv", OLD_HEADER, tee_and_mug())
    report = ingest(sqlite_store, "products", path, fmt="shopify")
    assert (report.read, report.inserted, report.updated, report.unchanged, report.rejected) == (
        4,
        4,
        0,
        0,
        0,
    )
    got = products(sqlite_store, "TEE-RED-M", "classic-tee:Blue/M", "MUG-350")
    tee = got["TEE-RED-M"]
    assert tee.title == "Classic Tee - Red / M"  # zero-width space removed
    assert tee.description == "Soft organic cotton.\n- Regular fit"  # script dropped
    assert tee.language == "en" and tee.stock == 12 and tee.availability == "in_stock"
    assert got["classic-tee:Blue/M"].price == Decimal("21.00")
    assert got["MUG-350"].language == "zh" and got["MUG-350"].currency == "CNY"
    again = ingest(sqlite_store, "products", path, fmt="shopify")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    rows = tee_and_mug()
    rows[2]["Variant Price"] = "18.00"
    write_csv(path, OLD_HEADER, rows)
    changed = ingest(sqlite_store, "products", path, fmt="shopify")
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 3)


def test_a_bad_row_rejects_the_whole_file_or_only_itself(
    sqlite_store: Store, tmp_path: Path
) -> None:
    rows: list[dict[str, Any]] = tee_and_mug()
    rows[1]["Variant Price"] = "19,99,9"
    path = write_csv(tmp_path / "p.csv", OLD_HEADER, rows)
    with pytest.raises(IngestRejected) as caught:
        ingest(sqlite_store, "products", path, fmt="shopify")
    report = caught.value.report
    assert report.rejected == 1  # type: ignore[attr-defined]
    assert str(report.errors[0]).endswith(  # type: ignore[attr-defined]
        ":4: Variant Price: '19,99,9' is not a number"
    )
    assert sqlite_store.stats()["products"] == 0
    skipped = ingest(sqlite_store, "products", path, fmt="shopify", on_error="skip-row")
    assert (skipped.inserted, skipped.rejected) == (3, 1)
    assert set(products(sqlite_store, "TEE-RED-M", "TEE-RED-L", "MUG-350")) == {
        "TEE-RED-M",
        "MUG-350",
    }
