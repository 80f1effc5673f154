"""`bench search-speed` and `bench search-zh` follow the benchmark contract at tiny sizes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shopmind.cli.main import app

pytestmark = pytest.mark.slow


def last_json(output: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return out


def test_search_speed_reports_build_rate_latency_and_memory(tmp_path: Path) -> None:
    args = ["bench", "search-speed", "--sizes", "400", "--queries", "30", "--json"]
    result = CliRunner().invoke(app, [*args, "--workdir", str(tmp_path), "--keep"])
    assert result.exit_code == 0, result.output
    out = last_json(result.stdout)
    assert out["capability"] == "search-speed"
    figures = out["results"]["400"]
    assert figures["products"] == 400
    assert 0 < figures["distinct_texts"] <= 400
    assert figures["docs_per_s"] > 0 and figures["build_peak_rss_mb"] > 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert figures["filtered_share"] == 0.5
    kept = json.loads((tmp_path / "400" / "build.json").read_text())
    assert kept["docs_per_s"] == figures["docs_per_s"]  # build figures survive a later failure
    again = CliRunner().invoke(
        app, ["bench", "search-speed", "--serve-only", str(tmp_path / "400"), "--queries", "30",
              "--json"],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert last_json(again.stdout)["results"]["400"]["p99_ms"] > 0


def test_search_speed_refuses_bad_sizes() -> None:
    result = CliRunner().invoke(app, ["bench", "search-speed", "--sizes", "10,abc"])
    assert result.exit_code != 0
    assert "sizes" in result.output


def test_search_zh_scores_every_mode_and_exports_the_set(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["bench", "search-zh", "--products", "600", "--export", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = last_json(result.stdout)
    assert set(out["results"]) == {"bm25", "vector", "hybrid", "served"}
    served = out["results"]["served"]
    assert served["queries"] >= 50
    assert served["ndcg@10"] > 0.5  # a broken ranking of this planted set scores far lower
    assert (tmp_path / "qrels.tsv").read_text().startswith("query_id\tdoc_id\tgain\n")
    exported = CliRunner().invoke(
        app, ["bench", "search", "--corpus", str(tmp_path / "corpus.jsonl"),
              "--queries", str(tmp_path / "queries.tsv"), "--qrels", str(tmp_path / "qrels.tsv"),
              "--mode", "bm25", "--json"],
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    assert last_json(exported.stdout)["results"]["bm25"]["ndcg@10"] > 0
