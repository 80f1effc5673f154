"""Intents and slots: rules first, then a trained model or a TF-IDF + logistic-regression baseline.

The model is the promoted ``assistant-intents`` artifact when there is one (trained with the
fine-tuning pipeline by ``shopmind train intents`` on the shipped examples plus Bitext). Without
one, TF-IDF is fitted on first use from the bilingual examples kept in
``assistant/data/intents_{en,zh}.csv`` (about 200 rows: well under a second), and cached for the
process. Character n-grams serve both languages without segmentation. A prediction whose
probability is below ``min_confidence`` is reported as ``low_confidence=True`` so the
conversation can offer a hand-off instead of guessing.

Slots: order ids, quantity, dates, e-mail address.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

INTENT_TASK = "assistant-intents"  # the registry task of the trained intent model
INTENTS = (
    "order_status",
    "return",
    "refund",
    "shipping",
    "product_question",
    "faq",
    "handoff",
    "greeting",
    "out_of_scope",
)

_HANDOFF = re.compile(
    r"\b(human|real person|agent|representative|customer service|operator|manager)\b|"
    r"转人工|人工客服|人工服务|真人|转接",
    re.I,
)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|good (morning|afternoon|evening)|thanks?( you)?|你好|您好|在吗|嗨|谢谢)"
    r"[\s!.,。！，~]*$",
    re.I,
)
_ORDER_LABEL = re.compile(
    r"(?:order|订单|单号)\s*(?:no\.?|number|num|id|#|号|编号)?\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{2,39})",
    re.I,
)
_ORDER_BARE = re.compile(r"(?<![A-Za-z0-9@.])#?([A-Za-z]{0,2}\d{5,12})(?![A-Za-z0-9@])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_QUANTITY = re.compile(
    r"(\d{1,4})\s*(?:x\b|pcs\b|pieces?\b|items?\b|units?\b|件|个|台|双|条|把|只)", re.I
)
_ZH_NUM = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_ZH_QUANTITY = re.compile(r"(?<![另哪这那每])([一两二三四五六七八九十])\s*(?:件|个|台|双|条|把|只)")
_ISO_DATE = re.compile(r"\b(20\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_ZH_DATE = re.compile(r"(?:(20\d{2})年)?(\d{1,2})月(\d{1,2})[日号]")


@dataclass(frozen=True, slots=True)
class Slots:
    """What a message names: order ids, a quantity, dates, an e-mail."""

    order_ids: tuple[str, ...] = ()
    quantity: int | None = None
    dates: tuple[date, ...] = ()
    email: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_ids": list(self.order_ids),
            "quantity": self.quantity,
            "dates": [d.isoformat() for d in self.dates],
            "email": self.email is not None,
        }


@dataclass(frozen=True, slots=True)
class Intent:
    """The predicted intent, its probability and whether a rule decided it."""

    name: str
    confidence: float
    rule: bool = False
    slots: Slots = field(default_factory=Slots)
    low_confidence: bool = False


def extract_slots(text: str, *, today: date | None = None) -> Slots:
    """Order ids, quantity, dates (ISO, 3月5日, yesterday/today/昨天/今天) and an e-mail."""
    today = today or date.today()
    email_match = _EMAIL.search(text)
    without_email = _EMAIL.sub(" ", text)
    ids: list[str] = []
    for match in _ORDER_LABEL.finditer(without_email):
        token = match.group(1)
        if any(ch.isdigit() for ch in token):
            ids.append(token)
    for match in _ORDER_BARE.finditer(without_email):
        if _ISO_DATE.fullmatch(match.group(1)) is None:
            ids.append(match.group(1))
    quantity: int | None = None
    if (q := _QUANTITY.search(without_email)) is not None:
        quantity = int(q.group(1))
    elif (zq := _ZH_QUANTITY.search(without_email)) is not None:
        quantity = _ZH_NUM[zq.group(1)]
    dates: list[date] = []
    for y, m, d in _ISO_DATE.findall(text):
        dates.extend(_date(int(y), int(m), int(d)))
    for y, m, d in _ZH_DATE.findall(text):
        dates.extend(_date(int(y) if y else today.year, int(m), int(d)))
    lowered = text.lower()
    if "yesterday" in lowered or "昨天" in text:
        dates.append(today - timedelta(days=1))
    if "today" in lowered or "今天" in text:
        dates.append(today)
    return Slots(
        order_ids=tuple(dict.fromkeys(i for i in ids if not _ISO_DATE.search(i))),
        quantity=quantity,
        dates=tuple(dict.fromkeys(dates)),
        email=email_match.group() if email_match else None,
    )


def _date(y: int, m: int, d: int) -> list[date]:
    try:
        return [date(y, m, d)]
    except ValueError:
        return []


def load_examples() -> list[tuple[str, str]]:
    """The bilingual training examples shipped with the package: (text, intent)."""
    rows: list[tuple[str, str]] = []
    for lang in ("en", "zh"):
        source = resources.files("shopmind.assistant") / "data" / f"intents_{lang}.csv"
        with source.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["intent"] not in INTENTS:
                    raise ValueError(f"intents_{lang}.csv: unknown intent {row['intent']!r}")
                rows.append((row["text"], row["intent"]))
    return rows


class IntentClassifier:
    """TF-IDF (character 1-4 grams) + logistic regression, behind a few sure-fire rules."""

    def __init__(
        self, *, min_confidence: float = 0.35, seed: int = 0, trained: Any | None = None
    ) -> None:
        """``trained``: a pipeline `TextClassifier` over `INTENTS` used instead of TF-IDF."""
        if not 0 <= min_confidence < 1:
            raise ValueError(f"min_confidence must be in [0, 1), got {min_confidence}")
        if trained is not None and not set(trained.labels) <= set(INTENTS):
            unknown = sorted(set(trained.labels) - set(INTENTS))
            raise ValueError(f"the intent model knows intents the assistant does not: {unknown}")
        self.min_confidence = min_confidence
        self.seed = seed
        self.trained = trained
        self._model: Any = None

    @property
    def source(self) -> str:
        """What predicts: ``assistant-intents/<version>`` or ``tfidf``."""
        if self.trained is None:
            return "tfidf"
        return f"{self.trained.task or 'model'}/{self.trained.version}"

    def fit(self, examples: list[tuple[str, str]]) -> IntentClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        texts = [t.lower() for t, _ in examples]
        labels = [label for _, label in examples]
        self._model = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
            LogisticRegression(C=10.0, max_iter=2000, random_state=self.seed),
        )
        self._model.fit(texts, labels)
        return self

    def predict(self, text: str) -> Intent:
        slots = extract_slots(text)
        if _HANDOFF.search(text):
            return Intent("handoff", 1.0, rule=True, slots=slots)
        if _GREETING.match(text):
            return Intent("greeting", 1.0, rule=True, slots=slots)
        name, confidence = self._best(text)
        return Intent(
            name, confidence, slots=slots, low_confidence=confidence < self.min_confidence
        )

    def _best(self, text: str) -> tuple[str, float]:
        if self.trained is not None:
            probs = self.trained.predict_proba([text])[0]
            labels = self.trained.labels
        else:
            if self._model is None:
                self.fit(load_examples())
            probs = self._model.predict_proba([text.lower()])[0]
            labels = self._model.classes_
        best = int(probs.argmax())
        return str(labels[best]), float(probs[best])


def default_classifier() -> IntentClassifier:
    """The promoted ``assistant-intents`` model of this home, else TF-IDF on the shipped
    examples; cached per home and model version, so promoting a new model takes effect for
    assistants built afterwards."""
    from shopmind.models.registry import models_root, promoted

    folder = promoted(INTENT_TASK)
    return _classifier(str(models_root()), str(folder) if folder else None)


@lru_cache(maxsize=4)
def _classifier(root: str, folder: str | None) -> IntentClassifier:
    if folder is None:
        return IntentClassifier().fit(load_examples())
    from shopmind.models.train import load_classifier

    return IntentClassifier(trained=load_classifier(Path(folder)))
