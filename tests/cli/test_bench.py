"""`shopmind bench ingest` follows the benchmark contract (tiny sizes; figures are not judged here)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from shopmind.cli.main import app


@pytest.mark.slow
@pytest.mark.integration
def test_bench_ingest_prints_the_contract_json_last() -> None:
    result = CliRunner().invoke(
        app, ["bench", "ingest", "--products", "200", "--events", "500", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["capability"] == "ingest"
    assert set(out) >= {"dataset", "results", "seconds", "machine"}
    figures = out["results"]["sqlite"]
    assert figures["products"] == 200 and figures["events"] == 500 and figures["api_events"] == 500
    assert all(
        figures[k] > 0
        for k in ("products_per_s", "events_per_s", "api_events_per_s", "peak_rss_mb")
    )
    assert out["machine"]["cores"] >= 1
