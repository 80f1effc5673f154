"""Stratified train/validation/test splits of de-duplicated texts, reproducible from a seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopmind.core.errors import InputError
from shopmind.models.train.data import LabelledTexts

SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class Splits:
    train: LabelledTexts
    validation: LabelledTexts
    test: LabelledTexts
    seed: int
    scheme: str  # e.g. "stratified 80/10/10" or "holdout domain=kitchen"

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in SPLITS}

    def label_counts(self) -> dict[str, dict[str, int]]:
        return {name: getattr(self, name).label_counts() for name in SPLITS}


def subset(data: LabelledTexts, index: np.ndarray) -> LabelledTexts:
    picked = [int(i) for i in index]
    groups = [data.groups[i] for i in picked] if data.groups is not None else None
    return LabelledTexts([data.texts[i] for i in picked], [data.labels[i] for i in picked], groups)


def stratified_parts(
    labels: list[str], fractions: tuple[float, ...], rng: np.random.Generator
) -> list[np.ndarray]:
    """Index arrays, one per fraction; each label is cut in the same proportions."""
    parts: list[list[int]] = [[] for _ in fractions]
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    for label in sorted(by_label):
        members = np.array(by_label[label])
        rng.shuffle(members)
        # Later parts (validation, test) get their rounded share; the first takes the rest,
        # so a class with two members still trains.
        sizes = [round(len(members) * f) for f in fractions[1:]]
        start = len(members) - sum(sizes)
        parts[0].extend(members[: max(start, 0)].tolist())
        for k, size in enumerate(sizes, start=1):
            parts[k].extend(members[start : start + size].tolist())
            start += size
    return [np.sort(np.array(p, dtype=np.int64)) for p in parts]


def check_fractions(fractions: tuple[float, float, float]) -> None:
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-6:
        raise InputError(
            f"split fractions must be three non-negative numbers summing to 1, got {fractions}"
        )
    if fractions[0] <= 0 or fractions[1] <= 0:
        raise InputError(f"train and validation fractions must be > 0, got {fractions}")


def stratified_split(
    data: LabelledTexts, fractions: tuple[float, float, float] = (0.8, 0.1, 0.1), seed: int = 13
) -> Splits:
    """Split distinct texts by label into train/validation/test (texts are already unique)."""
    check_fractions(fractions)
    rng = np.random.default_rng(seed)
    train, val, test = stratified_parts(data.labels, fractions, rng)
    scheme = "stratified " + "/".join(f"{round(f * 100)}" for f in fractions)
    splits = Splits(subset(data, train), subset(data, val), subset(data, test), seed, scheme)
    _check_usable(splits)
    return splits


def holdout_split(
    data: LabelledTexts, holdout: str, validation: float = 0.1, seed: int = 13
) -> Splits:
    """Test on every text whose group is ``holdout``; train/validation split the rest."""
    if data.groups is None:
        raise InputError("a holdout split needs a group column (--holdout-col)")
    present = sorted(set(data.groups))
    if holdout not in present:
        raise InputError(f"no rows have group {holdout!r}; groups present: {', '.join(present)}")
    inside = np.array([i for i, g in enumerate(data.groups) if g != holdout], dtype=np.int64)
    outside = np.array([i for i, g in enumerate(data.groups) if g == holdout], dtype=np.int64)
    rest = subset(data, inside)
    rng = np.random.default_rng(seed)
    train, val = stratified_parts(rest.labels, (1 - validation, validation), rng)
    scheme = f"holdout group={holdout} (train/validation {round((1 - validation) * 100)}/"
    scheme += f"{round(validation * 100)} on the other groups)"
    splits = Splits(subset(rest, train), subset(rest, val), subset(data, outside), seed, scheme)
    _check_usable(splits)
    return splits


def sample_stratified(data: LabelledTexts, n: int, seed: int) -> LabelledTexts:
    """At most ``n`` texts, keeping label proportions (for --max-rows / --max-train)."""
    if n < 1:
        raise InputError(f"a sample size must be >= 1, got {n}")
    if n >= len(data):
        return data
    rng = np.random.default_rng(seed)
    keep, _ = stratified_parts(data.labels, (n / len(data), 1 - n / len(data)), rng)
    return subset(data, keep)


def given_test_split(data: LabelledTexts, test: LabelledTexts, seed: int = 13) -> Splits:
    """Test on ``test``; train/validation split ``data`` 90/10 without the texts also in test."""
    seen = set(test.texts)
    keep = np.array([i for i, t in enumerate(data.texts) if t not in seen], dtype=np.int64)
    rest = subset(data, keep)
    train, val = stratified_parts(rest.labels, (0.9, 0.1), np.random.default_rng(seed))
    scheme = "given test file; train/validation 90/10 of the train file"
    if len(keep) < len(data):
        # Scored on what it trained on otherwise: such texts stay in test only.
        scheme += f" ({len(data) - len(keep)} train texts also in the test file dropped)"
    splits = Splits(subset(rest, train), subset(rest, val), test, seed, scheme)
    _check_usable(splits)
    return splits


def _check_usable(splits: Splits) -> None:
    labels = set(splits.train.labels)
    if len(labels) < 2:
        raise InputError(
            f"training needs at least two labels; found {sorted(labels)} "
            "(check --label-col, or add examples of the other classes)"
        )
    for name in ("validation", "test"):
        if not getattr(splits, name).texts:
            raise InputError(f"the {name} split is empty: the data set is too small to split")
