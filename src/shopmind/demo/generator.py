"""Orchestration: draw the plans, stream every file to disk, then write truth and manifest."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from shopmind.demo.behaviour import SessionBuilder
from shopmind.demo.catalog import CatalogPlan, id_width, plan_catalog, price_band_edges
from shopmind.demo.categories import CATEGORIES
from shopmind.demo.clock import CATALOG_START, EVENTS_END, EVENTS_START, NOW, iso
from shopmind.demo.documents import write_documents
from shopmind.demo.history import history_purchases
from shopmind.demo.orders import order_record
from shopmind.demo.people import Persona, customer_record, make_customers, preference_truth
from shopmind.demo.picker import ProductPicker
from shopmind.demo.policies import policy_facts
from shopmind.demo.products import product_record
from shopmind.demo.reviews import FOLLOW_RATE, ReviewWriter, aspect_truth
from shopmind.demo.sessions import PersonaChooser, SessionPlan, plan_sessions

GENERATOR_VERSION = "1.0.0"
FILES = {
    "products": "products.jsonl",
    "customers": "customers.jsonl",
    "events": "events.jsonl",
    "orders": "orders.jsonl",
    "reviews": "reviews.jsonl",
    "documents": "documents",
    "ground_truth": "ground_truth.json",
}
Progress = Callable[[str, int, int], None]
_CHUNK = 5_000
_SESSION_REPORT = 200


@dataclass(frozen=True)
class DemoManifest:
    """What ``generate`` wrote: counts per entity, relative file names and their sha256."""

    out_dir: Path
    seed: int
    version: str
    counts: dict[str, int]
    files: dict[str, str]
    sha256: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """The manifest.json content (no absolute path, so copies of a folder compare equal)."""
        return {
            "generator": "shopmind.demo",
            "version": self.version,
            "seed": self.seed,
            "counts": self.counts,
            "files": self.files,
            "sha256": self.sha256,
        }


class _JsonlSink:
    """Buffered JSON Lines writer that hashes what it writes."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("wb")
        self._hash = hashlib.sha256()
        self._buffer: list[bytes] = []
        self.records = 0

    def add(self, record: dict[str, Any]) -> None:
        self._buffer.append(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        self.records += 1
        if len(self._buffer) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        data = b"".join(self._buffer)
        self._file.write(data)
        self._hash.update(data)
        self._buffer.clear()

    def __enter__(self) -> _JsonlSink:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._flush()
        self._file.close()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


def _silent(stage: str, done: int, total: int) -> None:
    del stage, done, total


def check_counts(counts: dict[str, int]) -> None:
    """Refuse impossible sizes before writing anything."""
    for name, value in counts.items():
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    needs_products = [n for n in ("events", "orders", "reviews") if counts[n] > 0]
    if needs_products and counts["products"] == 0:
        raise ValueError(f"products must be > 0 when {', '.join(needs_products)} are requested")


def run(
    out_dir: Path, seed: int, counts: dict[str, int], progress: Progress | None
) -> DemoManifest:
    """Write the whole demo shop into ``out_dir``; see ``shopmind.demo.generate``."""
    check_counts(counts)
    report = progress or _silent
    out_dir.mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}
    plan = plan_catalog(counts["products"], seed)
    digests["products"] = _write_products(out_dir, plan, report)
    customers = make_customers(counts["customers"], seed, id_width(counts["customers"]))
    digests["customers"] = _write_customers(out_dir, customers, report)
    picker = ProductPicker(plan) if plan.count else None
    digests.update(_write_behaviour(out_dir, plan, picker, customers, counts, seed, report))
    writer = ReviewWriter(plan, customers, id_width(counts["reviews"]), seed)
    with _JsonlSink(out_dir / FILES["reviews"]) as sink:
        for number in range(counts["reviews"]):
            sink.add(writer.review(number))
            if (number + 1) % _CHUNK == 0 or number + 1 == counts["reviews"]:
                report("reviews", number + 1, counts["reviews"])
    digests["reviews"] = sink.sha256
    documents, digests["documents"] = write_documents(out_dir / FILES["documents"])
    report("documents", documents, documents)
    truth = _ground_truth(seed, plan, customers, writer)
    truth_bytes = orjson.dumps(truth, option=orjson.OPT_INDENT_2)
    (out_dir / FILES["ground_truth"]).write_bytes(truth_bytes)
    digests["ground_truth"] = hashlib.sha256(truth_bytes).hexdigest()
    manifest = DemoManifest(
        out_dir=out_dir,
        seed=seed,
        version=GENERATOR_VERSION,
        counts={**counts, "documents": documents},
        files=dict(FILES),
        sha256=digests,
    )
    (out_dir / "manifest.json").write_bytes(
        orjson.dumps(manifest.to_dict(), option=orjson.OPT_INDENT_2)
    )
    return manifest


def _write_products(out_dir: Path, plan: CatalogPlan, report: Progress) -> str:
    width = id_width(plan.count)
    with _JsonlSink(out_dir / FILES["products"]) as sink:
        for start in range(0, plan.count, _CHUNK):
            stop = min(start + _CHUNK, plan.count)
            for row in plan.rows(start, stop):
                sink.add(product_record(row, width))
            report("products", stop, plan.count)
    return sink.sha256


def _write_customers(out_dir: Path, customers: list[Persona], report: Progress) -> str:
    with _JsonlSink(out_dir / FILES["customers"]) as sink:
        for persona in customers:
            sink.add(customer_record(persona))
    report("customers", len(customers), len(customers))
    return sink.sha256


def _write_behaviour(
    out_dir: Path,
    plan: CatalogPlan,
    picker: ProductPicker | None,
    customers: list[Persona],
    counts: dict[str, int],
    seed: int,
    report: Progress,
) -> dict[str, str]:
    """Events and orders together: a purchase event and its order are born in the same step."""
    rng = random.Random(f"{seed}:sessions")
    chooser = PersonaChooser(customers, rng)
    sessions: list[SessionPlan] = []
    if counts["events"]:
        sessions = plan_sessions(counts["events"], counts["orders"], chooser, rng)
    from_sessions = sum(s.purchase for s in sessions)
    width = id_width(counts["orders"])
    numbers = iter(range(1, counts["orders"] + 1))
    with _JsonlSink(out_dir / FILES["orders"]) as orders:
        if picker is not None:
            history_rng = random.Random(f"{seed}:history")
            for purchase in history_purchases(
                counts["orders"] - from_sessions, chooser, plan, picker, history_rng, width, numbers
            ):
                orders.add(order_record(plan, purchase, width, history_rng)[0])
        report("orders", orders.records, counts["orders"])
        with _JsonlSink(out_dir / FILES["events"]) as events:
            if picker is not None:
                _write_sessions(
                    sessions, plan, picker, counts, seed, numbers, events, orders, report
                )
    return {"orders": orders.sha256, "events": events.sha256}


def _write_sessions(
    sessions: list[SessionPlan],
    plan: CatalogPlan,
    picker: ProductPicker,
    counts: dict[str, int],
    seed: int,
    numbers: Iterator[int],
    events: _JsonlSink,
    orders: _JsonlSink,
    report: Progress,
) -> None:
    builder = SessionBuilder(plan, picker, id_width(plan.count), id_width(counts["events"]), seed)
    session_width = id_width(len(sessions))
    order_width = id_width(counts["orders"])
    for number, session in enumerate(sessions, start=1):
        order_id = f"o{next(numbers):0{order_width}d}" if session.purchase else None
        built, order = builder.build(session, f"s{number:0{session_width}d}", order_id)
        for event in built:
            events.add(event)
        if order is not None:
            orders.add(order)
        if number % _SESSION_REPORT == 0 or number == len(sessions):
            report("events", events.records, counts["events"])
            report("orders", orders.records, counts["orders"])


def _ground_truth(
    seed: int, plan: CatalogPlan, customers: list[Persona], writer: ReviewWriter
) -> dict[str, Any]:
    width = id_width(plan.count)
    tally = writer.tally
    return {
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "time": {
            "catalog_start": iso(CATALOG_START),
            "events_start": iso(EVENTS_START),
            "events_end": iso(EVENTS_END),
            "now": iso(NOW),
        },
        "categories": {c.key: {"en": list(c.path_en), "zh": list(c.path_zh)} for c in CATEGORIES},
        "price_bands": price_band_edges(),
        "customers": {p.id: preference_truth(p) for p in customers if p.id is not None},
        "review_follow_rate": FOLLOW_RATE,
        "product_aspects": {
            f"p{i + 1:0{width}d}": aspect_truth(plan, i) for i in sorted(tally.reviewed)
        },
        "review_needs": {
            language: dict(sorted(counter.items())) for language, counter in tally.wishes.items()
        },
        "policies": policy_facts(),
    }
