"""Aspect sentiment rules in English and Chinese: aspects, polarity, evidence, negation, contrast."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from shopmind.core.errors import ConfigError
from shopmind.reviews import OVERALL, Taxonomy, analyse_text, load_taxonomy

TAXONOMY = Taxonomy()


def verdicts(text: str, language: str, taxonomy: Taxonomy = TAXONOMY) -> list[tuple[str, str]]:
    mentions, _ = analyse_text(text, language, taxonomy)
    return [(m.aspect, m.polarity) for m in mentions]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Delivery was super fast.", "en", [("logistics", "positive")]),
        ("The battery died after a week.", "en", [("function", "negative")]),
        ("Great value for money", "en", [("price", "positive")]),
        ("Customer service never replied to my emails", "en", [("service", "negative")]),
        ("Runs small, order one size up", "en", [("size", "negative"), ("size", "negative")]),
        ("物流很快，第二天就到了", "zh", [("logistics", "positive")] * 2),
        ("质量太差了", "zh", [("quality", "negative")]),
        ("客服态度很差", "zh", [("service", "negative")]),
        ("性价比很高", "zh", [("price", "positive")]),
        ("尺码偏小", "zh", [("size", "negative")]),
        ("是正品，很好", "zh", [("authenticity", "positive"), ("overall", "positive")]),
    ],
)
def test_aspects_and_polarity(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert verdicts(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("The quality is not great.", "en", [("quality", "negative")]),
        ("Shipping wasn't slow at all.", "en", [("logistics", "positive")]),
        ("No problems with the delivery.", "en", [("logistics", "positive")]),
        ("质量不太好", "zh", [("quality", "negative")]),
        ("物流不是很快", "zh", [("logistics", "negative")]),
        ("一点都不油腻", "zh", [("comfort", "positive")]),
        ("包装没有任何问题", "zh", [("packaging", "positive")]),
        ("充电速度特别慢", "zh", [("function", "negative")]),  # 特别 is not 别 (a negator)
    ],
)
def test_negation_flips(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert verdicts(text, language) == expected


def test_contrast_judges_each_side_apart() -> None:
    assert verdicts("The screen is great but the battery is weak", "en") == [
        ("function", "positive"),
        ("function", "negative"),
    ]
    assert verdicts("Delivery was fast but the quality is poor", "en") == [
        ("logistics", "positive"),
        ("quality", "negative"),
    ]
    assert verdicts("物流很快，但是质量不太好", "zh") == [
        ("logistics", "positive"),
        ("quality", "negative"),
    ]
    assert verdicts("价格实惠不过包装太简陋了", "zh") == [
        ("price", "positive"),
        ("packaging", "negative"),
    ]


def test_evidence_is_the_clause_with_offsets() -> None:
    text = "Bought it for my son. The battery died after a week, sadly."
    mentions, _ = analyse_text(text, "en", TAXONOMY)
    (mention,) = mentions
    assert mention.evidence == "The battery died after a week"
    assert text[mention.start : mention.end] == mention.evidence
    assert mention.opinion == "died"
    zh = "买来送人的。物流很快，包装很用心。"
    mentions, _ = analyse_text(zh, "zh", TAXONOMY)
    assert [m.evidence for m in mentions] == ["物流很快", "包装很用心"]
    assert all(zh[m.start : m.end] == m.evidence for m in mentions)


def test_generic_opinion_without_aspect_is_overall() -> None:
    assert verdicts("Love it!", "en") == [(OVERALL, "positive")]
    assert verdicts("非常失望", "zh") == [(OVERALL, "negative")]
    assert verdicts("Bought this as a gift for my sister.", "en") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I wish it came with a case.", "en"),
        ("Would be nice if it were cheaper.", "en"),
        ("Please add a longer leg length.", "en"),
        ("希望能出更多颜色。", "zh"),
        ("要是再便宜一点就好了。", "zh"),
        ("建议商家增加大码。", "zh"),
    ],
)
def test_wishes_are_needs_not_judgements(text: str, language: str) -> None:
    mentions, needs = analyse_text(text, language, TAXONOMY)
    assert mentions == []
    assert [n.kind for n in needs] == ["wish"]
    assert needs[0].text == text


def test_negative_clauses_are_complaints() -> None:
    _, needs = analyse_text("Great price. Shipping took forever.", "en", TAXONOMY)
    assert [(n.kind, n.aspect, n.text) for n in needs] == [
        ("complaint", "logistics", "Shipping took forever")
    ]


def test_shop_extends_taxonomy_per_category(tmp_path: Path) -> None:
    shop = {
        "aspects": {
            "warranty": {
                "label": {"en": "Warranty", "zh": "保修"},
                "terms": {"en": ["warranty"], "zh": ["保修"]},
            }
        },
        "categories": {
            "Electronics > Audio": {
                "aspects": {
                    "noise_cancelling": {
                        "label": {"en": "Noise cancelling"},
                        "terms": {"en": ["anc"], "zh": ["降噪"]},
                        "cues": {"en": {"+": ["blocks out everything"]}},
                    }
                }
            }
        },
    }
    path = tmp_path / "taxonomy.json"
    path.write_bytes(orjson.dumps(shop))
    taxonomy = load_taxonomy(path)
    assert verdicts("The warranty is great", "en", taxonomy) == [("warranty", "positive")]
    assert verdicts("保修很好", "zh", taxonomy) == [("warranty", "positive")]
    audio = "Electronics > Audio > Headphones"
    mentions, _ = analyse_text("It blocks out everything", "en", taxonomy, audio)
    assert [(m.aspect, m.polarity) for m in mentions] == [("noise_cancelling", "positive")]
    mentions, _ = analyse_text("降噪效果很好", "zh", taxonomy, audio)
    assert ("noise_cancelling", "positive") in [(m.aspect, m.polarity) for m in mentions]
    # Other categories do not see it.
    mentions, _ = analyse_text("It blocks out everything", "en", taxonomy, "Home > Kitchen")
    assert mentions == []
    assert taxonomy.label("noise_cancelling") == "Noise cancelling"


def test_shop_taxonomy_home_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from shopmind.core.settings import get_settings

    folder = get_settings().home / "reviews"
    folder.mkdir(parents=True)
    (folder / "taxonomy.json").write_bytes(
        orjson.dumps({"aspects": {"scent2": {"terms": {"en": ["perfume"]}}}})
    )
    assert "scent2" in load_taxonomy().keys


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"aspects": {"x": {"cues": {"en": {"good": ["a"]}}}}}, "cue keys must be"),
        ({"aspect": {}}, "invalid review taxonomy"),
        ({"aspects": {"x": {"terms": ["a"]}}}, "invalid review taxonomy"),
    ],
)
def test_bad_taxonomy_is_refused(tmp_path: Path, data: object, message: str) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(ConfigError, match=message):
        load_taxonomy(path)
    with pytest.raises(ConfigError, match="not found"):
        load_taxonomy(tmp_path / "missing.json")
