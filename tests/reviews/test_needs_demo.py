"""Needs mining on the demo shop with the real e5 embedder: planted wishes become themes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from shopmind.core.schemas import Review
from shopmind.demo import generate, load_ground_truth
from shopmind.models.embed import get_embedder
from shopmind.reviews import analyse_review, load_taxonomy
from shopmind.reviews.needs import need_content, need_items, themes


@pytest.mark.slow
def test_planted_wishes_form_themes(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    generate(folder, seed=5, products=100, customers=20, events=0, orders=0, reviews=1500)
    truth: dict[str, Counter[str]] = {
        lang: Counter(found) for lang, found in load_ground_truth(folder)["review_needs"].items()
    }
    taxonomy = load_taxonomy()
    rows = [
        analyse_review(Review.model_validate(orjson.loads(line)), taxonomy)
        for line in (folder / "reviews.jsonl").read_bytes().splitlines()
    ]
    wishes = [item for item in need_items(rows) if item["kind"] == "wish"]
    # Every planted wish is detected, in both languages, and nothing else reads as a wish.
    found = Counter((w["language"], w["text"].rstrip(".。")) for w in wishes)
    planted = Counter({(lang, text): n for lang, c in truth.items() for text, n in c.items()})
    assert found == planted
    grouped: list[dict[str, Any]] = themes(wishes, get_embedder("e5-small"), top=100)["wish"]
    assert grouped, "no wish themes"
    # A theme gathers one wish (or its translation), never two different ones.
    for theme in grouped:
        said = {q["text"].rstrip(".。") for q in theme["quotes"]}
        assert theme["count"] >= 2
        assert len(said) <= 2, said
    covered = sum(theme["count"] for theme in grouped)
    assert covered >= 0.8 * sum(planted.values())
    print(f"{len(grouped)} wish themes cover {covered}/{sum(planted.values())} wishes")


@pytest.mark.parametrize(
    ("wish", "need"),
    [
        ("I wish it came with a case.", "it came with a case"),
        ("希望出个替换装。", "替换装"),
        ("希望出旅行装。", "旅行装"),
        ("希望推出一款无糖的", "无糖的"),
        ("可以出个小号吗", "小号吗"),
        ("希望能出更多颜色。", "更多颜色"),
        # "出货" is shipping and "做工" workmanship: the need, not wish wording.
        ("希望出货快一点", "出货快一点"),
        ("希望做工再好点", "做工再好点"),
        ("希望出", "出"),
    ],
)
def test_need_content_drops_the_shared_wish_wording(wish: str, need: str) -> None:
    assert need_content(wish) == need
