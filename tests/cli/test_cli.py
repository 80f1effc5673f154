"""The CLI end to end through Typer's runner, on a real SQLite store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from shopmind.cli.main import app
from shopmind.store import open_store, verify_api_key


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--store", url, *args], catch_exceptions=False)

    invoke.url = url  # type: ignore[attr-defined]
    return invoke


def last_json(output: str) -> dict:  # type: ignore[type-arg]
    return json.loads(output.strip().splitlines()[-1])


def test_ingest_json_report_and_stats(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.csv"
    path.write_text("id,title,price\na,Alpha,$1\nb,Beta,$2\n")
    result = run("ingest", "products", str(path), "--json")
    assert result.exit_code == 0, result.output
    report = last_json(result.stdout)
    assert report["inserted"] == 2 and report["committed"] is True
    again = last_json(run("ingest", "products", str(path), "--json").stdout)
    assert (again["inserted"], again["unchanged"]) == (0, 2)
    stats = last_json(run("stats", "--json").stdout)
    assert stats["products"] == 2 and stats["events"] == 0


def test_rejected_ingest_exits_1_and_lists_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text("id,title,price\na,Alpha,$1\nb,Beta,-2\n")
    result = run("ingest", "products", str(path), "--json")
    assert result.exit_code == 1
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected: ")]
    assert len(rejected) == 1, result.stderr  # the reason, on one line
    report = last_json(result.stdout)
    assert report["committed"] is False
    assert report["errors"] == [
        {"file": str(path), "line": 3, "field": "price", "reason": "must not be negative, got -2"}
    ]
    assert last_json(run("stats", "--json").stdout)["products"] == 0
    skipped = last_json(
        run("ingest", "products", str(path), "--on-error", "skip-row", "--json").stdout
    )
    assert (skipped["inserted"], skipped["rejected"]) == (1, 1)


def test_input_errors_exit_2_with_message(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("ingest", "products", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_keys_and_erasure(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    created = last_json(run("keys", "create", "ops", "--role", "admin", "--json").stdout)
    store = open_store(run.url)
    key = verify_api_key(store, created["token"])
    assert key is not None and key.role == "admin"
    listed = run("keys", "list")
    assert created["id"] in listed.stderr and created["token"] not in listed.stderr
    run("keys", "revoke", created["id"])
    assert verify_api_key(store, created["token"]) is None
    customers = tmp_path / "c.csv"
    customers.write_text("id,email,name\nc1,ann@example.com,Ann\n")
    assert run("ingest", "customers", str(customers)).exit_code == 0
    report = last_json(run("customers", "erase", "c1", "--json").stdout)
    assert report["customers_deleted"] == 1
    assert run("customers", "erase", "c1").exit_code == 2  # nothing left to erase
    store.close()


def test_demo_builds_the_shop_and_analyses_its_reviews(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    args = ["--products", "100", "--customers", "10", "--events", "200", "--orders", "10"]
    result = run("demo", *args, "--reviews", "40", "--no-serve", "--out", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    found = re.search(r"analysed\s+(\d+) reviews", result.output)
    assert found, result.output
    stats = last_json(run("stats", "--json").stdout)
    assert int(found.group(1)) == stats["reviews"] > 0  # every ingested review, at once


def test_error_messages_print_whole_on_one_line_as_plain_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Long paths are not wrapped into two lines and "[review]" is not read as markup."""
    from shopmind.cli.common import cli_errors
    from shopmind.core.errors import InputError

    message = "/tmp/" + "a" * 150 + "/r.csv has no column 'text'; available: [review], [stars]"
    with pytest.raises(typer.Exit) as exit_info, cli_errors():
        raise InputError(message)
    assert exit_info.value.exit_code == 2
    err = capsys.readouterr().err
    assert err == f"error: {message}\n"
