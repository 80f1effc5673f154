"""Per-method probabilities and their soft vote, with weights from validation labels only."""

from __future__ import annotations

import numpy as np
import pytest

from shopmind.bench import probes
from shopmind.core.errors import InputError
from shopmind.models.train import LabelledTexts, Splits

LABELS = ["neg", "pos"]


def _splits(validation: list[str], test: list[str]) -> Splits:
    def texts(truth: list[str], tag: str) -> LabelledTexts:
        return LabelledTexts([f"{tag}{i}" for i in range(len(truth))], truth)

    return Splits(texts(["neg", "pos"], "a"), texts(validation, "b"), texts(test, "c"), 1, "t")


def _sure(truth: list[str], right: bool) -> np.ndarray:
    """0.9 on the true label (or on the other one when not ``right``)."""
    out = np.full((len(truth), 2), 0.1, np.float32)
    for i, label in enumerate(truth):
        hit = LABELS.index(label)
        out[i, hit if right else 1 - hit] = 0.9
    return out


@pytest.mark.parametrize("how", ["grid", "greedy", "mean"])
def test_vote_weights_come_from_validation_not_test(how: str) -> None:
    validation = ["neg", "pos", "pos", "neg"]
    test = ["pos", "pos", "neg"]
    splits = _splits(validation, test)
    # "good" is right on validation and wrong on test; "bad" the other way round. Had the test
    # labels been read, "bad" would get the weight.
    members = {
        "good": probes.Probed(
            LABELS, _sure(validation, True), _sure(test, False), 2, 1.0, 100.0, ""
        ),
        "bad": probes.Probed(LABELS, _sure(validation, False), _sure(test, True), 2, 2.0, 50.0, ""),
    }
    voted = probes.vote(members, splits, how=how)
    assert voted.note.startswith(f"{how} soft vote (")
    if how == "mean":
        # Equal weights, but calibrated on validation: "bad" is flattened, "good" sharpened.
        assert "good 0.5, bad 0.5" in voted.note
        assert "temperatures good 0.25, bad 8.00" in voted.note
    else:
        assert "good 1" in voted.note and "bad" not in voted.note
    if how == "grid":
        assert np.allclose(voted.test, members["good"].test)
    assert voted.predicted() == ["neg", "neg", "pos"]  # wrong on every test row
    assert voted.predicted("validation") == validation
    if how == "mean":  # both members vote: both are trained and run
        assert voted.train_s == 3.0 and voted.test_texts_per_s == pytest.approx(100 / 3)
    else:
        assert voted.train_s == 1.0 and voted.test_texts_per_s == pytest.approx(100.0)


def test_vote_blends_columns_in_each_members_order() -> None:
    truth = ["neg", "pos"]
    splits = _splits(truth, truth)
    flipped = _sure(truth, True)[:, ::-1].copy()  # the same answers, columns pos, neg
    members = {
        "a": probes.Probed(LABELS, _sure(truth, True), _sure(truth, True), 2, 1.0, 10.0, ""),
        "b": probes.Probed(["pos", "neg"], flipped, flipped, 2, 1.0, 10.0, ""),
    }
    voted = probes.vote(members, splits)
    assert voted.labels == LABELS
    assert voted.predicted() == truth
    assert np.allclose(voted.test.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="at least one"):
        probes.vote({}, splits)
    with pytest.raises(InputError, match="choose from: grid, mean, greedy"):
        probes.vote(members, splits, how="median")


def test_from_classifier_asks_for_validation_and_test_only() -> None:
    splits = _splits(["neg", "pos"], ["pos"])
    seen: list[list[str]] = []

    def proba(texts: list[str]) -> np.ndarray:
        seen.append(texts)
        return np.tile(np.array([[0.3, 0.7]], np.float32), (len(texts), 1))

    probed = probes.from_classifier(LABELS, proba, splits, 2, 0.5, "constant")
    assert seen == [["b0", "b1"], ["c0"]]
    assert probed.predicted() == ["pos"] and probed.validation.shape == (2, 2)
