"""The model registry: versions, atomic publishing, one promoted model per task, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopmind.cli.models import models_app
from shopmind.core.errors import NotFoundError
from shopmind.core.settings import get_settings
from shopmind.models.registry import (
    METADATA,
    list_models,
    new_artifact,
    promote,
    promoted,
    resolve_model,
    show_model,
)


def _publish(task: str, f1: float, method: str = "head") -> Path:
    with new_artifact(task) as staging:
        meta = {
            "task": task,
            "version": staging.version,
            "method": method,
            "base": {"name": "e5-small"},
            "created_at": "2025-01-01T00:00:00+00:00",
            "metrics": {"test": {"macro_f1": f1, "accuracy": f1}},
        }
        (staging.path / METADATA).write_text(json.dumps(meta))
    return get_settings().models_dir / task / staging.version


def test_versions_count_up_and_list_reads_metadata() -> None:
    first, second = _publish("sentiment", 0.91), _publish("sentiment", 0.93, "lora")
    _publish("intents", 0.8)
    assert (first.name, second.name) == ("v1", "v2")
    entries = list_models()
    assert [(e.task, e.version) for e in entries] == [
        ("intents", "v1"),
        ("sentiment", "v1"),
        ("sentiment", "v2"),
    ]
    assert entries[2].method == "lora" and entries[2].value == 0.93
    assert [e.version for e in list_models("sentiment")] == ["v1", "v2"]
    # No model promoted yet: a task name resolves to its newest version.
    assert resolve_model("sentiment") == second


def test_promote_twice_leaves_one_promoted_model() -> None:
    v1, v2 = _publish("sentiment", 0.9), _publish("sentiment", 0.92)
    promote("sentiment", "v1")
    promote("sentiment", "v2")
    assert [e.version for e in list_models("sentiment") if e.promoted] == ["v2"]
    assert promoted("sentiment") == v2
    promote("sentiment", "v1")
    assert [e.version for e in list_models("sentiment") if e.promoted] == ["v1"]
    assert resolve_model("sentiment") == v1  # promoted wins over newest
    assert resolve_model("sentiment/v2") == v2
    assert show_model("sentiment")["promoted"] is True
    assert show_model("sentiment/v2")["promoted"] is False
    with pytest.raises(NotFoundError, match="versions of sentiment: v1, v2"):
        promote("sentiment", "v9")


def test_a_failed_write_publishes_nothing() -> None:
    _publish("sentiment", 0.9)
    with pytest.raises(RuntimeError), new_artifact("sentiment") as staging:
        (staging.path / "weights.safetensors").write_bytes(b"half")
        raise RuntimeError("disk full")
    task_dir = get_settings().models_dir / "sentiment"
    assert sorted(p.name for p in task_dir.iterdir()) == ["v1"]
    assert _publish("sentiment", 0.9).name == "v2"


def test_unknown_models_say_which_exist() -> None:
    assert promoted("sentiment") is None
    with pytest.raises(NotFoundError, match="train one first"):
        resolve_model("sentiment")
    _publish("intents", 0.8)
    with pytest.raises(NotFoundError, match="tasks with models: intents"):
        resolve_model("sentiment")


def test_models_cli_lists_shows_and_promotes() -> None:
    _publish("sentiment", 0.9)
    _publish("sentiment", 0.95, "lora")
    runner = CliRunner()
    done = runner.invoke(models_app, ["promote", "sentiment", "v2"])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(models_app, ["list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout.strip().splitlines()[-1])["models"]
    assert [(r["version"], r["promoted"], r["method"]) for r in rows] == [
        ("v1", False, "head"),
        ("v2", True, "lora"),
    ]
    shown = runner.invoke(models_app, ["show", "sentiment", "--json"])
    assert shown.exit_code == 0, (shown.output, shown.exception)
    assert json.loads(shown.stdout.strip().splitlines()[-1])["version"] == "v2"
    missing = runner.invoke(models_app, ["promote", "sentiment", "v7"])
    assert missing.exit_code == 2 and "v7" in missing.output


def test_each_kind_of_artifact_lists_its_own_key_metric() -> None:
    with new_artifact("search-ranker") as staging:
        meta = {
            "task": "search-ranker",
            "method": "lightgbm-lambdarank",
            "metrics": {"test": {"recall@100": 0.79, "ndcg@10": 0.43, "mrr@10": 0.52}},
        }
        (staging.path / METADATA).write_text(json.dumps(meta))
    with new_artifact("recs") as staging:
        meta = {"task": "recs", "key_metric": "ndcg@10", "metrics": {"test": {"recall@10": 0.09,
                "ndcg@10": 0.05}}}  # fmt: skip
        (staging.path / METADATA).write_text(json.dumps(meta))
    _publish("sentiment", 0.9)
    shown = {e.task: (e.metric, e.value) for e in list_models()}
    assert shown["search-ranker"] == ("test_ndcg@10", 0.43)
    assert shown["recs"] == ("test_ndcg@10", 0.05)  # named by the artifact, not the default order
    assert shown["sentiment"] == ("test_macro_f1", 0.9)
