"""`shopmind search`: index, query (with filters, errors and logging), suggest, analytics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shopmind.cli.main import app
from shopmind.demo import generate
from shopmind.ingest import ingest
from shopmind.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("cli-search")
    generate(out, seed=8, products=250, customers=30, events=500, orders=0, reviews=50)
    url = f"sqlite:///{out / 'store.db'}"
    store = open_store(url)
    for kind in ("products", "events", "reviews"):
        ingest(store, kind, out / f"{kind}.jsonl")
    store.close()
    return url, out / "index"


def cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["--store", url, "search", *args])


def last_json(output: str) -> Any:
    return json.loads(output.strip().splitlines()[-1])


def test_query_before_any_index_says_how_to_build_one(
    shop: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = shop
    result = cli(url, "耳机", "--index", str(tmp_path / "none"))
    assert result.exit_code != 0
    assert "shopmind search index" in result.output


def test_index_query_suggest_and_analytics(shop: tuple[str, Path]) -> None:
    url, index = shop
    built = cli(url, "index", "--index", str(index), "--json")
    assert built.exit_code == 0, built.output
    assert last_json(built.output)["products"] == 250
    found = cli(url, "蓝牙耳机", "--index", str(index), "--lang", "zh", "--json")
    assert found.exit_code == 0, found.output
    response = last_json(found.output)
    assert response["items"] and response["parsed"]["language"] == "zh"
    cheap = cli(url, "headphones", "-f", "price_max=40", "-f", "currency=USD", "--index",
                str(index), "--json")  # fmt: skip
    assert cheap.exit_code == 0, cheap.output
    assert all(i["price"] <= 40 for i in last_json(cheap.output)["items"])
    table = cli(url, "query", "headphones", "--index", str(index))
    assert table.exit_code == 0 and "results" in table.output
    suggested = cli(url, "suggest", "蓝牙", "--index", str(index), "--json")
    assert suggested.exit_code == 0, suggested.output
    assert all(s.startswith("蓝牙") for s in last_json(suggested.output)["suggestions"])
    report = cli(url, "analytics", "--days", "3650", "--limit", "500")
    assert report.exit_code == 0, report.output
    assert "蓝牙耳机" in report.output  # the CLI's own searches are logged as search events


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["shoes", "-f", "brand"], "name=value"),
        (["shoes", "-f", "price_max=cheap"], "price_max"),
        (["shoes", "--sort", "cheapest"], "sort"),
        (["x" * 10_000], "q"),
    ],
)
def test_bad_input_is_a_clear_error(shop: tuple[str, Path], args: list[str], message: str) -> None:
    url, index = shop
    result = cli(url, *args, "--index", str(index))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "xxxxxxxxxx" not in result.output
