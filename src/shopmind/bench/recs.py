"""``shopmind bench recs``: every recommender on one leave-one-out (or session) split.

s3rec (and recbole, read into the same per-user sequences): each model is fitted on every
user's sequence without its last two items and scored on the second last (validation: tuning,
early stopping, blend weights); it is then refitted with the chosen settings on the sequence
without its last item and scored once on the last (test).
sessions: models fit on the training file; every next click of the test file is predicted from
the clicks before it (the GRU4Rec protocol: no history exclusion, repeats count). Popularity
and the issue's item-kNN baseline are always included.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from shopmind.bench.machine import machine_info
from shopmind.core.errors import InputError
from shopmind.evaluate.recs import (
    IntArray,
    batched_ranks,
    leave_one_out,
    metrics_from_ranks,
    mrr_from_ranks,
    read_recbole,
    read_s3rec,
    read_sessions,
    session_prefixes,
)
from shopmind.recommend.base import Recommender
from shopmind.recommend.blend import Blender
from shopmind.recommend.factors import ALS, BPR
from shopmind.recommend.knn import ItemKNN
from shopmind.recommend.popularity import Popularity
from shopmind.recommend.sasrec import SASRec

MODELS = ("popularity", "itemknn", "seqknn", "als", "bpr", "sasrec", "blend")
BASELINES = ("popularity", "itemknn")
DEFAULT_MODELS = MODELS
TARGETS = {"recall@10": 0.095, "ndcg@10": 0.058}  # issue 7, best model on Amazon Beauty
FORMATS = ("s3rec", "recbole", "sessions")
Say = Callable[[str], None]


@dataclass
class Task:
    """One split: what models fit on, and the (history, target) pairs they are scored on."""

    fit_valid: list[IntArray]
    valid: tuple[list[IntArray], IntArray]
    fit_test: list[IntArray]
    test: tuple[list[IntArray], IntArray]
    n_items: int
    exclude_history: bool


@dataclass
class Fitted:
    valid_model: Recommender  # fitted without the validation item (blend weights use it)
    test_model: Recommender  # refitted for the test item
    train_s: float
    notes: str = ""


def run(
    fmt: str,
    data: Path,
    *,
    test: Path | None = None,
    models: Sequence[str] = DEFAULT_MODELS,
    budget_minutes: float = 30.0,
    seed: int = 42,
    threads: int = 1,
    say: Say | None = None,
) -> dict[str, Any]:
    """Fit, tune on validation and score every model; the benchmark contract's JSON."""
    note = say or (lambda _msg: None)
    chosen = _check_models(models)
    started = time.perf_counter()
    task, dataset = _task(fmt, data, test)
    seconds: dict[str, float] = {"read_split": round(time.perf_counter() - started, 2)}
    note(f"seed {seed}; {dataset}")
    deadline = time.perf_counter() + budget_minutes * 60
    fitted: dict[str, Fitted] = {}
    results: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    for name in chosen:
        phase = time.perf_counter()
        note(f"— {name}")
        fitted[name] = _fit(name, task, fitted, seed, threads, deadline, note)
        results[name] = _score(task, fitted[name])
        notes[name] = fitted[name].notes
        seconds[name] = round(time.perf_counter() - phase, 1)
        note(f"{name}: {results[name]}")
    return {
        "capability": "recs",
        "dataset": dataset,
        "results": results,
        "seconds": seconds,
        "machine": machine_info(),
        "seed": seed,
        "threads": threads,
        "targets": TARGETS if fmt == "s3rec" else {},
        "notes": notes,
    }


def _check_models(models: Sequence[str]) -> list[str]:
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise InputError(f"unknown models {unknown}; choose from: {', '.join(MODELS)}")
    # the baselines always run first, so every figure is read against them in the same run
    wanted = set(models) | set(BASELINES)
    if "blend" in wanted:
        wanted |= {"seqknn", "sasrec"}
    return [m for m in MODELS if m in wanted]


def _task(fmt: str, data: Path, test: Path | None) -> tuple[Task, dict[str, Any]]:
    if fmt in ("s3rec", "recbole"):
        loaded = read_s3rec(data) if fmt == "s3rec" else read_recbole(data)
        split = leave_one_out(loaded)
        task = Task(
            fit_valid=split.train,
            valid=(split.valid_history, split.valid_target),
            fit_test=split.test_history,
            test=(split.test_history, split.test_target),
            n_items=split.n_items,
            exclude_history=True,
        )
        users = len(split.test_target)
    elif fmt == "sessions":
        if test is None:
            raise InputError("--format sessions needs --test (the file of sessions to predict)")
        loaded = read_sessions(data)
        index = {item: i for i, item in enumerate(loaded.item_ids)}
        tested = read_sessions(test, item_index=index)
        task = _session_task(loaded.sequences, loaded.times or [], tested.sequences, loaded.n_items)
        users = len(tested.sequences)
    else:
        raise InputError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    dataset = {
        "format": fmt,
        "data": str(data),
        "test": str(test) if test else None,
        "users": users,
        "items": loaded.n_items,
        "interactions": loaded.n_interactions,
    }
    return task, dataset


def _session_task(
    train: list[IntArray], times: list[Any], tested: list[IntArray], n_items: int
) -> Task:
    """Validation = the latest-starting 10% of training sessions, fitted on the earlier 90%."""
    starts = np.asarray([t[0] for t in times], dtype=np.float64)
    order = np.argsort(starts, kind="stable")
    cut = int(len(order) * 0.9)
    early, late = [train[i] for i in order[:cut]], [train[i] for i in order[cut:]]
    return Task(
        fit_valid=early,
        valid=session_prefixes(late),
        fit_test=train,
        test=session_prefixes(tested),
        n_items=n_items,
        exclude_history=False,
    )


def _evaluate(task: Task, model: Recommender, pairs: tuple[list[IntArray], IntArray]) -> Any:
    return batched_ranks(model.score, pairs[0], pairs[1], exclude_history=task.exclude_history)


def _valid_ndcg(task: Task, model: Recommender) -> float:
    ranks = _evaluate(task, model, task.valid)
    return metrics_from_ranks(ranks, (10,))["ndcg@10"]


def _score(task: Task, fitted: Fitted) -> dict[str, float]:
    """Validation NDCG@10 (what tuning saw) and the test metrics, read only now."""
    out: dict[str, float] = {"valid_ndcg@10": _valid_ndcg(task, fitted.valid_model)}
    ranks = _evaluate(task, fitted.test_model, task.test)
    if task.exclude_history:
        out.update(metrics_from_ranks(ranks, (10, 20)))
    else:
        out["recall@20"] = metrics_from_ranks(ranks, (20,))["recall@20"]
        out["mrr@20"] = mrr_from_ranks(ranks, 20)
    out["train_s"] = round(fitted.train_s, 1)
    return out


def _fit(
    name: str,
    task: Task,
    fitted: dict[str, Fitted],
    seed: int,
    threads: int,
    deadline: float,
    say: Say,
) -> Fitted:
    started = time.perf_counter()
    if name == "sasrec":
        return _fit_sasrec(task, seed, threads, deadline, say)
    if name == "blend":
        return _fit_blend(task, fitted, say)
    if name == "seqknn":
        params = _tune_knn(task, say)
        notes = f"tuned on validation: {params}"
        factory: Callable[[], Recommender] = lambda: ItemKNN(**params)  # noqa: E731
    else:
        factory, notes = _simple(name, seed, threads), ""
    valid_model, test_model = factory(), factory()
    valid_model.fit(task.fit_valid, task.n_items)
    test_model.fit(task.fit_test, task.n_items)
    return Fitted(valid_model, test_model, time.perf_counter() - started, notes)


def _simple(name: str, seed: int, threads: int) -> Callable[[], Recommender]:
    factories: dict[str, Callable[[], Recommender]] = {
        "popularity": Popularity,
        "itemknn": ItemKNN,  # the baseline: window 3, last 20, decay 0.8
        "als": lambda: ALS(factors=128, regularization=1.0, alpha=5.0, seed=seed, threads=threads),
        "bpr": lambda: BPR(seed=seed, threads=threads),
    }
    return factories[name]


def _tune_knn(task: Task, say: Say) -> dict[str, Any]:
    """Coordinate ascent over a small grid, on validation NDCG@10 only."""
    grid: dict[str, Sequence[Any]] = {
        "backward": (0.0, 0.25, 0.5, 1.0),
        "decay": (0.3, 0.5, 0.7, 0.8, 0.9),
        "window": (1, 2, 3, 5, 8),
        "distance_power": (0.0, 0.5, 1.0),
        "row_normalize": (0.0, 0.25, 0.5),
        "normalize": (0.0, 0.1, 0.25),
    }
    best_params: dict[str, Any] = {}
    best, seen = -1.0, set()
    for _ in range(2):  # two rounds: a later setting can change an earlier one's best value
        for key, values in grid.items():
            for value in values:
                trial = {**best_params, key: value}
                frozen = tuple(sorted(trial.items()))
                if frozen in seen:
                    continue
                seen.add(frozen)
                model = ItemKNN(**trial)
                model.fit(task.fit_valid, task.n_items)
                got = _valid_ndcg(task, model)
                if got > best:
                    best, best_params = got, trial
    say(f"seqknn: {best_params} valid ndcg@10 {best:.4f}")
    return best_params


def _fit_sasrec(task: Task, seed: int, threads: int, deadline: float, say: Say) -> Fitted:
    """Early stopping on validation NDCG@10; the best weights score the test item too (the
    validation item is then part of the input history, as in the SASRec protocol)."""
    started = time.perf_counter()
    budget = max(deadline - started, 60.0)
    model = SASRec(seed=seed, threads=threads, budget_s=budget * 0.9)
    model.fit(
        task.fit_valid,
        task.n_items,
        validation=task.valid,
        exclude_history=task.exclude_history,
        say=say,
    )
    notes = f"best epoch {model.best_epoch} (valid ndcg@10, evaluated every {model.eval_every})"
    return Fitted(model, model, time.perf_counter() - started, notes)


def _fit_blend(task: Task, fitted: dict[str, Fitted], say: Say) -> Fitted:
    started = time.perf_counter()
    names = [n for n in ("seqknn", "sasrec", "als") if n in fitted]
    blend = Blender([fitted[n].valid_model for n in names])
    best = blend.tune(*task.valid, exclude_history=task.exclude_history)
    say(f"blend {dict(zip(names, blend.weights, strict=True))} valid ndcg@10 {best:.4f}")
    test_blend = Blender([fitted[n].test_model for n in names], blend.weights)
    notes = f"weights {dict(zip(names, blend.weights, strict=True))}"
    return Fitted(blend, test_blend, time.perf_counter() - started, notes)
