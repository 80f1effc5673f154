"""Per-review sentiment: the promoted model of the fine-tuning pipeline if there is one, else rules.

A review's model is picked by its language: ``sentiment-zh`` or ``sentiment-en`` first, then one
multilingual ``sentiment`` (a review in neither language only uses ``sentiment``). Train and
promote one with the pipeline, e.g.::

    shopmind train classifier --data reviews.csv --text-col review --label-col label \\
        --task sentiment-zh --promote

Its labels may be negative/neutral/positive (or neg/neu/pos, 差评/中评/好评), 0/1 (negative,
positive), -1/0/1, 0/1/2 or star ratings 1-5; a model with other labels is refused, because
reading them as sentiment would be a guess. Several labels meaning one polarity (1 and 2 stars)
have their probabilities added.

Without a model the rules decide, as before: the balance of the review's aspect mentions, and the
stars when that balance is zero. The stored source says which: ``"sentiment-zh/v3"`` or ``"rules"``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from shopmind.core.errors import ConfigError
from shopmind.core.schemas import Review
from shopmind.reviews.aspects import Polarity, polarity_of
from shopmind.text import detect_language

if TYPE_CHECKING:
    from shopmind.models.train import TextClassifier

RULES = "rules"
TASKS: dict[str, tuple[str, ...]] = {
    "zh": ("sentiment-zh", "sentiment"),
    "en": ("sentiment-en", "sentiment"),
    "other": ("sentiment",),
}
POLARITIES: tuple[Polarity, ...] = ("negative", "neutral", "positive")
_NAMES: dict[str, Polarity] = {
    "negative": "negative",
    "neg": "negative",
    "差评": "negative",
    "负面": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "中评": "neutral",
    "中性": "neutral",
    "positive": "positive",
    "pos": "positive",
    "好评": "positive",
    "正面": "positive",
}
log = logging.getLogger(__name__)


def rating_polarity(rating: int) -> Polarity:
    """What the stars say: 1-2 negative, 3 neutral, 4-5 positive."""
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


@dataclass(frozen=True, slots=True)
class Sentiment:
    """A review's sentiment, what produced it and whether its stars agree (None: not comparable)."""

    label: Polarity
    probability: float | None
    source: str
    agrees: bool | None


def agreement(label: Polarity, rating: int, *, can_say_neutral: bool) -> bool | None:
    """Whether ``label`` matches the stars. A 3-star review is not judged by a source that
    cannot say neutral: it would count as a disagreement every time."""
    if rating == 3 and not can_say_neutral:
        return None
    return label == rating_polarity(rating)


def rule_sentiment(rating: int, aspect_signs: Sequence[int]) -> Sentiment:
    """The aspects' balance; the stars when it is zero (then agreement is left open, since the
    stars themselves decided)."""
    score = sum(aspect_signs)
    if score == 0:
        return Sentiment(rating_polarity(rating), None, RULES, None)
    label = polarity_of(score)
    return Sentiment(label, None, RULES, agreement(label, rating, can_say_neutral=False))


def polarity_map(labels: Sequence[str]) -> dict[str, Polarity]:
    """Each model label's polarity; ConfigError when the labels are not a sentiment scale."""
    cleaned = [label.strip().lower() for label in labels]
    mapping: dict[str, Polarity] | None = None
    if all(c in _NAMES for c in cleaned):
        mapping = {label: _NAMES[c] for label, c in zip(labels, cleaned, strict=True)}
    else:
        numbers = _integers(cleaned)
        if numbers is not None:
            mapping = _numeric_map(labels, numbers)
    if mapping is None or not {"negative", "positive"} <= set(mapping.values()):
        raise ConfigError(
            f"labels {list(labels)} are not a sentiment scale; train the model with labels "
            "negative/neutral/positive, 0/1, -1/0/1, 0/1/2 or star ratings 1-5"
        )
    return mapping


def _integers(cleaned: Sequence[str]) -> list[int] | None:
    try:
        values = [float(c) for c in cleaned]
    except ValueError:
        return None
    if any(v != int(v) for v in values):
        return None
    return [int(v) for v in values]


def _numeric_map(labels: Sequence[str], numbers: list[int]) -> dict[str, Polarity] | None:
    found = set(numbers)
    scale: dict[int, Polarity]
    if found == {0, 1}:
        scale = {0: "negative", 1: "positive"}
    elif found <= {-1, 0, 1} and {-1, 1} <= found:
        scale = {-1: "negative", 0: "neutral", 1: "positive"}
    elif found == {0, 1, 2}:
        scale = {0: "negative", 1: "neutral", 2: "positive"}
    elif found <= {1, 2, 3, 4, 5} and min(found) <= 2 and max(found) >= 4:
        scale = {n: rating_polarity(n) for n in found}
    else:
        return None
    return {label: scale[n] for label, n in zip(labels, numbers, strict=True)}


class SentimentModel:
    """A trained classifier read as negative/neutral/positive."""

    def __init__(self, classifier: TextClassifier, source: str) -> None:
        self.classifier = classifier
        self.source = source
        mapping = polarity_map(classifier.labels)
        # Columns of predict_proba added per polarity: one matrix product at predict time.
        self._columns = np.zeros((len(classifier.labels), len(POLARITIES)), np.float32)
        for i, label in enumerate(classifier.labels):
            self._columns[i, POLARITIES.index(mapping[label])] = 1.0
        self.can_say_neutral = "neutral" in mapping.values()

    def predict(self, reviews: Sequence[Review]) -> list[Sentiment]:
        """One sentiment per review (title and text read together)."""
        if not reviews:
            return []
        texts = [model_text(r) for r in reviews]
        proba = self.classifier.predict_proba(texts) @ self._columns
        out = []
        for review, row in zip(reviews, proba, strict=True):
            best = int(row.argmax())
            label = POLARITIES[best]
            agrees = agreement(label, review.rating, can_say_neutral=self.can_say_neutral)
            out.append(Sentiment(label, round(float(row[best]), 4), self.source, agrees))
        return out


def model_text(review: Review) -> str:
    return " ".join(part for part in (review.title, review.text) if part)


def language_class(review: Review) -> str:
    """'zh', 'en' or 'other': which models may read the review."""
    language = (review.language or "").lower() or detect_language(model_text(review))
    return "zh" if language.startswith("zh") else "en" if language.startswith("en") else "other"


class SentimentModels:
    """The promoted sentiment models of a models root, resolved once per analysis run.

    ``tag`` joins the analyser version: promoting another model changes it, so the job
    analyses every review again with the new model.
    """

    def __init__(self, folders: dict[str, tuple[str, Path] | None]) -> None:
        self._folders = folders
        used = sorted({(task, path) for task, path in filter(None, folders.values())})
        self.sources = [f"{task}/{path.name}" for task, path in used]
        if used:
            # Task, version and creation time name a model wherever the home lives (a moved
            # home must not redo every analysis; a re-used version number after a delete must).
            identity = [(f"{task}/{path.name}", _created_at(path)) for task, path in used]
            digest = hashlib.sha256(repr(identity).encode()).hexdigest()[:10]
            self.tag = f"+sentiment-{digest}"
        else:
            self.tag = ""

    @classmethod
    def promoted(cls, root: Path | None = None) -> SentimentModels:
        from shopmind.models.registry import promoted

        cache: dict[str, tuple[str, Path] | None] = {}
        folders: dict[str, tuple[str, Path] | None] = {}
        for language, tasks in TASKS.items():
            folders[language] = None
            for task in tasks:
                if task not in cache:
                    folder = promoted(task, root)
                    cache[task] = (task, folder) if folder is not None else None
                if cache[task] is not None:
                    folders[language] = cache[task]
                    break
        return cls(folders)

    def model_for(self, language: str) -> SentimentModel | None:
        found = self._folders.get(language)
        if found is None:
            return None
        task, folder = found
        return _load(task, str(folder))

    def predict(self, reviews: Sequence[Review]) -> list[Sentiment | None]:
        """Each review's model sentiment, None where no model reads its language."""
        out: list[Sentiment | None] = [None] * len(reviews)
        groups: dict[str, list[int]] = {}
        for i, review in enumerate(reviews):
            if model_text(review).strip():  # nothing to read: the stars decide (rules)
                groups.setdefault(language_class(review), []).append(i)
        for language, indices in groups.items():
            model = self.model_for(language)
            if model is None:
                continue
            for i, found in zip(indices, model.predict([reviews[i] for i in indices]), strict=True):
                out[i] = found
        return out


def _created_at(folder: Path) -> str:
    from shopmind.models.registry import read_metadata

    return str(read_metadata(folder).get("created_at", ""))


@lru_cache(maxsize=8)
def _load(task: str, folder: str) -> SentimentModel:
    # Artifact folders never change once published, so the folder names the model for good.
    from shopmind.models.train import load_classifier

    classifier = load_classifier(Path(folder))
    log.info("review sentiment from %s/%s", task, Path(folder).name)
    return SentimentModel(classifier, f"{task}/{Path(folder).name}")
