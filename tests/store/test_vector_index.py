from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shopmind.store.vector_index import ExactIndex, HnswIndex, VectorIndex


def _unit(rng: np.random.Generator, n: int, dim: int = 32) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=["exact", "hnsw"])
def index(request: pytest.FixtureRequest) -> VectorIndex:
    return ExactIndex(32) if request.param == "exact" else HnswIndex(32)


def test_contract_search_add_replace_remove(index: VectorIndex, tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    vecs = _unit(rng, 500)
    keys = np.arange(1000, 1500, dtype=np.int64)
    index.add(keys, vecs)
    assert isinstance(index, VectorIndex) and len(index) == 500
    found, scores = index.search(vecs[7], 5)
    assert found[0] == 1007 and scores[0] == pytest.approx(1.0, abs=1e-2)
    assert list(scores) == sorted(scores, reverse=True)
    # Replacing a key moves it; removing it makes it unfindable.
    index.add(np.array([1007]), -vecs[7:8])
    assert len(index) == 500
    assert index.search(vecs[7], 5)[0][0] != 1007
    index.remove(np.array([1008, 99999]))
    assert 1008 not in set(index.search(vecs[8], 10)[0])
    path = tmp_path / "idx"
    index.save(path)
    loaded = ExactIndex.load(path) if isinstance(index, ExactIndex) else HnswIndex.load(path)
    assert list(loaded.search(vecs[3], 3)[0]) == list(index.search(vecs[3], 3)[0])


def test_bad_input(index: VectorIndex) -> None:
    with pytest.raises(ValueError, match="dimensions"):
        index.add(np.array([1]), np.zeros((1, 16), np.float32))
    with pytest.raises(ValueError, match="unique"):
        index.add(np.array([1, 1]), np.zeros((2, 32), np.float32))
    with pytest.raises(ValueError, match="k must be"):
        index.search(np.zeros(32, np.float32), 0)
    assert len(index.search(np.ones(32, np.float32), 3)[0]) == 0


def test_hnsw_then_onnxruntime_in_one_process() -> None:
    # usearch loaded before onnxruntime used to kill the process (SIGSEGV); run it in a child
    # so a regression fails this test instead of the whole test session.
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from shopmind.store.vector_index import HnswIndex\n"
        "h = HnswIndex(4); h.add(np.arange(2), np.ones((2, 4), np.float32))\n"
        "import onnxruntime\n"
        "print(len(h))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
