"""WooCommerce product CSV exports (Products > Export, English column names).

Rows are products of a ``Type``: simple, external, variable, variation or grouped (plugins add
more, e.g. ``variable-subscription``). A variable product is not sold itself: each of its
variations becomes a product with ``variant_group`` = the parent's SKU (or ``id:N``) and takes
what it leaves empty (name, descriptions, categories, tags, images, brand, attributes, weight,
stock managed by the parent) from the parent, which may come before or after it in the file.
Grouped products are bundles of other rows and are skipped (counted in the warnings).

The exporter's own encodings are undone: ``\\,`` is a comma inside a list item, ``\\n`` in a
description is a line break, and a leading ``'`` guarding a cell against spreadsheet formulas is
dropped. ``id`` is the SKU, else ``id:N`` as WooCommerce itself writes references. Prices are in
``default_currency``; the sale price counts only inside its scheduled dates (taken as UTC).
Drafts, private and pending products are kept but marked ``out_of_stock`` with a ``status``
attribute, so a product unpublished later is updated rather than left on sale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopmind.core.errors import InputError
from shopmind.core.schemas import Availability
from shopmind.ingest.generic import Candidate, CandidateOrError, ReadOptions
from shopmind.ingest.mapping import FieldError
from shopmind.ingest.report import RowError
from shopmind.ingest.sources import Raw, read_csv
from shopmind.ingest.values import offer_prices, parse_decimal, parse_int, parse_price

_ATTRIBUTE_COLUMN = re.compile(r"^Attribute (\d+) (name|value\(s\))$")
_MEASURE_COLUMN = re.compile(r"^(Weight|Length|Width|Height) \((.+)\)$")
_ESCAPED_COMMA = re.compile(r"(?<!\\),")
_FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")
_WC_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_STATUS = {"-1": "draft", "0": "private", "1": "", "2": "pending"}
_STOCK_STATUS = {
    "1": Availability.IN_STOCK,
    "0": Availability.OUT_OF_STOCK,
    "backorder": Availability.BACKORDER,
}
_INHERITED = ("title", "description", "category_path", "tags", "brand", "url")
GTIN_COLUMN = "GTIN, UPC, EAN, or ISBN"
MAX_IMAGES = 100


@dataclass
class _Row:
    """One parsed row: the product fields it carries and how it relates to others."""

    line: int
    kind: str  # "product", "parent", "variation" or "grouped"
    keys: list[str]  # the references other rows may use for it: SKU and "id:N"
    parent: str
    data: dict[str, Any]
    attributes: dict[str, str | list[str]]
    images: list[str]
    sellable: bool
    stock_from_parent: bool
    options: list[str] = field(default_factory=list)


def read_products(path: Path, opts: ReadOptions) -> Iterator[CandidateOrError]:
    """Products from a WooCommerce product CSV export; variations inherit from their parent."""
    reader = _Reader(path, opts.default_currency, datetime.now(UTC))
    yield from reader.products(
        read_csv(path, delimiter=opts.delimiter or ",", encoding=opts.encoding)
    )
    if reader.grouped and opts.warnings is not None:
        opts.warnings.append(
            f"skipped {reader.grouped} grouped product(s): a grouped product is a list of other "
            "products, which are imported from their own rows"
        )


class _Reader:
    def __init__(self, path: Path, currency: str | None, now: datetime) -> None:
        self.path = path
        self.currency = currency
        self.now = now
        self.header: list[str] = []
        self.attribute_columns: list[tuple[str, str]] = []
        self.measure_columns: list[tuple[str, str]] = []
        self.parents: dict[str, _Row] = {}
        self.failed_parents: dict[str, int] = {}
        self.waiting: dict[str, list[_Row]] = {}
        self.grouped = 0

    def products(self, rows: Iterator[Raw | RowError]) -> Iterator[CandidateOrError]:
        for raw in rows:
            if isinstance(raw, RowError):
                yield raw
                continue
            if not self.header:
                self._resolve(list(raw.fields))
            yield from self._row(Raw(raw.line, _cells(raw.fields)))
        yield from self._orphans()

    def _resolve(self, header: list[str]) -> None:
        missing = [c for c in ("Type", "Name") if c not in header]
        if "ID" not in header and "SKU" not in header:
            missing.append("ID or SKU")
        if missing:
            raise InputError(
                f"{self.path}: not a WooCommerce product export (English column names): missing "
                f"{', '.join(missing)}; found: {', '.join(header)}"
            )
        self.header = header
        numbered: dict[str, dict[str, str]] = {}
        for column in header:
            match = _ATTRIBUTE_COLUMN.match(column)
            if match:
                numbered.setdefault(match.group(1), {})[match.group(2)] = column
            measure = _MEASURE_COLUMN.match(column)
            if measure:
                self.measure_columns.append(
                    (column, f"{measure.group(1).lower()}_{measure.group(2)}")
                )
        self.attribute_columns = [
            (parts["name"], parts["value(s)"])
            for _, parts in sorted(numbered.items(), key=lambda item: int(item[0]))
            if "name" in parts and "value(s)" in parts
        ]

    # -- rows and their relations -----------------------------------------------------------

    def _row(self, raw: Raw) -> Iterator[CandidateOrError]:
        try:
            row = self._parse(raw)
        except FieldError as exc:
            self._remember_failure(raw)
            yield RowError(str(self.path), raw.line, exc.field, exc.reason)
            return
        if row.kind == "grouped":
            self.grouped += 1
        elif row.kind == "parent":
            yield from self._add_parent(row)
        elif row.kind == "variation":
            yield from self._variation(row)
        else:
            yield self._candidate(row)

    def _remember_failure(self, raw: Raw) -> None:
        if "variable" in _cell(raw, "Type").lower():
            for key in _keys(raw):
                self.failed_parents[key] = raw.line

    def _add_parent(self, row: _Row) -> Iterator[CandidateOrError]:
        for key in row.keys:
            self.parents[key] = row
        for key in row.keys:
            for variation in self.waiting.pop(key, []):
                yield self._candidate(_inherit(variation, row))

    def _variation(self, row: _Row) -> Iterator[CandidateOrError]:
        if not row.parent:
            yield RowError(
                str(self.path),
                row.line,
                "Parent",
                "is empty: a variation needs the SKU or id:N of its variable product",
            )
        elif row.parent in self.failed_parents:
            yield self._parent_rejected(row)
        elif row.parent in self.parents:
            yield self._candidate(_inherit(row, self.parents[row.parent]))
        else:
            self.waiting.setdefault(row.parent, []).append(row)

    def _orphans(self) -> Iterator[CandidateOrError]:
        # Variations of a parent absent from the file (an export of variations only) stand alone.
        for parent, rows in self.waiting.items():
            for row in rows:
                row.data["variant_group"] = parent
                if parent in self.failed_parents:
                    yield self._parent_rejected(row)
                elif row.data.get("title"):
                    yield self._candidate(row)
                else:
                    yield RowError(
                        str(self.path),
                        row.line,
                        "Name",
                        f"is empty and the parent {parent!r} is not in this file",
                    )

    def _parent_rejected(self, row: _Row) -> RowError:
        line = self.failed_parents[row.parent]
        return RowError(
            str(self.path),
            row.line,
            "Parent",
            f"the parent {row.parent!r} (line {line}) was rejected",
        )

    def _candidate(self, row: _Row) -> Candidate:
        record = {k: v for k, v in row.data.items() if v not in (None, "", [])}
        if row.attributes:
            record["attributes"] = dict(row.attributes)
        if row.images:
            record["images"] = list(dict.fromkeys(row.images))[:MAX_IMAGES]
        if not row.sellable:
            record["availability"] = Availability.OUT_OF_STOCK
        return Candidate(row.line, record)

    # -- one row ----------------------------------------------------------------------------

    def _parse(self, raw: Raw) -> _Row:
        types = {t.strip().lower() for t in _cell(raw, "Type").split(",") if t.strip()}
        kind = _kind(types)
        keys = _keys(raw)
        if not keys:
            raise FieldError("ID", "the row has neither an ID nor a SKU")
        published = _cell(raw, "Published")
        if published and published not in _STATUS:
            raise FieldError("Published", f"{published!r} is not 1, 0, -1 or 2")
        status = _STATUS.get(published, "")
        data: dict[str, Any] = {
            "id": keys[0],
            "sku": _cell(raw, "SKU") or None,
            "title": _cell(raw, "Name"),
            "description": _description(raw),
            "brand": next(iter(_split(_cell(raw, "Brands"))), None),
            "tags": _split(_cell(raw, "Tags")),
            "url": _cell(raw, "External URL") or None,
        }
        data["category_path"], categories = _categories(_cell(raw, "Categories"))
        data.update(self._prices(raw))
        data.update(self._stock(raw))
        attributes, options = self._attributes(raw, kind == "variation")
        attributes.update(self._extras(raw, status, categories))
        if not data["brand"]:
            data["brand"] = next(
                (v for k, v in attributes.items() if k.lower() == "brand" and isinstance(v, str)),
                None,
            )
        return _Row(
            line=raw.line,
            kind=kind,
            keys=keys,
            parent=_cell(raw, "Parent"),
            data=data,
            attributes=attributes,
            images=_split(_cell(raw, "Images")),
            sellable=not status,
            stock_from_parent=_cell(raw, "Stock").lower() == "parent",
            options=options,
        )

    def _prices(self, raw: Raw) -> dict[str, Any]:
        regular = self._money(raw, "Regular price")
        sale = self._money(raw, "Sale price")
        if sale is not None and not self._sale_running(raw):
            sale = None
        return offer_prices(regular, sale)

    def _money(self, raw: Raw, column: str) -> tuple[Decimal, str | None] | None:
        text = _cell(raw, column)
        if not text:
            return None
        try:
            return parse_price(text, self.currency)
        except ValueError as exc:
            raise FieldError(column, str(exc)) from None

    def _sale_running(self, raw: Raw) -> bool:
        starts = _wc_date(raw, "Date sale price starts")
        ends = _wc_date(raw, "Date sale price ends")
        if ends is not None and ends.hour == ends.minute == ends.second == 0:
            ends = ends.replace(
                hour=23, minute=59, second=59
            )  # a bare end date means the whole day
        return (starts is None or starts <= self.now) and (ends is None or self.now <= ends)

    def _stock(self, raw: Raw) -> dict[str, Any]:
        out: dict[str, Any] = {}
        stock = _cell(raw, "Stock")
        if stock and stock.lower() != "parent":
            try:
                out["stock"] = parse_int(stock)
            except ValueError as exc:
                raise FieldError("Stock", str(exc)) from None
        status = _cell(raw, "In stock?").lower()
        if status:
            if status not in _STOCK_STATUS:
                raise FieldError("In stock?", f"{status!r} is not 1, 0 or backorder")
            out["availability"] = _STOCK_STATUS[status]
        return out

    def _attributes(self, raw: Raw, variation: bool) -> tuple[dict[str, Any], list[str]]:
        attributes: dict[str, Any] = {}
        options: list[str] = []
        for name_column, value_column in self.attribute_columns:
            name = _cell(raw, name_column)
            values = _split(_cell(raw, value_column))
            if not name or not values:
                continue  # an empty value on a variation means "any"
            attributes[name] = values[0] if len(values) == 1 else values
            if variation:
                options.append(values[0])
        return attributes, options

    def _extras(self, raw: Raw, status: str, categories: list[str]) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        if status:
            extras["status"] = status
        if _cell(raw, "Is featured?") == "1":
            extras["featured"] = True
        visibility = _cell(raw, "Visibility in catalog").lower()
        if visibility and visibility != "visible":
            extras["visibility"] = visibility
        if _cell(raw, GTIN_COLUMN):
            extras["gtin"] = _cell(raw, GTIN_COLUMN)  # a string: leading zeros matter
        if len(categories) > 1:
            extras["categories"] = categories
        for column, name in self.measure_columns:
            text = _cell(raw, column)
            if not text:
                continue
            try:
                value = parse_decimal(text)
            except ValueError as exc:
                raise FieldError(column, str(exc)) from None
            extras[name] = int(value) if value == value.to_integral_value() else float(value)
        return extras


def _kind(types: set[str]) -> str:
    if any("variation" in t for t in types):
        return "variation"
    if any("variable" in t for t in types):
        return "parent"
    if "grouped" in types:
        return "grouped"
    return "product"


def _inherit(variation: _Row, parent: _Row) -> _Row:
    """The variation with what it leaves empty taken from its variable product."""
    data = dict(variation.data)
    for name in _INHERITED:
        if not data.get(name) and parent.data.get(name):
            data[name] = parent.data[name]
    parent_title = parent.data.get("title") or ""
    if variation.options and data.get("title") in ("", None, parent_title):
        data["title"] = f"{parent_title} - {', '.join(variation.options)}"
    data["variant_group"] = parent.keys[0]
    if variation.stock_from_parent and "stock" in parent.data:
        data["stock"] = parent.data["stock"]
    attributes = {**parent.attributes, **variation.attributes}
    return _Row(
        line=variation.line,
        kind=variation.kind,
        keys=variation.keys,
        parent=variation.parent,
        data=data,
        attributes=attributes,
        images=[*variation.images, *parent.images],
        sellable=variation.sellable and parent.sellable,
        stock_from_parent=False,
        options=variation.options,
    )


def _cells(fields: dict[str, Any]) -> dict[str, str]:
    """The non-empty cells of a row, stripped: read once, looked up many times."""
    cells: dict[str, str] = {}
    for column, value in fields.items():
        if value and (text := str(value).strip()):
            # The exporter puts a ' before a cell starting with = + - @ so that spreadsheets
            # do not run it as a formula.
            cells[column] = text[1:] if text.startswith(_FORMULA_GUARD) else text
    return cells


def _cell(raw: Raw, column: str) -> str:
    return str(raw.fields.get(column, ""))


def _keys(raw: Raw) -> list[str]:
    sku, number = _cell(raw, "SKU"), _cell(raw, "ID")
    return [k for k in (sku, f"id:{number}" if number else "") if k]


def _split(text: str) -> list[str]:
    """A WooCommerce list cell: items separated by ',', with '\\,' for a comma inside one."""
    if not text:
        return []
    parts = (p.replace("\\,", ",").strip() for p in _ESCAPED_COMMA.split(text))
    return [p for p in parts if p]


def _categories(text: str) -> tuple[list[str], list[str]]:
    """The most specific category path, and every category as 'A > B' when there are several."""
    paths = [[level.strip() for level in item.split(">") if level.strip()] for item in _split(text)]
    paths = [p for p in paths if p]
    if not paths:
        return [], []
    deepest = max(paths, key=len)  # max keeps the first of equal depth
    return deepest, [" > ".join(p) for p in paths]


def _description(raw: Raw) -> str:
    text = _cell(raw, "Description") or _cell(raw, "Short description")
    # The exporter writes a line break as the two characters \n (and a literal \n as \\n).
    return re.sub(r"\\\\n|\\n", lambda m: "\\n" if len(m.group()) == 3 else "\n", text)


def _wc_date(raw: Raw, column: str) -> datetime | None:
    text = _cell(raw, column)
    if not text:
        return None
    match = _WC_DATE.match(text)
    if not match:
        raise FieldError(column, f"{text!r} is not a date like 2024-05-31 or 2024-05-31 23:59:59")
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise FieldError(column, f"{text!r} is not a valid date: {exc}") from None
