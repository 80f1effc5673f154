"""Product records: titles, attributes and descriptions written from a planned row.

Text is a pure function of the row. A model's ``random.Random(salt)`` drives every wording choice,
so all colour/size variants of one model share brand, series and copy and differ only in their
axis values; the model part is cached, which also makes a million rows affordable. Orders rebuild
any product's title the same way without keeping the catalog in memory.
"""

from __future__ import annotations

import random
from functools import lru_cache
from string import Formatter
from typing import Any, NamedTuple

from shopmind.demo import product_words as words
from shopmind.demo.catalog import CURRENCIES, LANGUAGES, ProductRow, money, product_id
from shopmind.demo.catalog_types import (
    BOOL_SENTENCES,
    LABELS,
    Category,
    Fixed,
    Flag,
    IntRange,
    Kind,
    Pick,
    Scalar,
    Words,
)
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.clock import CATALOG_END, DAY
from shopmind.demo.policies import FREE_SHIPPING, WARRANTY_MONTHS, money_phrase

SITE = "https://demo.shopmind.local"
_TAG_SALE = ("sale", "特价")
_TAG_NEW = ("new", "新品")
_NEW_SINCE = CATALOG_END - 90 * DAY
_HTML_SHARE = 0.3
_INVISIBLE_SHARE = 0.03


def _feature_templates(key: str, zh: bool) -> tuple[str, ...]:
    """Sentences for one attribute, label and unit filled in, with ``{}`` left for the value."""
    label = LABELS[key]
    if zh:
        return (f"{label.zh}为{{}}{label.unit_zh}。", f"{label.zh}：{{}}{label.unit_zh}。")
    colon = f"{label.en}: {{}}{label.unit_en}."
    if label.en.endswith("s"):
        return (colon, colon)  # "The pages is 320" reads wrong; plural labels keep "Pages: 320"
    return (f"The {label.en.lower()} is {{}}{label.unit_en}.", colon)


_TEMPLATES = {(key, zh): _feature_templates(key, zh) for key in LABELS for zh in (False, True)}


def _split_intro(template: str, use: str) -> tuple[str, str]:
    before, after = template.format(name="\0", use=use).split("\0")
    return before, after


def _sku_prefix(category: Category, brand_en: str) -> str:
    letters = "".join(ch for ch in brand_en if ch.isalpha())[:3].upper()
    return f"{letters}-{category.key[:3].upper()}"


# Per-category pieces that do not depend on the product, worked out once.
_INTROS = {
    (index, zh): tuple(
        _split_intro(t, category.use[zh])
        for t in (words.BOOK_INTRO if category.books else words.INTRO)[zh]
    )
    for index, category in enumerate(CATEGORIES)
    for zh in (False, True)
}
_SKU_PREFIX = {
    (index, brand[0]): _sku_prefix(category, brand[0])
    for index, category in enumerate(CATEGORIES)
    for brand in category.brands
}


class _ModelText(NamedTuple):
    """Everything variants of one model share."""

    brand: str
    sku_prefix: str
    values: dict[str, Scalar]  # axis attributes hold their first variant's value
    offsets: dict[str, int]  # axis attribute -> index of the first variant's value
    extras: dict[str, Scalar]
    head: str  # brand and series, or a book's title
    noun: str  # the kind's noun for the first variant
    noun_varies: bool  # the noun names the variant's size, as in "Pet Bed, Size L"
    intro: tuple[str, str]  # the opening sentence around the product's name
    features: list[str]  # sentences for the non-axis attributes
    closing: str
    html: bool
    invisible: bool


def product_record(row: ProductRow, width: int) -> dict[str, Any]:
    """The product as ``Product.model_dump(mode="json", exclude_none=True)`` would write it."""
    category = CATEGORIES[row.category]
    kind = category.kinds[row.kind]
    zh = row.language == 0
    model = _model_text(row.salt, row.category, row.kind, zh, row.currency)
    values = _variant_values(kind, model, row.variant, zh)
    name = model.head + (_noun(kind, values, zh) if model.noun_varies else model.noun)
    pid = product_id(row.position, width)
    record: dict[str, Any] = {
        "id": pid,
        "sku": f"{model.sku_prefix}-{row.model + 1:07d}-{row.variant + 1:02d}",
        "title": _title(name, _TITLE_AXES[row.category, row.kind], values, zh),
        "description": _description(kind, model, name, values, zh),
        "brand": model.brand,
        "category_path": [*(category.path_zh if zh else category.path_en), kind.leaf[zh]],
        "attributes": {**values, **model.extras},
        "price": money(row.price_cents),
        "currency": CURRENCIES[row.currency],
    }
    if row.compare_cents:
        record["compare_at_price"] = money(row.compare_cents)
    record["stock"] = row.stock
    record["availability"] = "in_stock" if row.stock > 0 else "out_of_stock"
    record["images"] = [f"{SITE}/img/{pid}-{n}.jpg" for n in range(1, row.images + 1)]
    record["url"] = f"{SITE}/{LANGUAGES[row.language]}/products/{pid}"
    record["language"] = LANGUAGES[row.language]
    record["tags"] = _tags(category, kind, row, zh)
    if row.variants > 1:
        record["variant_group"] = f"g{row.model + 1:0{width}d}"
    record["created_at"] = row.created_at
    if row.updated_at:
        record["updated_at"] = row.updated_at
    return record


def brand_of(row: ProductRow) -> str:
    """The product's brand in its own language."""
    return _model_text(row.salt, row.category, row.kind, row.language == 0, row.currency).brand


@lru_cache(maxsize=4096)
def _model_text(
    salt: int, category_index: int, kind_index: int, zh: bool, currency: int
) -> _ModelText:
    category = CATEGORIES[category_index]
    kind = category.kinds[kind_index]
    rng = random.Random(salt)
    brand_en, brand_zh = category.brands[int(rng.random() * len(category.brands))]
    brand = brand_zh if zh else brand_en
    values, offsets = _draw_values(kind, rng, zh)
    head, extras = _head(category, brand, rng, zh)
    intro = _INTROS[category_index, zh][int(rng.random() * 3)]
    features = [
        _feature(key, value, rng, zh)
        for key, value in values.items()
        if key not in kind.axis and key != "gender"
    ]
    style = rng.random()
    return _ModelText(
        brand=brand,
        sku_prefix=_SKU_PREFIX[category_index, brand_en],
        values=values,
        offsets=offsets,
        extras=extras,
        head=head,
        noun=_noun(kind, values, zh),
        noun_varies=_NOUN_VARIES[category_index, kind_index],
        intro=intro,
        features=[line for line in features if line],
        closing=("" if zh else " ").join(
            [category.care[zh], *_promises(category, currency, rng, zh)]
        ),
        html=style < _HTML_SHARE,
        invisible=style > 1 - _INVISIBLE_SHARE,
    )


def _draw_values(
    kind: Kind, rng: random.Random, zh: bool
) -> tuple[dict[str, Scalar], dict[str, int]]:
    values: dict[str, Scalar] = {}
    offsets: dict[str, int] = {}
    for name, spec in kind.attrs.items():
        draw = rng.random()
        if isinstance(spec, Words):
            offsets[name] = int(draw * len(spec.pairs))
            values[name] = spec.pairs[offsets[name]][zh]
        elif isinstance(spec, Pick):
            offsets[name] = int(draw * len(spec.values))
            values[name] = spec.values[offsets[name]]
        elif isinstance(spec, IntRange):
            values[name] = spec.low + spec.step * int(
                draw * ((spec.high - spec.low) // spec.step + 1)
            )
        elif isinstance(spec, Flag):
            values[name] = draw < spec.p
        elif isinstance(spec, Fixed):
            values[name] = spec.value
    return values, offsets


def _variant_values(kind: Kind, model: _ModelText, variant: int, zh: bool) -> dict[str, Scalar]:
    """The model's values with the variant's colour/size: two axes walk a 2x2 grid."""
    if not kind.axis or variant == 0:
        return model.values
    values = dict(model.values)
    for position, axis in enumerate(kind.axis):
        step = variant if len(kind.axis) == 1 else (variant // 2 if position == 0 else variant % 2)
        spec = kind.attrs[axis]
        index = model.offsets[axis] + step
        if isinstance(spec, Words):
            values[axis] = spec.pairs[index % len(spec.pairs)][zh]
        elif isinstance(spec, Pick):
            values[axis] = spec.values[index % len(spec.values)]
    return values


def _head(
    category: Category, brand: str, rng: random.Random, zh: bool
) -> tuple[str, dict[str, Scalar]]:
    """What precedes the kind's noun in the name (brand and series, or a book's title), plus
    attributes the name brings (a book's author)."""
    if category.books:
        adjective = words.BOOK_ADJ[int(rng.random() * len(words.BOOK_ADJ))]
        noun_word = words.BOOK_NOUN[int(rng.random() * len(words.BOOK_NOUN))]
        author = words.AUTHORS[int(rng.random() * len(words.AUTHORS))][zh]
        if zh:
            return f"《{adjective[1]}的{noun_word[1]}》", {"author": author}
        return f"The {adjective[0]} {noun_word[0]}: ", {"author": author}
    if category.series:
        series = (
            words.SERIES[int(rng.random() * len(words.SERIES))]
            + words.SUFFIX[int(rng.random() * len(words.SUFFIX))]
        )
        return f"{brand} {series} ", {}
    return f"{brand} ", {}


def _noun(kind: Kind, values: dict[str, Scalar], zh: bool) -> str:
    template = kind.zh if zh else kind.en
    return template.format_map({k: _show(values[k]) for k in _slots(template)})


@lru_cache(maxsize=512)
def _slots(template: str) -> tuple[str, ...]:
    """The {attribute} names a title noun uses."""
    return tuple(field for _, field, _, _ in Formatter().parse(template) if field)


# Axes the title spells out after the name (those not already inside the noun).
_TITLE_AXES = {
    (index, number): tuple(axis for axis in kind.axis if axis not in _slots(kind.en))
    for index, category in enumerate(CATEGORIES)
    for number, kind in enumerate(category.kinds)
}
_NOUN_VARIES = {
    (index, number): any(axis in _slots(kind.en) for axis in kind.axis)
    for index, category in enumerate(CATEGORIES)
    for number, kind in enumerate(category.kinds)
}


def _show(value: Scalar) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _title(name: str, axes: tuple[str, ...], values: dict[str, Scalar], zh: bool) -> str:
    words = [_variant_word(axis, values[axis], zh) for axis in axes]
    if not words:
        return name
    return f"{name} {' '.join(words)}" if zh else f"{name}, {', '.join(words)}"


def _variant_word(axis: str, value: Scalar, zh: bool) -> str:
    if axis == "shoe_size":
        return f"{value}码" if zh else f"EU {value}"
    if axis in ("size", "diaper_size"):
        return f"{value}码" if zh else f"Size {value}"
    return str(value)


def _description(
    kind: Kind, model: _ModelText, name: str, values: dict[str, Scalar], zh: bool
) -> str:
    intro = f"{model.intro[0]}{name}{model.intro[1]}"
    if model.html:
        items = "".join(f"<li>{_bullet(k, v, zh)}</li>" for k, v in values.items() if k in LABELS)
        text = f"<p>{intro}</p><ul>{items}</ul><p>{model.closing}</p>"
    else:
        # Axis sentences use the plain "Label: value" form: no draws, so variants stay in step.
        axis = [_TEMPLATES[key, zh][1].format(_show(values[key])) for key in kind.axis]
        text = ("" if zh else " ").join([intro, *axis, *model.features, model.closing])
    if model.invisible:
        # Invisible characters, as pasted from supplier sheets: the ingest layer must drop them.
        text = "\ufeff" + text.replace(" ", " \u200b", 2) + "\u200d"
    return text


def _feature(key: str, value: Scalar, rng: random.Random, zh: bool) -> str:
    if isinstance(value, bool):
        sentences = BOOL_SENTENCES.get(key)
        return sentences[(0 if value else 2) + zh] if sentences else ""
    template = _TEMPLATES[key, zh][int(rng.random() * 2)]
    shown = _show(value)
    if template.startswith("The ") and isinstance(value, str) and not shown[:2].isupper():
        shown = shown[0].lower() + shown[1:]  # mid-sentence: "The material is natural rubber."
    return template.format(shown)


def _bullet(key: str, value: Scalar, zh: bool) -> str:
    label = LABELS[key]
    if isinstance(value, bool):
        shown = ("是" if value else "否") if zh else ("Yes" if value else "No")
        return f"{label.zh}：{shown}" if zh else f"{label.en}: {shown}"
    if zh:
        return f"{label.zh}：{_show(value)}{label.unit_zh}"
    return f"{label.en}: {_show(value)}{label.unit_en}"


def _promises(category: Category, currency: int, rng: random.Random, zh: bool) -> list[str]:
    """Warranty, dispatch and free-shipping lines, worded from the same facts as the policies."""
    lines = []
    months = WARRANTY_MONTHS.get(category.key)
    if months:
        lines.append(
            f"享受 {months} 个月质保。" if zh else f"Covered by our {months}-month warranty."
        )
    if rng.random() < 0.3:
        lines.append(words.DISPATCH[zh])
    if rng.random() < 0.2:
        code = CURRENCIES[currency]
        threshold = money_phrase(FREE_SHIPPING[code], code, zh)
        lines.append(
            f"订单满 {threshold}包邮。" if zh else f"Free shipping on orders over {threshold}."
        )
    return lines


def _tags(category: Category, kind: Kind, row: ProductRow, zh: bool) -> list[str]:
    tags = [pair[zh] for pair in category.tags]
    tags.append(kind.leaf[1] if zh else kind.leaf[0].lower())
    if row.compare_cents:
        tags.append(_TAG_SALE[zh])
    if row.created >= _NEW_SINCE:
        tags.append(_TAG_NEW[zh])
    return tags
