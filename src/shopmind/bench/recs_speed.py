"""``shopmind bench recs-speed``: recommender training time, request latency, event-to-effect.

A demo shop is generated and ingested into a fresh SQLite store; the recommender is trained
(and its holdout Recall@10 measured), published and loaded back as the API would load it. Then a
fixed mix of requests runs through `RecommendService` (home feeds for known and new shoppers,
similar, bought together, complete the cart), each timed end to end including its store reads.
Event-to-effect: a shopper views a product far from their history, and the clock runs from
writing that event to the next home feed that reflects it.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shopmind.bench.machine import machine_info, peak_rss_mb

TARGETS = {"p99_ms": 20.0, "event_to_effect_ms": 1000.0}
KEPT_FILE = "recs-speed.json"
MIX = (
    ("home", 0.55),
    ("home_new", 0.1),
    ("similar", 0.15),
    ("bought_together", 0.1),
    ("cart", 0.1),
)
Say = Callable[[str], None]


def run(
    products: int,
    users: int,
    *,
    events: int | None = None,
    orders: int | None = None,
    requests: int = 400,
    effects: int = 50,
    model: str = "itemknn",
    embedder: str = "e5-small",
    seed: int = 13,
    workdir: Path | None = None,
    keep: bool = False,
    say: Say = lambda _: None,
) -> dict[str, Any]:
    """Measure one shop size; the benchmark contract's JSON.

    With ``keep`` the shop and model stay in ``workdir/recs-<products>x<users>`` for
    `serve_again` (timing the requests again on a quiet machine takes seconds, not a build)."""
    if products < 100 or users < 10:
        raise ValueError(f"need >= 100 products and >= 10 users, got {products}, {users}")
    if requests < 20 or effects < 1:
        raise ValueError(f"requests must be >= 20 and effects >= 1, got {requests}, {effects}")
    events = events if events is not None else 20 * users
    orders = orders if orders is not None else users
    if keep and workdir is None:
        raise ValueError("keep needs a workdir")
    say(f"seed {seed}; {products:,} products, {users:,} users, {events:,} events; model {model}")
    if keep and workdir is not None:
        root = workdir / f"recs-{products}x{users}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="shopmind-recs-speed-", dir=workdir))
    seconds: dict[str, float] = {}
    try:
        store = _prepare(root, products, users, events, orders, seed, seconds, say)
        try:
            service, train = _train(store, root, model, embedder, seconds, say)
            say(f"{requests} timed requests")
            latency = _requests(service, requests, seed, seconds)
            say(f"{effects} event-to-effect trials")
            effect = _effects(service, effects, seed, seconds)
        finally:
            store.close()
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    result = {**train, **latency, **effect, "peak_rss_mb": round(peak_rss_mb(), 1)}
    dataset = {"products": products, "users": users, "events": events, "orders": orders}
    if keep:
        _write_kept(root, dataset, seed, model, train)
    return _contract(dataset, seed, model, result, seconds)


def serve_again(
    folder: Path, *, requests: int = 400, effects: int = 50, say: Say = lambda _: None
) -> dict[str, Any]:
    """Time the requests and event-to-effect again on a shop kept by ``run(keep=True)``."""
    from shopmind.recommend.service import RecommendService
    from shopmind.recommend.trained import load_promoted
    from shopmind.store import open_store

    kept = folder / KEPT_FILE
    if not kept.is_file():
        raise ValueError(f"{folder} holds no kept shop; run with --keep first")
    meta = json.loads(kept.read_text())
    seconds: dict[str, float] = {}
    store = open_store(f"sqlite:///{folder / 'shop.db'}")
    try:
        started = time.perf_counter()
        recs = load_promoted(folder / "models")
        if recs is None:
            raise ValueError(f"{folder} holds no trained model")
        service = RecommendService(store, recs)
        _timed(seconds, "load", started)
        say(f"{requests} timed requests")
        latency = _requests(service, requests, meta["seed"], seconds)
        say(f"{effects} event-to-effect trials")
        effect = _effects(service, effects, meta["seed"], seconds)
    finally:
        store.close()
    result = {**meta["train"], "load_s": seconds["load"], **latency, **effect}
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    dataset = {k: meta[k] for k in ("products", "users", "events", "orders")}
    return _contract(
        {**dataset, "served_again": str(folder)}, meta["seed"], meta["model"], result, seconds
    )


def _write_kept(root: Path, dataset: dict[str, int], seed: int, model: str, train: Any) -> None:
    meta = {**dataset, "seed": seed, "model": model, "train": train}
    (root / KEPT_FILE).write_text(json.dumps(meta, indent=2))


def _contract(
    dataset: dict[str, Any],
    seed: int,
    model: str,
    result: dict[str, Any],
    seconds: dict[str, float],
) -> dict[str, Any]:
    return {
        "capability": "recs-speed",
        "dataset": {"generator": "shopmind.demo", **dataset, "seed": seed},
        "results": {model: result},
        "seconds": seconds,
        "machine": machine_info(),
        "targets": TARGETS,
    }


def _timed(seconds: dict[str, float], phase: str, started: float) -> None:
    seconds[phase] = round(time.perf_counter() - started, 2)


def _prepare(
    root: Path,
    products: int,
    users: int,
    events: int,
    orders: int,
    seed: int,
    seconds: dict[str, float],
    say: Say,
) -> Any:
    from shopmind.demo import generate
    from shopmind.ingest import ingest
    from shopmind.store import open_store

    started = time.perf_counter()
    say("generating the shop")
    data = root / "data"
    generate(
        data,
        seed=seed,
        products=products,
        customers=users,
        events=events,
        orders=orders,
        reviews=0,
    )
    _timed(seconds, "generate", started)
    started = time.perf_counter()
    store = open_store(f"sqlite:///{root / 'shop.db'}")
    for kind in ("products", "customers", "orders", "events"):
        say(f"ingesting {kind}")
        report = ingest(store, kind, data / f"{kind}.jsonl")
        if report.rejected:
            raise RuntimeError(f"{report.rejected} {kind} rejected while preparing the bench")
    _timed(seconds, "ingest", started)
    return store


def _train(
    store: Any, root: Path, model: str, embedder: str, seconds: dict[str, float], say: Say
) -> tuple[Any, dict[str, float]]:
    from shopmind.models.embed import get_embedder
    from shopmind.recommend.service import RecommendService
    from shopmind.recommend.trained import load, publish, train_recs

    started = time.perf_counter()
    trained = train_recs(store, get_embedder(embedder), model=model, say=say)
    folder = publish(trained, root=root / "models")
    _timed(seconds, "train", started)
    started = time.perf_counter()
    service = RecommendService(store, load(folder))
    _timed(seconds, "load", started)
    test = trained.meta["metrics"]["test"]
    spent = trained.meta["seconds"]
    return service, {
        "train_s": spent["total"],
        "fit_s": spent["fit"],
        "embed_s": spent["embed"],
        "load_s": seconds["load"],
        "holdout_recall@10": test.get("recall@10", 0.0),
        "holdout_ndcg@10": test.get("ndcg@10", 0.0),
    }


def _requests(service: Any, count: int, seed: int, seconds: dict[str, float]) -> dict[str, float]:
    rng = random.Random(seed)
    users = _known_users(service)
    items = [f.id for f in service.recs.catalog.items]
    names = [name for name, _ in MIX]
    weights = [share for _, share in MIX]
    timings: dict[str, list[float]] = {name: [] for name in names}
    calls = {
        "home": lambda: service.home(rng.choice(users), limit=10),
        "home_new": lambda: service.home(f"new-{rng.random()}", locale="en-US", limit=10),
        "similar": lambda: service.similar(rng.choice(items), limit=10),
        "bought_together": lambda: service.bought_together(rng.choice(items), limit=10),
        "cart": lambda: service.cart(rng.sample(items, 3), limit=10),
    }
    for name in names:  # warm caches and lazy columns outside the clock
        calls[name]()
    started = time.perf_counter()
    for _ in range(count):
        name = rng.choices(names, weights=weights)[0]
        began = time.perf_counter()
        calls[name]()
        timings[name].append((time.perf_counter() - began) * 1000)
    _timed(seconds, "requests", started)
    every = [t for values in timings.values() for t in values]
    out = {"requests": float(count), "p50_ms": _pct(every, 50), "p99_ms": _pct(every, 99)}
    for name, values in timings.items():
        if values:
            out[f"{name}_p99_ms"] = _pct(values, 99)
    return out


def _known_users(service: Any) -> list[str]:
    from shopmind.store.recs import customer_locales

    users = sorted(customer_locales(service.store))
    if not users:
        raise RuntimeError("the generated shop has no customers")
    return users


def _effects(service: Any, count: int, seed: int, seconds: dict[str, float]) -> dict[str, float]:
    """Per trial: a user views a product of a category missing from their feed. ``changed_share``:
    trials whose next feed differs; ``effect_share``: those where it holds that category."""
    from shopmind.core.schemas import Event

    rng = random.Random(seed + 1)
    run_id = uuid.uuid4().hex[:8]
    users = _known_users(service)
    catalog = service.recs.catalog
    latencies: list[float] = []
    changed = moved = 0
    started = time.perf_counter()
    for trial in range(count):
        user = rng.choice(users)
        before = service.home(user, limit=10)
        shown = {item.category for item in before.items}
        product = rng.choice(
            [f for f in catalog.items[: catalog.n_model] if f.category not in shown]
        )
        event = Event(
            id=f"bench-effect-{run_id}-{trial}",  # new ids: a kept shop is served again
            name="view_item",
            customer_id=user,
            product_ids=[product.id],
            timestamp=datetime.now(UTC),
        )
        began = time.perf_counter()
        service.store.add_events([event])
        after = service.home(user, limit=10)
        latencies.append((time.perf_counter() - began) * 1000)
        changed += any(item.category == product.category for item in after.items)
        moved += [i.id for i in after.items] != [i.id for i in before.items]
    _timed(seconds, "effects", started)
    return {
        "event_to_effect_ms": _pct(latencies, 50),
        "event_to_effect_p99_ms": _pct(latencies, 99),
        "effect_share": round(changed / count, 3),
        "changed_share": round(moved / count, 3),
    }


def _pct(values: list[float], q: int) -> float:
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 2)
