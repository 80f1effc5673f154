"""Google Merchant Center product feeds: delimited text (TSV) or XML (RSS 2.0 or Atom).

The format is told by the content: a file whose first non-blank character is ``<`` is XML,
anything else delimited text (tab, or the comma / pipe / tilde the header uses). Attribute names
are matched loosely: ``image_link``, ``image link``, ``g:image_link`` and ``Image Link`` are one.

XML is parsed as a stream with lxml, entities never resolved, no network, default size limits;
a feed that declares entities (``<!ENTITY``, the billion-laughs and XXE vectors) is refused as a
whole, since real feeds never need them. Mapping: ``sale_price`` (when running, per
``sale_price_effective_date``) becomes the price and ``price`` the compare-at price;
``product_type`` is preferred over ``google_product_category`` for the category path (a numeric
Google category id is kept as an attribute only); ``item_group_id`` is the variant group;
``link`` the url; identifiers, variant and custom-label attributes go to ``attributes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from shopmind.core.errors import InputError
from shopmind.core.schemas import Availability
from shopmind.ingest.generic import Candidate, CandidateOrError, ReadOptions
from shopmind.ingest.mapping import FieldError
from shopmind.ingest.report import RowError
from shopmind.ingest.sources import read_csv
from shopmind.ingest.values import offer_prices, parse_price, parse_timestamp, split_list

G_NS = "http://base.google.com/ns/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
_ITEM_TAGS = ("item", f"{{{ATOM_NS}}}entry", "entry")
_ROOTS = ("rss", "feed")
_AVAILABILITY = {
    "in_stock": Availability.IN_STOCK,
    "instock": Availability.IN_STOCK,
    "available_for_order": Availability.IN_STOCK,  # deprecated by Google, read as in stock
    "out_of_stock": Availability.OUT_OF_STOCK,
    "outofstock": Availability.OUT_OF_STOCK,
    "preorder": Availability.PREORDER,
    "backorder": Availability.BACKORDER,
}
_ATTRIBUTES = (
    "color",
    "size",
    "material",
    "pattern",
    "gender",
    "age_group",
    "gtin",
    "mpn",
    "condition",
    "size_type",
    "size_system",
    "google_product_category",
    "shipping_weight",
    "multipack",
    "is_bundle",
    "adult",
    "identifier_exists",
    "energy_efficiency_class",
    *(f"custom_label_{n}" for n in range(5)),
)
_USED = frozenset(
    {
        "id",
        "title",
        "description",
        "link",
        "image_link",
        "additional_image_link",
        "availability",
        "price",
        "sale_price",
        "sale_price_effective_date",
        "brand",
        "product_type",
        "item_group_id",
        *_ATTRIBUTES,
    }
)
MAX_IMAGES = 100
SNIFF_BYTES = 4096

Fields = dict[str, list[str]]  # attribute name -> its values (XML may repeat an element)


def read_feed(path: Path, opts: ReadOptions) -> Iterator[CandidateOrError]:
    """Products from a Merchant Center feed, XML or delimited text, told by the content."""
    items = _xml_items(path) if _is_xml(path) else _text_items(path, opts)
    converter = _Converter(path, opts.default_currency, datetime.now(UTC))
    for item in items:
        if isinstance(item, RowError):
            yield item
            continue
        line, fields = item
        try:
            yield Candidate(line, converter.record(fields))
        except FieldError as exc:
            yield RowError(str(path), line, exc.field, exc.reason)
    if converter.ignored and opts.warnings is not None:
        opts.warnings.append(f"ignored feed attribute(s): {', '.join(sorted(converter.ignored))}")


def _is_xml(path: Path) -> bool:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    head = head.replace(b"\x00", b"")  # UTF-16 text still starts with '<' once NULs are gone
    return head.lstrip().startswith(b"<")


@lru_cache(maxsize=1024)
def _name(raw: str) -> str:
    """'g:image_link', 'Image Link', '{ns}image_link', 'image_link#2' -> 'image_link'."""
    name = raw.rsplit("}", 1)[-1].split("#", 1)[0].strip().lower()
    name = name.removeprefix("g:")
    return "_".join(name.replace("-", " ").split())


# -- delimited text ------------------------------------------------------------------------


def _text_items(path: Path, opts: ReadOptions) -> Iterator[tuple[int, Fields] | RowError]:
    delimiter = opts.delimiter or _sniff_delimiter(path, opts.encoding)
    names: dict[str, str] = {}
    for row in read_csv(path, delimiter=delimiter, encoding=opts.encoding, repeated_columns=True):
        if isinstance(row, RowError):
            yield row
            continue
        if not names:
            names = {column: _name(column) for column in row.fields}
        fields: Fields = {}
        for column, value in row.fields.items():
            text = str(value or "").strip()
            if text:
                fields.setdefault(names[column], []).extend(_text_values(names[column], text))
        yield row.line, fields


def _text_values(name: str, text: str) -> list[str]:
    # In text feeds several additional images share one cell, separated by commas.
    return split_list(text, seps=",") if name == "additional_image_link" else [text]


def _sniff_delimiter(path: Path, encoding: str) -> str:
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    with path.open(encoding=enc, errors="replace", newline="") as handle:
        header = handle.readline()
    counts = {sep: header.count(sep) for sep in ("\t", ",", "|", "~")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else "\t"


# -- XML -----------------------------------------------------------------------------------


def _xml_items(path: Path) -> Iterator[tuple[int, Fields] | RowError]:
    events = etree.iterparse(
        str(path),
        events=("start", "end"),
        tag=(*_ROOTS, f"{{{ATOM_NS}}}feed", *_ITEM_TAGS),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
    )
    checked = False
    try:
        for event, element in events:
            if not checked:
                _check_root(path, element)
                checked = True
            if event == "end" and element.tag in _ITEM_TAGS:
                yield element.sourceline or 0, _xml_fields(element)
                _release(element)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}:{exc.lineno}: not well-formed XML: {exc.msg}") from None
    if not checked:
        root = events.root
        tag = etree.QName(root).localname if root is not None else "nothing"
        raise InputError(
            f"{path}: not a Merchant Center feed: the root element is <{tag}>, "
            "expected <rss> or <feed>"
        )


def _check_root(path: Path, element: Any) -> None:
    tree = element.getroottree()
    dtd = tree.docinfo.internalDTD
    names = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if names:
        raise InputError(
            f"{path}: the feed declares XML entities ({', '.join(names[:5])}); entity declarations "
            "are refused because they can expand without bound or read local files"
        )
    root = tree.getroot()
    if etree.QName(root).localname not in _ROOTS:
        raise InputError(
            f"{path}: not a Merchant Center feed: the root element is "
            f"<{etree.QName(root).localname}>, expected <rss> or <feed>"
        )


def _xml_fields(item: Any) -> Fields:
    fields: Fields = {}
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a comment or processing instruction
        if len(child):
            if any(isinstance(grandchild.tag, str) for grandchild in child):
                continue  # a nested group such as <g:shipping>, which we do not use
            text = "".join(child.itertext())
        else:
            text = child.text or ""
        name = _name(tag)
        if name == "link" and not text.strip():
            text = child.get("href") or ""  # Atom writes <link href="..."/>
        text = text.strip()
        if text:
            # <g:title> and a plain RSS <title> are the same attribute: the first one wins.
            fields.setdefault(name, []).append(text)
    if "summary" in fields and "description" not in fields:
        fields["description"] = fields.pop("summary")
    return fields


def _release(element: Any) -> None:
    # Keep memory flat on feeds of millions of items: drop what was already read.
    element.clear(keep_tail=False)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


# -- item to product -----------------------------------------------------------------------


class _Converter:
    """Feed items to product records; remembers attribute names it did not use."""

    def __init__(self, path: Path, currency: str | None, now: datetime) -> None:
        self.path = path
        self.currency = currency
        self.now = now
        self.ignored: set[str] = set()

    def record(self, fields: Fields) -> dict[str, Any]:
        self.ignored.update(name for name in fields if name not in _USED)
        first = {name: values[0] for name, values in fields.items()}
        if not first.get("id"):
            raise FieldError("id", "is missing: every feed item needs an id")
        record: dict[str, Any] = {
            "id": first["id"],
            "title": first.get("title", ""),
            "description": first.get("description", ""),
            "brand": first.get("brand"),
            "url": first.get("link"),
            "variant_group": first.get("item_group_id"),
        }
        images = [*fields.get("image_link", [])[:1], *fields.get("additional_image_link", [])]
        record["images"] = list(dict.fromkeys(images))[:MAX_IMAGES]
        record["category_path"] = _category(first)
        record.update(self._prices(first))
        availability = first.get("availability")
        if availability:
            record["availability"] = _availability(availability)
        attributes = {name: first[name] for name in _ATTRIBUTES if first.get(name)}
        if attributes:
            record["attributes"] = attributes
        return {k: v for k, v in record.items() if v not in (None, "", [])}

    def _prices(self, first: dict[str, str]) -> dict[str, Any]:
        price = self._money(first, "price")
        sale = self._money(first, "sale_price")
        if sale is not None and not self._sale_running(first.get("sale_price_effective_date")):
            sale = None
        if sale is not None and price is not None and sale[1] != price[1]:
            raise FieldError("sale_price", f"is in {sale[1]} but price is in {price[1]}")
        return offer_prices(price, sale)

    def _money(self, first: dict[str, str], name: str) -> tuple[Decimal, str | None] | None:
        text = first.get(name)
        if not text:
            return None
        try:
            return parse_price(text, self.currency)
        except ValueError as exc:
            raise FieldError(name, str(exc)) from None

    def _sale_running(self, window: str | None) -> bool:
        if not window:
            return True
        start_text, sep, end_text = window.partition("/")
        if not sep:
            raise FieldError(
                "sale_price_effective_date", f"{window!r} is not 'start/end' in ISO 8601"
            )
        try:
            start, end = parse_timestamp(start_text), parse_timestamp(end_text)
        except ValueError as exc:
            raise FieldError("sale_price_effective_date", str(exc)) from None
        return start <= self.now <= end


def _category(first: dict[str, str]) -> list[str]:
    for name in ("product_type", "google_product_category"):
        text = first.get(name, "")
        if text and not text.isdigit():  # a bare Google category id is not a path
            return [part.strip() for part in text.split(">") if part.strip()]
    return []


def _availability(text: str) -> Availability:
    key = "_".join(text.strip().lower().replace("-", " ").split())
    if key not in _AVAILABILITY:
        raise FieldError(
            "availability", f"{text!r} is not in_stock, out_of_stock, preorder or backorder"
        )
    return _AVAILABILITY[key]
