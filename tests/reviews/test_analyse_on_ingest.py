"""New or changed reviews are analysed on ingest (CLI) and on API upserts; the setting switches it
off; a failing analysis never fails or undoes the ingest and leaves the reviews pending."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from shopmind.api import create_app
from shopmind.cli.main import app
from shopmind.core.schemas import Product, Review
from shopmind.core.settings import Settings
from shopmind.reviews import ANALYSER, analyse_after_ingest
from shopmind.reviews import service as review_service
from shopmind.reviews.analyse import analyse_review
from shopmind.store import Role, Store, create_api_key, open_store
from shopmind.store.review_analyses import load_review_analyses, pending_reviews

PRODUCTS = [
    Product(id="k1", title="Kettle", category_path=["Home", "Kitchen"]),
    Product(id="k2", title="Toaster", category_path=["Home", "Kitchen"]),
]
CSV = (
    "id,product_id,rating,text,created_at\n"
    "r1,k1,5,Delivery was super fast. Great value for money.,2026-04-01T10:00:00Z\n"
    "r2,k1,1,The quality is poor and it arrived late.,2026-04-02T10:00:00Z\n"
    "r3,k2,4,物流很快，质量很好。希望能出更多颜色。,2026-04-03T10:00:00Z\n"
)


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("analysis exploded")


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[tuple[Callable[..., Result], Store]]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url)
    store.upsert("products", PRODUCTS)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, ["--store", url, *args])

    try:
        yield run, store
    finally:
        store.close()


def _last_json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return out


def _reviews_file(tmp_path: Path, body: str = CSV) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(body, encoding="utf-8")
    return path


def test_cli_ingest_analyses_the_new_reviews(
    cli: tuple[Callable[..., Result], Store], tmp_path: Path
) -> None:
    run, store = cli
    report = _last_json(run("ingest", "reviews", str(_reviews_file(tmp_path)), "--json"))
    assert report["inserted"] == 3 and report["committed"] is True
    assert report["review_analysis"] == {"analysed": 3, "error": None}
    assert pending_reviews(store, ANALYSER) == []
    rows = {r["review_id"]: r for r in load_review_analyses(store, category="Home")}
    assert {rid: r["polarity"] for rid, r in rows.items()} == {
        "r1": "positive",
        "r2": "negative",
        "r3": "positive",
    }
    assert rows["r3"]["language"] == "zh"
    # Category insights read only stored analyses: they show the ingest without `reviews analyse`.
    body = _last_json(run("reviews", "insights", "--category", "Home", "--no-themes", "--json"))
    assert body["reviews"] == 3 and body["sentiment"]["sources"] == {"rules": 3}

    # A changed review is analysed again; unchanged ones are not.
    changed = CSV.replace("r2,k1,1,The quality is poor and it arrived late.", "r2,k1,5,Love it.")
    again = _last_json(run("ingest", "reviews", str(_reviews_file(tmp_path, changed)), "--json"))
    assert (again["updated"], again["unchanged"]) == (1, 2)
    assert again["review_analysis"] == {"analysed": 1, "error": None}
    rows = {r["review_id"]: r for r in load_review_analyses(store, category="Home")}
    assert rows["r2"]["rating"] == 5 and rows["r2"]["polarity"] == "positive"


def test_cli_ingest_human_output_says_what_was_analysed(
    cli: tuple[Callable[..., Result], Store], tmp_path: Path
) -> None:
    run, _ = cli
    result = run("ingest", "reviews", str(_reviews_file(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "analysed 3 reviews" in result.output


def test_setting_off_leaves_reviews_pending(
    cli: tuple[Callable[..., Result], Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPMIND_REVIEWS_ANALYSE_ON_INGEST", "false")
    run, store = cli
    report = _last_json(run("ingest", "reviews", str(_reviews_file(tmp_path)), "--json"))
    assert report["inserted"] == 3 and report["review_analysis"] is None
    assert len(pending_reviews(store, ANALYSER)) == 3
    assert load_review_analyses(store, category="Home") == []


def test_failed_analysis_keeps_the_ingest_and_the_reviews_pending(
    cli: tuple[Callable[..., Result], Store],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(review_service, "analyse_review", _broken)
    run, store = cli
    with caplog.at_level(logging.WARNING, logger="shopmind.reviews.service"):
        report = _last_json(run("ingest", "reviews", str(_reviews_file(tmp_path)), "--json"))
    assert report["committed"] is True and report["inserted"] == 3
    assert report["review_analysis"] == {
        "analysed": 0,
        "error": "RuntimeError: analysis exploded",
    }
    assert set(store.get("reviews", ["r1", "r2", "r3"])) == {"r1", "r2", "r3"}
    assert len(pending_reviews(store, ANALYSER)) == 3
    assert "shopmind reviews analyse" in caplog.text
    human = run("ingest", "reviews", str(_reviews_file(tmp_path)))
    assert human.exit_code == 0 and "stay pending" in human.output

    # The job catches up once analysis works again.
    monkeypatch.undo()
    assert _last_json(run("ingest", "reviews", str(_reviews_file(tmp_path)), "--json"))[
        "review_analysis"
    ] == {"analysed": 3, "error": None}


def test_a_failure_midway_keeps_the_batches_done(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_store.upsert("products", PRODUCTS)
    sqlite_store.upsert(
        "reviews",
        [
            Review(
                id=f"r{i}",
                product_id="k1",
                rating=4,
                text="Delivery was super fast.",
                created_at=datetime(2026, 4, 1, tzinfo=UTC),
            )
            for i in range(5)
        ],
    )

    def fail_on_r3(review: Review, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if review.id == "r3":
            raise RuntimeError("bad review")
        return analyse_review(review, *args, **kwargs)

    monkeypatch.setattr(review_service, "analyse_review", fail_on_r3)
    progress: list[int] = []
    outcome = analyse_after_ingest(sqlite_store, batch=2, progress=progress.append)
    assert (outcome.analysed, outcome.error) == (2, "RuntimeError: bad review")
    assert progress == [2]
    assert [r.id for r, _, _ in pending_reviews(sqlite_store, ANALYSER)] == ["r2", "r3", "r4"]


# --- API ---------------------------------------------------------------------------------


def _client(store: Store, tmp_path: Path, **settings: Any) -> TestClient:
    store.upsert("products", PRODUCTS)
    return TestClient(create_app(store=store, settings=Settings(home=tmp_path, **settings)))


def _headers(store: Store) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_key(store, 'merchant', Role.MERCHANT)[1]}"}


def _post_reviews(client: TestClient, headers: dict[str, str], *reviews: Review) -> None:
    body = {"items": [json.loads(r.model_dump_json()) for r in reviews]}
    response = client.post("/v1/reviews", json=body, headers=headers)
    assert response.status_code == 200, response.text


def _category_reviews(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get("/v1/reviews/insights?category=Home&themes=false", headers=headers)
    assert response.status_code == 200, response.text
    out: dict[str, Any] = response.json()
    return out


NEW = Review(
    id="n1",
    product_id="k2",
    rating=1,
    text="The quality is poor and delivery was slow.",
    created_at=datetime(2026, 5, 1, tzinfo=UTC),
)


def test_api_upsert_makes_category_insights_current(store: Store, tmp_path: Path) -> None:
    headers = _headers(store)
    with _client(store, tmp_path) as client:
        assert _category_reviews(client, headers)["reviews"] == 0
        _post_reviews(client, headers, NEW)
        body = _category_reviews(client, headers)
        assert body["reviews"] == 1 and body["polarity"]["negative"] == 1
        assert {a["aspect"] for a in body["aspects"]} >= {"quality", "logistics"}
        assert body["sentiment"]["rating_agreement"] == 1.0
        # An edit through the API is analysed again.
        _post_reviews(client, headers, NEW.model_copy(update={"text": "Love it, great value."}))
        body = _category_reviews(client, headers)
        assert body["reviews"] == 1 and body["polarity"]["positive"] == 1
    assert pending_reviews(store, ANALYSER) == []


def test_api_setting_off_leaves_reviews_pending(store: Store, tmp_path: Path) -> None:
    headers = _headers(store)
    with _client(store, tmp_path, reviews_analyse_on_ingest=False) as client:
        _post_reviews(client, headers, NEW)
        assert _category_reviews(client, headers)["reviews"] == 0
    assert [r.id for r, _, _ in pending_reviews(store, ANALYSER)] == ["n1"]


def test_api_failed_analysis_still_stores_the_reviews(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_service, "analyse_review", _broken)
    headers = _headers(store)
    with _client(store, tmp_path) as client:
        _post_reviews(client, headers, NEW)
        got = client.get("/v1/reviews/n1", headers=headers)
        assert got.status_code == 200 and got.json()["rating"] == 1
    assert [r.id for r, _, _ in pending_reviews(store, ANALYSER)] == ["n1"]
