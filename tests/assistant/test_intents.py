"""Intents (rules + TF-IDF/LR) and slots."""

from __future__ import annotations

from datetime import date

import pytest

from shopmind.assistant import INTENTS, IntentClassifier, extract_slots
from shopmind.assistant.intents import default_classifier, load_examples


def test_examples_cover_every_intent_in_both_languages() -> None:
    rows = load_examples()
    for intent in INTENTS:
        texts = [t for t, label in rows if label == intent]
        assert any(t.isascii() for t in texts), intent
        assert any(not t.isascii() for t in texts), intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("where is my parcel o000321", "order_status"),
        ("has my package shipped", "order_status"),
        ("我的包裹到哪里了", "order_status"),
        ("I'd like to return these shoes", "return"),
        ("这个可以退货吗", "return"),
        ("when do I get my money back", "refund"),
        ("退款什么时候到", "refund"),
        ("how much does shipping cost to Alaska", "shipping"),
        ("寄到广州要几天", "shipping"),
        ("let me talk to a human agent", "handoff"),
        ("我要转人工", "handoff"),
        ("hello", "greeting"),
        ("你好", "greeting"),
        ("tell me a funny joke", "out_of_scope"),
        ("帮我写一首关于春天的诗", "out_of_scope"),
        ("do you take Apple Pay", "faq"),
    ],
)
def test_held_out_phrasings(text: str, intent: str) -> None:
    assert default_classifier().predict(text).name == intent


def test_training_set_is_learned() -> None:
    rows = load_examples()
    model = IntentClassifier().fit(rows)
    right = sum(model.predict(t).name == label for t, label in rows)
    assert right / len(rows) >= 0.95


def test_low_confidence_is_flagged() -> None:
    model = IntentClassifier(min_confidence=0.99).fit(load_examples())
    assert model.predict("hmm, the thing from before about stuff").low_confidence
    with pytest.raises(ValueError, match="min_confidence"):
        IntentClassifier(min_confidence=1.5)


def test_slots() -> None:
    today = date(2025, 7, 1)
    slots = extract_slots(
        "Order o000123 and #5512345: 2 items, sent 2025-06-03, a@b.com", today=today
    )
    assert slots.order_ids == ("o000123", "5512345")
    assert slots.quantity == 2
    assert slots.dates == (date(2025, 6, 3),)
    assert slots.email == "a@b.com"
    zh = extract_slots("订单号 o000042 买了两件，6月5日下单，昨天还没到", today=today)
    assert zh.order_ids == ("o000042",)
    assert zh.quantity == 2
    assert set(zh.dates) == {date(2025, 6, 5), date(2025, 6, 30)}
    assert extract_slots("那另一个订单呢").quantity is None
    assert extract_slots("price is 19.99 for 2025-01-01").order_ids == ()
