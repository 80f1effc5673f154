"""`shopmind recommend`: train, every surface, experiments, and clear errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shopmind.cli.main import app
from shopmind.cli.recommend import parse_arms
from shopmind.core.errors import InputError
from shopmind.core.schemas import Event, Order, Product
from shopmind.store import open_store

EMBEDDER = "hash-cli-test"


@pytest.fixture
def url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hash_embedder: Callable[[str], None]
) -> str:
    """A store where phones are viewed, then bought, with their cases."""
    hash_embedder(EMBEDDER)
    monkeypatch.setenv("SHOPMIND_EMBEDDER", EMBEDDER)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    now = datetime.now(UTC)
    store.upsert(
        "products",
        [
            Product(id=pid, title=title, category_path=[cat], stock=3)
            for pid, title, cat in (
                ("ph1", "Nova Phone", "Phones"),
                ("case1", "Nova Phone Case", "Phones"),
                ("b1", "Novel Book", "Books"),
                ("b2", "Another Novel Book", "Books"),
            )
        ],
    )
    events = []
    for n in range(4):
        for k, pid in enumerate(("ph1", "case1")):
            ts = now - timedelta(minutes=10 - k)
            events.append(
                Event(
                    id=f"e{n}{k}",
                    name="view_item",
                    customer_id=f"u{n}",
                    product_ids=[pid],
                    timestamp=ts,
                )
            )
    store.add_events(events)
    lines = [{"product_id": p, "quantity": 1, "unit_price": "1"} for p in ("ph1", "case1")]
    orders = [
        Order.model_validate(
            {"id": f"o{n}", "lines": lines, "currency": "USD", "status": "paid", "placed_at": now}
        )
        for n in range(2)
    ]
    store.upsert("orders", orders)
    store.close()
    return url


def cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["--store", url, "recommend", *args])


def last_json(output: str) -> Any:
    return json.loads(output.strip().splitlines()[-1])


def test_surfaces_before_training_say_how_to_train(url: str) -> None:
    result = cli(url, "similar", "ph1")
    assert result.exit_code == 2
    assert "shopmind recommend train" in result.output


def test_train_then_every_surface(url: str) -> None:
    trained = cli(url, "train", "--holdout", "0")
    assert trained.exit_code == 0, trained.output
    report = last_json(trained.output)
    assert report["version"] == "v1" and report["promoted"] and report["products"] == 4
    similar = cli(url, "similar", "ph1", "--json")
    assert similar.exit_code == 0, similar.output
    assert last_json(similar.output)["items"][0]["id"] == "case1"
    together = last_json(cli(url, "bought-together", "ph1", "--json").output)
    assert together["items"][0]["reason"] == "bought together with Nova Phone (2 orders)"
    cart = last_json(cli(url, "cart", "ph1", "--limit", "1", "--json").output)
    assert [i["id"] for i in cart["items"]] == ["case1"]
    home = last_json(cli(url, "home", "u0", "--json").output)
    assert not home["cold_start"] and home["items"]
    cold = last_json(cli(url, "home", "newcomer", "--json").output)
    assert cold["cold_start"]
    viewed = last_json(cli(url, "because-viewed", "u0", "--json").output)
    assert viewed["anchor"] == "case1"
    table = cli(url, "similar", "ph1")
    assert table.exit_code == 0 and "viewed together with Nova Phone" in table.output


def test_unknown_product_and_bad_limit_fail_clearly(url: str) -> None:
    assert cli(url, "train", "--holdout", "0").exit_code == 0
    missing = cli(url, "similar", "nope")
    assert missing.exit_code == 2 and "product 'nope' not found" in missing.output
    assert cli(url, "similar", "ph1", "--limit", "0").exit_code == 2  # typer's own check
    bad_model = cli(url, "train", "--model", "magic")
    assert bad_model.exit_code == 2 and "choose one of" in bad_model.output


def test_experiment_commands(url: str) -> None:
    assert cli(url, "train", "--holdout", "0").exit_code == 0
    created = cli(
        url,
        "experiment",
        "create",
        "feed",
        "--arm",
        "control",
        "--arm",
        'trend={"source": "trending"}',
        "--weight",
        "trend=0.5",
    )
    assert created.exit_code == 0, created.output
    row = last_json(created.output)
    assert row["arms"][1] == {"name": "trend", "weight": 0.5, "config": {"source": "trending"}}
    shown = last_json(cli(url, "home", "u1", "--record", "--json").output)
    assert shown["experiment"] == "feed"
    results = cli(url, "experiment", "results", "feed", "--json")
    assert results.exit_code == 0, (results.output, results.exception)
    arms = {a["arm"]: a for a in last_json(results.output)["arms"]}
    assert arms[shown["arm"]]["users"] == 1 and arms[shown["arm"]]["impressions"] == 1
    table = cli(url, "experiment", "results", "feed")
    assert table.exit_code == 0 and "control" in table.output
    assert [last_json(line)["id"] for line in [cli(url, "experiment", "list").output]] == ["feed"]
    assert last_json(cli(url, "experiment", "stop", "feed").output)["status"] == "stopped"
    bad = cli(url, "experiment", "create", "x", "--arm", "only")
    assert bad.exit_code == 2 and "arms" in bad.output


def test_parse_arms_refuses_bad_weights() -> None:
    assert parse_arms(["a", "b"], ["b=2"])[1]["weight"] == 2.0
    with pytest.raises(InputError, match="ARM=NUMBER"):
        parse_arms(["a"], ["c=1"])
    with pytest.raises(InputError, match="not a number"):
        parse_arms(["a"], ["a=much"])
    with pytest.raises(InputError, match="JSON object"):
        parse_arms(["a=[1]"], [])
