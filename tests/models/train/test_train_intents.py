"""``shopmind train intents``: Bitext mapped onto the assistant's intents, trained with the
pipeline, promoted, and then used by the assistant instead of TF-IDF."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from shopmind.assistant import intent_data
from shopmind.assistant.intents import INTENTS, IntentClassifier, default_classifier
from shopmind.cli.main import app
from shopmind.core.errors import InputError


def _bitext(path: Path, per_intent: int = 40) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["flags", "utterance", "category", "intent"])
        for intent in ("track_order", "get_refund", "newsletter_subscription", "unknown_intent"):
            for i in range(per_intent):
                writer.writerow(["B", f"sample {intent.replace('_', ' ')} number {i}", "X", intent])
    return path


def test_bitext_rows_are_mapped_and_capped(tmp_path: Path) -> None:
    rows = intent_data.bitext_rows(_bitext(tmp_path / "b.csv"))
    counts = Counter(label for _, label in rows)
    assert counts == {
        "order_status": intent_data.PER_INTENT,
        "refund": intent_data.PER_INTENT,
        "faq": intent_data.PER_FAQ_INTENT,
    }
    assert all(label in INTENTS for label in counts)
    assert rows == intent_data.bitext_rows(tmp_path / "b.csv")  # seeded


def test_bitext_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        intent_data.bitext_rows(tmp_path / "missing.csv")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("text,label\nhello,greeting\n", encoding="utf-8")
    with pytest.raises(InputError, match="utterance"):
        intent_data.bitext_rows(wrong)


def test_without_a_model_the_assistant_uses_tfidf() -> None:
    assert default_classifier().source == "tfidf"


@pytest.mark.slow
@pytest.mark.usefixtures("shared_runtime")
def test_trained_model_is_promoted_and_used(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["train", "intents", "--bitext", str(_bitext(tmp_path / "b.csv")), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["task"] == "assistant-intents" and out["promoted"] and out["method"] == "head"
    classifier = default_classifier()
    assert classifier.source == "assistant-intents/v1"
    assert classifier.predict("where is my parcel? it has not arrived").name == "order_status"
    assert classifier.predict("我想退货").name in ("return", "refund")
    assert classifier.predict("i want to speak to a human").rule  # rules still come first


def test_a_model_with_unknown_intents_is_refused() -> None:
    other = SimpleNamespace(labels=["order_status", "weather"])
    with pytest.raises(ValueError, match="weather"):
        IntentClassifier(trained=other)


@pytest.mark.slow
@pytest.mark.datasets
def test_real_bitext_maps_onto_every_direct_intent(dataset: Callable[..., Path]) -> None:
    rows = intent_data.bitext_rows(
        dataset("intents", "bitext", "bitext_8k_customer_service_training.csv")
    )
    counts = Counter(label for _, label in rows)
    assert set(counts) == {"order_status", "refund", "shipping", "handoff", "faq"}
    assert counts["faq"] == 16 * intent_data.PER_FAQ_INTENT
