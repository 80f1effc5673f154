"""Aspect-sentiment benchmark files: SemEval-2014 Task 4 XML and the zhijiang (ZOL cosmetics) CSVs.

SemEval: one example per ``aspectTerm`` with its sentence, offsets and polarity. "conflict"
terms are dropped, as is standard (the usual 3-class setting), and counted in ``dropped``.
Zhijiang: ``*_reviews.csv`` (id, Reviews) and ``*_labels.csv`` (id, AspectTerms, A_start, A_end,
OpinionTerms, O_start, O_end, Categories, Polarities), one review to many label rows.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from shopmind.core.errors import InputError

SEMEVAL_POLARITIES = ("positive", "negative", "neutral")
ZH_POLARITIES = {"正面": "positive", "负面": "negative", "中性": "neutral"}


@dataclass(frozen=True)
class TermExample:
    """One aspect term of a sentence and its gold polarity."""

    sentence_id: str
    text: str
    term: str
    start: int
    end: int
    polarity: str


@dataclass
class SemEvalFile:
    examples: list[TermExample]
    sentences: int
    dropped: Counter[str] = field(default_factory=Counter)  # polarity -> terms left out


def read_semeval14(path: Path) -> SemEvalFile:
    """Aspect terms of a SemEval-2014 ABSA XML file (sentences without terms are skipped)."""
    from lxml import etree

    if not path.is_file():
        raise InputError(f"dataset file not found: {path} (a SemEval-2014 ABSA XML file)")
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path} is not valid XML: {exc}") from None
    out = SemEvalFile([], 0)
    for sentence in root.iter("sentence"):
        out.sentences += 1
        text = sentence.findtext("text") or ""
        for term in sentence.iter("aspectTerm"):
            polarity = term.get("polarity", "")
            if polarity not in SEMEVAL_POLARITIES:
                out.dropped[polarity or "missing"] += 1
                continue
            start, end = int(term.get("from", 0)), int(term.get("to", 0))
            out.examples.append(
                TermExample(
                    sentence.get("id", ""), text, term.get("term", ""), start, end, polarity
                )
            )
    if out.sentences == 0:
        raise InputError(f"{path} has no <sentence> elements: is it a SemEval-2014 ABSA file?")
    return out


@dataclass(frozen=True)
class ZhLabel:
    aspect_term: str | None
    opinion_term: str | None
    category: str
    polarity: str  # positive / negative / neutral


@dataclass(frozen=True)
class ZhReview:
    id: str
    text: str
    labels: tuple[ZhLabel, ...]

    @property
    def categories(self) -> set[str]:
        return {label.category for label in self.labels}

    def category_polarity(self) -> dict[str, str]:
        """One polarity per category: the majority of its labels (ties: the first said)."""
        votes: dict[str, Counter[str]] = {}
        for label in self.labels:
            votes.setdefault(label.category, Counter())[label.polarity] += 1
        return {c: v.most_common(1)[0][0] for c, v in votes.items()}


def zhijiang_files(path: Path) -> tuple[Path, Path]:
    """(reviews CSV, labels CSV) from a folder holding both or from the reviews CSV's path."""
    if path.is_dir():
        reviews = sorted(path.glob("*_reviews.csv")) or sorted(path.glob("*Reviews*.csv"))
        labels = sorted(path.glob("*_labels.csv")) or sorted(path.glob("*Labels*.csv"))
        if len(reviews) != 1 or len(labels) != 1:
            raise InputError(f"{path} must hold one *_reviews.csv and one *_labels.csv")
        return reviews[0], labels[0]
    labels_path = path.with_name(
        path.name.replace("reviews", "labels").replace("Reviews", "Labels")
    )
    for needed in (path, labels_path):
        if not needed.is_file():
            raise InputError(f"dataset file not found: {needed} (zhijiang reviews + labels CSV)")
    return path, labels_path


def read_zhijiang(path: Path) -> list[ZhReview]:
    """Reviews with their label quadruples; reviews without any label are skipped."""
    reviews_path, labels_path = zhijiang_files(path)
    texts = {row["id"]: row["Reviews"] for row in _rows(reviews_path, ("id", "Reviews"))}
    labels: dict[str, list[ZhLabel]] = {}
    needed = ("id", "AspectTerms", "OpinionTerms", "Categories", "Polarities")
    for n, row in enumerate(_rows(labels_path, needed), start=2):
        polarity = ZH_POLARITIES.get(row["Polarities"].strip())
        if polarity is None:
            raise InputError(f"{labels_path}:{n}: unknown polarity {row['Polarities']!r}")
        if row["id"] not in texts:
            raise InputError(f"{labels_path}:{n}: review id {row['id']!r} is not in {reviews_path}")
        labels.setdefault(row["id"], []).append(
            ZhLabel(
                _term(row["AspectTerms"]),
                _term(row["OpinionTerms"]),
                row["Categories"].strip(),
                polarity,
            )
        )
    return [ZhReview(i, texts[i], tuple(found)) for i, found in labels.items()]


def _term(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "_") else value


def _rows(path: Path, needed: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: missing columns {missing}; found {reader.fieldnames}")
        return list(reader)


def holdout_ids(ids: list[str], share: float, seed: int) -> set[str]:
    """A fixed random ``share`` of the ids (the same seed gives the same ids)."""
    if not 0 < share < 1:
        raise ValueError(f"share must be in (0, 1), got {share}")
    ordered = sorted(set(ids))
    random.Random(seed).shuffle(ordered)
    return set(ordered[: max(1, round(len(ordered) * share))])
