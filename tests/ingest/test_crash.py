"""A SIGKILL in the middle of an ingest leaves the store consistent: all or nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from shopmind.ingest import ingest
from shopmind.store import open_store

CHILD = """
import sys
from pathlib import Path
from shopmind.ingest import ingest
from shopmind.store import open_store

store = open_store(sys.argv[1])
flag = Path(sys.argv[3])

def progress(done):
    # tells the parent how many rows were written; rename makes the update atomic
    tmp = flag.with_suffix(".tmp")
    tmp.write_text(str(done))
    tmp.replace(flag)

ingest(store, "events", sys.argv[2], batch_size=500, progress=progress)
"""


def _events_file(path: Path, n: int, day: int) -> Path:
    with path.open("w") as out:
        for i in range(n):
            out.write(
                json.dumps(
                    {
                        "name": "view_item",
                        "session_id": f"s{i % 997}",
                        "product_ids": [f"p{i % 101}"],
                        "timestamp": f"2024-01-{day:02d}T00:00:{i % 60:02d}Z",
                        "id": f"d{day}-{i}",
                    }
                )
                + "\n"
            )
    return path


def _kill_midway(url: str, data: Path, flag: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(data), str(flag)])
    deadline = time.monotonic() + 60
    while not (flag.exists() and int(flag.read_text()) >= 2000):
        assert child.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline, "the ingest never got going"
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_sigkill_mid_ingest_commits_nothing_and_store_stays_usable(
    store_url: str, tmp_path: Path
) -> None:
    first = _events_file(tmp_path / "first.jsonl", 3000, day=1)
    store = open_store(store_url)
    assert ingest(store, "events", first).inserted == 3000
    store.close()

    big = _events_file(tmp_path / "big.jsonl", 50_000, day=2)
    _kill_midway(store_url, big, tmp_path / "flag")

    store = open_store(store_url)
    assert store.stats()["events"] == 3000  # the killed ingest left nothing behind
    if store.dialect == "sqlite":
        with store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    with store.read() as conn:
        runs = conn.execute(sa.text("SELECT COUNT(*) FROM ingest_runs")).scalar_one()
    assert runs == 1
    again = ingest(store, "events", big)
    assert again.inserted == 50_000 and store.stats()["events"] == 53_000
    store.close()
