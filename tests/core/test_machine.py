"""usable_cores follows the process's CPU affinity, which is what taskset changes."""

from __future__ import annotations

import os

import pytest

from shopmind.core.machine import usable_cores


def test_usable_cores_is_the_affinity_set() -> None:
    if not hasattr(os, "sched_getaffinity"):
        assert usable_cores() == (os.cpu_count() or 1)
        return
    before = os.sched_getaffinity(0)
    assert usable_cores() == len(before)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert usable_cores() == 1
    finally:
        os.sched_setaffinity(0, before)


def test_without_affinity_support_it_counts_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert usable_cores() == (os.cpu_count() or 1)
