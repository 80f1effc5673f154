"""``shopmind chat --message``: one-shot answers, JSON output, continuing a session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopmind.cli.main import app
from shopmind.store import Store

from .conftest import customer_with_orders


@pytest.fixture
def url(shop: Store, monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> str:
    monkeypatch.setenv("SHOPMIND_ASSISTANT_EMBEDDER", "none")
    monkeypatch.setenv("SHOPMIND_LLM", "none")
    monkeypatch.setenv("SHOPMIND_ASSISTANT_POLICY", str(demo_dir / "ground_truth.json"))
    return shop.url


def test_one_shot_json_and_follow_up(url: str, shop: Store) -> None:
    customer, orders = customer_with_orders(shop)
    runner = CliRunner()
    first = runner.invoke(
        app,
        [
            "--store",
            url,
            "chat",
            "--customer",
            customer,
            "--json",
            "-m",
            f"where is {orders[0].id}",
        ],
    )
    assert first.exit_code == 0, first.output
    answer = json.loads(first.stdout.strip().splitlines()[-1])
    assert orders[0].id in answer["text"]
    follow = runner.invoke(
        app,
        ["--store", url, "chat", "--session", answer["session_id"], "-m", "and the other order?"],
    )
    assert follow.exit_code == 0, follow.output
    assert any(o.id in follow.stdout for o in orders[1:])
    assert "[order]" in follow.stdout


def test_refusal_in_chinese(url: str) -> None:
    result = CliRunner().invoke(app, ["--store", url, "chat", "-m", "你们卖火箭吗"])
    assert result.exit_code == 0 and "人工" in result.stdout


def test_unknown_session_is_a_clear_error(url: str) -> None:
    result = CliRunner().invoke(app, ["--store", url, "chat", "--session", "s_nope", "-m", "hi"])
    assert result.exit_code == 2 and "not found" in result.output


def test_interactive_until_an_empty_line(url: str) -> None:
    result = CliRunner().invoke(app, ["--store", url, "chat"], input="hello\n\n")
    assert result.exit_code == 0, result.output
    assert "Hello!" in result.stdout
