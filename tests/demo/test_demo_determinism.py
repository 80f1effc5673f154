"""The same seed gives the same bytes; another seed gives another shop."""

from __future__ import annotations

import hashlib
from pathlib import Path

from demo.shop import SMALL, Shop
from shopmind.demo import generate


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_seed_gives_identical_bytes(shop: Shop, tmp_path: Path) -> None:
    generate(tmp_path / "again", seed=7, **SMALL)
    assert _digests(tmp_path / "again") == _digests(shop.folder)


def test_another_seed_gives_another_shop(shop: Shop, tmp_path: Path) -> None:
    generate(tmp_path / "other", seed=8, **SMALL)
    ours, theirs = _digests(shop.folder), _digests(tmp_path / "other")
    for name in ("products.jsonl", "customers.jsonl", "events.jsonl", "orders.jsonl"):
        assert ours[name] != theirs[name], name
    # The help pages do not depend on the seed.
    assert ours["documents/returns-en.md"] == theirs["documents/returns-en.md"]


def test_products_do_not_depend_on_the_other_sizes(shop: Shop, tmp_path: Path) -> None:
    generate(
        tmp_path / "fewer",
        seed=7,
        products=SMALL["products"],
        customers=5,
        events=0,
        orders=0,
        reviews=0,
    )
    assert (tmp_path / "fewer" / "products.jsonl").read_bytes() == (
        shop.folder / "products.jsonl"
    ).read_bytes()
