"""`shopmind bench recs-speed` at a tiny size: the contract's JSON with every figure."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

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


def test_a_kept_shop_is_served_again_without_a_rebuild(
    hash_embedder: Callable[[str], None], tmp_path: Path
) -> None:
    hash_embedder(EMBEDDER)
    args = ["bench", "recs-speed", "--products", "300", "--users", "40", "--requests", "20"]
    args += ["--effects", "3", "--embedder", EMBEDDER, "--workdir", str(tmp_path), "--keep"]
    built = CliRunner().invoke(app, [*args, "--json"])
    assert built.exit_code == 0, built.output
    kept = tmp_path / "recs-300x40"
    assert (kept / "shop.db").is_file()
    trained = json.loads(built.stdout.strip().splitlines()[-1])["results"]["itemknn"]
    for _ in range(2):  # the second run must write fresh event ids, or nothing would change
        again = CliRunner().invoke(
            app,
            [
                "bench",
                "recs-speed",
                "--serve-only",
                str(kept),
                "--requests",
                "20",
                "--effects",
                "3",
                "--json",
            ],
        )
        assert again.exit_code == 0, again.output
        report = json.loads(again.stdout.strip().splitlines()[-1])
        figures = report["results"]["itemknn"]
        assert report["dataset"]["served_again"] == str(kept)
        assert figures["train_s"] == trained["train_s"]  # read back, not retrained
        assert figures["p50_ms"] <= figures["p99_ms"]
        assert figures["changed_share"] > 0
        assert "train" not in report["seconds"]


def test_serve_only_needs_a_kept_shop(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "recs-speed", "--serve-only", str(tmp_path)])
    assert result.exit_code != 0 and "--keep" in result.output
