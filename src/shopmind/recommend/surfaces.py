"""The recommendation surfaces, as pure functions over a trained recommender and a shopper.

Each surface scores candidates from its own signals, then `finish` applies the rules (boosts,
exclusions, live stock, diversity) and attaches a reason to every item. Nothing here reads the
store: the service hands in the shopper's fresh events and a live stock check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from shopmind.recommend.base import FloatArray
from shopmind.recommend.reasons import language_of, render
from shopmind.recommend.rules import (
    RecConfig,
    apply_boosts,
    diversify,
    purchased_blocked,
    recent_distinct,
    standardise,
)
from shopmind.recommend.schemas import RecItem
from shopmind.recommend.signals import HISTORY_EVENTS, history
from shopmind.recommend.trained import TrainedRecs
from shopmind.store.recs import EventRow

SHOWN_LIST_PREFIX = "rec:"  # item_list_id of the impressions the recommender logs
VIEWS = ("view_item", "select_item")
Reason = tuple[str, dict[str, object], str | None]  # code, template values, anchor product id
OutOfStock = Callable[[Sequence[str]], set[str]]
# How a history item explains a recommendation, by the newest thing the shopper did with it.
ACTION_REASONS = {
    "purchase": "because_bought",
    "add_to_cart": "because_in_cart",
    "add_to_wishlist": "because_saved",
}
VIEWED_REASON = "because_viewed"
TRENDING_CACHE = 64  # (locale, currency) trending vectors kept per catalog


@dataclass
class Shopper:
    """Who asks, and what they did: events newest first, read at request time."""

    user_id: str | None = None
    session_id: str | None = None
    events: list[EventRow] = field(default_factory=list)
    purchased: dict[str, datetime] = field(default_factory=dict)
    locale: str | None = None
    currency: str | None = None
    now: datetime = field(default_factory=lambda: datetime.now().astimezone())
    exclude: list[str] = field(default_factory=list)


def no_stock_check(ids: Sequence[str]) -> set[str]:
    del ids
    return set()


# --- shared finishing -------------------------------------------------------------------------


def finish(
    recs: TrainedRecs,
    scores: FloatArray,
    reasons: Callable[[int], Reason],
    config: RecConfig,
    limit: int,
    *,
    excluded: Iterable[int] = (),
    out_of_stock: OutOfStock = no_stock_check,
    language: str = "en",
) -> list[RecItem]:
    """Rules, diversity and reasons (written in ``language``) over raw scores (-inf: not a
    candidate)."""
    z = standardise(scores)
    apply_boosts(z, recs.catalog, config.boosts)
    z[list(excluded)] = -np.inf
    ranked = best_first(z, limit * 5 + 20)
    if not ranked:
        return []
    if config.exclude_out_of_stock:
        gone = out_of_stock([recs.catalog.items[p].id for p in ranked])
        ranked = [p for p in ranked if recs.catalog.items[p].id not in gone]
    picked = diversify(ranked, z, recs.catalog, config, limit, recs.content.similarity)
    return [_item(recs, pos, float(z[pos]), reasons(pos), language) for pos in picked]


def best_first(scores: FloatArray, count: int) -> list[int]:
    """Positions of the ``count`` best finite scores, best first, ties by position."""
    count = min(count, len(scores))
    if count < 1:
        return []
    # -inf (not a candidate) turns into +inf here and sorts last, so no finite-only copy is needed
    top = np.argpartition(-scores, count - 1)[:count] if count < len(scores) else np.arange(count)
    cut = scores[top].min()
    if np.isfinite(cut) and count < len(scores):
        # argpartition picks any of the products tied at the cut; keep the first ones instead,
        # so the same request always gets the same list
        above = top[scores[top] > cut]
        top = np.concatenate([above, np.flatnonzero(scores == cut)[: count - len(above)]])
    top = top[np.isfinite(scores[top])]
    return [int(p) for p in top[np.lexsort((top, -scores[top]))]]


def _item(recs: TrainedRecs, pos: int, score: float, reason: Reason, language: str) -> RecItem:
    facts = recs.catalog.items[pos]
    code, values, anchor = reason
    return RecItem(
        id=facts.id,
        title=facts.title,
        category=facts.category,
        score=round(score, 4),
        reason=render(code, values, language),
        reason_code=code,
        anchor=anchor,
    )


def blank_scores(recs: TrainedRecs) -> FloatArray:
    return np.full(len(recs.catalog), -np.inf, dtype=np.float32)


def title_of(recs: TrainedRecs, pos: int) -> str:
    return recs.catalog.items[pos].title


# --- shopper state --------------------------------------------------------------------------


def shown_recently(shopper: Shopper, minutes: int, surface: str) -> set[str]:
    """Products this surface showed the shopper in the last ``minutes``. Per surface: what the
    home feed showed may still appear next to a product, and the other way round."""
    if not minutes:
        return set()
    since = shopper.now - timedelta(minutes=minutes)
    return {
        pid
        for e in shopper.events
        if e.name == "view_item_list"
        and e.properties.get("item_list_id") == SHOWN_LIST_PREFIX + surface
        and e.ts >= since
        for pid in e.product_ids
    }


def excluded_for(recs: TrainedRecs, shopper: Shopper, config: RecConfig, surface: str) -> list[int]:
    """Positions the shopper must not see: bought, shown a moment ago, asked to leave out."""
    out = recs.catalog.positions(shopper.exclude)
    if config.exclude_purchased:
        out += purchased_blocked(shopper.purchased, recs.catalog, config, shopper.now)
    out += recs.catalog.positions(shown_recently(shopper, config.shown_minutes, surface))
    return out


def shopper_history(recs: TrainedRecs, shopper: Shopper) -> list[int]:
    """Positions the shopper chose, oldest first."""
    return [int(p) for p in history(reversed(shopper.events), recs.catalog)]


def last_action(shopper: Shopper) -> dict[str, str]:
    """Product id -> the newest event name that touched it."""
    out: dict[str, str] = {}
    for e in shopper.events:
        if e.name in HISTORY_EVENTS:
            for pid in e.product_ids:
                out.setdefault(pid, e.name)
    return out


# --- trending (cold start) ------------------------------------------------------------------


def trend_vector(recs: TrainedRecs, locale: str | None) -> tuple[FloatArray, bool]:
    """Trending for the locale when it has any, else over everyone; True when local."""
    local = recs.trending.get(locale or "")
    if locale and local is not None and float(local.sum()) > 0:
        return local, True
    return recs.trending[""], False


def trending_scores(recs: TrainedRecs, shopper: Shopper, category: str | None) -> FloatArray:
    """Trending scores over the whole catalog, limited to the shopper's currency and category;
    products in another language than the shopper's locale sink."""
    scores = _trending_base(recs, shopper.locale, shopper.currency).copy()
    if category:
        scores[~recs.catalog.in_category(category)] = -np.inf
    return scores


def _trending_base(recs: TrainedRecs, locale: str | None, currency: str | None) -> FloatArray:
    """Trending for one (locale, currency), cached with the catalog: it changes only with the
    model, and building it (string compares over every product) was most of a cold start's
    time. The cache holds a few dozen shopper kinds at most, so odd locales cannot grow it."""
    key = f"trending:{locale or ''}|{currency or ''}"
    cached = recs.catalog.derived.get(key)
    if cached is not None:
        return cached
    vector, _ = trend_vector(recs, locale)
    scores = blank_scores(recs)
    scores[: len(vector)] = np.log1p(vector)
    catalog = recs.catalog
    if currency:
        currencies = catalog.column("currency")
        scores[(currencies != currency) & (currencies != "")] = -np.inf
    language = (locale or "").split("-")[0].lower()
    if language:
        languages = catalog.column("language")
        scores[(languages != language) & (languages != "")] -= 10.0
    if sum(k.startswith("trending:") for k in catalog.derived) < TRENDING_CACHE:
        catalog.derived[key] = scores
    return scores


def trending_reason(recs: TrainedRecs, shopper: Shopper, category: str | None) -> Reason:
    _, local = trend_vector(recs, shopper.locale)
    if category:
        return ("trending_category", {"category": category}, None)
    if local:
        return ("trending_region", {"locale": shopper.locale}, None)
    return ("trending", {}, None)


def trending(
    recs: TrainedRecs,
    shopper: Shopper,
    config: RecConfig,
    limit: int,
    *,
    category: str | None = None,
    out_of_stock: OutOfStock = no_stock_check,
) -> list[RecItem]:
    reason = trending_reason(recs, shopper, category)
    excluded = excluded_for(recs, shopper, config, "home")
    excluded += recent_distinct(shopper_history(recs, shopper), config.exclude_recent)
    scores = trending_scores(recs, shopper, category)
    return finish(
        recs,
        scores,
        lambda _: reason,
        config,
        limit,
        excluded=excluded,
        out_of_stock=out_of_stock,
        language=language_of(shopper.locale),
    )
