"""Every file the demo generator writes: schemas, counts, manifest, documents, ground truth."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest

from demo.shop import ENTITIES, SMALL, Shop
from shopmind.core.schemas import ENTITY_MODELS, Document
from shopmind.demo import GENERATOR_VERSION, generate, load_ground_truth


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_line_is_exactly_a_schema_dump(shop: Shop, entity: str) -> None:
    model = ENTITY_MODELS[entity]
    for record in shop.records[entity]:
        parsed = model.model_validate(record)
        assert parsed.model_dump(mode="json", exclude_none=True) == record


def test_counts_are_exactly_what_was_asked(shop: Shop) -> None:
    for entity in ENTITIES:
        assert len(shop.records[entity]) == SMALL[entity]
        assert shop.manifest.counts[entity] == SMALL[entity]
    assert shop.manifest.counts["documents"] >= 20


def test_ids_are_unique(shop: Shop) -> None:
    for entity in ENTITIES:
        ids = [record["id"] for record in shop.records[entity]]
        assert len(set(ids)) == len(ids), entity


def test_manifest_file_matches_and_hashes_the_files(shop: Shop) -> None:
    written = orjson.loads((shop.folder / "manifest.json").read_bytes())
    assert written == shop.manifest.to_dict()
    assert written["seed"] == 7
    assert written["version"] == GENERATOR_VERSION
    for entity in (*ENTITIES, "ground_truth"):
        data = (shop.folder / written["files"][entity]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == written["sha256"][entity]


def _parse(text: str) -> tuple[dict[str, str], str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    return meta, body


def test_documents_have_front_matter_in_both_languages(shop: Shop) -> None:
    files = sorted((shop.folder / "documents").glob("*.md"))
    assert len(files) >= 20
    topics: dict[str, set[str]] = {}
    for path in files:
        meta, body = _parse(path.read_text(encoding="utf-8"))
        assert list(meta) == ["id", "kind", "language", "title"]
        assert path.stem == meta["id"]
        Document.model_validate({**meta, "body": body})
        topics.setdefault(meta["id"].rsplit("-", 1)[0], set()).add(meta["language"])
    assert all(languages == {"en", "zh"} for languages in topics.values())
    assert {"returns", "shipping", "payment", "warranty", "privacy", "order-tracking"} <= set(
        topics
    )


def test_documents_state_the_policy_facts_in_both_languages(shop: Shop) -> None:
    policies = shop.truth["policies"]
    window = str(policies["return_window_days"])
    for language in ("en", "zh"):
        returns = (shop.folder / "documents" / f"returns-{language}.md").read_text(encoding="utf-8")
        assert window in returns
        shipping = (shop.folder / "documents" / f"shipping-{language}.md").read_text(
            encoding="utf-8"
        )
        for amount in policies["free_shipping_threshold"].values():
            assert amount.removesuffix(".00") in shipping


def test_ground_truth_has_the_expected_keys(shop: Shop) -> None:
    truth = shop.truth
    assert truth["seed"] == 7
    assert {
        "categories",
        "price_bands",
        "customers",
        "product_aspects",
        "review_needs",
        "policies",
        "time",
    } <= set(truth)
    assert set(truth["customers"]) == {c["id"] for c in shop.records["customers"]}
    for preference in truth["customers"].values():
        assert 1 <= len(preference["preferred_categories"]) <= 3
        assert set(preference["preferred_categories"]) <= set(truth["categories"])
        assert preference["price_band"] in ("budget", "mid", "premium")
    reviewed = {r["product_id"] for r in shop.records["reviews"]}
    assert set(truth["product_aspects"]) == reviewed
    facts = truth["policies"]
    assert facts["return_window_days"] == 30
    assert set(facts["free_shipping_threshold"]) == {"CNY", "USD", "EUR"}


def test_progress_reports_each_stage_to_completion(shop: Shop) -> None:
    finished = {stage for stage, done, total in shop.progress if done == total}
    assert {"products", "customers", "events", "orders", "reviews", "documents"} <= finished
    assert all(0 <= done <= total for _, done, total in shop.progress)


def test_load_ground_truth_says_what_to_do_when_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="generate"):
        load_ground_truth(tmp_path)


def test_refuses_impossible_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="customers must be >= 0"):
        generate(tmp_path, customers=-1)
    with pytest.raises(ValueError, match="products must be > 0"):
        generate(tmp_path, products=0, events=10, orders=0, reviews=0)
    assert not (tmp_path / "products.jsonl").exists()


def test_empty_shop_is_allowed(tmp_path: Path) -> None:
    manifest = generate(tmp_path, products=0, customers=0, events=0, orders=0, reviews=0)
    assert manifest.counts["products"] == 0
    assert (tmp_path / "products.jsonl").read_bytes() == b""


@pytest.mark.parametrize(
    "sizes",
    [
        {"products": 3, "customers": 2, "events": 200, "orders": 40, "reviews": 10},
        {"products": 1, "customers": 0, "events": 10, "orders": 5, "reviews": 3},
        {"products": 50, "customers": 5, "events": 2, "orders": 0, "reviews": 0},
    ],
)
def test_tiny_shops_still_have_exact_valid_files(tmp_path: Path, sizes: dict[str, int]) -> None:
    generate(tmp_path, seed=1, **sizes)
    for entity in ENTITIES:
        lines = (tmp_path / f"{entity}.jsonl").read_bytes().splitlines()
        assert len(lines) == sizes[entity]
        for line in lines:
            ENTITY_MODELS[entity].model_validate(orjson.loads(line))
