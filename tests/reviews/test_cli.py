"""``shopmind reviews analyse`` and ``shopmind reviews insights``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
from typer.testing import CliRunner

from shopmind.cli.main import app
from shopmind.core.schemas import Product, Review
from shopmind.store import open_store


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url)
    store.upsert("products", [Product(id="p1", title="Kettle", category_path=["Home"])])
    texts = ["Delivery was super fast.", "Arrived two days early.", "质量太差了"]
    store.upsert(
        "reviews",
        [
            Review(
                id=f"r{i}",
                product_id="p1",
                rating=3,
                text=t,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for i, t in enumerate(texts)
        ],
    )
    store.close()
    return url


def test_analyse_then_category_insights_json(tmp_path: Path) -> None:
    url = _store(tmp_path)
    runner = CliRunner()
    done = runner.invoke(app, ["--store", url, "reviews", "analyse"])
    assert done.exit_code == 0, done.output
    result = runner.invoke(
        app, ["--store", url, "reviews", "insights", "--category", "Home", "--no-themes", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = orjson.loads(result.stdout.strip().splitlines()[-1])
    assert body["reviews"] == 3
    assert body["pros"][0]["aspect"] == "logistics" and body["pros"][0]["count"] == 2


def test_product_insights_table_and_chart(tmp_path: Path) -> None:
    url = _store(tmp_path)
    chart = tmp_path / "chart.png"
    result = CliRunner().invoke(
        app,
        [
            "--store",
            url,
            "reviews",
            "insights",
            "--product-id",
            "p1",
            "--no-themes",
            "--chart",
            str(chart),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Delivery" in result.output
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_errors_are_clear(tmp_path: Path) -> None:
    url = _store(tmp_path)
    runner = CliRunner()
    for args, message in (
        ([], "exactly one of"),
        (["--product-id", "p1", "--category", "Home"], "exactly one of"),
        (["--product-id", "nope"], "product 'nope' not found"),
        (["--product-id", "p1", "--lang", "fr"], "--lang must be"),
        (["--product-id", "p1", "--chart", "x.gif"], "--chart must end"),
    ):
        result = runner.invoke(app, ["--store", url, "reviews", "insights", "--no-themes", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, result.output
