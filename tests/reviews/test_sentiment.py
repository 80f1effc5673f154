"""Review sentiment: label scales, rules fallback, agreement with the stars, and a real trained
model (head on e5) promoted with ``shopmind train classifier`` and then used by the analysis."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from shopmind.bench import reviews_speed
from shopmind.cli.main import app
from shopmind.core.errors import ConfigError
from shopmind.core.schemas import Product, Review
from shopmind.core.settings import get_settings
from shopmind.models.registry import promote
from shopmind.models.train import TextClassifier
from shopmind.reviews import ANALYSER, Scope, analyse_pending, insights, rating_polarity
from shopmind.reviews.sentiment import (
    SentimentModel,
    SentimentModels,
    agreement,
    polarity_map,
    rule_sentiment,
)
from shopmind.store import Store
from shopmind.store.review_analyses import load_review_analyses, pending_reviews


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["negative", "positive"], ["negative", "positive"]),
        (["NEG", "neu", "Pos"], ["negative", "neutral", "positive"]),
        (["差评", "好评"], ["negative", "positive"]),
        (["0", "1"], ["negative", "positive"]),
        (["-1", "0", "1"], ["negative", "neutral", "positive"]),
        (["0", "1", "2"], ["negative", "neutral", "positive"]),
        (["1", "2", "3", "4", "5"], ["negative", "negative", "neutral", "positive", "positive"]),
        (["1.0", "5.0"], ["negative", "positive"]),
    ],
)
def test_label_scales_read_as_polarity(labels: list[str], expected: list[str]) -> None:
    mapping = polarity_map(labels)
    assert [mapping[label] for label in labels] == expected


@pytest.mark.parametrize(
    "labels", [["order_status", "refund"], ["1", "2"], ["0", "2"], ["positive", "neutral"]]
)
def test_labels_that_are_not_a_sentiment_scale_are_refused(labels: list[str]) -> None:
    with pytest.raises(ConfigError, match="not a sentiment scale"):
        polarity_map(labels)


def test_stars_rules_and_agreement() -> None:
    assert [rating_polarity(r) for r in range(1, 6)] == [
        "negative",
        "negative",
        "neutral",
        "positive",
        "positive",
    ]
    # The aspects decide and are compared with the stars.
    assert rule_sentiment(5, [1, 1, -1]).label == "positive"
    assert rule_sentiment(5, [1, 1, -1]).agrees is True
    assert rule_sentiment(1, [1]).agrees is False
    # Balanced or silent text: the stars decide, so agreement is left open.
    tie = rule_sentiment(2, [1, -1])
    assert (tie.label, tie.agrees, tie.source, tie.probability) == ("negative", None, "rules", None)
    # A two-way source never says neutral: 3 stars are not judged by it.
    assert rule_sentiment(3, [1]).agrees is None
    assert agreement("neutral", 3, can_say_neutral=True) is True
    assert agreement("positive", 3, can_say_neutral=True) is False
    assert agreement("positive", 3, can_say_neutral=False) is None


def _review(rid: str, text: str, rating: int, product: str = "p1", **kw: object) -> Review:
    return Review(
        id=rid,
        product_id=product,
        rating=rating,
        text=text,
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
        **kw,
    )


def test_star_labels_add_their_probabilities() -> None:
    # Features: one fixed row per text; logits chosen so P(1..5) = .3 .3 .1 .2 .1 for "a".
    probs = np.array([0.3, 0.3, 0.1, 0.2, 0.1], np.float32)
    weight = np.diag(np.log(probs)).astype(np.float32)
    bias = np.zeros(5, np.float32)

    def features(texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 5), np.float32)

    model = SentimentModel(
        TextClassifier(["1", "2", "3", "4", "5"], weight, bias, features), "stars/v2"
    )
    assert model.can_say_neutral
    (found,) = model.predict([_review("r", "anything", 1)])
    # Each star alone is at most 0.3, but 1 and 2 stars together make negative win with 0.6.
    assert found.label == "negative" and found.probability == pytest.approx(0.6, abs=1e-3)
    assert (found.source, found.agrees) == ("stars/v2", True)


def _seed(store: Store, reviews: list[Review]) -> None:
    store.upsert("products", [Product(id="p1", title="Kettle", category_path=["Home"])])
    store.upsert("reviews", reviews)


def test_without_a_model_the_rules_label_and_say_so(store: Store) -> None:
    _seed(
        store,
        [
            _review("agree", "Delivery was super fast. Great value for money.", 5),
            _review("disagree", "The quality is poor and delivery was slow.", 5),
            _review("silent", "", 1),
            _review("three", "Delivery was super fast.", 3),
        ],
    )
    assert SentimentModels.promoted().tag == ""
    assert analyse_pending(store) == 4
    rows = {r["review_id"]: r for r in load_review_analyses(store, product_id="p1")}
    assert {r["polarity_source"] for r in rows.values()} == {"rules"}
    assert all(r["polarity_p"] is None for r in rows.values())
    got = {rid: (r["polarity"], r["rating_agrees"]) for rid, r in rows.items()}
    assert got == {
        "agree": ("positive", True),
        "disagree": ("negative", False),
        "silent": ("negative", None),  # no text: the stars decided
        "three": ("positive", None),
    }
    body = insights(store, Scope.parse("p1", None))
    assert body["analyser"] == ANALYSER
    assert body["sentiment"] == {
        "counts": {"positive": 2, "neutral": 0, "negative": 2},
        "sources": {"rules": 4},
        "rating_agreement": 0.5,
        "judged": 2,
        "disagreeing_review_ids": ["disagree"],
    }


POSITIVE = {
    "en": ["I love this {}", "great {}, works perfectly", "very happy with the {}"],
    "zh": ["这个{}非常好", "{}质量很好，很满意", "很喜欢这个{}，推荐购买"],
}
NEGATIVE = {
    "en": ["I hate this {}", "terrible {}, broke after a day", "very disappointed with the {}"],
    "zh": ["这个{}太差了", "{}质量很差，不满意", "非常失望，{}用一天就坏了"],
}
ITEMS = {
    "en": ["phone", "kettle", "jacket", "lamp", "chair", "mouse", "bag"],
    "zh": ["手机", "水壶", "衣服", "台灯", "椅子", "鼠标", "包"],
}


def _training_csv(path: Path, langs: tuple[str, ...]) -> Path:
    """Labels 0/1 as in the Chinese online-shopping corpus; 21 texts per language and label."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["review", "label"])
        for lang in langs:
            for label, bank in (("1", POSITIVE), ("0", NEGATIVE)):
                for template in bank[lang]:
                    for item in ITEMS[lang]:
                        writer.writerow([template.format(item), label])
    return path


def _train(args: list[str]) -> dict[str, object]:
    result = CliRunner().invoke(app, ["train", *args, "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return out


def test_train_sentiment_refuses_labels_that_are_not_sentiment(tmp_path: Path) -> None:
    data = tmp_path / "intents.csv"
    data.write_text(
        "review,label\n" + "".join(f"where is order {i},order_status\n" for i in range(20)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["train", "sentiment", "--data", str(data)])
    assert result.exit_code == 2
    assert "not a sentiment scale" in result.output
    assert not (get_settings().models_dir / "sentiment").exists()  # refused before training


@pytest.mark.slow
def test_a_promoted_model_labels_reviews_and_records_itself(
    sqlite_store: Store, tmp_path: Path
) -> None:
    reviews = [
        # Unseen items; the stars of "liar" contradict its text.
        _review("en-pos", "I love this toaster, works perfectly", 4, language="en"),
        _review("en-neg", "terrible blender, broke after a day", 1),
        _review("liar", "very disappointed with the speaker", 5),
        _review("zh-pos", "这个耳机非常好，很满意", 5),
        _review("zh-neg", "水杯质量很差，不满意", 2),
        _review("three", "great printer, works perfectly", 3),
    ]
    _seed(sqlite_store, reviews)
    assert analyse_pending(sqlite_store) == 6
    before = {r["review_id"]: r for r in load_review_analyses(sqlite_store, product_id="p1")}
    assert {r["polarity_source"] for r in before.values()} == {"rules"}

    # The documented route: the pipeline's own command, promoted under the task "sentiment".
    data = _training_csv(tmp_path / "both.csv", ("en", "zh"))
    columns = ["--text-col", "review", "--label-col", "label"]
    trained = _train(
        ["classifier", "--data", str(data), *columns, "--task", "sentiment", "--promote"]
    )
    assert (trained["task"], trained["promoted"], trained["method"]) == ("sentiment", True, "head")
    models = SentimentModels.promoted()
    assert models.sources == ["sentiment/v1"] and models.tag
    # A newly promoted model makes every stored analysis stale.
    assert len(pending_reviews(sqlite_store, ANALYSER + models.tag)) == 6
    assert analyse_pending(sqlite_store) == 6
    rows = {r["review_id"]: r for r in load_review_analyses(sqlite_store, product_id="p1")}
    assert {r["polarity_source"] for r in rows.values()} == {"sentiment/v1"}
    labels = {rid: r["polarity"] for rid, r in rows.items()}
    assert labels == {
        "en-pos": "positive",
        "en-neg": "negative",
        "liar": "negative",
        "zh-pos": "positive",
        "zh-neg": "negative",
        "three": "positive",
    }
    assert all(0.5 <= r["polarity_p"] <= 1.0 for r in rows.values())
    agrees = {rid: r["rating_agrees"] for rid, r in rows.items()}
    assert agrees == {
        "en-pos": True,
        "en-neg": True,
        "liar": False,
        "zh-pos": True,
        "zh-neg": True,
        "three": None,  # a two-way (0/1) model cannot say neutral
    }
    assert analyse_pending(sqlite_store) == 0  # stored with the model's analyser version

    body = insights(sqlite_store, Scope.parse("p1", None))
    assert body["sentiment"]["sources"] == {"sentiment/v1": 6}
    assert body["sentiment"]["disagreeing_review_ids"] == ["liar"]
    assert body["sentiment"]["rating_agreement"] == 0.8
    assert body["polarity"] == {"positive": 3, "neutral": 0, "negative": 3}

    # A Chinese model takes the Chinese reviews; English ones stay with the multilingual model.
    zh_data = _training_csv(tmp_path / "zh.csv", ("zh",))
    trained = _train(["sentiment", "--data", str(zh_data), "--lang", "zh"])
    assert (trained["task"], trained["version"], trained["promoted"]) == (
        "sentiment-zh",
        "v1",
        True,
    )
    assert analyse_pending(sqlite_store) == 6
    sources = {
        r["review_id"]: r["polarity_source"]
        for r in load_review_analyses(sqlite_store, product_id="p1")
    }
    assert sources == {
        "en-pos": "sentiment/v1",
        "en-neg": "sentiment/v1",
        "liar": "sentiment/v1",
        "zh-pos": "sentiment-zh/v1",
        "zh-neg": "sentiment-zh/v1",
        "three": "sentiment/v1",
    }

    # bench reviews-speed times the job with the promoted models and names them.
    timed = reviews_speed.run(20, seed=5)
    assert timed["sentiment_models"] == ["sentiment/v1", "sentiment-zh/v1"]
    assert timed["dataset"]["reviews"] == 20


def test_the_analyser_tag_names_the_model_not_where_the_home_is(tmp_path: Path) -> None:
    def publish(root: Path, created_at: str) -> None:
        folder = root / "sentiment-en" / "v1"
        folder.mkdir(parents=True)
        (folder / "metadata.json").write_text(json.dumps({"created_at": created_at}))
        promote("sentiment-en", "v1", root)

    publish(tmp_path / "a", "2026-11-01T10:00:00")
    publish(tmp_path / "b", "2026-11-01T10:00:00")
    publish(tmp_path / "c", "2026-11-02T10:00:00")  # v1 deleted and trained again
    a, b, c = (SentimentModels.promoted(tmp_path / x) for x in "abc")
    assert a.sources == ["sentiment-en/v1"] and a.tag.startswith("+sentiment-")
    assert a.tag == b.tag != c.tag
    assert SentimentModels.promoted(tmp_path / "empty").tag == ""
