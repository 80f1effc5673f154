"""What the API and the CLI call: the analysis job, insights for a product or a category, charts."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shopmind.core.errors import InputError, NotFoundError
from shopmind.models.embed import Embedder
from shopmind.reviews.analyse import ANALYSER, analyse_review
from shopmind.reviews.chart import aspect_chart
from shopmind.reviews.needs import need_items, themes
from shopmind.reviews.sentiment import SentimentModels
from shopmind.reviews.summary import (
    aspect_table,
    polarity_counts,
    pros_cons,
    rating_agreement,
    sentiment_summary,
    trend,
)
from shopmind.reviews.taxonomy import Taxonomy, load_taxonomy
from shopmind.store import Store
from shopmind.store.review_analyses import (
    category_product_count,
    load_review_analyses,
    pending_reviews,
    save_review_analyses,
)

MAX_ID = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """Exactly one of a product id and a category path (validated at the edge)."""

    product_id: str | None = None
    category: str | None = None

    @classmethod
    def parse(cls, product_id: str | None, category: str | None) -> Scope:
        product_id = product_id.strip() if product_id is not None else None
        category = category.strip() if category is not None else None
        if (product_id is None) == (category is None):
            raise InputError("give exactly one of product_id and category")
        if product_id is not None and not 0 < len(product_id) <= MAX_ID:
            raise InputError(f"product_id must be 1 to {MAX_ID} characters")
        if category is not None and not 0 < len(category) <= 2000:
            raise InputError("category must be 1 to 2000 characters (a path like 'Home > Kitchen')")
        return cls(product_id, category)

    @property
    def name(self) -> str:
        return f"product {self.product_id}" if self.product_id else f"category {self.category}"


def analyse_pending(
    store: Store,
    *,
    taxonomy: Taxonomy | None = None,
    product_ids: Sequence[str] | None = None,
    batch: int = 2000,
    progress: Callable[[int], None] | None = None,
    models: SentimentModels | None = None,
) -> int:
    """Analyse every review without a current analysis and store the results; returns how many.

    The job behind "analysed on ingest" (``analyse_after_ingest``, ``shopmind reviews analyse``);
    insights also run it for the product asked about. Review sentiment comes from the promoted
    sentiment models (``models``; default: this home's), the rules without one. Each batch is
    stored in its own transaction, so a failure keeps what was done and leaves the rest pending.
    """
    if batch < 1:
        raise ValueError(f"batch must be >= 1, got {batch}")
    taxonomy = taxonomy or load_taxonomy()
    models = models if models is not None else SentimentModels.promoted()
    analyser = ANALYSER + models.tag
    done = 0
    while True:
        todo = pending_reviews(store, analyser, limit=batch, product_ids=product_ids)
        if not todo:
            return done
        sentiments = models.predict([review for review, _, _ in todo])
        rows = [
            analyse_review(
                review,
                taxonomy,
                category=category,
                content_hash=content_hash,
                sentiment=sentiment,
                analyser=analyser,
            )
            for (review, content_hash, category), sentiment in zip(todo, sentiments, strict=True)
        ]
        save_review_analyses(store, rows)
        done += len(rows)
        if progress is not None:
            progress(len(rows))


@dataclass(frozen=True)
class IngestAnalysis:
    """What ``analyse_after_ingest`` did: reviews analysed, and the error that stopped it."""

    analysed: int
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"analysed": self.analysed, "error": self.error}


def analyse_after_ingest(
    store: Store,
    *,
    product_ids: Sequence[str] | None = None,
    taxonomy_path: Path | None = None,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> IngestAnalysis:
    """Analyse the reviews an ingest added or changed (those of ``product_ids``, or every pending
    review), in batches of ``batch``; never raises.

    Called after the ingest committed: a failure here must not fail or undo it, so it is logged
    as a warning and whatever was not analysed stays pending for ``shopmind reviews analyse``.
    """
    done = 0

    def count(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(n)

    try:
        analyse_pending(
            store,
            taxonomy=load_taxonomy(taxonomy_path),
            product_ids=product_ids,
            batch=batch,
            progress=count,
        )
    except Exception as exc:  # any failure: the ingest stands, the reviews wait for the job
        error = f"{type(exc).__name__}: {exc}"
        log.warning(
            "review analysis after ingest stopped after %d reviews (%s); the rest stay pending:"
            " run `shopmind reviews analyse`",
            done,
            error,
        )
        return IngestAnalysis(done, error)
    return IngestAnalysis(done)


def insights(
    store: Store,
    scope: Scope,
    *,
    taxonomy: Taxonomy | None = None,
    embedder: Embedder | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Review sentiment, aspect table, pros/cons, needs themes and trend for a product or a
    category.

    Raises NotFoundError for an unknown product or an empty category. A product's reviews not
    analysed yet are analysed first (the rules are cheap); a category reads what the job stored.
    ``embedder``: for grouping needs into themes; None leaves themes out.
    """
    taxonomy = taxonomy or load_taxonomy()
    models = SentimentModels.promoted()
    rows = _rows(store, scope, taxonomy, models)
    languages = Counter(row["language"] for row in rows)
    needs = need_items(rows)
    result: dict[str, Any] = {
        "scope": {"product_id": scope.product_id, "category": scope.category},
        "reviews": len(rows),
        "languages": dict(languages),
        "polarity": polarity_counts(rows),
        "rating_agreement": rating_agreement(rows),
        "sentiment": sentiment_summary(rows),
        "aspects": aspect_table(rows, taxonomy, language),
        **pros_cons(rows, taxonomy, language),
        "needs": {
            "wishes": sum(1 for n in needs if n["kind"] == "wish"),
            "complaints": sum(1 for n in needs if n["kind"] == "complaint"),
            "themes": themes(needs, embedder) if embedder is not None else None,
        },
        "trend": trend(rows),
        "analyser": ANALYSER + models.tag,
    }
    return result


def _rows(
    store: Store, scope: Scope, taxonomy: Taxonomy, models: SentimentModels | None = None
) -> list[dict[str, Any]]:
    if scope.product_id is not None:
        if not store.get("products", [scope.product_id]):
            raise NotFoundError("product", scope.product_id)
        analyse_pending(store, taxonomy=taxonomy, product_ids=[scope.product_id], models=models)
        return load_review_analyses(store, product_id=scope.product_id)
    assert scope.category is not None
    if category_product_count(store, scope.category) == 0:
        raise NotFoundError("category", scope.category)
    return load_review_analyses(store, category=scope.category)


def insights_chart(
    store: Store, scope: Scope, *, taxonomy: Taxonomy | None = None, fmt: str = "png"
) -> bytes:
    """The aspect-sentiment-over-time chart of a product or a category."""
    taxonomy = taxonomy or load_taxonomy()
    rows = _rows(store, scope, taxonomy)
    labels = {key: taxonomy.label(key, "en") for key in taxonomy.keys}
    return aspect_chart(
        trend(rows), title=f"Aspect sentiment: {scope.name}", labels=labels, fmt=fmt
    )
