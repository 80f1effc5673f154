"""`shopmind bench recs-speed` at a tiny size: the contract's JSON with every figure."""

from __future__ import annotations

import json
from collections.abc import Callable

from typer.testing import CliRunner

from shopmind.cli.main import app

EMBEDDER = "hash-bench-test"


def test_recs_speed_reports_latency_training_and_event_to_effect(
    hash_embedder: Callable[[str], None],
) -> None:
    hash_embedder(EMBEDDER)
    args = ["bench", "recs-speed", "--products", "300", "--users", "40", "--requests", "40"]
    args += ["--effects", "5", "--embedder", EMBEDDER, "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["capability"] == "recs-speed"
    assert report["dataset"]["products"] == 300 and report["dataset"]["events"] == 800
    figures = report["results"]["itemknn"]
    for name in ("train_s", "fit_s", "embed_s", "p50_ms", "p99_ms", "event_to_effect_ms"):
        assert figures[name] >= 0, name
    assert figures["p50_ms"] <= figures["p99_ms"]
    assert 0 < figures["effect_share"] <= figures["changed_share"] <= 1  # a fresh view counts
    assert set(report["seconds"]) >= {"ingest", "train", "requests", "effects"}
    assert report["machine"]["cores"] >= 1


def test_recs_speed_refuses_tiny_sizes() -> None:
    result = CliRunner().invoke(app, ["bench", "recs-speed", "--products", "5"])
    assert result.exit_code != 0 and "100 products" in result.output
