"""Shopify product CSV exports: one product per variant, grouped by handle.

Rows of one product share its handle and must be contiguous. The first row carries the product
fields (title, description, vendor, type, tags, status) and its first variant; later rows carry
more variants and/or more images. Three generations of headers are read: the classic export
("Handle", "Body (HTML)", "Variant SKU", "Variant Inventory Qty", "Image Src"), the 2022-23 one
(adds "Product Category", "Option1 Linked To", market prices) and the 2024 template ("URL handle",
"Description", "SKU", "Price", "Compare-at price", "Inventory quantity", "Product image URL").

Decisions worth knowing:
- ``id`` is the variant SKU when it is set and unique in the file (Shopify does not enforce unique
  SKUs); otherwise ``handle:Red/M`` (multi-variant) or the handle (single variant).
- Shopify has no currency column: prices are in ``default_currency`` unless written with one.
- A compare-at price not above the price is dropped: Shopify shows no discount for it either.
- Draft, archived, unlisted or unpublished products are kept (so a product that is archived later
  gets updated, not left on sale) but marked ``out_of_stock`` with a ``status`` attribute.
- A variant whose inventory is not tracked (blank inventory tracker) is always purchasable in
  Shopify, so its exported quantity (usually 0) is ignored and it is ``in_stock``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopmind.core.errors import InputError
from shopmind.core.schemas import Availability
from shopmind.ingest.generic import Candidate, CandidateOrError, ReadOptions
from shopmind.ingest.mapping import FieldError
from shopmind.ingest.report import RowError
from shopmind.ingest.sources import Raw, read_csv
from shopmind.ingest.values import parse_bool, parse_decimal, parse_int, parse_price, split_list

# Our key -> header names Shopify has used for it, normalised by ``_norm``.
ALIASES: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "url handle"),
    "title": ("title",),
    "body": ("body (html)", "description", "body html"),
    "vendor": ("vendor",),
    "category": ("product category",),
    "standard_type": ("standard product type", "standardized product type"),
    "type": ("type", "custom product type", "product type"),
    "tags": ("tags",),
    "published": ("published", "published on online store"),
    "status": ("status",),
    "gift_card": ("gift card",),
    "sku": ("variant sku", "sku"),
    "price": ("variant price", "price"),
    "compare_at": ("variant compare at price", "compare at price"),
    "qty": ("variant inventory qty", "inventory quantity", "variant inventory quantity"),
    "tracker": ("variant inventory tracker", "inventory tracker"),
    "policy": ("variant inventory policy", "continue selling when out of stock"),
    "grams": ("variant grams", "weight value (grams)"),
    "barcode": ("variant barcode", "barcode"),
    "image": ("image src", "product image url", "image source", "image url"),
    "image_position": ("image position",),
    "variant_image": ("variant image", "variant image url"),
    "gender": ("google shopping / gender",),
    "age_group": ("google shopping / age group",),
    "mpn": ("google shopping / mpn", "google shopping / manufacturer part number (mpn)"),
    "condition": ("google shopping / condition",),
    **{
        f"option{n}_{part}": (f"option{n} {part}",) for n in (1, 2, 3) for part in ("name", "value")
    },
}
_OPTION_VALUES = ("option1_value", "option2_value", "option3_value")
_VARIANT_MARKS = ("sku", "price", "barcode", *_OPTION_VALUES)  # an image-only row has none
_GOOGLE = ("gender", "age_group", "mpn", "condition")
_SELLABLE_STATUS = ("", "active")
_TAXONOMY_ID = re.compile(r"^(gid://shopify/\S+|[a-z]{2}(-\d+)+)$")
_NOT_SLUG = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class _Row:
    """A source row: its line and its non-empty cells under our keys."""

    line: int
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass(frozen=True)
class _Columns:
    """Which header of this file holds each of our keys."""

    names: dict[str, str]

    @classmethod
    def resolve(cls, header: list[str], path: Path) -> _Columns:
        by_norm = {_norm(h): h for h in header}
        names: dict[str, str] = {}
        for key, aliases in ALIASES.items():
            # The first alias wins: "Variant Price" over "Price" if a file somehow has both.
            found = next((by_norm[a] for a in aliases if a in by_norm), None)
            if found is not None:
                names[key] = found
        if "handle" not in names and "title" not in names:
            raise InputError(
                f"{path}: not a Shopify product export: no Handle / URL handle or Title column; "
                f"found: {', '.join(header)}"
            )
        return cls(names)

    def cells(self, raw: Raw) -> _Row:
        """The row's non-empty cells by our keys, stripped: read once, looked up many times."""
        cells = {}
        for key, name in self.names.items():
            value = raw.fields.get(name)
            if value and (text := str(value).strip()):
                cells[key] = text
        return _Row(raw.line, cells)

    def name(self, key: str) -> str:
        """The header as written in the file, for error messages."""
        return self.names.get(key, ALIASES[key][0])


@dataclass
class _Product:
    """The product-level fields of a handle, shared by its variants."""

    handle: str
    title: str
    data: dict[str, Any]
    attributes: dict[str, Any]
    option_names: list[str]
    sellable: bool


@dataclass
class _Variant:
    line: int
    sku: str
    options: list[str]
    data: dict[str, Any]
    attributes: dict[str, Any]
    image: str
    tracked: bool
    backorder: bool


def read_products(path: Path, opts: ReadOptions) -> Iterator[CandidateOrError]:
    """Products (one per variant) from a Shopify product CSV export."""
    reader = _Reader(path, opts.default_currency)
    yield from reader.products(
        read_csv(path, delimiter=opts.delimiter or ",", encoding=opts.encoding)
    )
    if reader.fallback_ids and opts.warnings is not None:
        opts.warnings.append(
            f"{reader.fallback_ids} variant(s) share their SKU with another variant; they were "
            "given handle-based ids (handle:Option1/Option2) instead"
        )


class _Reader:
    def __init__(self, path: Path, currency: str | None) -> None:
        self.path = path
        self.currency = currency
        self.cols = _Columns({})  # resolved from the first row's header
        self.skus: set[str] = set()
        self.fallback_ids = 0

    def products(self, rows: Iterator[Raw | RowError]) -> Iterator[CandidateOrError]:
        for group in self._groups(rows):
            if isinstance(group, RowError):
                yield group
            else:
                yield from self._group_products(group)

    def _error(self, line: int, key: str, reason: str) -> RowError:
        return RowError(str(self.path), line, self.cols.name(key), reason)

    # -- grouping rows by handle ------------------------------------------------------------

    def _groups(self, rows: Iterator[Raw | RowError]) -> Iterator[list[_Row] | RowError]:
        current: list[_Row] = []
        handle = ""
        first_line: dict[str, int] = {}
        for raw in rows:
            if isinstance(raw, RowError):
                yield raw
                continue
            if not self.cols.names:
                self.cols = _Columns.resolve(list(raw.fields), self.path)
            row = self.cols.cells(raw)
            row_handle = row.get("handle") or _slug(row.get("title"))
            if current and row_handle == handle:
                current.append(row)
                continue
            if current:
                yield current
                current = []
            problem = self._not_a_first_row(row, row_handle, first_line)
            if problem is not None:
                yield problem
                continue
            first_line[row_handle] = row.line
            current, handle = [row], row_handle
        if current:
            yield current

    def _not_a_first_row(
        self, row: _Row, handle: str, first_line: dict[str, int]
    ) -> RowError | None:
        if not handle:
            return self._error(row.line, "handle", "is empty and the row has no Title")
        if handle in first_line:
            return self._error(
                row.line,
                "handle",
                f"rows of product {handle!r} must be contiguous; its first row is line "
                f"{first_line[handle]}",
            )
        if not row.get("title"):
            return self._error(
                row.line,
                "title",
                f"is empty on the first row of product {handle!r}: a variant or image row comes "
                "before (or without) the row that holds the product's Title",
            )
        return None

    # -- one product ------------------------------------------------------------------------

    def _group_products(self, rows: list[_Row]) -> Iterator[CandidateOrError]:
        head = rows[0]
        try:
            product = self._product(head)
        except FieldError as exc:
            yield RowError(str(self.path), head.line, exc.field, exc.reason)
            for row in rows[1:]:
                if self._is_variant(row):
                    yield RowError(
                        str(self.path),
                        row.line,
                        exc.field,
                        f"the product's first row (line {head.line}) was rejected",
                    )
            return
        images: list[tuple[int, int, str]] = []
        variants: list[_Variant] = []
        for index, row in enumerate(rows):
            try:
                image = self._image(row, index)
                if index == 0 or self._is_variant(row):
                    variants.append(self._variant(row))
            except FieldError as exc:
                yield RowError(str(self.path), row.line, exc.field, exc.reason)
                continue
            if image is not None:
                images.append(image)
        ordered = [url for _, _, url in sorted(images)]
        multi = len(variants) > 1
        sku_counts = Counter(v.sku for v in variants if v.sku)
        for number, variant in enumerate(variants, start=1):
            record = self._record(product, variant, multi, ordered)
            record["id"] = self._id(product.handle, variant, multi, sku_counts, number)
            yield Candidate(variant.line, record)

    def _is_variant(self, row: _Row) -> bool:
        return any(row.get(key) for key in _VARIANT_MARKS)

    def _product(self, head: _Row) -> _Product:
        status = head.get("status").lower()
        published = self._bool(head, "published")
        data: dict[str, Any] = {
            "title": head.get("title"),
            "description": head.get("body"),
            "brand": head.get("vendor") or None,
            "tags": split_list(head.get("tags"), seps=","),
            "variant_group": head.get("handle") or _slug(head.get("title")),
        }
        data["category_path"], product_type = self._category(head)
        attributes: dict[str, Any] = {k: head.get(k) for k in _GOOGLE if head.get(k)}
        if product_type:
            attributes["product_type"] = product_type
        if status not in _SELLABLE_STATUS:
            attributes["status"] = status
        if published is False:
            attributes["published"] = False
        if self._bool(head, "gift_card"):
            attributes["gift_card"] = True
        names = [head.get(f"option{n}_name") for n in (1, 2, 3)]
        sellable = status in _SELLABLE_STATUS and published is not False
        return _Product(data["variant_group"], data["title"], data, attributes, names, sellable)

    def _category(self, head: _Row) -> tuple[list[str], str]:
        """The category path, and the merchant's own product type when it is not the path."""
        taxonomy = head.get("category")
        if _TAXONOMY_ID.match(taxonomy):
            taxonomy = ""  # a bare taxonomy id says nothing without Shopify's taxonomy file
        product_type = head.get("type")
        for text in (taxonomy, head.get("standard_type")):
            if text:
                return _path(text), product_type
        return (_path(product_type), "") if product_type else ([], "")

    def _bool(self, row: _Row, key: str) -> bool | None:
        text = row.get(key)
        if not text:
            return None
        try:
            return parse_bool(text)
        except ValueError as exc:
            raise FieldError(self.cols.name(key), str(exc)) from None

    def _image(self, row: _Row, index: int) -> tuple[int, int, str] | None:
        url = row.get("image")
        if not url:
            return None
        position = row.get("image_position")
        return (self._int(row, "image_position") if position else 1_000_000), index, url

    def _int(self, row: _Row, key: str) -> int:
        try:
            return parse_int(row.get(key))
        except ValueError as exc:
            raise FieldError(self.cols.name(key), str(exc)) from None

    # -- one variant ------------------------------------------------------------------------

    def _variant(self, row: _Row) -> _Variant:
        data: dict[str, Any] = {}
        price, currency = self._money(row, "price")
        compare_at, compare_currency = self._money(row, "compare_at")
        if currency and compare_currency and currency != compare_currency:
            raise FieldError(
                self.cols.name("compare_at"),
                f"is in {compare_currency} but the price is in {currency}",
            )
        if price is not None:
            data["price"] = price
        # Shopify shows no discount unless the compare-at price is above the price.
        if compare_at is not None and (price is None or compare_at > price):
            data["compare_at_price"] = compare_at
        if "price" in data or "compare_at_price" in data:
            data["currency"] = currency or compare_currency
        if row.get("qty"):
            data["stock"] = self._int(row, "qty")
        tracked = bool(row.get("tracker")) or "tracker" not in self.cols.names
        backorder = row.get("policy").lower() in ("continue", "true", "yes", "1")
        return _Variant(
            row.line,
            row.get("sku"),
            [row.get(k) for k in _OPTION_VALUES],
            data,
            self._variant_attributes(row),
            row.get("variant_image"),
            tracked,
            backorder,
        )

    def _money(self, row: _Row, key: str) -> tuple[Decimal | None, str | None]:
        text = row.get(key)
        if not text:
            return None, None
        try:
            return parse_price(text, self.currency)
        except ValueError as exc:
            raise FieldError(self.cols.name(key), str(exc)) from None

    def _variant_attributes(self, row: _Row) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        barcode = row.get("barcode")
        if barcode:
            attributes["barcode"] = barcode  # a string: GTINs keep their leading zeros
        grams_text = row.get("grams")
        if grams_text:
            try:
                grams = parse_decimal(grams_text)
            except ValueError as exc:
                raise FieldError(self.cols.name("grams"), str(exc)) from None
            if grams > 0:  # Shopify writes 0 for "no weight"
                attributes["weight_grams"] = _number(grams)
        return attributes

    def _record(
        self, product: _Product, variant: _Variant, multi: bool, images: list[str]
    ) -> dict[str, Any]:
        record = {k: v for k, v in product.data.items() if v not in (None, "", [])}
        record.update(variant.data)
        options = self._options(product, variant)
        if multi and options:
            record["title"] = f"{product.title} - {' / '.join(options.values())}"
        if variant.sku:
            record["sku"] = variant.sku
        attributes = {**product.attributes, **options, **variant.attributes}
        if attributes:
            record["attributes"] = attributes
        all_images = list(dict.fromkeys([variant.image, *images] if variant.image else images))
        if all_images:
            record["images"] = all_images[:100]
        availability = self._availability(product, variant)
        if availability is not None:
            record["availability"] = availability
            if availability is Availability.IN_STOCK and not variant.tracked:
                record.pop("stock", None)  # an untracked quantity means nothing
        return record

    def _options(self, product: _Product, variant: _Variant) -> dict[str, str]:
        options: dict[str, str] = {}
        for number, (name, value) in enumerate(
            zip(product.option_names, variant.options, strict=True), start=1
        ):
            if value and not (name.lower() == "title" and value.lower() == "default title"):
                options[name or f"Option{number}"] = value
        return options

    def _availability(self, product: _Product, variant: _Variant) -> Availability | None:
        if not product.sellable:
            return Availability.OUT_OF_STOCK
        if not variant.tracked:
            return Availability.IN_STOCK
        stock = variant.data.get("stock")
        if stock is not None and stock <= 0 and variant.backorder:
            return Availability.BACKORDER
        return None  # the schema derives it from the stock

    def _id(
        self, handle: str, variant: _Variant, multi: bool, sku_counts: Counter[str], number: int
    ) -> str:
        if variant.sku and sku_counts[variant.sku] == 1 and variant.sku not in self.skus:
            self.skus.add(variant.sku)
            return variant.sku
        if variant.sku:
            self.fallback_ids += 1
        if not multi:
            return handle
        values = [v for v in variant.options if v]
        return f"{handle}:{'/'.join(values) if values else number}"


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").replace("_", " ").split())


def _slug(title: str) -> str:
    """Shopify's handle for a title: lower case, runs of other characters as one hyphen."""
    return _NOT_SLUG.sub("-", title.lower()).strip("-_")


def _path(text: str) -> list[str]:
    # Only ">" separates levels: a product type such as "Tops/Tees" is one name.
    return [part.strip() for part in text.split(">") if part.strip()]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
