"""Content similarity: product embeddings in a vector index, for products with few or no events.

Vectors come from the shop's embedder through the store-backed cache, so retraining re-embeds
only products whose text changed, and a product added after training is embedded on first use.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shopmind.models.embed import CachedEmbedder, Embedder
from shopmind.recommend.base import FloatArray
from shopmind.recommend.catalog import ItemCatalog, ItemFacts
from shopmind.store import Store
from shopmind.store.vector_index import ExactIndex, HnswIndex, VectorIndex

EXACT_BELOW = 20_000  # products; below this a matrix product is exact and as fast as HNSW
VECTORS_FILE = "content.npz"
ANN_FILE = "content.usearch"


def product_text(facts: ItemFacts) -> str:
    """What is embedded: short, so it says what the product is."""
    category = " ".join(facts.category.split(" > ")[-2:])
    return ". ".join(x for x in (facts.title, facts.brand, category) if x)


def embed_items(embedder: Embedder, store: Store | None, items: list[ItemFacts]) -> FloatArray:
    if not items:
        return np.zeros((0, embedder.dim), np.float32)
    if store is not None and not isinstance(embedder, CachedEmbedder):
        embedder = CachedEmbedder(embedder, store)
    vectors = embedder.embed_passages([product_text(f) for f in items])
    return _normalised(np.asarray(vectors, np.float32))


def _normalised(vectors: FloatArray) -> FloatArray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.where(norms > 0, norms, 1.0), dtype=np.float32)


class ContentIndex:
    """Unit vectors by catalog position, searchable by cosine similarity."""

    def __init__(self, vectors: FloatArray, embedder_name: str, ann: VectorIndex | None = None):
        self.vectors = vectors
        self.embedder_name = embedder_name
        self.ann = ann if ann is not None else _new_ann(vectors)

    @classmethod
    def build(
        cls, catalog: ItemCatalog, embedder: Embedder, store: Store | None = None
    ) -> ContentIndex:
        return cls(embed_items(embedder, store, catalog.items), embedder.name)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def add(self, position: int, vector: FloatArray) -> None:
        """Put a product (appended to the catalog at ``position``) into the index."""
        vector = _normalised(vector.reshape(1, -1))
        if position == len(self.vectors):
            self.vectors = np.concatenate([self.vectors, vector])
        else:
            self.vectors[position] = vector[0]
        self.ann.add(np.asarray([position], np.int64), vector)

    def neighbours(self, position: int, k: int) -> list[tuple[int, float]]:
        """The ``k`` most similar products to the one at ``position`` (itself left out)."""
        if position >= len(self.vectors) or k < 1:
            return []
        return self.nearest(self.vectors[position], k + 1, skip={position})[:k]

    def nearest(
        self, vector: FloatArray, k: int, skip: set[int] | None = None
    ) -> list[tuple[int, float]]:
        keys, scores = self.ann.search(vector, k)
        skip = skip or set()
        return [(int(p), float(s)) for p, s in zip(keys, scores, strict=True) if int(p) not in skip]

    def similarity(self, position: int) -> FloatArray:
        """Cosine similarity of one product to every product (for diversity)."""
        return np.asarray(self.vectors @ self.vectors[position], dtype=np.float32)

    def save(self, folder: Path, n_model: int) -> None:
        vectors = self.vectors[:n_model]
        np.savez(folder / VECTORS_FILE, vectors=vectors, allow_pickle=False)
        (folder / "content.json").write_text(self.embedder_name)
        if isinstance(self.ann, HnswIndex):
            self.ann.save(folder / ANN_FILE)

    @classmethod
    def load(cls, folder: Path) -> ContentIndex:
        with np.load(folder / VECTORS_FILE, allow_pickle=False) as npz:
            vectors = npz["vectors"].astype(np.float32)
        name = (folder / "content.json").read_text().strip()
        ann: VectorIndex | None = None
        if (folder / ANN_FILE).is_file():
            ann = HnswIndex.load(folder / ANN_FILE)
        return cls(vectors, name, ann)


def _new_ann(vectors: FloatArray) -> VectorIndex:
    dim = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[1] else 1
    ann: VectorIndex = ExactIndex(dim) if len(vectors) < EXACT_BELOW else HnswIndex(dim)
    if len(vectors):
        ann.add(np.arange(len(vectors), dtype=np.int64), vectors)
    return ann
