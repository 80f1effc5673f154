"""One small demo shop per test session, shared read-only by the demo tests."""

from __future__ import annotations

import pytest

from demo.shop import ENTITIES, SMALL, Shop, read_jsonl
from shopmind.demo import generate, load_ground_truth


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    folder = tmp_path_factory.mktemp("demo") / "shop"
    seen: list[tuple[str, int, int]] = []
    manifest = generate(
        folder,
        seed=7,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
        **SMALL,
    )
    records = {name: read_jsonl(folder / f"{name}.jsonl") for name in ENTITIES}
    return Shop(folder, manifest, records, load_ground_truth(folder), seen)
