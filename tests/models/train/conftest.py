"""Synthetic bilingual reviews with a known right answer, and a shared embedder runtime."""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shopmind.core.settings import get_settings

POSITIVE = {
    "en": [
        "I love this {}",
        "great {}, works perfectly",
        "excellent {} and fast delivery",
        "very happy with the {}",
        "the {} is wonderful, five stars",
        "best {} I have bought",
    ],
    "zh": [
        "这个{}非常好",
        "{}质量很好，很满意",
        "很喜欢这个{}，推荐购买",
        "{}物美价廉，好评",
        "{}超出预期，太棒了",
        "买到这个{}很开心",
    ],
}
NEGATIVE = {
    "en": [
        "I hate this {}",
        "terrible {}, broke after a day",
        "awful {} and slow delivery",
        "very disappointed with the {}",
        "the {} is useless, one star",
        "worst {} I have bought",
    ],
    "zh": [
        "这个{}太差了",
        "{}质量很差，不满意",
        "非常失望，{}用一天就坏了",
        "{}很垃圾，差评",
        "{}和描述不符，退货",
        "买到这个{}很后悔",
    ],
}
ITEMS = {
    "en": ["phone", "kettle", "jacket", "book", "lamp", "chair", "mouse", "bag", "watch", "cable"],
    "zh": ["手机", "水壶", "衣服", "书", "台灯", "椅子", "鼠标", "包", "手表", "耳机"],
}


def make_reviews(
    n: int, seed: int = 0, langs: tuple[str, ...] = ("en", "zh")
) -> list[tuple[str, str]]:
    """``n`` distinct (text, label) pairs; the label follows from the template, never the item."""
    rng = random.Random(seed)
    combos = [
        (template.format(item), label)
        for lang in langs
        for label, bank in (("positive", POSITIVE), ("negative", NEGATIVE))
        for template in bank[lang]
        for item in ITEMS[lang]
    ]
    rng.shuffle(combos)
    if n > len(combos):
        raise ValueError(f"only {len(combos)} distinct synthetic reviews, asked for {n}")
    return combos[:n]


def write_csv(
    path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] = ("text", "label")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def make_rows() -> Callable[..., list[tuple[str, str]]]:
    """``make_rows(n, seed=0, langs=("en", "zh"))``: distinct synthetic (text, label) pairs."""
    return make_reviews


@pytest.fixture
def write_rows() -> Callable[..., Path]:
    """``write_rows(path, rows, header=("text", "label"))``: a UTF-8 CSV file."""
    return write_csv


@pytest.fixture
def reviews_csv(tmp_path: Path) -> Callable[..., Path]:
    """``reviews_csv(n, seed=0, langs=("en", "zh"))``: a CSV of distinct synthetic reviews."""

    def make(n: int, seed: int = 0, langs: tuple[str, ...] = ("en", "zh")) -> Path:
        return write_csv(tmp_path / f"reviews-{n}-{seed}.csv", make_reviews(n, seed, langs))

    return make


@pytest.fixture(scope="session")
def _runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embed-runtime")


@pytest.fixture
def shared_runtime(_runtime_dir: Path) -> Iterator[None]:
    """Point this test's models/runtime at one folder for the session: the e5 int8 graph is
    built once (~30 s), not once per test home."""
    runtime = get_settings().models_dir / "runtime"
    runtime.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(_runtime_dir, runtime, target_is_directory=True)
    yield
