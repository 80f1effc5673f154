"""Text hygiene applied to every record before validation, whatever format it came from."""

from __future__ import annotations

from typing import Any

from shopmind.text import clean_text, detect_language, html_to_text


def _line(value: Any) -> Any:
    return clean_text(value, single_line=True) if isinstance(value, str) else value


def _strings(values: Any) -> Any:
    if isinstance(values, list):
        return [_line(v) for v in values]
    if isinstance(values, dict):
        return {_line(k): _strings(v) for k, v in values.items()}
    return _line(values)


def _language(record: dict[str, Any], *fields: str) -> None:
    """Guess the language from the longest of ``fields`` (the first, title, if all are short).

    Variants of one product share a description but not a title, so guessing from the
    description lets detect_language's cache answer for every variant after the first.
    """
    if record.get("language"):
        return
    texts = [str(record.get(f) or "") for f in fields]
    longest = max(texts, key=len)
    text = longest if len(longest) >= 40 else " ".join(texts)
    lang = detect_language(text)
    if lang != "other":
        record["language"] = lang


_PRODUCT_LINES = ("title", "brand", "sku", "variant_group", "url")
_PRODUCT_NESTED = ("category_path", "tags", "attributes")


def product(record: dict[str, Any]) -> dict[str, Any]:
    for name in _PRODUCT_LINES:
        if name in record:
            record[name] = _line(record[name])
    for name in _PRODUCT_NESTED:
        if name in record:
            record[name] = _strings(record[name])
    if isinstance(record.get("description"), str):
        record["description"] = html_to_text(record["description"])
    _language(record, "title", "description")
    return record


def review(record: dict[str, Any]) -> dict[str, Any]:
    if isinstance(record.get("text"), str):
        record["text"] = html_to_text(record["text"])
    for name in ("title", "author_name"):
        if name in record:
            record[name] = _line(record[name])
    _language(record, "title", "text")
    return record


def document(record: dict[str, Any]) -> dict[str, Any]:
    if isinstance(record.get("body"), str):
        record["body"] = clean_text(record["body"])
    record["title"] = _line(record.get("title", ""))
    _language(record, "title", "body")
    return record


def customer(record: dict[str, Any]) -> dict[str, Any]:
    for name in ("name", "email"):
        if name in record:
            record[name] = _line(record[name])
    return record


def event(record: dict[str, Any]) -> dict[str, Any]:
    if "query" in record:
        record["query"] = _line(record["query"])
    return record


def order(record: dict[str, Any]) -> dict[str, Any]:
    if isinstance(record.get("shipping_address"), str):
        record["shipping_address"] = clean_text(record["shipping_address"])
    for line in record.get("lines") or []:
        if isinstance(line, dict) and "title" in line:
            line["title"] = _line(line["title"])
    return record


NORMALISERS = {
    "products": product,
    "reviews": review,
    "documents": document,
    "customers": customer,
    "events": event,
    "orders": order,
}
