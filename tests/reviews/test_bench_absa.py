"""``shopmind bench absa`` end to end on small files of both formats."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from typer.testing import CliRunner

from shopmind.bench import absa
from shopmind.cli.main import app
from shopmind.core.errors import InputError

WORDS = {"positive": ["great", "excellent", "lovely"], "negative": ["awful", "poor", "bad"]}
TERMS = ["food", "service", "price", "staff", "battery"]


def semeval_file(path: Path, n: int, seed: int) -> Path:
    rng = random.Random(seed)
    parts = ["<sentences>"]
    for i in range(n):
        polarity = rng.choice(["positive", "negative", "neutral"])
        term = rng.choice(TERMS)
        opinion = rng.choice(WORDS[polarity]) if polarity != "neutral" else "ordered"
        text = (
            f"The {term} was {opinion} today."
            if polarity != "neutral"
            else f"We {opinion} the {term}."
        )
        start = text.index(term)
        parts.append(
            f'<sentence id="{i}"><text>{text}</text><aspectTerms><aspectTerm term="{term}" '
            f'polarity="{polarity}" from="{start}" to="{start + len(term)}"/></aspectTerms></sentence>'
        )
    parts.append("</sentences>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def zhijiang_folder(folder: Path, n: int = 120) -> Path:
    folder.mkdir()
    rng = random.Random(3)
    said = {
        ("物流", "正面"): "物流很快",
        ("物流", "负面"): "物流太慢",
        ("价格", "正面"): "价格实惠",
        ("价格", "负面"): "价格太贵",
        ("整体", "正面"): "很好",
        ("整体", "负面"): "很差",
    }
    reviews, labels = (
        ["id,Reviews"],
        ["id,AspectTerms,A_start,A_end,OpinionTerms,O_start,O_end,Categories,Polarities"],
    )
    for i in range(1, n + 1):
        chosen = rng.sample(sorted(said), 2)
        if chosen[0][0] == chosen[1][0]:
            chosen = chosen[:1]
        reviews.append(f"{i}," + "，".join(said[c] for c in chosen))
        labels += [f"{i},_, , ,{said[c]},0,2,{c[0]},{c[1]}" for c in chosen]
    (folder / "train_reviews.csv").write_text("\n".join(reviews) + "\n", encoding="utf-8")
    (folder / "train_labels.csv").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return folder


class FakeEmbedder:
    name = "fake"
    version = "1"
    dim = 8

    def embed_queries(self, texts: Any) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in text.split():
                out[i, hash(word) % self.dim] += 1
        return out

    def embed_passages(self, texts: Any, **_: Any) -> np.ndarray:
        return self.embed_queries(texts)


def test_semeval_cli_json_contract(tmp_path: Path) -> None:
    train = semeval_file(tmp_path / "train.xml", 150, 1)
    test = semeval_file(tmp_path / "test.xml", 60, 2)
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "absa",
            "--format",
            "semeval14",
            "--train",
            str(train),
            "--train",
            str(train),
            "--test",
            str(test),
            "--models",
            "tfidf,rules",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = orjson.loads(result.stdout.strip().splitlines()[-1])
    assert body["capability"] == "absa"
    assert body["dataset"]["train"] == [str(train), str(train)]
    assert set(body["results"]) == {"tfidf", "rules"}
    assert body["results"]["tfidf"]["macro_f1"] > 0.8
    assert {"seconds", "machine"} <= set(body)


def test_zhijiang_with_fake_embedder(tmp_path: Path) -> None:
    folder = zhijiang_folder(tmp_path / "zj")
    body = absa.run(
        "zhijiang",
        [folder],
        None,
        models=["tfidf", "rules", "e5", "e5+tfidf"],
        embedder=FakeEmbedder(),
        seed=5,
    )
    assert body["dataset"]["split"] == "20% of review ids held out, seed 5"
    assert body["dataset"]["rows"]["test_reviews"] == 24
    for model in ("tfidf", "rules", "e5", "e5+tfidf"):
        figures = body["results"][model]
        assert 0 <= figures["category_f1"] <= 1 and 0 <= figures["polarity_macro_f1"] <= 1
    assert body["results"]["tfidf"]["category_f1"] > 0.9
    assert body["results"]["rules"]["category_f1"] > 0.9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "semeval14", "--train", "nope.xml", "--test", "nope.xml"], "not found"),
        (["--format", "xml", "--train", "{train}", "--test", "{train}"], "unknown format"),
        (["--format", "semeval14", "--train", "{train}"], "needs --test"),
        (
            [
                "--format",
                "semeval14",
                "--train",
                "{train}",
                "--test",
                "{train}",
                "--models",
                "bert",
            ],
            "unknown models",
        ),
    ],
)
def test_cli_errors(tmp_path: Path, args: list[str], message: str) -> None:
    train = semeval_file(tmp_path / "train.xml", 20, 1)
    argv = ["bench", "absa", *[a.format(train=train) for a in args]]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert message in result.output


@pytest.mark.datasets
@pytest.mark.slow
def test_real_semeval_and_zhijiang_baselines(dataset: Any) -> None:
    semeval = dataset("absa", "semeval14")
    body = absa.run(
        "semeval14",
        [semeval / "Laptop_Train_v2.xml", semeval / "Restaurants_Train_v2.xml"],
        semeval / "Restaurants_Test_Gold.xml",
        models=["tfidf", "rules"],
    )
    assert body["dataset"]["rows"] == {"train": 5915, "test": 1120}
    assert body["results"]["tfidf"]["macro_f1"] > 0.55
    assert body["results"]["rules"]["macro_f1"] > 0.5
    zh = absa.run("zhijiang", [dataset("absa", "zhijiang_zh")], None, models=["rules"])
    assert zh["dataset"]["rows"]["test_reviews"] == 517
    assert zh["results"]["rules"]["category_f1"] > 0.6


def _flipped(path: Path, out: Path) -> Path:
    """The same file with every test label changed (positive <-> negative, neutral kept)."""
    text = path.read_text(encoding="utf-8")
    swapped = text.replace('"positive"', '"@@"').replace('"negative"', '"positive"')
    out.write_text(swapped.replace('"@@"', '"negative"'), encoding="utf-8")
    return out


def test_use_and_ensemble_weights_from_validation_only(tmp_path: Path) -> None:
    train = semeval_file(tmp_path / "train.xml", 200, 1)
    test = semeval_file(tmp_path / "test.xml", 60, 2)
    bodies = [
        absa.run(
            "semeval14",
            [train],
            held,
            models=["ensemble", "tfidf", "use"],  # ensemble runs last whatever the order
            use_embedder=FakeEmbedder(),
            seed=3,
        )
        for held in (test, _flipped(test, tmp_path / "flipped.xml"))
    ]
    assert list(bodies[0]["results"]) == ["ensemble", "tfidf", "use"]
    assert bodies[0]["results"]["tfidf"]["macro_f1"] > 0.8
    assert bodies[0]["results"]["ensemble"]["macro_f1"] >= 0.8
    assert "soft vote" in bodies[0]["notes"]["ensemble"]
    # The weights (and the predictions) do not move when only the test labels change.
    assert bodies[0]["notes"]["ensemble"] == bodies[1]["notes"]["ensemble"]
    assert bodies[1]["results"]["ensemble"]["macro_f1"] < 0.5


def test_ensemble_needs_a_trained_member(tmp_path: Path) -> None:
    train = semeval_file(tmp_path / "train.xml", 30, 1)
    with pytest.raises(InputError, match="trained model"):
        absa.run("semeval14", [train], train, models=["rules", "ensemble"])


@pytest.mark.slow
def test_e5_span_end_to_end_on_both_formats(tmp_path: Path) -> None:
    train = semeval_file(tmp_path / "train.xml", 120, 1)
    test = semeval_file(tmp_path / "test.xml", 40, 2)
    body = absa.run("semeval14", [train], test, models=["e5-span", "tfidf", "ensemble"], seed=3)
    assert body["results"]["e5-span"]["macro_f1"] > 0.8
    assert "standardised" in body["notes"]["e5-span"]
    zh = absa.run("zhijiang", [zhijiang_folder(tmp_path / "zj", 60)], None, models=["e5-span"])
    assert 0 <= zh["results"]["e5-span"]["polarity_macro_f1"] <= 1
    assert "category_f1" not in zh["results"]["e5-span"]  # polarity only
