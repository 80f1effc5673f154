"""A/B tests: bucketing is deterministic and weighted, the interval maths is right, and results
per arm are computed from the impressions the service logs and the shop's own events."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from shopmind.core.errors import InputError, NotFoundError
from shopmind.recommend.experiments import (
    bucket,
    mean_difference,
    mean_interval,
    rate_difference,
    results,
    wilson,
)
from shopmind.recommend.schemas import ArmIn, ExperimentIn
from shopmind.recommend.service import (
    RecommendService,
    create_experiment,
    experiment_results,
    list_experiments,
    stop_experiment,
)
from shopmind.store.recs import EventRow

from .shop import Events

ARMS = [ArmIn(name="a", weight=3), ArmIn(name="b", weight=1)]


def test_bucketing_is_deterministic_and_follows_the_weights() -> None:
    first = [bucket("exp1", f"user{n}", ARMS).name for n in range(8000)]
    again = [bucket("exp1", f"user{n}", ARMS).name for n in range(8000)]
    assert first == again
    share = Counter(first)["a"] / len(first)
    assert share == pytest.approx(0.75, abs=0.02)
    other = [bucket("exp2", f"user{n}", ARMS).name for n in range(8000)]
    moved = sum(x != y for x, y in zip(first, other, strict=True)) / len(first)
    assert 0.25 < moved < 0.5  # another experiment reshuffles users independently


def test_wilson_interval_matches_known_values() -> None:
    half = wilson(5, 10)
    assert half.value == 0.5
    assert half.low == pytest.approx(0.2366, abs=1e-4)
    assert half.high == pytest.approx(0.7634, abs=1e-4)
    none = wilson(0, 10)
    assert none.low == 0.0 and none.high == pytest.approx(0.2775, abs=1e-4)
    assert wilson(0, 0).trials == 0 and wilson(0, 0).high == 0.0


def test_mean_interval_is_the_normal_one() -> None:
    got = mean_interval([0.0, 10.0, 20.0])
    assert got.value == 10.0
    assert got.high - got.value == pytest.approx(1.959964 * 10.0 / 3**0.5, abs=1e-3)
    assert mean_interval([]).n == 0


def test_differences_against_control() -> None:
    # Newcombe (1998), example (a): 56/70 vs 48/80 -> 0.2, 95% CI 0.0524 to 0.3339
    got = rate_difference(wilson(56, 70), wilson(48, 80))
    assert got.value == pytest.approx(0.2)
    assert got.low == pytest.approx(0.0524, abs=1e-3) and got.high == pytest.approx(
        0.3339, abs=1e-3
    )
    same = rate_difference(wilson(10, 100), wilson(10, 100))
    assert same.low < 0 < same.high
    welch = mean_difference(mean_interval([10.0, 12.0, 14.0]), mean_interval([1.0, 2.0, 3.0]))
    assert welch.value == 10.0
    assert welch.high - welch.value == pytest.approx(1.959964 * (4 / 3 + 1 / 3) ** 0.5, abs=1e-3)


def _row(name: str, who: str, pids: list[str], minute: int, **extra: object) -> EventRow:
    ts = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minute)
    props = dict(extra.pop("props", {}))  # type: ignore[call-overload]
    value = extra.pop("value", None)
    return EventRow(name, who, None, ts, pids, value, "USD" if value else None, props)  # type: ignore[arg-type]


def test_results_per_arm_from_events() -> None:
    tag = {"item_list_id": "rec:home", "experiment": "x"}
    rows = [
        _row("view_item_list", "u1", ["p1", "p2"], 0, props=tag | {"arm": "a"}),
        _row("view_item_list", "u1", ["p3"], 1, props=tag | {"arm": "a"}),
        _row("view_item_list", "u2", ["p1"], 2, props=tag | {"arm": "a"}),
        _row("view_item_list", "u3", ["p1"], 3, props=tag | {"arm": "b"}),
        _row("view_item_list", "u9", ["p1"], 3, props={"item_list_id": "rec:home"}),  # no test
        _row("select_item", "u1", ["p2"], 4),  # clicks u1's first impression
        _row("add_to_cart", "u1", ["p2"], 5),
        _row("purchase", "u1", ["p2"], 6, value=30.0),
        _row("add_to_cart", "u2", ["p9"], 7),  # not a product it was shown
        _row("purchase", "u3", ["p7"], 8, value=10.0),
        _row("purchase", "u9", ["p1"], 9, value=99.0),  # never exposed: ignored
    ]
    a, b = results("x", ["a", "b"], rows)
    assert (a.users, a.impressions, b.users, b.impressions) == (2, 3, 1, 1)
    assert (a.ctr.successes, a.ctr.trials) == (1, 3)
    assert (a.add_to_cart_rate.successes, a.add_to_cart_rate.trials) == (1, 2)
    assert (a.conversion.successes, b.conversion.successes) == (1, 1)
    assert a.revenue_per_user["USD"].value == 15.0  # 30 over two exposed users
    assert b.revenue_per_user["USD"].value == 10.0
    assert b.ctr.successes == 0
    assert a.vs_control == {}  # the first arm is the control
    assert b.vs_control["conversion"].value == pytest.approx(0.5)
    assert b.vs_control["ctr"].value == pytest.approx(-1 / 3, abs=1e-5)
    assert b.vs_control["revenue_per_user.USD"].value == -5.0


def test_experiment_assigns_arms_logs_impressions_and_reports(service: RecommendService) -> None:
    store = service.store
    body = ExperimentIn.model_validate(
        {
            "id": "feed-1",
            "arms": [
                {"name": "personal", "config": {}},
                {"name": "trending", "config": {"source": "trending"}},
            ],
        }
    )
    create_experiment(store, body)
    served = {}
    for user in ("alice", "carol", "bob", "dan"):
        got = service.home(user, limit=3, record=True)
        assert got.experiment == "feed-1"
        assert got.arm == bucket("feed-1", user, body.arms).name
        assert got.cold_start == (got.arm == "trending")  # every one of them has a history
        served[user] = got
    clicks = Events()
    clicker = next(u for u in served if served[u].items)
    # After the impression, which was logged at the real clock (NOW is the module's import time,
    # minutes earlier in a full test run).
    after = datetime.now(UTC) + timedelta(seconds=1)
    clicks.add(
        "select_item", clicker, [served[clicker].items[0].id], 0, id="click-1", timestamp=after
    )
    store.add_events(clicks.items)
    report = experiment_results(store, "feed-1")
    arms = {arm["arm"]: arm for arm in report["arms"]}
    assert sum(arm["users"] for arm in arms.values()) == 4
    assert sum(arm["impressions"] for arm in arms.values()) == 4
    assert arms[served[clicker].arm]["ctr"]["successes"] == 1
    assert [e["id"] for e in list_experiments(store)] == ["feed-1"]


def test_experiment_input_is_checked(service: RecommendService) -> None:
    store = service.store

    def make(exp_id: str, arms: list[dict[str, object]]) -> ExperimentIn:
        return ExperimentIn.model_validate({"id": exp_id, "arms": arms})

    with pytest.raises(InputError, match="unique"):
        create_experiment(store, make("e1", [{"name": "a"}, {"name": "a"}]))
    with pytest.raises(InputError, match="invalid config"):
        create_experiment(store, make("e1", [{"name": "a"}, {"name": "b", "config": {"x": 1}}]))
    create_experiment(store, make("e1", [{"name": "a"}, {"name": "b"}]))
    with pytest.raises(InputError, match="already exists"):
        stop_experiment(store, "e1")
        create_experiment(store, make("e1", [{"name": "a"}, {"name": "b"}]))
    with pytest.raises(NotFoundError):
        experiment_results(store, "missing")


def test_one_running_experiment_per_surface(service: RecommendService) -> None:
    arms: list[dict[str, object]] = [{"name": "a"}, {"name": "b"}]
    create_experiment(service.store, ExperimentIn.model_validate({"id": "one", "arms": arms}))
    with pytest.raises(InputError, match="already runs on home"):
        create_experiment(service.store, ExperimentIn.model_validate({"id": "two", "arms": arms}))
    assert stop_experiment(service.store, "one")["status"] == "stopped"
    assert service.home("alice").experiment is None
    with pytest.raises(InputError, match="not running"):
        stop_experiment(service.store, "one")


def test_experiment_on_an_item_surface_records_its_impressions(service: RecommendService) -> None:
    arms: list[dict[str, object]] = [{"name": "a"}, {"name": "b", "config": {"diversity": "mmr"}}]
    body = {"id": "sim", "surface": "similar", "arms": arms}
    create_experiment(service.store, ExperimentIn.model_validate(body))
    got = service.similar("ph1", limit=3, user_id="alice", record=True)
    assert got.experiment == "sim" and got.arm in ("a", "b")
    assert service.home("alice").experiment is None  # another surface
    report = experiment_results(service.store, "sim")
    by_arm = {arm["arm"]: arm for arm in report["arms"]}
    assert by_arm[got.arm]["users"] == 1 and by_arm[got.arm]["impressions"] == 1


def test_the_running_experiments_are_read_once_a_second_but_changes_here_show_at_once(
    service: RecommendService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopmind.recommend import service as module
    from shopmind.store import recs as queries

    reads = Counter[str]()
    real = queries.list_experiments

    def counted(store: object, status: str | None = None) -> list[dict[str, object]]:
        reads["running"] += 1
        return real(store, status)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "list_experiments", counted)
    assert service.home("alice", limit=3).experiment is None
    assert service.home("alice", limit=3).experiment is None
    assert reads["running"] == 1  # the second request used the cached list
    arms = [{"name": "a", "config": {}}, {"name": "b", "config": {"source": "trending"}}]
    body = ExperimentIn.model_validate({"id": "feed-2", "arms": arms})
    create_experiment(service.store, body)
    assert service.home("alice", limit=3).experiment == "feed-2"  # created here: seen at once
    monkeypatch.setattr(module, "EXPERIMENTS_TTL_S", 0.0)
    stop_experiment(service.store, "feed-2")
    assert service.home("alice", limit=3).experiment is None
