"""``bench sentiment`` follows the benchmark contract; a real-data check of the head method."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from shopmind.bench import sentiment
from shopmind.cli.bench_sentiment import bench_sentiment
from shopmind.core.errors import InputError
from shopmind.models.train import TrainConfig

pytestmark = pytest.mark.usefixtures("shared_runtime")


def test_tfidf_only_run_is_fast_and_follows_the_contract(reviews_csv: Callable[..., Path]) -> None:
    path = reviews_csv(240, seed=4)
    out = sentiment.run(path, "text", "label", methods=["tfidf"])
    assert out["capability"] == "sentiment"
    assert set(out) >= {"dataset", "results", "seconds", "machine"}
    assert out["dataset"]["split"] == "stratified 80/10/10"
    assert out["dataset"]["rows"] == {"train": 192, "validation": 24, "test": 24}
    figures = out["results"]["tfidf"]
    assert figures["accuracy"] >= 0.9 and figures["train_rows"] == 192
    assert {"macro_f1", "reviews_per_s", "train_s", "f1[positive]"} <= set(figures)
    with pytest.raises(InputError, match="unknown methods"):
        sentiment.run(path, "text", "label", methods=["bert"])


@pytest.mark.slow
def test_cli_runs_tfidf_and_head_side_by_side(reviews_csv: Callable[..., Path]) -> None:
    app = typer.Typer()
    app.command()(bench_sentiment)
    path = reviews_csv(200, seed=5)
    args = ["--train", str(path), "--methods", "tfidf,head", "--seed", "3", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert list(out["results"]) == ["tfidf", "head"]
    assert out["dataset"]["seed"] == 3 and out["baseline"] == "tfidf"
    assert out["results"]["head"]["accuracy"] >= 0.9
    assert "seed 3" in result.output


def test_holdout_needs_both_options(reviews_csv: Callable[..., Path]) -> None:
    with pytest.raises(InputError, match="go together"):
        sentiment.run(reviews_csv(40), "text", "label", methods=["tfidf"], holdout="books")


@pytest.mark.slow
@pytest.mark.datasets
def test_head_on_real_chinese_reviews(dataset: Callable[..., Path]) -> None:
    """A 1,500-review sample of online_shopping_10_cats: frozen e5 + logistic regression."""
    from shopmind.models.train import train_classifier

    path = dataset("reviews", "zh", "online_shopping_10_cats.csv")
    config = TrainConfig(task="zh-sentiment", max_rows=1500, seed=1)
    result = train_classifier(path, "review", "label", config)
    test = result.metadata["metrics"]["test"]
    assert test["n"] == 150 and result.metadata["data"]["sampled_from"] > 60_000
    assert test["accuracy"] >= 0.8  # ~0.89 measured; chance is 0.5


def test_frozen_heads_and_the_ensemble_run_end_to_end(
    reviews_csv: Callable[..., Path], hash_embedder: Callable[[str], None]
) -> None:
    hash_embedder("hash-a")
    hash_embedder("hash-b")
    path = reviews_csv(120, seed=6, langs=("en",))  # the test double hashes space-split words
    methods = ["tfidf", "tfidf-nb", "head:hash-a", "mlp:hash-a+hash-b", "ensemble"]
    out = sentiment.run(path, "text", "label", methods=methods)
    assert list(out["results"]) == methods
    for method in methods:
        figures = out["results"][method]
        assert figures["accuracy"] >= 0.8, (method, figures)
        assert {"macro_f1", "reviews_per_s", "train_s", "f1[positive]"} <= set(figures)
    assert "hash-a+hash-b frozen (64 dims), MLP" in out["notes"]["mlp:hash-a+hash-b"]
    assert out["notes"]["ensemble"].startswith("mean soft vote (")
    assert set(out["seconds"]) >= {"read_split", "ensemble", "head:hash-a"}


def test_method_lists_are_checked(
    reviews_csv: Callable[..., Path], hash_embedder: Callable[[str], None]
) -> None:
    hash_embedder("hash-a")
    sentiment.check_methods(["tfidf", "head:hash-a", "ensemble"])
    path = reviews_csv(40)
    for methods, message in (
        (["tfidf", "ensemble"], "at least two"),
        (["tfidf", "tfidf"], "twice"),
        (["head:nope"], "choose from"),
    ):
        with pytest.raises(InputError, match=message):
            sentiment.run(path, "text", "label", methods=methods)


@pytest.mark.slow
def test_the_ensemble_votes_with_a_pipeline_method(reviews_csv: Callable[..., Path]) -> None:
    """``head`` (frozen e5 through the fine-tuning pipeline) gives the vote its probabilities."""
    out = sentiment.run(
        reviews_csv(200, seed=7), "text", "label", methods=["tfidf", "head", "ensemble"]
    )
    assert list(out["results"]) == ["tfidf", "head", "ensemble"]
    assert out["results"]["ensemble"]["accuracy"] >= 0.9
    assert out["notes"]["head"].startswith("e5-small, trained on 160 texts")


def test_fine_tuned_methods_may_name_their_encoder() -> None:
    base = TrainConfig(task="bench-sentiment", base="e5-small", lr=1e-4)
    plain = sentiment.pipeline_config("full", base)
    assert plain is not None and (plain.method, plain.base) == ("full", "e5-small")
    named = sentiment.pipeline_config("lora:minilm", base)
    assert named is not None and (named.method, named.base, named.lr) == ("lora", "minilm", 1e-4)
    assert sentiment.pipeline_config("head:minilm", base) is None  # the frozen-embedding head
    assert sentiment.pipeline_config("bogus", base) is None
    with pytest.raises(InputError, match="encoder after"):
        sentiment.pipeline_config("full:gpt-5", base)
    sentiment.check_methods(["tfidf", "full:minilm", "full:e5-small", "ensemble"])


@pytest.mark.slow
def test_one_run_votes_over_models_fine_tuned_from_two_encoders(
    reviews_csv: Callable[..., Path],
) -> None:
    config = TrainConfig(task="bench-sentiment", epochs=1, max_length=32)
    out = sentiment.run(
        reviews_csv(200, seed=7),
        "text",
        "label",
        methods=["full:minilm", "lora:e5-small", "ensemble"],
        config=config,
    )
    assert out["notes"]["full:minilm"].startswith("minilm, trained on 160 texts, 1.0 epochs")
    assert out["notes"]["lora:e5-small"].startswith("e5-small, trained on 160 texts, 1.0 epochs")
    assert set(out["results"]) == {"full:minilm", "lora:e5-small", "ensemble"}
    assert 0.0 <= out["results"]["ensemble"]["accuracy"] <= 1.0
