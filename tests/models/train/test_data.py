"""Reading labelled CSVs, de-duplication before splitting, stratified splits, bad input."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from shopmind.core.errors import InputError
from shopmind.models.train import (
    LabelledTexts,
    TrainConfig,
    holdout_split,
    read_labelled_csv,
    sample_stratified,
    stratified_split,
)

WriteRows = Callable[..., Path]


def test_read_dedupes_after_whitespace_normalisation_and_drops_conflicts(
    tmp_path: Path, write_rows: WriteRows
) -> None:
    rows = [
        ("good kettle", "pos"),  # row 2
        ("good  kettle ", "pos"),  # row 3: same text after whitespace normalisation
        ("\ufeffgood kettle", "pos"),  # row 4: same text behind a byte-order mark
        ("bad lamp", "neg"),  # row 5
        ("so-so chair", "pos"),  # row 6
        ("so-so chair", "neg"),  # row 7: conflicts with row 6
        ("   ", "neg"),  # row 8: empty text
        ("nice bag", ""),  # row 9: no label
    ]
    path = write_rows(tmp_path / "r.csv", rows)
    data, report = read_labelled_csv(path, "text", "label")
    assert sorted(zip(data.texts, data.labels, strict=True)) == [
        ("bad lamp", "neg"),
        ("good kettle", "pos"),
    ]
    assert report.rows == 8
    assert report.duplicate_rows == 2
    assert (report.conflicting_texts, report.conflicting_rows) == (1, 2)
    assert report.empty_text_rows == [8]
    assert report.missing_label_rows == [9]
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    problems = " | ".join(report.problems())
    assert "rows 8" in problems and "rows 9" in problems and "conflicting" in problems


def test_missing_column_names_it_and_lists_the_columns(
    tmp_path: Path, write_rows: WriteRows
) -> None:
    path = write_rows(tmp_path / "r.csv", [("x", "pos")], header=("review", "label"))
    with pytest.raises(InputError, match=r"no column 'text' \(--text-col\).*'review', 'label'"):
        read_labelled_csv(path, "text", "label")


@pytest.mark.parametrize("content", ["", "text,label\n", "text,label\n ,pos\n"])
def test_empty_files_are_input_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"empty|no usable"):
        read_labelled_csv(path, "text", "label")


def test_non_utf8_and_missing_files_say_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("text,label\n很好,pos\n".encode("gbk"))
    with pytest.raises(InputError, match="UTF-8"):
        read_labelled_csv(path, "text", "label")
    with pytest.raises(InputError, match="not found"):
        read_labelled_csv(tmp_path / "nope.csv", "text", "label")


def _imbalanced(n: int) -> LabelledTexts:
    labels = ["a" if i % 10 < 7 else "b" for i in range(n)]  # 70 / 30
    return LabelledTexts([f"text {i}" for i in range(n)], labels)


def test_split_is_disjoint_stratified_and_seeded() -> None:
    data = _imbalanced(1000)
    splits = stratified_split(data, (0.8, 0.1, 0.1), seed=5)
    parts = [set(splits.train.texts), set(splits.validation.texts), set(splits.test.texts)]
    assert sum(len(p) for p in parts) == 1000 == len(set().union(*parts))
    assert splits.counts() == {"train": 800, "validation": 100, "test": 100}
    for part in (splits.train, splits.validation, splits.test):
        share = Counter(part.labels)["a"] / len(part)
        assert share == pytest.approx(0.7, abs=0.01)
    again = stratified_split(data, (0.8, 0.1, 0.1), seed=5)
    other = stratified_split(data, (0.8, 0.1, 0.1), seed=6)
    assert again.test.texts == splits.test.texts
    assert other.test.texts != splits.test.texts


def test_no_text_reaches_two_splits_even_when_the_file_repeats_it(
    tmp_path: Path, write_rows: WriteRows, make_rows: Callable[..., list[tuple[str, str]]]
) -> None:
    rows = make_rows(200)
    path = write_rows(
        tmp_path / "r.csv", rows + rows[:80] + [(f"  {t}  ", y) for t, y in rows[:50]]
    )
    data, report = read_labelled_csv(path, "text", "label")
    assert len(data) == 200 and report.duplicate_rows == 130
    splits = stratified_split(data, seed=1)
    seen = Counter(splits.train.texts + splits.validation.texts + splits.test.texts)
    assert max(seen.values()) == 1


def test_holdout_split_tests_on_one_group_only() -> None:
    groups = ["books", "dvd", "kitchen"] * 100
    data = LabelledTexts([f"t{i}" for i in range(300)], ["p", "n"] * 150, groups)
    splits = holdout_split(data, "kitchen", seed=3)
    assert splits.test.groups is not None and set(splits.test.groups) == {"kitchen"}
    assert splits.train.groups is not None and "kitchen" not in splits.train.groups
    assert len(splits.train) + len(splits.validation) == 200
    with pytest.raises(InputError, match="groups present: books, dvd, kitchen"):
        holdout_split(data, "toys")


def test_sample_keeps_label_proportions() -> None:
    sample = sample_stratified(_imbalanced(1000), 200, seed=2)
    assert len(sample) == 200
    assert Counter(sample.labels) == {"a": 140, "b": 60}


def test_one_label_only_is_refused() -> None:
    data = LabelledTexts([f"t{i}" for i in range(50)], ["pos"] * 50)
    with pytest.raises(InputError, match="at least two labels"):
        stratified_split(data)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"task": "../evil"}, "task name"),
        ({"task": "runtime"}, "reserved"),
        ({"base": "bert-large"}, "e5-small, minilm"),
        ({"method": "qlora"}, "head, lora, full"),
        ({"epochs": 0}, "epochs must be >= 1"),
        ({"max_length": 4}, "max_length"),
    ],
)
def test_bad_settings_fail_before_any_work(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        TrainConfig(**kwargs)  # type: ignore[arg-type]
