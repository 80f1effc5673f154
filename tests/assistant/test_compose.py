"""The grounded composer and the check that keeps an LLM from adding facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from shopmind.assistant import Answer, Citation, unsupported_facts
from shopmind.assistant.compose import compose_policy, rephrase
from shopmind.assistant.knowledge import Hit, Passage
from shopmind.models.llm import ChatResult, ChatStream, LLMError

REFUND = Passage(
    id="returns-en#4",
    document_id="returns-en",
    title="Returns & Refunds",
    heading="Refunds",
    text="We refund to the original payment method within **5 business days** of\n"
    "receiving your return. Shipping fees are refunded only when the item was faulty.",
    language="en",
)


class FakeLLM:
    """An LLM double that answers with a fixed text (or raises)."""

    backend = "fake"
    model = "fake"

    def __init__(self, reply: str = "", error: Exception | None = None) -> None:
        self.reply = reply
        self.error = error
        self.prompts: list[Any] = []

    def load(self) -> None:
        return None

    def chat(self, messages: Sequence[Any], **kwargs: Any) -> ChatResult:
        self.prompts.append(messages)
        if self.error is not None:
            raise self.error
        return ChatResult(self.reply, 10, 10, 0.01, "fake", "stop", "fake")

    def stream(self, messages: Sequence[Any], **kwargs: Any) -> ChatStream:
        raise NotImplementedError

    def close(self) -> None:
        return None


def _grounded() -> Answer:
    return compose_policy("How long does a refund take?", [Hit(REFUND, 1.0, 1.0)], "en")


def test_composer_quotes_the_passage_and_cites_it() -> None:
    answer = _grounded()
    assert "5 business days of receiving your return" in answer.text
    assert answer.citations[0] == Citation(
        "document", "returns-en", "returns-en#4", answer.citations[0].value
    )
    assert "5 business days" in answer.citations[0].value
    assert answer.grounded


@pytest.mark.parametrize("language", ["en", "zh"])
def test_nothing_found_says_so_and_offers_a_handoff(language: str) -> None:
    answer = compose_policy("anything", [], language)
    assert not answer.grounded and answer.offer_handoff and not answer.citations
    assert ("人工" in answer.text) == (language == "zh")


def test_checker_accepts_facts_from_sources() -> None:
    sources = ["Refunds within 5 business days. Express shipping costs $14.99."]
    assert unsupported_facts("You'll get your refund within 5 business days.", sources) == []
    assert unsupported_facts("Express costs $14.99", sources) == []


@pytest.mark.parametrize(
    ("candidate", "missing"),
    [
        ("You'll get your refund within 3 business days.", "3"),
        ("Express shipping costs $12.99.", "12.99"),
        ("Refunds arrive by Monday.", "monday"),
        ("Refunds within 5 business days, no questions asked.", "no questions asked"),
        ("Refunds within 5 business days, or store credit.", "store credit"),
        ("Refunds take five business days.", "five"),
        ("Refunds on 2025-07-03.", "2025-07-03"),
    ],
)
def test_checker_rejects_new_numbers_dates_and_terms(candidate: str, missing: str) -> None:
    sources = ["Refunds within 5 business days."]
    found = unsupported_facts(candidate, sources)
    assert found and any(missing in item or item in missing for item in found), found


def test_checker_in_chinese() -> None:
    sources = ["我们在收到退货后 5 个工作日内原路退款。"]
    assert unsupported_facts("收到退货后5个工作日内退款。", sources) == []
    assert unsupported_facts("收到退货后 3 个工作日内退款。", sources) == ["3"]
    assert "无理由" in unsupported_facts("5 个工作日内退款，支持无理由退货。", sources)


def test_valid_rephrase_is_used() -> None:
    llm = FakeLLM(
        "Good news: refunds go back to your original payment method within 5 business "
        "days of us receiving your return."
    )
    answer = rephrase(_grounded(), llm)
    assert answer.rephrased and answer.text.startswith("Good news")


@pytest.mark.parametrize(
    "reply",
    [
        "Refunds take 2 business days.",
        "Refunds are instant and you also get a 10% coupon.",
        "",
    ],
)
def test_invented_facts_fall_back_to_the_grounded_text(reply: str) -> None:
    grounded = _grounded().text
    answer = rephrase(_grounded(), FakeLLM(reply))
    assert not answer.rephrased and answer.text == grounded


def test_padded_rewording_falls_back() -> None:
    padded = FakeLLM(
        "We refund within 5 business days of receiving your return. This is a translation of "
        "the English translation, pronounced slowly by the friendly robot narrator."
    )
    assert not rephrase(_grounded(), padded).rephrased
    grounded_zh = compose_policy(
        "退款多久到账",
        [
            Hit(
                Passage(
                    "r#4",
                    "r",
                    "退货与退款政策",
                    "退款",
                    "我们在收到退货后 5 个工作日内原路退款。",
                    "zh",
                ),
                1.0,
                1.0,
            )
        ],
        "zh",
    )
    chatter = FakeLLM(
        "我们在收到退货后 5 个工作日内原路退款。This is a Chinese translation of the English one."
    )
    assert not rephrase(grounded_zh, chatter).rephrased


def test_rephrase_in_another_language_falls_back() -> None:
    answer = rephrase(_grounded(), FakeLLM("我们会在收到退货后 5 个工作日内退款。"))
    assert not answer.rephrased


def test_canary_in_output_falls_back() -> None:
    llm = FakeLLM("")
    answer = _grounded()
    llm.reply = "My instructions say [cnry-abc]: refunds within 5 business days."
    out = rephrase(answer, llm, canary="cnry-abc")
    assert not out.rephrased
    assert "cnry-abc" in str(llm.prompts[0])


def test_llm_errors_fall_back() -> None:
    grounded = _grounded().text
    answer = rephrase(_grounded(), FakeLLM(error=LLMError("down")))
    assert answer.text == grounded and not answer.rephrased


def test_ungrounded_answers_are_never_sent_to_the_llm() -> None:
    llm = FakeLLM("We sell spaceships for $5.")
    answer = rephrase(compose_policy("spaceships?", [], "en"), llm)
    assert not llm.prompts and not answer.rephrased


@pytest.mark.slow
def test_real_local_llm_rephrases_or_falls_back() -> None:
    pytest.importorskip("llama_cpp")
    from shopmind.core.settings import Settings
    from shopmind.models.llm import get_llm

    llm = get_llm(Settings(llm="llamacpp"))
    if llm is None:
        pytest.skip("no local LLM configured")
    grounded = _grounded()
    sources = [grounded.text] + [c.value for c in grounded.citations]
    original = grounded.text
    answer = rephrase(grounded, llm)
    print("local LLM:", "rephrased" if answer.rephrased else "fell back", repr(answer.text))
    if answer.rephrased:
        assert unsupported_facts(answer.text, sources) == []
        assert answer.text != original
    else:
        assert answer.text == original
    llm.close()
