"""``bench intents``: the out-of-scope decision, CLINC150's format and the contract's JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from shopmind.bench import intents, probes
from shopmind.cli.bench_intents import bench_intents
from shopmind.core.errors import InputError

LABELS = ["balance", "oos", "transfer"]


def test_decide_says_out_of_scope_when_the_model_does_or_is_unsure() -> None:
    proba = np.array(
        [
            [0.90, 0.05, 0.05],  # sure: balance
            [0.10, 0.80, 0.10],  # the model's own oos class
            [0.40, 0.25, 0.35],  # best in-scope 0.40: below a 0.5 threshold
        ],
        np.float32,
    )
    assert intents.decide(LABELS, proba, "oos", 0.5) == ["balance", "oos", "oos"]
    assert intents.decide(LABELS, proba, "oos", 0.0) == ["balance", "oos", "balance"]
    assert intents.decide(LABELS, proba, None, 0.9) == ["balance", "oos", "balance"]


def test_threshold_keeps_in_scope_accuracy_above_the_floor() -> None:
    rng = np.random.default_rng(0)
    inside = rng.uniform(0.5, 1.0, 200)  # in-scope rows: confident
    outside = rng.uniform(0.2, 0.7, 100)  # out-of-scope rows: less so
    best = np.concatenate([inside, outside])
    proba = np.stack([best, np.zeros_like(best), 1 - best], axis=1).astype(np.float32)
    truth = ["balance"] * 200 + ["oos"] * 100
    strict = intents.pick_threshold(LABELS, proba, truth, "oos", 0.99)
    loose = intents.pick_threshold(LABELS, proba, truth, "oos", 0.80)
    assert loose > strict
    for floor, threshold in ((0.99, strict), (0.80, loose)):
        figures = intents.oos_figures(truth, intents.decide(LABELS, proba, "oos", threshold), "oos")
        assert figures["in_scope_accuracy"] >= floor
    recall = intents.oos_figures(truth, intents.decide(LABELS, proba, "oos", loose), "oos")
    assert recall["oos_recall"] > 0.5


def _clinc_like(path: Path, per_intent: int = 30) -> Path:
    """Six intents with distinct vocabulary and an ``oos`` class, in data_full.json's shape."""
    words = {
        "balance": "balance money account left have",
        "transfer": "transfer send wire move pay",
        "weather": "weather rain sunny forecast cold",
        "alarm": "alarm wake clock morning set",
        "recipe": "recipe cook bake dinner ingredients",
        "flight": "flight plane airport fly ticket",
    }
    rng = np.random.default_rng(1)
    noise = "please could you tell me about the my now today".split()

    def rows(n: int, tag: str) -> list[list[str]]:
        out = []
        for intent, vocab in words.items():
            for i in range(n):
                picked = rng.choice(vocab.split(), 3).tolist() + rng.choice(noise, 2).tolist()
                out.append([f"{' '.join(picked)} {tag}{i}", intent])
        return out

    def oos(n: int, tag: str) -> list[list[str]]:
        junk = "poem guitar volcano painting chess opera galaxy dinosaur".split()
        return [[f"{' '.join(rng.choice(junk, 4).tolist())} {tag}{i}", "oos"] for i in range(n)]

    data = {
        "train": rows(per_intent, "a"),
        "oos_train": oos(per_intent, "a"),
        "val": rows(10, "b"),
        "oos_val": oos(10, "b"),
        "test": rows(10, "c"),
        "oos_test": oos(20, "c"),
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_clinc_format_runs_tfidf_with_out_of_scope_figures(tmp_path: Path) -> None:
    path = _clinc_like(tmp_path / "data_full.json")
    out = intents.run(path, fmt="clinc150", methods=["tfidf"])
    assert out["capability"] == "intents" and out["dataset"]["oos_label"] == "oos"
    assert out["dataset"]["rows"] == {"train": 210, "validation": 70, "test": 80}
    figures = out["results"]["tfidf"]
    assert figures["in_scope_accuracy"] >= 0.9
    assert figures["oos_recall"] >= 0.8
    assert {"accuracy", "macro_f1", "oos_precision", "threshold", "train_s"} <= set(figures)


def test_bad_input_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "train": [["only text"]],
                "oos_train": [],
                "val": [],
                "oos_val": [],
                "test": [],
                "oos_test": [],
            }
        )
    )
    with pytest.raises(InputError, match="train row 0"):
        intents.run(broken, fmt="clinc150", methods=["tfidf"])
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(InputError, match=r"data_full\.json"):
        intents.run(tmp_path / "other.json", fmt="clinc150", methods=["tfidf"])
    path = _clinc_like(tmp_path / "data_full.json")
    with pytest.raises(InputError, match="unknown format"):
        intents.run(path, fmt="xml", methods=["tfidf"])
    with pytest.raises(InputError, match="unknown methods"):
        intents.run(path, fmt="clinc150", methods=["bert"])


@pytest.mark.slow
@pytest.mark.datasets
def test_cli_on_a_banking77_sample(tmp_path: Path, dataset: Callable[..., Path]) -> None:
    """Twelve BANKING77 intents through the CLI: TF-IDF on a stratified split of the file."""
    import csv

    source = dataset("intents", "banking77", "train.csv")
    with source.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    keep = sorted({r["category"] for r in rows})[:12]
    sample = tmp_path / "banking12.csv"
    with sample.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["text", "category"])
        writer.writeheader()
        writer.writerows(r for r in rows if r["category"] in keep)
    app = typer.Typer()
    app.command()(bench_intents)
    args = ["--train", str(sample), "--label-col", "category", "--methods", "tfidf", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["dataset"]["labels"] == 12 and out["baseline"] == "tfidf"
    assert out["results"]["tfidf"]["accuracy"] >= 0.85


def _tiny_csv(path: Path) -> Path:
    """Four intents with their own words, 40 utterances each."""
    import csv

    words = {
        "balance": "balance money account left",
        "transfer": "transfer send wire move",
        "card": "card lost stolen blocked",
        "refund": "refund return money back",
    }
    rng = np.random.default_rng(2)
    noise = "please could you tell me about my now today".split()
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "intent"])
        for intent, vocab in words.items():
            for i in range(40):
                picked = rng.choice(vocab.split(), 2).tolist() + rng.choice(noise, 3).tolist()
                writer.writerow([f"{' '.join(picked)} n{i}", intent])
    return path


def test_frozen_heads_and_the_ensemble_run_end_to_end(
    tmp_path: Path, hash_embedder: Callable[[str], None]
) -> None:
    hash_embedder("hash-a")
    hash_embedder("hash-b")
    path = _tiny_csv(tmp_path / "tiny.csv")
    methods = ["tfidf", "tfidf-nb", "head:hash-a", "mlp:hash-a+hash-b", "ensemble"]
    out = intents.run(path, label_col="intent", methods=methods)
    assert list(out["results"]) == methods
    assert out["dataset"]["rows"] == {"train": 128, "validation": 16, "test": 16}
    for method in methods:
        assert out["results"][method]["accuracy"] >= 0.75, (method, out["results"][method])
    assert "hash-a+hash-b frozen (64 dims), MLP" in out["notes"]["mlp:hash-a+hash-b"]
    assert out["notes"]["ensemble"].startswith("mean soft vote (")
    assert out["dataset"]["vote"] == "mean"
    assert "naive-Bayes" in out["notes"]["tfidf-nb"]  # sentiment's NB-TF-IDF works here too
    assert set(out["seconds"]) >= {"read_split", "ensemble", "head:hash-a"}

    refitted = intents.run(path, label_col="intent", methods=methods, refit=True)
    assert refitted["dataset"]["refit"] is True
    assert refitted["results"]["tfidf-nb"]["train_rows"] == 128  # never refit
    for method in ("tfidf", "head:hash-a", "mlp:hash-a+hash-b"):
        assert refitted["results"][method]["train_rows"] == 128 + 16
        assert "refit on train+validation" in refitted["notes"][method]
        assert refitted["results"][method]["accuracy"] >= 0.75


def test_ensemble_probabilities_are_the_weighted_members() -> None:
    from shopmind.models.train import LabelledTexts, Splits

    labels = ["a", "b"]
    truth = ["a", "b", "a"]
    right = np.array([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]], np.float32)
    wrong = right[:, ::-1].copy()
    data = LabelledTexts(["x", "y", "z"], truth)
    splits = Splits(data, data, data, 13, "test")  # test truth: what "wrong" gets right

    def probed(validation: np.ndarray, test: np.ndarray) -> probes.Probed:
        return probes.Probed(labels, validation, test, 3, 1.0, 100.0, "")

    members = {"right": probed(right, wrong), "wrong": probed(wrong, right)}
    blended = probes.vote(members, splits, how="grid")
    assert np.allclose(blended.test, wrong)  # all weight on "right", chosen on validation
    assert "right 1" in blended.note and "wrong" not in blended.note
    assert intents.score(blended, splits, None, 0.9)["accuracy"] == 0.0


def test_method_lists_are_checked(hash_embedder: Callable[[str], None]) -> None:
    hash_embedder("hash-a")
    intents.check_methods(["tfidf", "head:hash-a", "ensemble"])
    with pytest.raises(InputError, match="at least two"):
        intents.check_methods(["tfidf", "ensemble"])
    with pytest.raises(InputError, match="twice"):
        intents.check_methods(["tfidf", "tfidf"])
    with pytest.raises(InputError, match="choose from"):
        intents.check_methods(["head:nope"])


@pytest.mark.parametrize(
    ("best_epoch", "most", "expected"),
    [(3.0, 10, 3), (6.5, 10, 7), (0.25, 10, 1), (12.0, 10, 10), (0.0, 4, 4)],
)
def test_whole_epochs_rounds_the_kept_weights_up_to_whole_epochs(
    best_epoch: float, most: int, expected: int
) -> None:
    assert intents.whole_epochs(best_epoch, most) == expected


@pytest.mark.slow
def test_refit_fine_tunes_again_on_train_and_validation(tmp_path: Path) -> None:
    """``full:minilm`` with refit: validation probabilities from the train-only model, test
    probabilities from a second model trained on train + validation for the chosen epochs."""
    from shopmind.models.train import TrainConfig

    path = _tiny_csv(tmp_path / "tiny.csv")
    config = TrainConfig(task="bench-intents", epochs=2, max_length=16, lr=3e-4)
    methods = ["tfidf", "full:minilm", "ensemble"]
    out = intents.run(path, label_col="intent", methods=methods, config=config, refit=True)
    figures, note = out["results"]["full:minilm"], out["notes"]["full:minilm"]
    assert figures["train_rows"] == 128 + 16
    assert "trained on 128 texts" in note
    assert "refit on train+validation for " in note and " epochs" in note
    chosen = int(note.split("refit on train+validation for ")[1].split(" ")[0])
    assert 1 <= chosen <= 2
    assert figures["accuracy"] >= 0.75, (figures, note)
    assert out["results"]["ensemble"]["accuracy"] >= 0.75
