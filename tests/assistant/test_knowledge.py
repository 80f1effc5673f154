"""Passages and retrieval over the demo shop's policy documents, both languages."""

from __future__ import annotations

import pytest

from shopmind.assistant import KnowledgeBase, split_document
from shopmind.assistant.knowledge import product_vocabulary, query_terms
from shopmind.core.schemas import Document, Product
from shopmind.store import Store


def _kb(store: Store) -> KnowledgeBase:
    docs = [d for d in store.iter_models("documents") if isinstance(d, Document)]
    names = [
        name
        for p in store.iter_models("products")
        if isinstance(p, Product)
        for name in (p.title, *p.category_path)
    ]
    return KnowledgeBase.from_documents(docs, product_terms=product_vocabulary(names))


def test_split_keeps_sections_and_ids() -> None:
    doc = Document(
        id="returns",
        title="Returns",
        body="---\nid: x\n---\n# Returns\n\nWithin 30 days.\n\n## Refunds\nWithin 5 days.\n",
        language="en",
    )
    passages = split_document(doc)
    assert [p.id for p in passages] == ["returns#1", "returns#2"]
    assert passages[1].heading == "Refunds"
    assert "5 days" in passages[1].text
    assert all("id: x" not in p.text for p in passages)


def test_long_sections_are_cut() -> None:
    body = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(10))
    passages = split_document(Document(id="d", title="T", body=body, language="en"))
    assert len(passages) > 1
    assert all(len(p.text) <= 800 for p in passages)


@pytest.mark.parametrize(
    ("question", "language", "document"),
    [
        ("How many days do I have to return an item?", "en", "returns-en"),
        ("How long does a refund take?", "en", "returns-en"),
        ("Which payment methods do you accept? PayPal?", "en", "payment-en"),
        ("How long is the warranty?", "en", "warranty-en"),
        ("退货期限是多久？", "zh", "returns-zh"),
        ("退款多久到账", "zh", "returns-zh"),
        ("加急配送多少钱", "zh", "shipping-zh"),
        ("耳机保修多久", "zh", "warranty-zh"),
    ],
)
def test_retrieves_the_right_document_in_the_language(
    shop: Store, question: str, language: str, document: str
) -> None:
    hits = _kb(shop).search(question, language=language)
    assert hits, question
    assert hits[0].passage.document_id == document
    assert all(h.passage.language == language for h in hits)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What is the capital of France?", "en"),
        ("Do you sell spaceships to Mars?", "en"),
        ("Can I pay with bitcoin?", "en"),
        ("你们支持比特币付款吗", "zh"),
        ("你们卖火箭吗", "zh"),
        ("Do you price match?", "en"),
        ("Do you ship to Germany?", "en"),
    ],
)
def test_nothing_relevant_gives_no_passage(shop: Store, question: str, language: str) -> None:
    assert _kb(shop).search(question, language=language) == []


def test_arguments_are_checked(shop: Store) -> None:
    with pytest.raises(ValueError, match="top_k"):
        _kb(shop).search("returns", top_k=0)


@pytest.mark.slow
def test_e5_hybrid_keeps_the_answers_and_the_refusals(shop: Store) -> None:
    from shopmind.models.embed import get_embedder

    docs = [d for d in shop.iter_models("documents") if isinstance(d, Document)]
    kb = KnowledgeBase.from_documents(docs, embedder=get_embedder("e5-small"))
    assert kb.search("How long does a refund take?", language="en")[0].passage.id == (
        "returns-en#4"
    )
    assert kb.search("退款多久到账", language="zh")[0].passage.document_id == "returns-zh"
    assert kb.search("Can I pay with bitcoin?", language="en") == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("客服工作时间", ["服务"]),
        ("客服几点上班", ["服务"]),
        ("你们的营业时间是几点", ["服务"]),
        ("客服电话是多少", ["服务", "电话"]),  # no phone on the pages: still refused
        ("What are your support hours?", ["support", "hour"]),
    ],
)
def test_question_terms_read_hours_phrasings_as_the_pages_do(
    question: str, expected: list[str]
) -> None:
    language = "en" if question.isascii() else "zh"
    assert query_terms(question, language) == expected
