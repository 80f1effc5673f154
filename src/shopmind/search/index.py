"""The search index: BM25 segments, product vectors, an ANN index and catalog columns.

``build_index(store)`` reads every product once. Vectors come through `CachedEmbedder`, so a
rebuild re-embeds only products whose text changed. ``save_index`` writes a folder atomically
(a temp folder renamed into place) holding npz files (no pickle), the ANN file and JSON meta;
``load_index`` reads it back. `refresh.refresh` keeps a loaded index up to date between builds.

One text per product is indexed: title, brand, category names, string attribute values and the
start of the description. Boosting the title by repeating it measured worse, so we do not.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.core.errors import ConfigError, InputError
from shopmind.core.schemas import Event, Product
from shopmind.core.settings import get_settings
from shopmind.models.embed import CachedEmbedder, Embedder, get_embedder
from shopmind.search.analyzer import Analyzer
from shopmind.search.bm25 import Bm25, Segment
from shopmind.search.catalog import Catalog, Codes, ProductStats, build_catalog, string_attributes
from shopmind.search.retrieval import Retriever
from shopmind.search.shop_synonyms import shop_synonyms
from shopmind.search.suggest import Suggester, popular_queries
from shopmind.search.synonyms import SynonymTable, load_synonym_file
from shopmind.search.vocabulary import QueryVocabulary
from shopmind.store import Store
from shopmind.store.queries import (
    dirty_products,
    mark_clean,
    product_event_counts,
    review_rating_totals,
)
from shopmind.store.vector_index import ExactIndex, HnswIndex, VectorIndex

FORMAT = "shopmind.search-index"
VERSION = 3  # 2: catalog language column; 3: click-through column
EXACT_BELOW = 20_000  # products; below this a matrix product is as fast as HNSW, and exact
DESCRIPTION_CHARS = 300
Progress = Callable[[str, int, int], None]  # stage, done, total

F16 = npt.NDArray[np.float16]
F32 = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


def default_path() -> Path:
    """``<SHOPMIND_HOME>/index/search``."""
    return get_settings().home / "index" / "search"


def search_text(p: Product) -> str:
    """The one text BM25 indexes for a product."""
    parts = [p.title, p.brand or "", *p.category_path, *string_attributes(p).values()]
    parts.append(p.description[:DESCRIPTION_CHARS])
    return " ".join(x for x in parts if x)


def embed_text(p: Product) -> str:
    """The text embedded for a product: short, so it says what the product is."""
    category = " ".join(p.category_path[-2:])
    return ". ".join(x for x in (p.title, p.brand or "", category) if x)


@dataclass
class SearchIndex:
    """Everything a query needs, aligned by position. ``lock`` guards refresh against search."""

    bm25: Bm25
    vectors: F16
    ann: VectorIndex
    live: BoolArray
    catalog: Catalog
    codes: Codes
    vocab: QueryVocabulary
    suggester: Suggester
    embedder_name: str
    build_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _positions: dict[str, int] | None = field(default=None, repr=False)
    _vectors32: F32 | None = field(default=None, repr=False)
    _embedder: Embedder | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        """Live products."""
        return int(self.live.sum())

    @property
    def retriever(self) -> Retriever:
        # Served from a float32 copy: the retriever's exact path would otherwise convert the
        # float16 rows on every query (14 ms per 10k products); float16 stays the file format.
        if self._vectors32 is None:
            self._vectors32 = self.vectors.astype(np.float32)
        return Retriever(self.bm25, self._vectors32, self.ann, self.live)  # type: ignore[arg-type]

    @property
    def positions(self) -> dict[str, int]:
        """Product id -> its live position."""
        if self._positions is None:
            live = np.flatnonzero(self.live)
            self._positions = {str(self.catalog.ids[i]): int(i) for i in live}
        return self._positions

    def changed(self) -> None:
        """Drop what is derived from positions and vectors (call after changing them)."""
        self._positions = None
        self._vectors32 = None

    @property
    def embedder(self) -> Embedder:
        """The query embedder (loaded on first use; it must be the one that built the index)."""
        if self._embedder is None:
            self._embedder = get_embedder(self.embedder_name)
        return self._embedder

    def use_embedder(self, embedder: Embedder) -> None:
        if embedder.name != self.embedder_name:
            raise ConfigError(
                f"the index was built with embedder {self.embedder_name!r}, not {embedder.name!r};"
                " rebuild it with `shopmind search index`"
            )
        self._embedder = embedder

    def warm_up(self) -> None:
        """Load the embedder, the vocabulary's lazy parts and the float32 vectors (4 s at 1M
        products) before the first request rather than during it."""
        self.vocab.warm_up()
        self.embedder.embed_queries(["warm up"])
        _ = self.retriever


# --- build -----------------------------------------------------------------------------------


def build_index(
    store: Store,
    *,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    mark_clean: bool = True,
    brand_aliases: Mapping[str, list[str]] | None = None,
) -> SearchIndex:
    """A fresh, compacted index of every product in ``store``.

    ``mark_clean=False`` leaves the dirty flags alone: for an index that will not be served
    (training), whose build must not hide changes from the serving index's refresher.
    ``brand_aliases`` defaults to the file named by the ``search_brand_aliases`` setting.
    """
    embedder = embedder or get_embedder()
    seen = [(pid, digest) for pid, digest, _ in dirty_rows(store, with_data=False)]
    products = [p for p in store.iter_models("products") if isinstance(p, Product)]
    codes = Codes()
    stats = product_stats(store)
    catalog = build_catalog(products, codes, stats)
    bm25 = Bm25()
    bm25.add_segment(analyse(products))
    if progress:
        progress("embed", 0, len(products))
    vectors = embed_products(embedder, store, products, progress)
    ann = new_ann(embedder.dim, len(products))
    if len(products):
        ann.add(np.arange(len(products), dtype=np.int64), vectors)
    index = SearchIndex(
        bm25=bm25,
        vectors=vectors.astype(np.float16),
        ann=ann,
        live=np.ones(len(products), bool),
        catalog=catalog,
        codes=codes,
        vocab=QueryVocabulary.build(
            products,
            synonyms=_synonyms(store, products),
            brand_aliases=_brand_aliases() if brand_aliases is None else brand_aliases,
        ),
        suggester=Suggester.build(products, popular_queries(store)),
        embedder_name=embedder.name,
    )
    index._embedder = embedder
    if mark_clean:
        clear_dirty(store, seen)  # what changed since the snapshot stays dirty for `refresh`
    return index


def _brand_aliases() -> dict[str, list[str]]:
    path = get_settings().search_brand_aliases
    if path is None:
        return {}
    try:
        return load_synonym_file(path)  # the same shape: name -> list of names
    except (FileNotFoundError, ValueError) as exc:
        raise ConfigError(f"SHOPMIND_SEARCH_BRAND_ALIASES: {exc}") from None


def _synonyms(store: Store, products: Sequence[Product]) -> SynonymTable:
    settings = get_settings()
    events = None
    if settings.search_mine_synonyms:
        events = (e for e in store.iter_models("events") if isinstance(e, Event))
    table, _ = shop_synonyms(products, events, path=settings.search_synonyms)
    return table


def dirty_rows(store: Store, *, with_data: bool = True) -> list[tuple[str, str, Any]]:
    """(id, content hash, data or None) of every product marked dirty."""
    return [(d.id, d.content_hash, d.data) for d in dirty_products(store, with_data=with_data)]


def clear_dirty(store: Store, seen: Sequence[tuple[str, str]]) -> None:
    """Clear the flag of rows whose content is still what was indexed, in one transaction."""
    mark_clean(store, seen)


def analyse(products: Sequence[Product]) -> list[list[str]]:
    analyzer = Analyzer()
    return [analyzer.tokens(search_text(p)) for p in products]


def embed_products(
    embedder: Embedder,
    store: Store,
    products: Sequence[Product],
    progress: Progress | None = None,
) -> F32:
    if not products:
        return np.zeros((0, embedder.dim), np.float32)
    cached = CachedEmbedder(embedder, store)
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress("embed", done[0], len(products))

    return cached.embed_passages([embed_text(p) for p in products], progress=tick)


def new_ann(dim: int, n: int) -> VectorIndex:
    return ExactIndex(dim) if n < EXACT_BELOW else HnswIndex(dim)


def product_stats(store: Store) -> ProductStats:
    """Review ratings and view, purchase, list-impression and click counts per product."""
    ratings = review_rating_totals(store)
    rating_sum = {pid: r.total for pid, r in ratings.items()}
    rating_count = Counter({pid: r.count for pid, r in ratings.items()})
    names = ("view_item", "purchase", "view_item_list", "select_item")
    events = product_event_counts(store, names)
    return ProductStats(
        rating_sum,
        rating_count,
        views=events["view_item"],
        purchases=events["purchase"],
        impressions=events["view_item_list"],
        clicks=events["select_item"],
    )


# --- persistence -----------------------------------------------------------------------------


def save_index(index: SearchIndex, path: Path | None = None) -> Path:
    """Write ``index`` to ``path`` (default `default_path`) atomically; returns the path."""
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.mkdir()
    try:
        with index.lock:
            _write(index, tmp)
        old = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.old")
        if path.exists():
            os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def _write(index: SearchIndex, folder: Path) -> None:
    for i, segment in enumerate(index.bm25.segments):
        segment.save(folder / f"bm25-{i}.npz")
    np.savez(folder / "vectors.npz", vectors=index.vectors, live=index.live)
    arrays: dict[str, Any] = index.catalog.arrays()
    np.savez(folder / "catalog.npz", **arrays)
    exact = isinstance(index.ann, ExactIndex)
    index.ann.save(folder / ("ann.npz" if exact else "ann.usearch"))
    index.vocab.save(folder / "vocabulary.json")
    (folder / "suggest.json").write_text(json.dumps(index.suggester.to_dict(), ensure_ascii=False))
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "build_id": index.build_id,
        "products": index.size,
        "positions": len(index.live),
        "segments": len(index.bm25.segments),
        "embedder": index.embedder_name,
        "ann": "exact" if exact else "hnsw",
        "codes": index.codes.to_dict(),
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))


def load_index(path: Path | None = None) -> SearchIndex:
    """Read an index written by `save_index`; a clear error when there is none."""
    path = Path(path or default_path())
    meta_file = path / "meta.json"
    if not meta_file.is_file():
        raise InputError(f"no search index at {path}; build one with `shopmind search index`")
    meta = json.loads(meta_file.read_text())
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise InputError(f"{path} holds an index of another format; rebuild it")
    bm25 = Bm25()
    bm25.segments = [Segment.load(path / f"bm25-{i}.npz") for i in range(meta["segments"])]
    with np.load(path / "vectors.npz", allow_pickle=False) as z:
        vectors, live = z["vectors"], z["live"]
    with np.load(path / "catalog.npz", allow_pickle=False) as z:
        catalog = Catalog.from_arrays({k: z[k] for k in z.files})
    ann: VectorIndex
    if meta["ann"] == "exact":
        ann = ExactIndex.load(path / "ann.npz")
    else:
        ann = HnswIndex.load(path / "ann.usearch")
    suggest = json.loads((path / "suggest.json").read_text())
    return SearchIndex(
        bm25=bm25,
        vectors=vectors,
        ann=ann,
        live=live,
        catalog=catalog,
        codes=Codes.from_dict(meta["codes"]),
        vocab=QueryVocabulary.load(path / "vocabulary.json"),
        suggester=Suggester.from_dict(suggest),
        embedder_name=meta["embedder"],
        build_id=meta["build_id"],
    )
