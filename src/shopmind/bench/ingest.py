"""``shopmind bench ingest``: products/s and events/s from files and through the REST API."""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from shopmind.bench.machine import machine_info, peak_rss_mb
from shopmind.ingest import ingest
from shopmind.store import Role, create_api_key, open_store

TARGETS = {"products_per_s": 5_000, "events_per_s": 20_000, "api_events_per_s": 5_000}
Say = Callable[[str], None]


def run(
    products: int, events: int, *, api_batch: int = 1000, seed: int = 11, say: Say = lambda _: None
) -> dict[str, Any]:
    """Generate a shop of the given size, time each ingest path, return the contract's JSON."""
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="shopmind-bench-") as tmp:
        root = Path(tmp)
        say(f"generating {products:,} products and {events:,} events (seed {seed})")
        started = time.perf_counter()
        _generate_elsewhere(root / "data", seed, products, events)
        seconds["generate"] = time.perf_counter() - started
        store = open_store(f"sqlite:///{root / 'file.db'}")
        say("ingesting products from JSONL")
        products_report = ingest(store, "products", root / "data" / "products.jsonl")
        say("ingesting events from JSONL")
        events_report = ingest(store, "events", root / "data" / "events.jsonl")
        store.close()
        seconds["products_file"] = products_report.seconds
        seconds["events_file"] = events_report.seconds
        say(f"posting events to the REST API in batches of {api_batch}")
        api = _api_events(root, root / "data" / "events.jsonl", api_batch)
        seconds["events_api"] = api["seconds"]
    results = {
        "sqlite": {
            "products": products_report.inserted,
            "products_per_s": round(products_report.inserted / products_report.seconds, 1),
            "events": events_report.inserted,
            "events_per_s": round(events_report.inserted / events_report.seconds, 1),
            "api_events": api["inserted"],
            "api_events_per_s": round(api["inserted"] / api["seconds"], 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "server_peak_rss_mb": round(api["server_rss_mb"], 1),
        }
    }
    return {
        "capability": "ingest",
        "dataset": {"products": products, "events": events, "generator_seed": seed},
        "results": results,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "machine": machine_info(),
        "targets": TARGETS,
    }


def _generate_elsewhere(out: Path, seed: int, products: int, events: int) -> None:
    # In a child process, so the ingest being timed runs in a process whose heap holds only
    # what ingest itself made (the generator's garbage measurably slowed it otherwise).
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        pool.submit(_generate, out, seed, products, events).result()


def _generate(out: Path, seed: int, products: int, events: int) -> None:
    from shopmind.demo import generate

    customers = max(100, min(5000, events // 50))
    generate(
        out,
        seed=seed,
        products=products,
        events=events,
        customers=customers,
        orders=100,
        reviews=100,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _api_events(root: Path, events_file: Path, batch: int) -> dict[str, float]:
    url = f"sqlite:///{root / 'api.db'}"
    store = open_store(url)
    token = create_api_key(store, "bench", Role.MERCHANT)[1]
    store.close()
    port = _free_port()
    env = {**os.environ, "SHOPMIND_DATABASE_URL": url}
    cmd = [
        sys.executable,
        "-m",
        "shopmind.cli.main",
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, server)
        lines = [line for line in events_file.read_bytes().splitlines() if line.strip()]
        bodies = [
            b'{"events":[' + b",".join(lines[i : i + batch]) + b"]}"
            for i in range(0, len(lines), batch)
        ]
        inserted = 0
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            started = time.perf_counter()
            for body in bodies:
                response = client.post("/v1/events", content=body)
                response.raise_for_status()
                inserted += int(response.json()["inserted"])
            elapsed = time.perf_counter() - started
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"inserted": inserted, "seconds": elapsed, "server_rss_mb": rss}


def _wait_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            err = server.stderr.read().decode() if server.stderr else ""
            raise RuntimeError(f"API server exited early: {err[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("API server did not become healthy within 60 s")
