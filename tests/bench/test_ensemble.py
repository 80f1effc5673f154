"""Soft voting: weights on the simplex, chosen from validation labels alone."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest

from shopmind.bench.ensemble import (
    Member,
    aligned,
    calibrated,
    choose_weights,
    mean_blend,
    select_greedy,
    simplex_grid,
    soft_vote,
    tempered,
)

LABELS = ["a", "b", "c"]


def _onehot(rows: list[str], labels: list[str], sure: float = 0.8) -> np.ndarray:
    rest = (1 - sure) / (len(labels) - 1)
    out = np.full((len(rows), len(labels)), rest, np.float32)
    for i, label in enumerate(rows):
        out[i, labels.index(label)] = sure
    return out


def test_grid_covers_the_simplex() -> None:
    grid = simplex_grid(3, 0.25)
    assert len(grid) == comb(4 + 2, 2)
    assert all(abs(sum(w) - 1) < 1e-9 and min(w) >= 0 for w in grid)
    assert (1.0, 0.0, 0.0) in grid and (0.25, 0.25, 0.5) in grid
    assert simplex_grid(1, 0.1) == [(1.0,)]
    with pytest.raises(ValueError):
        simplex_grid(0, 0.1)


def test_columns_follow_the_common_label_order() -> None:
    member = Member(["c", "a"], np.array([[0.7, 0.3]], np.float32), np.zeros((0, 2), np.float32))
    got = aligned(member, LABELS, "validation")
    assert got[0].tolist() == pytest.approx([0.3, 0.0, 0.7])


def test_weights_come_from_validation_and_never_from_test() -> None:
    validation_truth = ["a", "b", "c", "a", "b", "c"]
    test_truth = ["c", "c", "a", "b", "a", "b"]
    wrong = ["b", "c", "a", "b", "c", "a"]
    # "good" is right on validation and wrong on test; "bad" the reverse.
    good = Member(LABELS, _onehot(validation_truth, LABELS), _onehot(wrong, LABELS))
    bad = Member(LABELS, _onehot(wrong, LABELS), _onehot(test_truth, LABELS))
    members = {"good": good, "bad": bad}
    blend = choose_weights(members, LABELS, validation_truth)
    assert blend.weights["good"] > blend.weights["bad"]
    assert blend.validation_accuracy == 1.0
    test = soft_vote(members, blend.weights, LABELS, "test")
    assert [LABELS[i] for i in test.argmax(axis=1)] == wrong  # follows validation's pick

    # The same members with the test probabilities swapped give the same weights.
    swapped = {
        "good": Member(LABELS, good.validation, bad.test),
        "bad": Member(LABELS, bad.validation, good.test),
    }
    assert choose_weights(swapped, LABELS, validation_truth).weights == blend.weights


def test_ties_in_accuracy_go_to_the_lower_log_loss() -> None:
    truth = ["a", "b", "c"]
    sharp = Member(LABELS, _onehot(truth, LABELS, 0.95), _onehot(truth, LABELS, 0.95))
    vague = Member(LABELS, _onehot(truth, LABELS, 0.4), _onehot(truth, LABELS, 0.4))
    blend = choose_weights({"sharp": sharp, "vague": vague}, LABELS, truth)
    assert blend.weights == {"sharp": 1.0, "vague": 0.0}
    assert blend.validation_log_loss == pytest.approx(-np.log(0.95), abs=1e-3)


def test_tempering_keeps_the_order_and_changes_the_confidence() -> None:
    proba = np.array([[0.7, 0.2, 0.1]], np.float32)
    sharp, flat = tempered(proba, 0.5), tempered(proba, 4.0)
    for out in (sharp, flat):
        assert np.allclose(out.sum(axis=1), 1.0) and int(out.argmax()) == 0
    assert sharp[0, 0] > 0.7 > flat[0, 0] > 1 / 3
    assert np.allclose(tempered(proba, 1.0), proba, atol=1e-6)


def test_calibration_reads_validation_and_scales_test_alike() -> None:
    truth = ["a", "b", "c", "a", "b", "c", "a", "b"]
    timid = _onehot(truth, LABELS, sure=0.4)  # always right, barely sure: sharpen (T < 1)
    member = Member(LABELS, timid, timid)
    scaled, temperature = calibrated(member, LABELS, truth)
    assert temperature < 1 and scaled.validation[0, 0] > 0.4
    assert np.allclose(scaled.test, scaled.validation)
    brash = _onehot([{"a": "b", "b": "c", "c": "a"}[t] for t in truth], LABELS, sure=0.95)
    _, wrong_t = calibrated(Member(LABELS, brash, brash), LABELS, truth)  # always wrong: flatten
    assert wrong_t > 1
    # A label the member never learned stays at probability 0 after scaling.
    two = Member(["a", "b"], timid[:, :2], timid[:, :2])
    assert np.all(aligned(calibrated(two, LABELS, truth)[0], LABELS, "validation")[:, 2] == 0)


def test_greedy_selection_and_the_plain_mean() -> None:
    truth = ["a", "b", "c", "a", "b", "c"]
    right = Member(LABELS, _onehot(truth, LABELS), _onehot(truth, LABELS))
    shifted = [{"a": "b", "b": "c", "c": "a"}[t] for t in truth]
    wrong = Member(LABELS, _onehot(shifted, LABELS), _onehot(shifted, LABELS))
    members = {"right": right, "wrong": wrong}
    greedy = select_greedy(members, LABELS, truth)
    assert greedy.weights == {"right": 1.0, "wrong": 0.0}
    assert greedy.validation_accuracy == 1.0
    mean = mean_blend(members, LABELS, truth)
    assert mean.weights == {"right": 0.5, "wrong": 0.5}
    assert 0.0 <= mean.validation_accuracy <= 1.0
    with pytest.raises(ValueError):
        select_greedy({}, LABELS, truth)
