"""bench reviews-speed: every generated review is analysed, and the result says which
sentiment models were in the loop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopmind.bench import reviews_speed
from shopmind.cli.main import app
from shopmind.core.errors import InputError


def test_every_review_is_analysed_and_no_model_means_rules_only() -> None:
    result = reviews_speed.run(30, seed=3)
    assert result["dataset"]["reviews"] == 30
    languages = result["dataset"]["languages"]
    assert languages["zh"] > 0 and languages["en"] > 0
    assert result["sentiment_models"] == []
    assert result["results"]["job"]["reviews_per_s"] > 0
    assert result["results"]["analysis"]["reviews_per_s"] > 0


def test_reviews_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match=">= 1"):
        reviews_speed.run(0)


def test_given_texts_replace_the_generated_ones_and_set_the_language(tmp_path: Path) -> None:
    data = tmp_path / "reviews.csv"
    data.write_text(
        "review,label\n物流很快，质量不错,1\n,0\nthe zipper broke after a week,0\n",
        encoding="utf-8",
    )
    texts = reviews_speed.read_texts(data, "review", 10)
    assert texts == ["物流很快，质量不错", "the zipper broke after a week"]  # empty row skipped
    result = reviews_speed.run(6, seed=3, texts=texts)
    assert result["dataset"]["reviews"] == 6
    assert result["dataset"]["languages"] == {"zh": 3, "en": 3}
    assert result["dataset"]["mean_chars"] == round((9 + 29) / 2, 1)


def test_read_texts_names_the_missing_column_and_stops_at_the_limit(tmp_path: Path) -> None:
    data = tmp_path / "reviews.csv"
    data.write_text("text\na\nb\nc\n", encoding="utf-8")
    assert reviews_speed.read_texts(data, "text", 2) == ["a", "b"]
    with pytest.raises(InputError, match="no column 'review'; columns: text"):
        reviews_speed.read_texts(data, "review", 2)
    with pytest.raises(InputError, match="cannot read"):
        reviews_speed.read_texts(tmp_path / "missing.csv", "text", 2)


def test_the_cli_reads_a_texts_file(tmp_path: Path) -> None:
    data = tmp_path / "reviews.csv"
    data.write_text("text\nquality is great\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["bench", "reviews-speed", "--reviews", "4", "--texts", str(data), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["dataset"]["languages"] == {"zh": 0, "en": 4}
    bad = CliRunner().invoke(
        app, ["bench", "reviews-speed", "--texts", str(data), "--text-col", "body"]
    )
    assert bad.exit_code == 2
    assert "no column 'body'; columns: text" in " ".join(bad.output.split())  # rich wraps lines
