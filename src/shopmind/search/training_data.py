"""Training examples for the ranker: from relevance judgements, or from shoppers' events.

Judgements (query id -> doc id -> gain) become labels round(gain * 3). A shop without judgements
has its search sessions instead: a ``search`` opens a context, a ``select_item``/``view_item``
after it is a click (1), an ``add_to_cart`` of a clicked product 2, its ``purchase`` 3, anything
shown and not taken 0. When the events carry no impressions (a ``search`` without product_ids),
the shown set is what retrieval returns for the query today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from shopmind.core.schemas import Event, EventName
from shopmind.evaluate.ranking import evaluate_run
from shopmind.search.analyzer import Analyzer
from shopmind.search.bm25 import Bm25
from shopmind.search.features import Signals, extract
from shopmind.search.ranker import LABEL_SCALE, Example, Ranker
from shopmind.search.retrieval import Candidates, Retriever, blend
from shopmind.store.vector_index import ExactIndex

if TYPE_CHECKING:  # the index module imports this one's callers; types only here
    from shopmind.search.index import SearchIndex

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]
QueryVectors = Callable[[list[str]], F32]  # texts -> unit vectors, one row per text
PassageVectors = Callable[[list[str]], F32]

CLICK, CART, PURCHASE = 1, 2, 3
_CLICKS = (EventName.SELECT_ITEM, EventName.VIEW_ITEM)
_LIST_START = (EventName.SEARCH, EventName.VIEW_ITEM_LIST)


def labels_for(c: Candidates, doc_ids: Sequence[str], gains: Mapping[str, float]) -> I32:
    """round(gain * 3) per candidate; unjudged candidates get 0."""
    return np.array(
        [round(gains.get(doc_ids[p], 0.0) * LABEL_SCALE) for p in c.positions], np.int32
    )


def examples_from_qrels(
    retriever: Retriever,
    analyzer: Analyzer,
    queries: Mapping[str, str],
    qrels: Mapping[str, Mapping[str, float]],
    doc_tokens: Sequence[Sequence[str]],
    query_vectors: Mapping[str, F32] | None,
    doc_ids: Sequence[str],
    k: int = 100,
) -> list[Example]:
    """One example per judged query that has text; ``doc_ids[position]`` names each document."""
    out: list[Example] = []
    for qid, gains in qrels.items():
        if qid not in queries:
            continue
        terms = analyzer.tokens(queries[qid])
        vec = query_vectors.get(qid) if query_vectors is not None else None
        c = retriever.candidates(terms, vec, k)
        feats = extract(c, terms, [doc_tokens[p] for p in c.positions], Signals())
        out.append(Example(c, feats, labels_for(c, doc_ids, gains), qid))
    return out


@dataclass
class SearchJudgements:
    """Graded labels per query text mined from sessions, and what each query showed if logged."""

    grades: dict[str, dict[str, int]]
    shown: dict[str, set[str]]
    searches: dict[str, int]


def search_judgements(events: Iterable[Event]) -> SearchJudgements:
    """Walk each session in time order and grade what shoppers did after each search."""
    sessions: dict[str, list[Event]] = {}
    for event in events:
        key = event.session_id or event.customer_id
        if key:
            sessions.setdefault(key, []).append(event)
    found = SearchJudgements({}, {}, {})
    for session in sessions.values():
        session.sort(key=lambda e: e.timestamp)
        _grade_session(session, found)
    return found


def _normalise(query: str) -> str:
    return " ".join(query.casefold().split())


def _grade_session(session: list[Event], out: SearchJudgements) -> None:
    query: str | None = None
    came_from: dict[str, str] = {}  # product -> the search it was clicked from
    for event in session:
        if event.name in _LIST_START:
            query = (
                _normalise(event.query) if event.name is EventName.SEARCH and event.query else None
            )
            if query is not None:
                out.searches[query] = out.searches.get(query, 0) + 1
                out.shown.setdefault(query, set()).update(event.product_ids)
                out.grades.setdefault(query, {})
        elif event.name is EventName.SELECT_ITEM and query is None:
            for p in event.product_ids:  # picked from a category list: not the search's credit
                came_from.pop(p, None)
        elif event.name in _CLICKS and query is not None:
            for p in event.product_ids:
                came_from[p] = query
                _raise(out, query, p, CLICK)
        elif event.name is EventName.ADD_TO_CART:
            for p in event.product_ids:
                if p in came_from:
                    _raise(out, came_from[p], p, CART)
        elif event.name is EventName.PURCHASE:
            for p in event.product_ids:
                if p in came_from:
                    _raise(out, came_from[p], p, PURCHASE)


def _raise(out: SearchJudgements, query: str, product: str, grade: int) -> None:
    grades = out.grades.setdefault(query, {})
    grades[product] = max(grades.get(product, 0), grade)


def examples_from_events(
    events: Iterable[Event],
    retriever: Retriever,
    analyzer: Analyzer,
    doc_ids: Sequence[str],
    doc_tokens: Sequence[Sequence[str]],
    query_vectors: QueryVectors | None = None,
    k: int = 100,
) -> list[Example]:
    """One example per distinct search text with at least one click on a retrieved product.

    Labels: purchase 3 > add_to_cart 2 > click 1 > shown and skipped 0. When searches logged
    their results (product_ids), only those (and what was clicked) count as shown.
    """

    def prepare(text: str, vector: F32 | None) -> tuple[Candidates, list[str], Signals]:
        terms = analyzer.tokens(text)
        return retriever.candidates(terms, vector, k), terms, Signals()

    return _judged_examples(events, doc_ids, doc_tokens, query_vectors, prepare)


def examples_from_index(
    events: Iterable[Event],
    index: SearchIndex,
    doc_tokens: Sequence[Sequence[str]],
    query_vectors: QueryVectors | None = None,
    k: int = 100,
) -> list[Example]:
    """`examples_from_events` over the shop's own search index, with the features serving
    computes: parsed query tokens, catalog signals (popularity, rating, stock) and constraint
    matches. ``doc_tokens[position]`` are the title tokens of each index position."""
    from shopmind.search.query import understand
    from shopmind.search.rerank import catalog_signals

    def prepare(text: str, vector: F32 | None) -> tuple[Candidates, list[str], Signals]:
        parsed = understand(text, index.vocab)
        terms = [*parsed.tokens, *parsed.expansions]
        c = index.retriever.candidates(terms, vector, k)
        signals = catalog_signals(index.catalog, index.codes, c.positions, parsed.constraints)
        return c, list(parsed.tokens), signals

    ids = [str(i) for i in index.catalog.ids]
    return _judged_examples(events, ids, doc_tokens, query_vectors, prepare, index.live)


Prepare = Callable[[str, "F32 | None"], tuple[Candidates, list[str], Signals]]


def _judged_examples(
    events: Iterable[Event],
    doc_ids: Sequence[str],
    doc_tokens: Sequence[Sequence[str]],
    query_vectors: QueryVectors | None,
    prepare: Prepare,
    live: npt.NDArray[np.bool_] | None = None,
) -> list[Example]:
    judged = search_judgements(events)
    texts = [q for q, g in judged.grades.items() if g]
    vectors = query_vectors(texts) if query_vectors is not None and texts else None
    position = {d: i for i, d in enumerate(doc_ids) if live is None or live[i]}
    out: list[Example] = []
    for i, text in enumerate(texts):
        grades = judged.grades[text]
        c, terms, signals = prepare(text, vectors[i] if vectors is not None else None)
        shown = judged.shown.get(text, set())
        keep = np.ones(len(c), bool)
        if shown:
            wanted = {position[d] for d in shown | set(grades) if d in position}
            keep = np.isin(c.positions, list(wanted))
            c = _subset(c, keep)
        labels = np.array([grades.get(doc_ids[p], 0) for p in c.positions], np.int32)
        if not labels.any():
            continue
        feats = extract(
            c, terms, [doc_tokens[p] for p in c.positions], _signals_subset(signals, keep)
        )
        out.append(Example(c, feats, labels, text))
    return out


def _signals_subset(signals: Signals, keep: npt.NDArray[np.bool_]) -> Signals:
    values = {
        f.name: (None if getattr(signals, f.name) is None else getattr(signals, f.name)[keep])
        for f in fields(Signals)
    }
    return Signals(**values)


def _subset(c: Candidates, keep: npt.NDArray[np.bool_]) -> Candidates:
    return Candidates(
        positions=c.positions[keep],
        bm25=c.bm25[keep],
        cosine=c.cosine[keep],
        bm25_rank=c.bm25_rank[keep],
        vector_rank=c.vector_rank[keep],
        matched=c.matched,
    )


def build_retriever(
    texts: Sequence[str], analyzer: Analyzer, embed_passages: PassageVectors | None = None
) -> tuple[Retriever, list[list[str]]]:
    """An in-memory retriever over ``texts`` (exact vectors) and each text's tokens.

    Without ``embed_passages`` the vectors are zeros and candidates are lexical only; a ranker
    trained that way should serve without vectors too (its metadata names the embedder).
    """
    tokens = [analyzer.tokens(t) for t in texts]
    bm25 = Bm25()
    bm25.add_segment(tokens)
    if embed_passages is not None:
        vectors = np.asarray(embed_passages(list(texts)), np.float32)
    else:
        vectors = np.zeros((len(texts), 1), np.float32)
    ann = ExactIndex(vectors.shape[1])
    if embed_passages is not None:
        ann.add(np.arange(len(texts), dtype=np.int64), vectors)
    live = np.ones(len(texts), bool)
    return Retriever(bm25, vectors.astype(np.float16), ann, live), tokens


def evaluate_examples(
    ranker: Ranker,
    examples: Sequence[Example],
    doc_ids: Sequence[str],
    qrels: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, float]:
    """nDCG@10, Recall@100, MRR@10 of the ranker on ``examples`` (held-out queries), and the
    blend's nDCG@10 on the same queries as ``blend_ndcg@10``, the baseline to read it against.

    With ``qrels`` the judgements count, including relevant products retrieval missed; without,
    the examples' own labels are the gains (events: a click is relevant).
    """
    runs: dict[str, list[str]] = {}
    blended: dict[str, list[str]] = {}
    gains: dict[str, dict[str, float]] = {}
    for ex in examples:
        positions, _ = ranker.rank(ex.candidates, ex.features)
        runs[ex.query_id] = [doc_ids[p] for p in positions[:100]]
        blended[ex.query_id] = [doc_ids[p] for p in blend(ex.candidates)[0][:100]]
        if qrels is not None:
            gains[ex.query_id] = dict(qrels.get(ex.query_id, {}))
        else:
            labelled = zip(ex.candidates.positions, ex.labels, strict=True)
            gains[ex.query_id] = {doc_ids[p]: float(g) for p, g in labelled if g > 0}
    metrics = evaluate_run(runs, gains)
    metrics["blend_ndcg@10"] = evaluate_run(blended, gains)["ndcg@10"]
    return metrics
