"""``shopmind bench search-speed``: index build rate, query latency and RAM by catalog size.

For each size a demo shop is generated and ingested into a fresh SQLite store (so no embedding
is reused from an earlier run), the index is built, saved, and then loaded in a new process that
answers a fixed mix of requests through the same `search` function the API calls: query
understanding, query embedding, hybrid retrieval, filters, facets and sorting, all timed together.
Each phase runs in its own process so that the memory figures are that phase's alone.

The generated catalog has colour and size variants that share a title, as real catalogs do; the
build embeds each distinct text once (``distinct_texts`` says how many), so ``docs_per_s`` counts
products and ``embedded_per_s`` the texts that went through the model.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from shopmind.bench.machine import machine_info, peak_rss_mb

SIZES = (10_000, 100_000, 1_000_000)
TARGETS = {"p99_ms": 50.0, "docs_per_s": 200.0}  # p99 at the largest size, build rate at all
Say = Callable[[str], None]


def run(
    sizes: list[int],
    *,
    queries: int = 400,
    seed: int = 11,
    embedder: str = "e5-small",
    workdir: Path | None = None,
    keep: bool = False,
    say: Say = lambda _: None,
) -> dict[str, Any]:
    """Measure every size in ``sizes``; the contract's JSON with one result per size.

    With ``keep`` each size's shop and index stay in ``workdir/<size>`` for `serve_again`.
    """
    if not sizes or any(n < 100 for n in sizes):
        raise ValueError(f"sizes must be >= 100 products each, got {sizes}")
    if queries < 20:
        raise ValueError(f"queries must be >= 20, got {queries}")
    say(f"seed {seed}; {queries} requests per size; embedder {embedder}")
    results: dict[str, dict[str, float]] = {}
    seconds: dict[str, float] = {}
    if keep and workdir is None:
        raise ValueError("keep needs a workdir")
    for n in sizes:
        root = Path(tempfile.mkdtemp(prefix="shopmind-speed-", dir=workdir))
        try:
            started = time.perf_counter()
            results[str(n)] = _measure(root, n, queries, seed, embedder, say)
            seconds[str(n)] = round(time.perf_counter() - started, 1)
        finally:
            # A 1M build takes most of an hour: with keep, a failure later on (serving) must not
            # throw it away; the figures measured so far are in build.json next to it.
            if keep and workdir is not None:
                shutil.rmtree(workdir / str(n), ignore_errors=True)
                shutil.move(str(root), workdir / str(n))
            else:
                shutil.rmtree(root, ignore_errors=True)
    return _report(results, seconds, sizes, seed)


def _measure(
    root: Path, n: int, queries: int, seed: int, embedder: str, say: Say
) -> dict[str, float]:
    say(f"{n:,} products: generating and ingesting")
    ingest = _child(_prepare, root, n, seed)
    say(f"{n:,} products: building the index")
    build = {**ingest, **_child(_build, root, embedder)}
    (root / "build.json").write_text(json.dumps(build), encoding="utf-8")
    say(f"{n:,} products: {queries} requests on the loaded index")
    return {**build, **_child(_serve, root, queries, seed)}


def serve_again(folder: Path, *, queries: int = 400, seed: int = 11) -> dict[str, Any]:
    """Time the requests again on an index kept by ``run(keep=True)`` (e.g. on a quiet machine)."""
    if not (folder / "index" / "meta.json").is_file():
        raise ValueError(f"{folder} holds no kept index; run with --keep first")
    started = time.perf_counter()
    serve = _child(_serve, folder, queries, seed)
    n = int(_child(_size, folder)["products"])
    return _report({str(n): serve}, {str(n): round(time.perf_counter() - started, 1)}, [n], seed)


def _size(folder: Path) -> dict[str, float]:
    meta = json.loads((folder / "index" / "meta.json").read_text())
    return {"products": float(meta["products"])}


def _report(
    results: dict[str, dict[str, float]], seconds: dict[str, float], sizes: list[int], seed: int
) -> dict[str, Any]:
    return {
        "capability": "search-speed",
        "dataset": {"generator": "shopmind.demo", "sizes": sizes, "seed": seed},
        "results": results,
        "seconds": seconds,
        "machine": machine_info(),
        "targets": TARGETS,
    }


def _child(fn: Callable[..., dict[str, float]], *args: Any) -> dict[str, float]:
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(fn, *args).result()


def _prepare(root: Path, n: int, seed: int) -> dict[str, float]:
    from shopmind.demo import generate
    from shopmind.ingest import ingest
    from shopmind.store import open_store

    data = root / "data"
    events, reviews = min(5 * n, 100_000), min(n, 20_000)
    generate(data, seed=seed, products=n, events=events, customers=1000, orders=0, reviews=reviews)
    store = open_store(f"sqlite:///{root / 'shop.db'}")
    try:
        for kind in ("products", "events", "reviews"):
            report = ingest(store, kind, data / f"{kind}.jsonl")
            if report.rejected:
                raise RuntimeError(f"{report.rejected} {kind} rejected while preparing the bench")
    finally:
        store.close()
    shutil.rmtree(data / "documents", ignore_errors=True)
    return {"products": float(n), "events": float(events), "reviews": float(reviews)}


def _build(root: Path, embedder_name: str) -> dict[str, float]:
    from shopmind.models.embed import get_embedder
    from shopmind.search.index import build_index, embed_text, save_index
    from shopmind.store import open_store

    store = open_store(f"sqlite:///{root / 'shop.db'}")
    embedder = get_embedder(embedder_name)
    embedder.embed_queries(["warm up"])  # model load is not build time
    try:
        started = time.perf_counter()
        index = build_index(store, embedder=embedder)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        path = save_index(index, root / "index")
        save_s = time.perf_counter() - started
        distinct = len({embed_text(p) for p in store.iter_models("products")})  # type: ignore[arg-type]
    finally:
        store.close()
    n = index.size
    return {
        "build_s": round(build_s, 1),
        "docs_per_s": round(n / build_s, 1),
        "distinct_texts": float(distinct),
        "embedded_per_s": round(distinct / build_s, 1),
        "save_s": round(save_s, 1),
        "index_mb": round(sum(f.stat().st_size for f in path.iterdir()) / 2**20, 1),
        "build_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _serve(root: Path, queries: int, seed: int) -> dict[str, float]:
    from shopmind.search.index import load_index
    from shopmind.search.service import search

    started = time.perf_counter()
    index = load_index(root / "index")
    index.warm_up()
    load_s = time.perf_counter() - started
    requests = request_mix(index, queries, seed)
    for request in requests[:10]:  # first calls fill lazy caches; not what a shopper sees
        search(index, request)
    plain: list[float] = []
    filtered: list[float] = []
    for request in requests:
        t = time.perf_counter()
        search(index, request)
        ms = (time.perf_counter() - t) * 1000
        (plain if request.filters.is_empty() else filtered).append(ms)
    every = plain + filtered
    return {
        "load_s": round(load_s, 1),
        "p50_ms": _pct(every, 50),
        "p99_ms": _pct(every, 99),
        "filtered_p50_ms": _pct(filtered, 50),
        "filtered_p99_ms": _pct(filtered, 99),
        "filtered_share": round(len(filtered) / len(every), 2),
        "serve_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _pct(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 2)


def request_mix(index: Any, count: int, seed: int) -> list[Any]:
    """Requests shoppers send: title words, category words in both languages, brand + type,
    and half of them with filters (category, price range, in stock, brand) or a price sort."""
    from shopmind.search.schemas import Filters, SearchRequest, Sort

    rng = random.Random(seed)
    cat = index.catalog
    live = [i for i in range(len(cat)) if index.live[i]]
    out: list[SearchRequest] = []
    while len(out) < count:
        row = rng.choice(live)
        words = str(cat.titles[row]).split()
        q = " ".join(words[: rng.randint(1, min(3, len(words)))])
        filters = Filters()
        sort = Sort.RELEVANCE
        if len(out) % 2:
            filters = _filters_for(index, row, rng)
            if rng.random() < 0.25:
                sort = Sort.PRICE_ASC
        out.append(SearchRequest(q=q, filters=filters, sort=sort))
    return out


def _filters_for(index: Any, row: int, rng: random.Random) -> Any:
    from shopmind.search.schemas import Filters

    cat, codes = index.catalog, index.codes
    top = int(cat.category[row][0])
    price = float(cat.price[row])
    kwargs: dict[str, Any] = {"in_stock": True}
    if top >= 0:
        kwargs["category"] = codes.label("category", top)
    if price == price and rng.random() < 0.7:  # not NaN
        kwargs["price_max"] = round(price * 1.5, 2)
    brand = int(cat.brand[row])
    if brand >= 0 and rng.random() < 0.3:
        kwargs["brand"] = [codes.label("brand", brand)]
    return Filters(**kwargs)
