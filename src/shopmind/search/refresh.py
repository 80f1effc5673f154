"""Incremental refresh: changed products become a new BM25 segment, deleted ones are masked.

``refresh(index, store)`` reads products marked dirty, indexes them at new positions (their old
positions are masked in ``live``), masks products deleted from the store, and only then clears
the dirty flags, for the rows whose content is still what was indexed (a product edited again
meanwhile stays dirty for the next round). A full `build_index` compacts the dead positions.

`IndexRefresher` runs `refresh` every ``interval`` seconds in a daemon thread, so an upsert
shows in a running server's search within about a second.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np

from shopmind.core.schemas import Product
from shopmind.search.catalog import ProductStats, build_catalog
from shopmind.search.index import SearchIndex, analyse, clear_dirty, dirty_rows, embed_products
from shopmind.store import Store
from shopmind.store.queries import product_count, product_ids

log = logging.getLogger(__name__)


def refresh(index: SearchIndex, store: Store) -> int:
    """Bring ``index`` up to date with ``store``; returns how many products changed."""
    dirty = dirty_rows(store)
    products = [Product.model_validate(data) for _, _, data in dirty]
    changed = len(products)
    if products:
        _append(index, store, products)
    changed += _drop_deleted(index, store)
    if dirty:
        clear_dirty(store, [(pid, digest) for pid, digest, _ in dirty])
    return changed


def _append(index: SearchIndex, store: Store, products: list[Product]) -> None:
    # The slow parts (tokens, vectors) run before the lock, so searches wait only for the swap.
    docs = analyse(products)
    vectors = embed_products(index.embedder, store, products)
    with index.lock:
        old = [index.positions[p.id] for p in products if p.id in index.positions]
        catalog = build_catalog(products, index.codes, ProductStats())
        if old:  # keep the ratings and popularity the last build computed
            catalog.rating[: len(products)] = _carry(index, products, "rating", np.nan)
            catalog.rating_count[:] = _carry(index, products, "rating_count", 0)
            catalog.popularity[:] = _carry(index, products, "popularity", 0)
        start = len(index.live)
        index.bm25.add_segment(docs)
        keys = np.arange(start, start + len(products), dtype=np.int64)
        index.ann.remove(np.asarray(old, np.int64))
        index.ann.add(keys, vectors)
        index.vectors = np.concatenate([index.vectors, vectors.astype(np.float16)])
        live = np.concatenate([index.live, np.ones(len(products), bool)])
        live[old] = False
        index.catalog = index.catalog.extend(catalog)
        index.live = live
        index.changed()


def _carry(index: SearchIndex, products: list[Product], column: str, default: float) -> Any:
    values = getattr(index.catalog, column)
    return np.array(
        [values[index.positions[p.id]] if p.id in index.positions else default for p in products],
        values.dtype,
    )


def _drop_deleted(index: SearchIndex, store: Store) -> int:
    """Mask positions of products no longer in the store (checked only when counts differ)."""
    if product_count(store) == index.size:
        return 0
    present = product_ids(store)
    with index.lock:
        gone = [pos for pid, pos in index.positions.items() if pid not in present]
        if gone:
            index.live[gone] = False
            index.ann.remove(np.asarray(gone, np.int64))
            index.changed()
    return len(gone)


class IndexRefresher:
    """Calls `refresh` every ``interval`` seconds in a daemon thread until `stop`."""

    def __init__(self, index: SearchIndex, store: Store, *, interval: float = 0.3) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be > 0 seconds, got {interval}")
        self.index = index
        self.store = store
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="search-refresh", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                refresh(self.index, self.store)
            except Exception:  # a bad row or a locked database must not end the thread
                log.exception("search index refresh failed; retrying")
