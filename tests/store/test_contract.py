"""The store contract: every backend (SQLite, PostgreSQL) must pass these."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from shopmind.core.errors import InputError, NotFoundError
from shopmind.core.schemas import Customer, Document, Event, Order, Product, Review
from shopmind.store import Store, erase_customer, migrate, open_store
from shopmind.store.assistant import add_messages, create_session, get_session

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def product(pid: str = "p1", **kw: object) -> Product:
    data: dict[str, object] = {
        "id": pid,
        "title": f"Product {pid}",
        "price": "19.99",
        "currency": "USD",
    }
    data.update(kw)
    return Product.model_validate(data)


def test_open_migrates_to_head(store: Store) -> None:
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    assert store.stats() == {k: 0 for k in store.stats()}


def test_migrations_build_exactly_the_tables_the_code_declares(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from shopmind.store import tables

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, tables.metadata) == []


def test_upgrade_keeps_sessions_started_before_key_binding(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    migrate.upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO assistant_sessions (id, customer_id, language, state, created_at,"
                " updated_at) VALUES ('s_old', 'c1', 'en', '{}', :t, :t)"
            ),
            {"t": T0.isoformat()},
        )
    engine.dispose()
    store = open_store(url)
    try:
        old = get_session(store, "s_old")
        assert old is not None and old["customer_id"] == "c1" and old["api_key_id"] is None
        assert migrate.current_revision(store.engine) == migrate.head_revision()
    finally:
        store.close()


def test_upsert_counts_inserted_updated_unchanged(store: Store) -> None:
    first = store.upsert("products", [product("a"), product("b")])
    assert first.as_dict() == {"inserted": 2, "updated": 0, "unchanged": 0}
    again = store.upsert("products", [product("a"), product("b", price="21.00")])
    assert again.as_dict() == {"inserted": 0, "updated": 1, "unchanged": 1}
    assert store.get("products", ["b"])["b"].price == Decimal("21.00")  # type: ignore[attr-defined]


def test_round_trip_is_exact_for_every_entity(store: Store) -> None:
    items = {
        "products": product(
            "p",
            title="红色 T恤",
            attributes={"size": "M", "wireless": True, "mah": 5000},
            category_path=["服装", "上衣"],
            compare_at_price="25.5",
            stock=3,
        ),
        "customers": Customer(id="c", email="a@b.co", locale="zh-CN", name="Ann"),
        "orders": Order.model_validate(
            {
                "id": "o",
                "customer_id": "c",
                "currency": "CNY",
                "status": "shipped",
                "lines": [{"product_id": "p", "quantity": 3, "unit_price": "0.10"}],
                "placed_at": T0,
                "shipped_at": T0,
                "carrier": "SF",
                "tracking_number": "SF1",
            }
        ),
        "reviews": Review(
            id="r", product_id="p", customer_id="c", rating=2, text="物流很慢", created_at=T0
        ),
        "documents": Document(
            id="d", kind="policy", title="Returns", body="30 days.", language="en"
        ),
    }
    for kind, item in items.items():
        store.upsert(kind, [item])
        assert store.get(kind, [item.id])[item.id] == item  # type: ignore[attr-defined]
    order = store.get("orders", ["o"])["o"]
    assert order.total == Decimal("0.30")  # type: ignore[attr-defined]


def test_events_are_deduplicated_by_content(store: Store) -> None:
    e = Event(
        name="purchase",
        customer_id="c",
        product_ids=["p"],
        value=Decimal("9.5"),
        currency="USD",
        timestamp=T0,
    )
    other = e.model_copy(update={"timestamp": T0.replace(minute=1)})
    assert store.add_events([e, e, other]).as_dict() == {
        "inserted": 2,
        "updated": 0,
        "unchanged": 1,
    }
    assert store.add_events([e]).as_dict() == {"inserted": 0, "updated": 0, "unchanged": 1}
    stored = list(store.iter_models("events"))
    assert len(stored) == 2
    assert {ev.timestamp for ev in stored} == {T0, T0.replace(minute=1)}  # type: ignore[attr-defined]
    assert all(ev.value == Decimal("9.5") for ev in stored)  # type: ignore[attr-defined]


def test_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as conn:
        store.upsert("products", [product("x")], conn)
        raise RuntimeError("crash in the middle")
    assert store.stats()["products"] == 0


def test_duplicate_ids_in_one_batch_rejected(store: Store) -> None:
    with pytest.raises(InputError, match="duplicate id"):
        store.upsert("products", [product("a"), product("a")])
    assert store.stats()["products"] == 0


def test_order_lines_follow_their_order(store: Store) -> None:
    def order(qty: int) -> Order:
        return Order.model_validate(
            {
                "id": "o",
                "currency": "USD",
                "status": "placed",
                "placed_at": T0,
                "lines": [{"product_id": "p", "quantity": qty, "unit_price": "1"}] * 2,
            }
        )

    store.upsert("orders", [order(1)])
    store.upsert("orders", [order(4)])
    assert store.stats()["order_lines"] == 2
    with store.read() as conn:
        qty = conn.execute(sa.text("SELECT SUM(quantity) FROM order_lines")).scalar_one()
    assert qty == 8
    assert store.delete("orders", ["o"]) == 1
    assert store.stats()["order_lines"] == 0


def test_iter_models_and_list_ids_page_in_id_order(store: Store) -> None:
    store.upsert("products", [product(f"p{i:03d}") for i in range(25)])
    assert [p.id for p in store.iter_models("products", batch_size=7)] == [
        f"p{i:03d}" for i in range(25)
    ]  # type: ignore[attr-defined]
    assert store.list_ids("products", limit=3, after="p010") == ["p011", "p012", "p013"]


def test_erasure_removes_personal_data_and_dangling_references(store: Store) -> None:
    store.upsert(
        "customers", [Customer(id="c1", email="ann@example.com", name="Ann"), Customer(id="c2")]
    )
    store.upsert(
        "orders",
        [
            Order.model_validate(
                {
                    "id": "o1",
                    "customer_id": "c1",
                    "email": "ann@example.com",
                    "shipping_address": "1 Main St",
                    "currency": "USD",
                    "status": "delivered",
                    "placed_at": T0,
                    "lines": [{"product_id": "p", "quantity": 1, "unit_price": "5"}],
                }
            )
        ],
    )
    store.upsert(
        "reviews",
        [
            Review(
                id="r1",
                product_id="p",
                customer_id="c1",
                author_name="Ann",
                rating=5,
                text="great",
                created_at=T0,
            )
        ],
    )
    store.add_events(
        [
            Event(
                name="view_item", customer_id="c1", session_id="s1", product_ids=["p"], timestamp=T0
            ),
            Event(
                name="view_item", session_id="s1", product_ids=["p"], timestamp=T0.replace(hour=13)
            ),
            Event(
                name="view_item", customer_id="c2", session_id="s2", product_ids=["p"], timestamp=T0
            ),
        ]
    )
    chat = create_session(store, customer_id="c1", language="en")
    add_messages(store, chat, [{"role": "user", "text": "where is order o1?"}])
    kept = create_session(store, customer_id="c2", language="en")
    report = erase_customer(store, "c1")
    assert report == {
        "customer_id": "c1",
        "customers_deleted": 1,
        "events_deleted": 2,
        "reviews_anonymised": 1,
        "orders_anonymised": 1,
        "assistant_sessions_deleted": 1,
        "assistant_messages_deleted": 1,
        "assistant_handoffs_deleted": 0,
    }
    assert get_session(store, chat) is None and get_session(store, kept) is not None
    with store.read() as conn:
        for table, column in (
            ("customers", "id"),
            ("events", "customer_id"),
            ("orders", "customer_id"),
            ("reviews", "customer_id"),
        ):
            left = conn.execute(
                sa.text(f"SELECT COUNT(*) FROM {table} WHERE {column} = 'c1'")
            ).scalar_one()
            assert left == 0, table
        dumped = " ".join(
            str(r)
            for r in conn.execute(
                sa.text("SELECT data FROM orders UNION ALL SELECT data FROM reviews")
            )
        )
    assert "ann@example.com" not in dumped and "Ann" not in dumped and "Main St" not in dumped
    order = store.get("orders", ["o1"])["o1"]
    assert order.total == Decimal("5") and order.customer_id is None  # type: ignore[attr-defined]
    assert store.stats()["events"] == 1  # c2's event stays
    with pytest.raises(NotFoundError):
        erase_customer(store, "nobody")


def test_reopen_keeps_data(store_url: str) -> None:
    first = open_store(store_url)
    first.upsert("products", [product("keep")])
    first.close()
    second = open_store(store_url)
    assert "keep" in second.get("products", ["keep"])
    second.close()
