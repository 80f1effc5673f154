"""Product questions: answered from attributes with citations, or refused when not stated."""

from __future__ import annotations

from collections.abc import Sequence

from shopmind.assistant import Assistant
from shopmind.core.schemas import Product
from shopmind.store import Store


def _with_attribute(store: Store, name: str) -> Product:
    return next(
        p for p in store.iter_models("products") if isinstance(p, Product) and name in p.attributes
    )


def test_attribute_answer_with_product_id(assistant: Assistant, shop: Store) -> None:
    product = _with_attribute(shop, "weight_g")
    answer = assistant.reply(
        assistant.start_session(), f"How much does {product.id} weigh? what is the weight"
    )
    assert str(product.attributes["weight_g"]) in answer.text
    assert ("product", product.id, "weight_g") in {
        (c.kind, c.id, c.field) for c in answer.citations
    }
    assert answer.grounded


def test_attribute_the_product_lacks_is_not_invented(assistant: Assistant, shop: Store) -> None:
    product = next(
        p
        for p in shop.iter_models("products")
        if isinstance(p, Product) and "waterproof" not in p.attributes
    )
    answer = assistant.reply(assistant.start_session(), f"Is {product.id} waterproof?")
    assert not answer.grounded and answer.offer_handoff
    assert "waterproof:" not in answer.text


def test_lookup_by_name_needs_the_question_to_name_the_product(
    assistant: Assistant, shop: Store
) -> None:
    product = _with_attribute(shop, "colour")
    calls: list[str] = []

    def lookup(query: str, language: str) -> Sequence[Product]:
        calls.append(query)
        return [product]

    named = Assistant(shop, rules=assistant.rules, product_lookup=lookup)
    words = " ".join(product.title.split()[:3])
    answer = named.reply(named.start_session(), f"What colour is the {words}?")
    assert str(product.attributes["colour"]) in answer.text
    assert answer.tool_calls == ["product_search"]
    unrelated = named.reply(named.start_session(), "What colour is the zeppelin?")
    assert str(product.attributes["colour"]) not in unrelated.text
    assert not unrelated.grounded
    assert len(calls) == 2


def test_open_question_names_the_product_and_gets_its_record(
    assistant: Assistant, shop: Store
) -> None:
    """ "Tell me about" + a Chinese title is English around a Chinese name: answered in English,
    with every stated attribute; a product the question names answers it even when the intent
    model calls the turn out of scope."""
    product = next(
        p
        for p in shop.iter_models("products")
        if isinstance(p, Product) and len(p.attributes) >= 3 and not p.title.isascii()
    )

    def lookup(query: str, language: str) -> Sequence[Product]:
        return [product]

    named = Assistant(shop, rules=assistant.rules, product_lookup=lookup)
    answer = named.reply(named.start_session(), f"Tell me about {product.title}")
    assert answer.grounded and answer.intent == "product_question"
    assert answer.language == "en"  # English words around a Chinese name: an English reply
    for name, value in product.attributes.items():
        assert str(value) in answer.text
        assert ("product", product.id, name) in {(c.kind, c.id, c.field) for c in answer.citations}
    assert answer.tool_calls == ["product_search"]
    # Out of scope and naming no product: still refused, not answered from a nearest guess.
    other = named.reply(named.start_session(), "讲个笑话")
    assert not other.grounded and product.title not in other.text
