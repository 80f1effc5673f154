"""Training the shop's recommender from the store, and its artifact in the model registry.

One artifact holds everything the surfaces read: the item catalog, the candidate model, the
co-view matrix, co-purchase counts, trending vectors per locale and the content vectors. It is
published as ``<models>/recommend/vN`` and promoted, so the API and CLI load the same one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from shopmind.core.errors import InputError
from shopmind.core.schemas import Product
from shopmind.models.embed import Embedder
from shopmind.models.registry import new_artifact, promote, promoted, read_metadata
from shopmind.recommend.base import FloatArray, IntArray, Recommender, load_csr, save_csr
from shopmind.recommend.catalog import ItemCatalog
from shopmind.recommend.content import ContentIndex
from shopmind.recommend.knn import cooccurrence
from shopmind.recommend.registry import load_model, model_classes
from shopmind.recommend.signals import HISTORY_EVENTS, CoPurchase, sequences, trending
from shopmind.store import Store
from shopmind.store.recs import behaviour_events, customer_locales, order_baskets

TASK = "recommend"
FORMAT = "shopmind-recommender/1"
SIGNALS_FILE = "signals.npz"
Say = Callable[[str], None]


@dataclass
class TrainedRecs:
    """Everything the surfaces need, aligned by catalog position."""

    catalog: ItemCatalog
    model: Recommender
    covisit: sp.csr_matrix
    copurchase: CoPurchase
    trending: dict[str, FloatArray]
    content: ContentIndex
    meta: dict[str, Any] = field(default_factory=dict)


def make_model(name: str, params: dict[str, Any] | None = None) -> Recommender:
    classes = model_classes()
    if name not in classes or name == "blend":
        known = ", ".join(n for n in classes if n != "blend")
        raise InputError(f"unknown recommender model {name!r}; choose one of: {known}")
    model: Recommender = classes[name](**(params or {}))
    return model


def train_recs(
    store: Store,
    embedder: Embedder,
    *,
    model: str = "itemknn",
    params: dict[str, Any] | None = None,
    half_life_days: float = 7.0,
    holdout: int = 1000,
    say: Say | None = None,
) -> TrainedRecs:
    """Fit every signal on the store's current products, events and orders.

    ``holdout`` users (with 3+ items) get their last item held out to measure Recall@10 and
    NDCG@10 on a model fitted without it; the served model is then fitted on everything."""
    tell = say or (lambda _: None)
    started = time.perf_counter()
    catalog = ItemCatalog.build(p for p in store.iter_models("products") if isinstance(p, Product))
    rows = behaviour_events(store, HISTORY_EVENTS)
    seqs = sequences(rows, catalog)
    n = catalog.n_model
    tell(f"{n} products, {len(rows)} events, {len(seqs)} shoppers")
    metrics = _holdout_metrics(seqs, n, model, params, holdout) if holdout else {}
    fitted = make_model(model, params)
    fit_started = time.perf_counter()
    if seqs:
        fitted.fit(seqs, n)
    else:
        _fit_empty(fitted, n)
    fit_seconds = time.perf_counter() - fit_started
    tell(f"{model} fitted in {fit_seconds:.1f}s; embedding products")
    embed_started = time.perf_counter()
    content = ContentIndex.build(catalog, embedder, store)
    embed_seconds = time.perf_counter() - embed_started
    trained = TrainedRecs(
        catalog=catalog,
        model=fitted,
        covisit=cooccurrence(seqs, n, 3, backward=1.0, normalize=0.5),
        copurchase=CoPurchase.build(order_baskets(store), catalog),
        trending=trending(rows, catalog, customer_locales(store), half_life_days=half_life_days),
        content=content,
    )
    trained.meta = {
        "format": FORMAT,
        "task": TASK,
        "method": model,
        "base": {"name": embedder.name},
        "params": fitted.params(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {"products": n, "events": len(rows), "shoppers": len(seqs)},
        "metrics": {"test": metrics},
        "key_metric": "recall@10",
        "seconds": {
            "fit": round(fit_seconds, 3),
            "embed": round(embed_seconds, 3),
            "total": round(time.perf_counter() - started, 3),
        },
    }
    return trained


def _fit_empty(model: Recommender, n: int) -> None:
    """A shop with no events yet: every model still needs fitted state to score with."""
    try:
        model.fit([], n)
    except (InputError, ValueError) as exc:
        raise InputError(
            f"{model.name} needs behaviour events to train; the store has none yet "
            "(use --model itemknn or popularity until events arrive)"
        ) from exc


def _holdout_metrics(
    seqs: list[IntArray], n: int, name: str, params: dict[str, Any] | None, users: int
) -> dict[str, float]:
    from shopmind.evaluate.recs import batched_ranks, metrics_from_ranks

    chosen = [i for i, s in enumerate(seqs) if len(s) >= 3][:users]
    if not chosen:
        return {}
    held = set(chosen)
    train = [s[:-1] if i in held else s for i, s in enumerate(seqs)]
    model = make_model(name, params)
    model.fit(train, n)
    histories = [seqs[i][:-1] for i in chosen]
    targets = np.asarray([seqs[i][-1] for i in chosen], dtype=np.int64)
    ranks = batched_ranks(model.score, histories, targets, batch=256)
    return {**metrics_from_ranks(ranks, (10,)), "users": len(chosen)}


# --- artifacts ------------------------------------------------------------------------------


def publish(trained: TrainedRecs, *, root: Path | None = None, make_promoted: bool = True) -> Path:
    """Write the artifact as the next ``recommend/vN`` (promoted by default); returns its folder."""
    with new_artifact(TASK, root) as staging:
        save(trained, staging.path)
    folder = staging.path.parent / staging.version
    if make_promoted:
        promote(TASK, staging.version, root)
    return folder


def save(trained: TrainedRecs, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    trained.catalog.save(folder)
    trained.model.save(folder / "model")
    trained.content.save(folder, trained.catalog.n_model)
    arrays: dict[str, Any] = {
        **save_csr("covisit", trained.covisit),
        **save_csr("copurchase", trained.copurchase.pairs),
        "copurchase.counts": trained.copurchase.counts,
        "copurchase.baskets": np.asarray([trained.copurchase.baskets], dtype=np.int64),
    }
    locales = sorted(trained.trending)
    for i, locale in enumerate(locales):
        arrays[f"trending.{i}"] = trained.trending[locale]
    np.savez(folder / SIGNALS_FILE, allow_pickle=False, **arrays)
    meta = {**trained.meta, "trending_locales": locales}
    (folder / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))


def load(folder: Path) -> TrainedRecs:
    meta = read_metadata(folder)
    if meta.get("format") != FORMAT:
        raise InputError(f"{folder} holds {meta.get('format')!r}, not a {FORMAT} artifact")
    with np.load(folder / SIGNALS_FILE, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    locales = meta.get("trending_locales", [])
    return TrainedRecs(
        catalog=ItemCatalog.load(folder),
        model=load_model(folder / "model"),
        covisit=load_csr("covisit", arrays),
        copurchase=CoPurchase(
            load_csr("copurchase", arrays),
            arrays["copurchase.counts"].astype(np.float32),
            int(arrays["copurchase.baskets"][0]),
        ),
        trending={loc: arrays[f"trending.{i}"] for i, loc in enumerate(locales)},
        content=ContentIndex.load(folder),
        meta=meta,
    )


def load_promoted(root: Path | None = None) -> TrainedRecs | None:
    """The promoted recommender, or None when none was trained yet."""
    folder = promoted(TASK, root)
    return None if folder is None else load(folder)
