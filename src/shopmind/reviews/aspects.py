"""Aspect sentiment by rules: clauses, taxonomy terms and cues, opinion words, negation, contrast.

A review is cut into sentences, sentences into clauses at commas and at contrast words ("but",
"但是"), so "great screen but the battery is weak" judges two aspects apart. In a clause, an
aspect is named by a term ("delivery") or a cue that also judges it ("arrived early"); opinion
words ("fast", "差") judge the clause's aspects, or the product overall when none is named. A
negator just before an opinion flips it ("not great", "不太好", "一点都不油腻").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from shopmind.reviews.lexicon import (
    CONTRAST_EN,
    CONTRAST_ZH,
    NEGATED_ZH,
    NEGATORS_EN,
    WISH_EN,
    WISH_ZH,
)
from shopmind.reviews.taxonomy import OVERALL, Matcher, Taxonomy

Polarity = Literal["positive", "negative", "neutral"]
_SENTENCE = re.compile(r"[^.!?。！？；;\n]+[.!?。！？；;]*")
_CLAUSE_EN = re.compile(r"[^,:()]+")
_CLAUSE_ZH = re.compile(r"[^,，、:：()（）~～]+")
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class AspectMention:
    """One judged aspect: the opinion words and the clause they stand in, as evidence."""

    aspect: str
    polarity: Polarity
    opinion: str
    evidence: str
    start: int  # the clause's offsets in the review text
    end: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NeedSentence:
    """A wish ("I wish it came with a case") or a complaint (a negative clause)."""

    kind: Literal["wish", "complaint"]
    text: str
    aspect: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sign_of(polarity: str) -> int:
    return 1 if polarity == "positive" else -1 if polarity == "negative" else 0


def polarity_of(score: float) -> Polarity:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; the sentence keeps its end punctuation."""
    return [(m.start(), m.group()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def clauses(sentence: str, language: str) -> list[tuple[int, str]]:
    """(offset, clause) pairs: commas split, and so does every contrast word (it opens a clause)."""
    pattern = _CLAUSE_ZH if language == "zh" else _CLAUSE_EN
    contrast = CONTRAST_ZH if language == "zh" else CONTRAST_EN
    out: list[tuple[int, str]] = []
    for part in pattern.finditer(sentence):
        cuts = [0, *(m.start() for m in contrast.finditer(part.group()) if m.start() > 0)]
        text = part.group()
        for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True):
            piece = text[a:b]
            if piece.strip(" .!?。！？；;"):
                out.append((part.start() + a, piece))
    return out


def _negated(clause: str, start: int, language: str) -> bool:
    before = clause[:start]
    if language == "zh":
        return NEGATED_ZH.search(before[-5:]) is not None
    words = _WORD.findall(before.lower())[-3:]
    return any(w in NEGATORS_EN or w.endswith("n't") for w in words)


def analyse_clause(clause: str, matcher: Matcher) -> list[tuple[str, int, str]]:
    """(aspect, sign, opinion words) for each judged aspect of one clause."""
    language = matcher.language
    aspects: list[str] = []
    cue_score: dict[str, int] = {}
    generic = 0
    opinions: dict[str | None, list[str]] = {}
    for m in matcher.regex.finditer(clause):
        hit = matcher.hits[m.group().lower()]
        if hit.aspect is not None and hit.aspect not in aspects:
            aspects.append(hit.aspect)
        if hit.kind == "term":
            continue
        negated = _negated(clause, m.start(), language)
        sign = -hit.sign if negated else hit.sign
        word = (("not " if language == "en" else "不") if negated else "") + m.group()
        if hit.kind == "cue":
            assert hit.aspect is not None
            cue_score[hit.aspect] = cue_score.get(hit.aspect, 0) + sign
        else:
            generic += sign
        opinions.setdefault(hit.aspect if hit.kind == "cue" else None, []).append(word)
    out: list[tuple[str, int, str]] = []
    for aspect in aspects:
        score = cue_score.get(aspect) or generic
        if score:
            words = opinions.get(aspect) or opinions.get(None, [])
            out.append((aspect, 1 if score > 0 else -1, " ".join(words)))
    if not aspects and generic:
        out.append((OVERALL, 1 if generic > 0 else -1, " ".join(opinions.get(None, []))))
    return out


def analyse_text(
    text: str, language: str, taxonomy: Taxonomy, category: str = ""
) -> tuple[list[AspectMention], list[NeedSentence]]:
    """Aspect mentions and need sentences of one review text."""
    matcher = taxonomy.matcher(language, category)
    lang = matcher.language
    wish = WISH_ZH if lang == "zh" else WISH_EN
    mentions: list[AspectMention] = []
    needs: list[NeedSentence] = []
    for offset, sentence in sentences(text):
        is_wish = wish.search(sentence) is not None
        found: list[AspectMention] = []
        for start, clause in clauses(sentence, lang):
            evidence = clause.strip(" .!?。！？；;")
            first = offset + start + clause.index(evidence[0]) if evidence else offset + start
            for aspect, sign, opinion in analyse_clause(clause, matcher):
                polarity = polarity_of(sign)
                found.append(
                    AspectMention(aspect, polarity, opinion, evidence, first, first + len(evidence))
                )
        if is_wish:
            # A wish judges nothing yet ("would be nice if it were cheaper" is not a price
            # complaint), so its clauses become the wish alone.
            about = next((m.aspect for m in found if m.aspect != OVERALL), None)
            needs.append(NeedSentence("wish", sentence.strip(), about))
            continue
        mentions += found
        needs += [
            NeedSentence("complaint", m.evidence, m.aspect)
            for m in found
            if m.polarity == "negative"
        ]
    return mentions, needs


def span_polarity(
    text: str, start: int, language: str, taxonomy: Taxonomy, category: str = ""
) -> Polarity:
    """The rules' polarity toward the words at ``start`` (an aspect term): the balance of the
    opinions in the clause that holds it; "neutral" when the clause judges nothing."""
    matcher = taxonomy.matcher(language, category)
    for offset, sentence in sentences(text):
        for clause_start, clause in clauses(sentence, matcher.language):
            lo = offset + clause_start
            if lo <= start < lo + len(clause):
                verdicts = analyse_clause(clause, matcher)
                return polarity_of(sum(sign for _, sign, _ in verdicts))
    return "neutral"
