"""The home feed and "because you viewed X": the candidate model scores the shopper's fresh
history (read at request time), so a click changes the next request without retraining.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from shopmind.recommend.base import FloatArray
from shopmind.recommend.items import similar
from shopmind.recommend.reasons import language_of, render
from shopmind.recommend.rules import RecConfig, recent_distinct
from shopmind.recommend.schemas import RecItem
from shopmind.recommend.surfaces import (
    ACTION_REASONS,
    VIEWED_REASON,
    VIEWS,
    OutOfStock,
    Reason,
    Shopper,
    excluded_for,
    finish,
    last_action,
    no_stock_check,
    shopper_history,
    trend_vector,
    trending,
)
from shopmind.recommend.trained import TrainedRecs

RECENT = 20  # history items that may explain a recommendation
DECAY = 0.8  # an older history item explains less than a newer one
NEW_ITEMS = 3  # newest history items whose look-alikes join the candidates
SESSION_NEIGHBOURS = 50
# Taste is slower than intent: category affinity forgets old items much more slowly.
AFFINITY_DECAY = 0.97


def home(
    recs: TrainedRecs,
    shopper: Shopper,
    config: RecConfig,
    limit: int,
    *,
    category: str | None = None,
    out_of_stock: OutOfStock = no_stock_check,
) -> tuple[list[RecItem], bool]:
    """The shopper's feed, and whether it is a cold start (trending, no usable history)."""
    hist = shopper_history(recs, shopper)
    if config.source == "trending" or not hist:
        items = trending(recs, shopper, config, limit, category=category, out_of_stock=out_of_stock)
        return items, True
    scores = personal_scores(recs, hist, shopper, config)
    if category:
        scores[~recs.catalog.in_category(category)] = -np.inf
    if shopper.currency:
        currency = recs.catalog.column("currency")
        scores[(currency != shopper.currency) & (currency != "")] = -np.inf
    excluded = excluded_for(recs, shopper, config, "home")
    excluded += recent_distinct(hist, config.exclude_recent)
    explain = Explainer(recs, hist, shopper)
    items = finish(
        recs,
        scores,
        explain.reason,
        config,
        limit,
        excluded=excluded,
        out_of_stock=out_of_stock,
        language=language_of(shopper.locale),
    )
    return items, False


def personal_scores(
    recs: TrainedRecs, history: list[int], shopper: Shopper, config: RecConfig
) -> FloatArray:
    """The model's scores of the history, plus the shopper's category affinity and a little
    trending (which orders what the model ties). Each part is scaled to at most 1 first.
    Products newer than the model add their content neighbours instead."""
    scores = np.zeros(len(recs.catalog), dtype=np.float32)
    known = [p for p in history if p < recs.catalog.n_model]
    if known:
        raw = recs.model.score([np.asarray(known, dtype=np.int64)])[0]
        scores[: len(raw)] = _unit(np.asarray(raw, np.float32))
    for rank, pos in enumerate(recent_distinct(history, NEW_ITEMS)):
        # the session's intent: what the newest items look like, even where co-views are thin
        weight = 1.0 if pos >= recs.catalog.n_model else config.session_weight * DECAY**rank
        if weight:
            for neighbour, likeness in recs.content.neighbours(pos, SESSION_NEIGHBOURS):
                scores[neighbour] += weight * likeness
    if config.affinity_weight:
        scores += config.affinity_weight * affinity(recs, history, config.affinity_depth)
    if config.trend_weight:
        trend, _ = trend_vector(recs, shopper.locale)
        scores[: len(trend)] += config.trend_weight * _unit(np.log1p(trend))
    return scores


def _unit(values: FloatArray) -> FloatArray:
    top = float(np.abs(values).max()) if len(values) else 0.0
    return values / top if top > 0 else values


def affinity(recs: TrainedRecs, history: list[int], depth: int) -> FloatArray:
    """Per product, the share of the shopper's recent history spent in its category (the
    first ``depth`` levels), newer items weighing more."""
    codes = _category_codes(recs, depth)
    recent = np.asarray(history[-200:], dtype=np.int64)
    weights = np.power(AFFINITY_DECAY, np.arange(len(recent))[::-1])
    minlength = int(codes.max(initial=0)) + 1
    share = np.bincount(codes[recent], weights=weights, minlength=minlength).astype(np.float64)
    total = float(share.sum()) or 1.0
    return np.asarray(share[codes] / total, dtype=np.float32)


def _category_codes(recs: TrainedRecs, depth: int) -> npt.NDArray[np.int64]:
    """Each product's category (first ``depth`` levels) as a small integer, cached."""
    column = f"category@{depth}"
    cached = recs.catalog.derived.get(column)
    if cached is None or len(cached) != len(recs.catalog):
        keys = [" > ".join(f.category.split(" > ")[:depth]) for f in recs.catalog.items]
        _, inverse = np.unique(np.asarray(keys, dtype=str), return_inverse=True)
        cached = inverse.astype(np.int64).reshape(-1)
        recs.catalog.derived[column] = cached
    return cached


class Explainer:
    """Names the history item that most explains a recommendation: the co-view weight from each
    recent item, newer items counting more; content likeness when no co-view links them."""

    def __init__(self, recs: TrainedRecs, history: list[int], shopper: Shopper) -> None:
        self.recs = recs
        self.recent = recent_distinct(history, RECENT)  # newest first
        # co-views exist only between products the model was trained with
        self.modelled = [i for i, p in enumerate(self.recent) if p < recs.catalog.n_model]
        weights = np.power(DECAY, np.arange(len(self.recent)), dtype=np.float64)
        self.weights = weights[self.modelled]
        self.rows = recs.covisit[[self.recent[i] for i in self.modelled]]
        self.actions = last_action(shopper)
        top = [recs.catalog.items[p].category.split(" > ")[0] for p in self.recent]
        self.favourite = max(set(top), key=top.count) if top else ""

    def reason(self, pos: int) -> Reason:
        if pos < self.rows.shape[1] and self.modelled:
            links = np.asarray(self.rows[:, pos].toarray()).ravel() * self.weights
            if links.max() > 0:
                return self._because(self.recent[self.modelled[int(links.argmax())]])
        likeness = self.recs.content.vectors[self.recent] @ self.recs.content.vectors[pos]
        if len(likeness) and likeness.max() >= 0.5:
            return self._because(self.recent[int(likeness.argmax())])
        category = self.recs.catalog.items[pos].category.split(" > ")[0]
        if category == self.favourite:
            return ("your_taste", {"category": category}, None)
        return ("for_you", {}, None)

    def _because(self, anchor: int) -> Reason:
        facts = self.recs.catalog.items[anchor]
        code = ACTION_REASONS.get(self.actions.get(facts.id, ""), VIEWED_REASON)
        return (code, {"title": facts.title}, facts.id)


def because_viewed(
    recs: TrainedRecs,
    shopper: Shopper,
    config: RecConfig,
    limit: int,
    *,
    out_of_stock: OutOfStock = no_stock_check,
) -> tuple[list[RecItem], str | None]:
    """Products like the one the shopper viewed last, and that product's id (None: no views)."""
    anchor = next(
        (
            pos
            for e in shopper.events
            if e.name in VIEWS
            for pos in recs.catalog.positions(e.product_ids)
        ),
        None,
    )
    if anchor is None:
        return [], None
    facts = recs.catalog.items[anchor]
    seen = recent_distinct(shopper_history(recs, shopper), config.exclude_recent)
    asking = replace(shopper, exclude=shopper.exclude + [recs.catalog.items[p].id for p in seen])
    items = similar(recs, anchor, config, limit, shopper=asking, out_of_stock=out_of_stock)
    text = render(VIEWED_REASON, {"title": facts.title}, language_of(shopper.locale))
    for item in items:
        item.reason, item.reason_code, item.anchor = text, VIEWED_REASON, facts.id
    return items, facts.id
