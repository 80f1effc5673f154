"""Policy knowledge: documents split into passages, retrieved with BM25 and (optionally) e5.

A passage is one Markdown section (heading + text), cut further at blank lines when long. Its id
is ``<document id>#<n>``, which answers cite. Retrieval ranks by BM25, fused with an embedder's
cosine when one is given (reciprocal-rank fusion); whether anything is *relevant* is decided by
how much of the question's weighted vocabulary a passage covers, so an unrelated question gets
no passage at all rather than the least bad one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from shopmind.core.schemas import Document
from shopmind.models.embed import Embedder
from shopmind.text import clean_text, detect_language, tokenize

MAX_PASSAGE_CHARS = 700
_FRONT = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.M)
# Words that carry no topic: never count towards relevance.
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    do does did can could would should will shall may might must i me my we our you your it its
    this that these those there here what which who whom how when where why whether any some all
    have has had not no yes please thanks thank hi hello about into than then so too very just
    also get got tell know want need like one s t long take takes much many does doe
    question ask offer offers provide sell
    的 了 吗 呢 吧 啊 我 我们 你 你们 您 是 在 有 和 与 或 就 都 也 要 想 请 能 可以 会 这 那 个 么
    什么 怎么 如何 多少 几 几点 吗 嘛 一下 一个 问 请问 谢谢 你好 哪些 哪个 多久 吧
    多长时间 时间 到 账 到账 得 需要 几天 钱 期限""".split()
)


# Chinese customers ask for a shop's hours in many words ("客服工作时间", "营业时间", "几点上班")
# that a contact page rarely repeats: it says "服务时间". Word tokens do not meet ("工作" and
# "服务" share nothing), so these fixed phrasings are read as the page's before term lookup.
_ZH_REWRITES = (
    (
        re.compile(r"(?:工作|营业|上班|办公|在线|服务)时间|几点(?:上班|下班|开门|关门|在线)"),
        "服务时间",
    ),
    (re.compile(r"客服"), "服务"),
)


def query_terms(query: str, language: str | None = None) -> list[str]:
    """``terms`` of a question, with the fixed Chinese phrasings above read as the pages'."""
    if language != "en":
        for pattern, replacement in _ZH_REWRITES:
            query = pattern.sub(replacement, query)
    return list(dict.fromkeys(terms(query, language)))


@dataclass(frozen=True, slots=True)
class Passage:
    """One retrievable piece of a document."""

    id: str
    document_id: str
    title: str
    heading: str
    text: str
    language: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved passage: its fused score and the share of the question it covers (0-1)."""

    passage: Passage
    score: float
    coverage: float


def split_document(doc: Document) -> list[Passage]:
    """A document's passages: one per section, long sections cut at blank lines."""
    body = _FRONT.sub("", clean_text(doc.body)).strip()
    language = (doc.language or detect_language(doc.title + " " + body[:300])).split("-")[0]
    sections: list[tuple[str, str]] = []
    heading = doc.title
    last = 0
    for match in _HEADING.finditer(body):
        sections.append((heading, body[last : match.start()]))
        heading = match.group(2).strip()
        last = match.end()
    sections.append((heading, body[last:]))
    passages: list[Passage] = []
    for heading, text in sections:
        for chunk in _chunks(text.strip()):
            passages.append(
                Passage(
                    id=f"{doc.id}#{len(passages) + 1}",
                    document_id=doc.id,
                    title=doc.title,
                    heading=heading,
                    text=chunk,
                    language=language,
                )
            )
    return passages


def _chunks(text: str) -> list[str]:
    if not text:
        return []
    if len(text) <= MAX_PASSAGE_CHARS:
        return [text]
    out: list[str] = []
    current = ""
    for block in re.split(r"\n\s*\n", text):
        if current and len(current) + len(block) > MAX_PASSAGE_CHARS:
            out.append(current.strip())
            current = ""
        current += block + "\n\n"
    if current.strip():
        out.append(current.strip())
    return out


def terms(text: str, lang: str | None = None) -> list[str]:
    """Content tokens of a text: lower-cased, stop words and punctuation dropped."""
    out = []
    for token in tokenize(text, lang=lang):
        if token in STOPWORDS or not any(ch.isalnum() for ch in token):
            continue
        out.append(token[:-1] if len(token) > 3 and token.endswith("s") else token)
    return out


def product_vocabulary(titles_and_categories: Iterable[str]) -> set[str]:
    """Content terms of product titles and category names (for ``product_terms``)."""
    vocabulary: set[str] = set()
    for text in titles_and_categories:
        vocabulary.update(terms(text))
    return vocabulary


class KnowledgeBase:
    """Passages with a BM25 index and, given an embedder, their vectors."""

    def __init__(
        self,
        passages: Sequence[Passage],
        *,
        embedder: Embedder | None = None,
        product_terms: Iterable[str] = (),
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        if k1 <= 0:
            raise ValueError(f"k1 must be > 0, got {k1}")
        self.passages = list(passages)
        self.product_terms = frozenset(product_terms)
        self.embedder = embedder
        self._k1, self._b = k1, b
        self._tfs = [
            Counter(terms(f"{p.title} {p.heading} {p.text}", p.language)) for p in self.passages
        ]
        self._lengths = [sum(tf.values()) for tf in self._tfs]
        self._avg = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        df: Counter[str] = Counter()
        for tf in self._tfs:
            df.update(tf.keys())
        n = len(self.passages)
        self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self._vectors: np.ndarray | None = None
        if embedder is not None and self.passages:
            texts = [f"{p.title}. {p.heading}. {p.text}" for p in self.passages]
            self._vectors = embedder.embed_passages(texts)

    @classmethod
    def from_documents(
        cls,
        documents: Sequence[Document],
        *,
        embedder: Embedder | None = None,
        product_terms: Iterable[str] = (),
    ) -> KnowledgeBase:
        """Split and index documents. ``product_terms``: the catalog's words (titles, category
        names), which name what a question is about rather than its topic."""
        passages = [p for doc in documents for p in split_document(doc)]
        return cls(passages, embedder=embedder, product_terms=product_terms)

    @property
    def languages(self) -> set[str]:
        return {p.language for p in self.passages}

    def search(
        self, query: str, *, language: str | None = None, top_k: int = 3, min_coverage: float = 0.5
    ) -> list[Hit]:
        """The most relevant passages (in ``language`` when the shop has any), best first.

        Only passages covering at least ``min_coverage`` of the question's IDF-weighted content
        terms count; an empty list means nothing relevant is known.
        """
        if top_k < 1:
            raise ValueError(f"top_k must be > 0, got {top_k}")
        q_terms = query_terms(query, language)
        # "warranty on headphones": the pages say "audio", not "headphones"; a catalog word the
        # pages never use says which product is meant, not what is asked, so it does not count
        # against relevance. A word neither the pages nor the catalog know ("bitcoin") does.
        q_terms = [t for t in q_terms if t in self._idf or t not in self.product_terms]
        if not q_terms or not self.passages:
            return []
        allowed = [
            i
            for i, p in enumerate(self.passages)
            if language is None or language not in self.languages or p.language == language
        ]
        # A term no passage has weighs as much as the rarest could: "spaceship" in a question
        # the shop's pages never mention must not be outvoted by "sell".
        unseen = math.log(1 + (len(self.passages) + 0.5) / 0.5)
        weights = {t: self._idf.get(t, unseen) for t in q_terms}
        total = sum(weights.values())
        bm25: dict[int, float] = {}
        coverage: dict[int, float] = {}
        for i in allowed:
            tf = self._tfs[i]
            score = 0.0
            covered = 0.0
            norm = self._k1 * (1 - self._b + self._b * self._lengths[i] / self._avg)
            for t in q_terms:
                f = tf.get(t, 0)
                if f:
                    score += weights[t] * f * (self._k1 + 1) / (f + norm)
                    covered += weights[t]
            bm25[i] = score
            coverage[i] = covered / total if total > 0 else 0.0
        fused = {i: 0.0 for i in allowed}
        for rank, i in enumerate(sorted(allowed, key=lambda j: -bm25[j])):
            fused[i] += 1.0 / (60 + rank)
        if self.embedder is not None and self._vectors is not None:
            qv = self.embedder.embed_queries([query])[0]
            sims = self._vectors[allowed] @ qv
            for rank, pos in enumerate(np.argsort(-sims)):
                fused[allowed[int(pos)]] += 1.0 / (60 + rank)
        ranked = sorted(
            (i for i in allowed if coverage[i] >= min_coverage and bm25[i] > 0),
            key=lambda j: (-fused[j], -bm25[j], j),
        )
        return [Hit(self.passages[i], fused[i], coverage[i]) for i in ranked[:top_k]]
