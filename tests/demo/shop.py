"""The small demo shop the tests share, and helpers to read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from shopmind.demo import DemoManifest

SMALL = {"products": 300, "customers": 60, "events": 3000, "orders": 200, "reviews": 600}
ENTITIES = ("products", "customers", "events", "orders", "reviews")


@dataclass(frozen=True)
class Shop:
    folder: Path
    manifest: DemoManifest
    records: dict[str, list[dict[str, Any]]]
    truth: dict[str, Any]
    progress: list[tuple[str, int, int]]

    def by_id(self, entity: str) -> dict[str, dict[str, Any]]:
        return {record["id"]: record for record in self.records[entity]}

    def category_of(self, product: dict[str, Any]) -> str:
        """The category key whose path (in either language) starts the product's path."""
        path = product["category_path"]
        for key, paths in self.truth["categories"].items():
            for prefix in paths.values():
                if path[: len(prefix)] == prefix:
                    return key
        raise AssertionError(f"no category for {path}")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]
